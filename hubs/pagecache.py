"""
Whole-page cache of the public pages anonymous visitors read most (the hub's home, the slot
list), in the default cache (Redis in production), invalidated by version keys:

- `net`: bumped by any change of the network, a hub or a municipality (names shown everywhere);
- `hub:<slug>`: bumped by any change of a row that belongs to the hub (its antennas, services,
  desk settings, fairs, pacts…: every model with a `hub` foreign key), after the commit;
- `desk:<slug>`: bumped by the rows of the hub's availability (slots, bookings, waiting list),
  which only the slot pages show, so that a booking does not throw away the hub's home.

A page's key holds the versions it depends on, the language, htmx or not, and the full path:
a bump makes every older key unreachable at once (they expire by their timeout).

A page is served from or stored to the cache only when nothing in it is the visitor's own:
GET, nobody signed in, no message pending. A response is stored only if it is a 200, set no
cookie and did not write to the session. A page that rendered a CSRF token (a form that POSTs:
the token is the visitor's own) is stored only if the view allows it (`page_cache_csrf`) and
the token is only in the form's hidden inputs: they are stored with a placeholder, and each
visitor gets their own token in its place when the page is served.

Only with a cache every process shares (settings.YIP_PUBLIC_PAGE_CACHE: on with REDIS_URL).
The cache being down (Redis unreachable: django-redis ignores its errors and every read
misses) only means every page is rendered as before.
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

PREFIX = "pagecache"
NETWORK = "net"
# Rows that change with every booking and that only the slot pages show: they bump `desk:<slug>`.
AVAILABILITY_MODELS = {"desk.slot", "desk.booking", "desk.waitlistentry"}
# Rows with a hub that no public page shows (personal data, mail, history): no bump at all.
IGNORED_MODELS = {
    "people.personhub",
    "desk.notice",
    "desk.bookingmove",
    "jobclub.attendance",  # registers: no public page shows them
    "jobclub.registerchange",
}
STORED_HEADERS = ("Content-Type", "Vary", "Content-Language")
# A page with a form that POSTs (`page_cache_csrf`): its token inputs are stored as this
# placeholder and each visitor gets their own token in its place.
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
CSRF_PLACEHOLDER = b"pagecache-form-token-placeholder"


def _version_key(scope: str) -> str:
    return f"{PREFIX}:v:{scope}"


def versions(scopes: list[str]) -> list[str] | None:
    """The current version of each scope (made on first use); None when the cache is down."""
    keys = [_version_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex[:12], timeout=None)
        found |= cache.get_many(missing)
        if any(key not in found for key in keys):
            return None
    return [str(found[key]) for key in keys]


def bump(*scopes: str) -> None:
    """
    Every page depending on these scopes is stale: now (the writer's next read sees its change)
    and again at the commit (a page another request rendered meanwhile, before the change was
    committed, was stored under the first new version).
    """

    def apply():
        cache.set_many({_version_key(scope): uuid.uuid4().hex[:12] for scope in scopes}, timeout=None)

    apply()
    transaction.on_commit(apply)


def bump_hub(hub_id: int, *, availability: bool = False) -> None:
    """What a service calls after a bulk write (no model signal): `hub:` or `desk:` of the hub."""
    from .models import Hub

    slug = Hub.objects.filter(pk=hub_id).values_list("slug", flat=True).first()
    if slug:
        bump(f"{'desk' if availability else 'hub'}:{slug}")


# hub id → slug, read once per process (a hub's slug is its address: it does not change in use;
# a hub's own save forgets it here and bumps every page through NETWORK anyway).
_SLUGS: dict[int, str] = {}


def _hub_slug(instance) -> str | None:
    hub = instance._state.fields_cache.get("hub")
    if hub is not None:
        return hub.slug
    if instance.hub_id not in _SLUGS:
        from .models import Hub

        slug = Hub.objects.filter(pk=instance.hub_id).values_list("slug", flat=True).first()
        if slug is None:
            return None
        _SLUGS[instance.hub_id] = slug
    return _SLUGS[instance.hub_id]


def model_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of every model: bump what the row may show on a public page."""
    label = sender._meta.label_lower
    if kwargs.get("raw") or label in IGNORED_MODELS:
        return
    if label in ("hubs.hub", "hubs.network", "hubs.municipality"):
        if label == "hubs.hub":
            _SLUGS.pop(instance.pk, None)
        bump(NETWORK)
        return
    if getattr(instance, "hub_id", None) is None:
        return
    slug = _hub_slug(instance)
    if slug:
        bump(f"{'desk' if label in AVAILABILITY_MODELS else 'hub'}:{slug}")


def _cacheable_request(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return len(messages.get_messages(request)) == 0  # len() does not mark them read


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(getattr(request, "session", None), "modified", False)
    )


def _without_token(request, content: bytes, *, csrf: bool) -> bytes | None:
    """The page without its visitor's CSRF token (placeholders), or None if it cannot be."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # no {% csrf_token %} was rendered
        return content
    if not csrf:
        return None
    content, inputs = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content)
    # The token anywhere else (a header for scripts, a URL) could not be swapped: not stored.
    return content if inputs and content.count(b"csrf") == inputs else None


class PublicPageCacheMixin:
    """
    Put first in a public view's bases. `page_cache_scopes(**kwargs)` names the version scopes
    the page depends on (default: the network and the hub of `hub_slug`), `page_cache_timeout`
    bounds what time alone changes (a session that starts drops off the list).
    """

    page_cache_timeout = 300
    # True for a page with a form that POSTs: cached with each visitor's token swapped in.
    page_cache_csrf = False
    # The query parameters the page reads; with any other one it is rendered, not cached.
    page_cache_params: tuple[str, ...] = ()

    def page_cache_scopes(self, **kwargs) -> list[str]:
        return [NETWORK, f"hub:{kwargs['hub_slug']}"]

    def dispatch(self, request, *args, **kwargs):
        if (
            not settings.YIP_PUBLIC_PAGE_CACHE
            or not set(request.GET) <= set(self.page_cache_params)  # no key per made-up query
            or not _cacheable_request(request)
        ):
            return super().dispatch(request, *args, **kwargs)
        current = versions(self.page_cache_scopes(**kwargs))
        if current is None:  # the cache is down: render as usual
            return super().dispatch(request, *args, **kwargs)
        htmx = "1" if request.headers.get("HX-Request") else "0"
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"{PREFIX}:page:{'.'.join(current)}:{request.LANGUAGE_CODE}:{htmx}:{path}"
        stored = cache.get(key)
        if stored is not None:
            content = stored["content"]
            if CSRF_PLACEHOLDER in content:
                content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content)
            for header, value in stored["headers"].items():
                response.headers[header] = value
            return response
        response = super().dispatch(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _cacheable_response(request, response):
            content = _without_token(request, response.content, csrf=self.page_cache_csrf)
            if content is not None:
                headers = {h: response.headers[h] for h in STORED_HEADERS if h in response.headers}
                cache.set(key, {"content": content, "headers": headers}, self.page_cache_timeout)
        return response
