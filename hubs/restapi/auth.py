"""
Who calls: the API token in the `Authorization: Bearer …` header, and nowhere else (never in a
URL, which servers and proxies log). A revoked, expired or unknown token is a 401, as is a token
whose hub is no longer active.
"""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .services import PREFIX, token_find, token_touch


class TokenClient:
    """`request.user` of an API call: the system behind the token, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = None

    def __init__(self, token):
        self.token = token

    def __str__(self):
        return f"API token {self.token.prefix}…"


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after Bearer."))
        token = token_find(header[1])
        if token is None or not token.is_active or not token.hub.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid: unknown, expired or revoked."))
        token_touch(token)
        return TokenClient(token), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


def token_in_query(request) -> bool:
    """Whether the URL carries something that looks like a token (refused, so it is seen)."""
    return any(value.startswith(PREFIX) for values in request.GET.lists() for value in values[1])
