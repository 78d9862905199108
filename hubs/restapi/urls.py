"""
/api/v1/: the resources the apps registered (hubs/restapi/registry.py), the status, the schema,
its documentation page, and a problem 404 for anything else. Every view here is exempt from
LoginRequiredMiddleware: the API authenticates by token (hubs/restapi/auth.py) instead, and
answers 401 without one.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path

from . import views
from .registry import routers


def _exempt(patterns):
    for pattern in patterns:
        if hasattr(pattern, "callback"):
            login_not_required(pattern.callback)
    return patterns


top, in_hub = routers()

urlpatterns = [
    path("status", views.StatusView.as_view(), name="status"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("", include(_exempt(top.urls))),
    path("hubs/<slug:hub>/", include(_exempt(in_hub.urls))),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"),
]
