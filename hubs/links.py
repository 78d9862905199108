"""Absolute links to the portal's pages, for e-mails, PDFs and .ics files (which have no request)."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args, **kwargs) -> str:
    """`settings.SITE_URL` + the page's path: `absolute_url(viewname, hub_slug=hub.slug, pk=obj.pk)`."""
    return settings.SITE_URL + reverse(viewname, args=args or None, kwargs=kwargs or None)


def absolute_path(path: str) -> str:
    """`settings.SITE_URL` + a path already reversed (e.g. with a query string)."""
    return settings.SITE_URL + path
