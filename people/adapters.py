"""
allauth adapter: e-mail addresses are stored lower-case, so one person is one account; and the
client's address (allauth's login, signup and reset limits) is read by the portal's one function,
`hubs.ratelimit.client_ip`, through the trusted proxies of YIP_TRUSTED_PROXY_COUNT only.
"""

from allauth.account.adapter import DefaultAccountAdapter

from hubs.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def get_client_ip(self, request) -> str:
        return client_ip(request)
