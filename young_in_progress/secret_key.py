"""The secret key of a developer's checkout: random, made once, kept out of git (var/)."""

import os
import secrets
from pathlib import Path


def local_secret_key(path: Path) -> str:
    """
    The key stored at `path`, created on first use with `secrets.token_urlsafe(50)` and mode
    600. Every process of `make run` (web server, worker, manage.py) reads the same key; two
    processes starting together still agree (the file appears whole, or not at all).
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(draft, path)  # fails if another process got there first: use theirs
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()
