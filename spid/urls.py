"""
The relying party's URLs, at the paths the federation expects of an entity whose id is the
site's root (settings.YIP_EID_ENTITY_ID): its entity configuration, its keys, the sign-in
begin and callback, single logout, and the link confirmation.
"""

from django.urls import path

from . import views

app_name = "spid"

urlpatterns = [
    path(".well-known/openid-federation", views.entity_configuration, name="entity_configuration"),
    path("oidc/rp/authorization", views.BeginView.as_view(), name="begin"),
    path("oidc/rp/callback", views.CallbackView.as_view(), name="callback"),
    path("oidc/rp/logout", views.LogoutView.as_view(), name="logout"),
    path("oidc/rp/collega/", views.LinkView.as_view(), name="link"),
    path("oidc/rp/openid_relying_party/jwks.json", views.jwks, name="jwks_json"),
    path("oidc/rp/openid_relying_party/jwks.jose", views.jwks, {"signed": True}, name="jwks_jose"),
]
