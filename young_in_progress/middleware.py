"""Request middleware of the portal."""

import threading
from urllib.parse import urlencode

from django.conf import settings
from django.db import connections
from django.http import Http404, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

NUL, ENCODED_NUL = "\x00", "%00"


class ItalianFirstLocaleMiddleware(LocaleMiddleware):
    """
    Italian unless the visitor chose another language with the switcher (its cookie).
    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: the
    portal speaks Italian first, whatever language the phone happens to be set to.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PermissionsPolicyMiddleware:
    """
    Sends `Permissions-Policy` switching off every feature in PERMISSIONS_POLICY (camera,
    microphone, geolocation, payment…) for each response that does not set its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class NulCharacterMiddleware:
    """
    No NUL character (`\\x00`, typed as `%00`) from a URL reaches a view: PostgreSQL refuses text
    holding one, even to compare, so a search for "%00" would be a server error. A query
    string's parameters lose their NUL characters (the page reads them as if it were not
    there); a path holding one names nothing (404). Submitted forms keep theirs: Django's
    form fields refuse them with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404
        query = request.META.get("QUERY_STRING", "")
        if ENCODED_NUL in query or NUL in query:
            pairs = [
                (key.replace(NUL, ""), value.replace(NUL, ""))
                for key, values in request.GET.lists()
                for value in values
            ]
            request.GET = QueryDict(urlencode(pairs), encoding=request.encoding)
        return self.get_response(request)


class ConcurrencyCapMiddleware:
    """
    For `make run` only (settings/local.py): runserver starts a thread per request, without a
    limit, and each thread in a request holds a PostgreSQL connection. At most
    YIP_MAX_CONCURRENT_REQUESTS requests run at once (the others wait their turn), and each
    closes its connections before the next one starts, so the server never holds more than that
    many (issue 19: a burst held 98 of PostgreSQL's 100).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.turns = threading.BoundedSemaphore(settings.YIP_MAX_CONCURRENT_REQUESTS)

    def __call__(self, request):
        with self.turns:
            try:
                return self.get_response(request)
            finally:
                connections.close_all()  # a later use (a streamed body) just opens a new one
