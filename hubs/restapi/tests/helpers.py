"""Tokens for the world's hubs, and an API client that sends one."""

from rest_framework.test import APIClient

from hubs.models import Role
from hubs.restapi import services

ORGANIZATION = {Role.PARTNER: "cooperative", Role.SCHOOL: "school", Role.EXHIBITOR: "cooperative"}


def token_for(hub_data, role, **kwargs):
    """(token, secret) of `role` on the world's hub, acting for its organization when it needs one."""
    organization = getattr(hub_data, ORGANIZATION[role]) if role in ORGANIZATION else None
    return services.token_create(
        hub=hub_data.hub,
        name=f"{role} system",
        role=role,
        organization=organization,
        by=hub_data.users[Role.HUB_ADMIN],
        **kwargs,
    )


def client_with(secret: str | None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def api(path: str) -> str:
    return f"/api/v1/{path}"
