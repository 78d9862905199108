"""
The relying party's URLs, at the paths the federation expects of an entity whose id is the
site's root (settings.YIP_EID_ENTITY_ID): its entity configuration, its keys, the sign-in
begin and callback, single logout, and the link confirmation.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from spid_cie_oidc.entity.views import (
    entity_configuration,
    openid_connect_jwks_uri,
    openid_connect_signed_jwks_uri,
)

from . import views

app_name = "spid"

urlpatterns = [
    path(
        ".well-known/openid-federation",
        login_not_required(entity_configuration),
        name="entity_configuration",
    ),
    path("oidc/rp/authorization", views.BeginView.as_view(), name="begin"),
    path("oidc/rp/callback", views.CallbackView.as_view(), name="callback"),
    path("oidc/rp/logout", views.LogoutView.as_view(), name="logout"),
    path("oidc/rp/collega/", views.LinkView.as_view(), name="link"),
    path(
        "oidc/rp/<str:metadata_type>/jwks.json",
        login_not_required(openid_connect_jwks_uri),
        name="jwks_json",
    ),
    path(
        "oidc/rp/<str:metadata_type>/jwks.jose",
        login_not_required(openid_connect_signed_jwks_uri),
        name="jwks_jose",
    ),
]
