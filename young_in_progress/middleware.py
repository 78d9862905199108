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
