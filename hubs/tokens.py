"""
Secret tokens handed out once (invitations, API keys, referrals, pact co-authors, calendar
feeds): the token travels in a link or a header, only its SHA-256 hash is stored, so a copy of
the database opens nothing. A token has 256 random bits, so a plain (unsalted) hash is enough:
nobody can guess one to compare.
"""

import hashlib
import secrets


def token_new(prefix: str = "") -> str:
    """A new secret token (URL-safe, 256 random bits), optionally with a recognisable prefix."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 hash, 64 hex digits."""
    return hashlib.sha256(token.encode()).hexdigest()
