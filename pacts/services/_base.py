"""The pieces every part of the pacts' services shares: constants, locks, the timeline, files."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hubs.tokens import token_hash, token_new  # noqa: F401 (re-exported)
from people.models import RecordAccess

from ..models import (
    Pact,
    TimelineEntry,
    Variation,
)

RECEIPT_TYPES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# What a variation may change in a signed pact (the budget moves through budget_move).
CONTENT_FIELDS = (
    "title",
    "idea",
    "objectives",
    "responsibilities",
    "resources",
    "timeline",
    "starts_on",
    "ends_on",
)
PROPOSAL_FIELDS = (
    "sub_area",
    "title",
    "group_name",
    "idea",
    "motivations",
    "objectives",
    "actions_proposed",
    "timeline",
    "partners_text",
    "resources",
)


def euro(amount) -> str:
    return "€ " + number_format(Decimal(amount).quantize(Decimal("0.01")), decimal_pos=2, force_grouping=True)


def _lock(pact: Pact) -> Pact:
    return Pact.objects.select_for_update().get(pk=pact.pk)


def _event(pact: Pact, text: str, day=None) -> None:
    TimelineEntry.objects.create(hub=pact.hub, pact=pact, date=day or timezone.localdate(), text=text)


# --- One active pact per sub-area ----------------------------------------------------------------


def _check_one_active(pact: Pact) -> None:
    other = (
        Pact.objects.for_hub(pact.hub)
        .active()
        .filter(sub_area=pact.sub_area, cycle=pact.cycle)
        .exclude(pk=pact.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "sub_area": _("%(area)s already has a youth pact for %(cycle)s: “%(title)s”.")
                % {"area": pact.sub_area, "cycle": pact.cycle, "title": other.title}
            }
        )


def _check_file(upload, *, allowed, field: str) -> None:
    """The upload's size, extension and first bytes must agree with an allowed type."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > RECEIPT_MAX_BYTES:
        raise ValidationError({field: _("The file is too large: at most 5 MB.")})
    if extension not in allowed:
        raise ValidationError({field: _("Upload a PDF, JPG or PNG file.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in RECEIPT_TYPES[extension]):
        raise ValidationError({field: _("This file is not the type its name says.")})


def _variation(pact: Pact, *, reason: str, changes: dict, by) -> Variation:
    pact.version += 1
    pact.save()
    variation = Variation.objects.create(
        hub=pact.hub, pact=pact, number=pact.version - 1, reason=reason, changes=changes, created_by=by
    )
    _event(
        pact,
        _("Variation %(number)s of the pact: %(reason)s")
        % {"number": variation.number, "reason": reason[:300]},
    )
    return variation


def people_opened(*, hub, user, person_ids, what: str) -> int:
    """
    Log (people.RecordAccess, append-only) that a member of the hub's staff opened a page
    naming these young people: one row each, in one query however many they are.
    """
    ids = sorted({pk for pk in person_ids if pk})
    RecordAccess.objects.bulk_create(
        [RecordAccess(hub=hub, person_id=pk, user=user, what=what) for pk in ids]
    )
    return len(ids)
