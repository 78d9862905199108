"""
`Idempotency-Key` on writes (the IETF draft's header, as Stripe and pretix use it): the client
names a write with a key of its own; a retry with the same key gets the first answer replayed
(`Idempotent-Replayed: true`) and the write does not run again; while the first is still
running, 409. A key sent again with another method, path or body is a 422. Keys live a day;
an answer of 5xx is not kept, so the client may retry it.
"""

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .errors import Conflict, Unprocessable
from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT = timedelta(hours=24)
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class Replay(Exception):
    def __init__(self, response):
        self.response = response


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def begin(request, token) -> IdempotentRequest | None:
    """The row that holds this write's key, claimed; raises Replay, Conflict or Unprocessable."""
    key = request.headers.get(HEADER, "").strip()
    if request.method not in WRITES or not key:
        return None
    if len(key) > 200:
        raise Unprocessable(_("The Idempotency-Key is longer than 200 characters."), field=HEADER)
    fingerprint = _fingerprint(request)
    IdempotentRequest.objects.filter(token=token, key=key, created_at__lt=timezone.now() - KEPT).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(token=token, key=key, fingerprint=fingerprint)
    except IntegrityError:
        pass
    earlier = IdempotentRequest.objects.filter(token=token, key=key).first()
    if earlier is None:  # it expired or failed in between: a fresh start
        return begin(request, token)
    if earlier.fingerprint != fingerprint:
        raise Unprocessable(_("This Idempotency-Key was used for another request."), field=HEADER)
    if earlier.status_code is None:
        raise Conflict(_("A request with this Idempotency-Key is still being handled: retry later."))
    response = Response(earlier.body, status=earlier.status_code, content_type=earlier.content_type or None)
    response["Idempotent-Replayed"] = "true"
    raise Replay(response)


def finish(row: IdempotentRequest, response) -> None:
    """Keep the answer for replays; forget the key of an answer the client should retry (5xx)."""
    if response.status_code >= 500:
        row.delete()
        return
    row.status_code = response.status_code
    row.content_type = getattr(response, "content_type", None) or ""
    data = getattr(response, "data", None)
    # as the client reads it: DRF's JSON encoder (a Decimal becomes a number, a date a string)
    row.body = None if data is None else json.loads(JSONRenderer().render(data))
    row.save(update_fields=["status_code", "content_type", "body"])
