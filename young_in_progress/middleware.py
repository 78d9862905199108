"""Request middleware of the portal."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
