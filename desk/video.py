"""
Video rooms of online sessions: each one-to-one booking (and each group session) gets its own
room with an unguessable name (128 random bits) on the hub's video service, never one room
shared by every session of a rule. The service is the rule's `video_url`, else
settings.YIP_VIDEO_BASE_URL (a Jitsi Meet server: any room name opens a room).
"""

import secrets

from django.conf import settings


def video_room_url(base: str = "") -> str:
    base = (base or settings.YIP_VIDEO_BASE_URL).rstrip("/")
    return f"{base}/yip-{secrets.token_urlsafe(16)}"


def is_room_of(url: str, base: str = "") -> bool:
    """Whether `url` is a room of the service `base` (so a change of service makes new rooms)."""
    base = (base or settings.YIP_VIDEO_BASE_URL).rstrip("/")
    return bool(url) and url.startswith(base + "/yip-")
