"""URLs for the package's relying-party tests (spid/localfed/upstream_settings.py)."""

from spid_cie_oidc.relying_party.urls import urlpatterns as relying_party_urlpatterns

from .urls import urlpatterns

urlpatterns = [*urlpatterns, *relying_party_urlpatterns]
