"""
What one client may ask of the portal, in the shared layer so every app limits the same way:

- `client_ip`: the client's address, read through the configured number of trusted proxies
  (YIP_TRUSTED_PROXY_COUNT) and nothing else. Our rate limits, the desk's hold caps and
  allauth's login limits (people/adapters.py) all use it.
- `RateLimitMixin`: a view's POSTs count against its group in YIP_RATE_LIMITS, per client IP,
  per e-mail address and per signed-in user; past a limit the visitor gets the "too many
  attempts" page (HTTP 429) and the view does not run. django-ratelimit keeps the counters in
  the default cache (Redis in production), so every web process shares them.
- `once_per`: at most one of something (an e-mail) per key in a window.

When the cache is down the limits let requests through (RATELIMIT_FAIL_OPEN): the portal keeps
answering rather than refusing everyone.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django_ratelimit.core import get_usage

PER = ("ip", "email", "user")


def _ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """
    The client's address. With YIP_TRUSTED_PROXY_COUNT = n, the last n hops of the request are
    our own proxies; each appends to X-Forwarded-For the address it got the request from (as
    nginx's `$proxy_add_x_forwarded_for` does), and the last one is REMOTE_ADDR. So in the chain
    "X-Forwarded-For entries, then REMOTE_ADDR" the client is the n-th entry from the right
    before REMOTE_ADDR, i.e. `X-Forwarded-For[-n]`; whatever stands further left was written by
    the client and is never read. n = 0 (the default): REMOTE_ADDR, X-Forwarded-For ignored.
    A chain shorter than n, or an entry that is not an address, gives REMOTE_ADDR: a request
    that did not come through our proxies never chooses its own address. No address at all
    (a Unix socket without a proxy): "0.0.0.0", one bucket for all such requests.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.YIP_TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            found = _ip(forwarded[-count])
            if found:
                return found
    return _ip(remote) or "0.0.0.0"


def client_network(request) -> str:
    """`client_ip`, with an IPv6 address widened to its /64 (one household's prefix)."""
    ip = client_ip(request)
    if ":" in ip:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return ip


def parse_limits(spec: str) -> list[tuple[str, str]]:
    """ "5/m/ip,3/h/email" → [("5/m", "ip"), ("3/h", "email")] (allauth's notation)."""
    limits = []
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        amount, period, per = part.split("/")
        if per not in PER:
            raise ValueError(f"Unknown rate limit key {per!r} in {spec!r}: use one of {PER}")
        limits.append((f"{amount}/{period}", per))
    return limits


def rate_limit_hit(request, group: str, *, email: str = "") -> int | None:
    """
    Count this request against every limit of `group` (YIP_RATE_LIMITS). None if all are
    respected; otherwise the seconds until the longest exceeded one lets the client in again.
    A limit whose key is missing (no e-mail given, an anonymous visitor's "user") is skipped.
    """
    values = {
        "ip": "ip",  # django-ratelimit's own key: client_ip (RATELIMIT_IP_META_KEY), IPv6 as /64
        "email": (email or "").strip().lower(),
        "user": str(request.user.pk) if request.user.is_authenticated else "",
    }
    wait = None
    for rate, per in parse_limits(settings.YIP_RATE_LIMITS[group]):
        if not values[per]:
            continue
        value = values[per]
        usage = get_usage(
            request,
            group=f"yip:{group}:{per}",
            key="ip" if per == "ip" else (lambda _group, _request, value=value: value),
            rate=rate,
            increment=True,
        )
        if usage and usage["should_limit"]:
            wait = max(wait or 0, usage["time_left"])
    return wait


def too_many_requests(request, *, retry_after: int | None = None, **context) -> TemplateResponse:
    """The "too many attempts" page, in the portal's layout, with status 429."""
    response = TemplateResponse(request, "429.html", context, status=429)
    if retry_after:
        response["Retry-After"] = str(max(retry_after, 1))
    return response


class RateLimitMixin:
    """
    POSTs to the view count against `YIP_RATE_LIMITS[ratelimit_group]` before the view runs;
    past a limit, the 429 page. `ratelimit_email()` names the address the request is about
    (the form's "email" field, or the signed-in user's). Put it after the mixin that resolves
    the hub (so an unknown hub stays a 404) and before the view's own loading.
    """

    ratelimit_group: str | None = None

    def ratelimit_email(self) -> str:
        user = self.request.user
        if user.is_authenticated:
            return user.email
        return self.request.POST.get("email", "")

    def check_before_load(self, request):
        """The 429 page past the limit, else None; a request is counted once (hubs.mixins calls
        this before loading the page's objects, and dispatch() for views without that hook)."""
        if request.method != "POST" or not self.ratelimit_group or getattr(self, "_ratelimit_counted", False):
            return None
        self._ratelimit_counted = True
        wait = rate_limit_hit(request, self.ratelimit_group, email=self.ratelimit_email())
        if wait is not None:
            return too_many_requests(request, retry_after=wait, hub=getattr(self, "hub", None))
        return None

    def dispatch(self, request, *args, **kwargs):
        return self.check_before_load(request) or super().dispatch(request, *args, **kwargs)


def once_per(key: str, *, seconds: int) -> bool:
    """
    True the first time `key` is asked for in `seconds`, False after that (atomic: the cache's
    add). The key is stored hashed (it may hold an e-mail address). A cache that cannot answer
    says True, so an outage never silences the portal.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()
    return cache.add(f"yip:once:{digest}", 1, seconds) is not False
