"""
Snapshots freeze the indicator rows (`Snapshot.rows`, written once); a monthly snapshot is
unique per hub and month.
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ..models import Snapshot
from .indicators import indicator_rows


def snapshot_take(
    *, hub, kind: str = Snapshot.Kind.ON_DEMAND, as_of: date | None = None, by=None
) -> Snapshot:
    """
    Freeze `indicator_rows` of the hub (None: the network) as of a day. Titles are stored in
    the portal's language. A MONTHLY snapshot is unique per hub and month: asking again (even
    concurrently) returns the one taken first.
    """
    as_of = as_of or timezone.localdate()
    month = as_of.replace(day=1)
    monthly = Snapshot.objects.filter(hub=hub, kind=Snapshot.Kind.MONTHLY, month=month)
    if kind == Snapshot.Kind.MONTHLY:
        existing = monthly.first()
        if existing is not None:
            return existing
    with translation.override(settings.LANGUAGE_CODE):
        rows = indicator_rows(hub=hub, as_of=as_of)
    try:
        with transaction.atomic():
            return Snapshot.objects.create(
                hub=hub, kind=kind, as_of=as_of, month=month, rows=rows, created_by=by
            )
    except IntegrityError:
        if kind != Snapshot.Kind.MONTHLY:
            raise
        return monthly.get()  # a concurrent run took it first
