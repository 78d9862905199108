"""
Writes of the network level (action 1). Each service is one transaction; mail goes through
`people.mail.mail_send`, and a message tied to an object goes once (a marker on the row).
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.events import emit
from hubs.links import absolute_url
from hubs.models import Hub, Membership, Role
from hubs.tokens import token_hash, token_new
from people.mail import mail_send
from people.services import record_access_log

from .models import (
    LABEL_REMINDER_DAYS,
    LABEL_THRESHOLD,
    LABEL_YEARS,
    Adoption,
    CatalogueHandoff,
    LibraryTool,
    LibraryVersion,
    NetworkMembership,
    QualityAssessment,
    QualityCriterion,
    Referral,
    TerritoryFigure,
)

# --- Joining and quality --------------------------------------------------------------------


@transaction.atomic
def network_join(*, hub: Hub, data: dict) -> NetworkMembership:
    """The hub asks to join (or updates its details); a change of details keeps an approval."""
    if not data.get("charter_accepted"):
        raise ValidationError({"charter_accepted": _("Accept the network's charter to join.")})
    membership, _created = NetworkMembership.objects.update_or_create(hub=hub, defaults=data)
    return membership


@transaction.atomic
def network_approve(*, membership: NetworkMembership, by) -> NetworkMembership:
    if membership.approved_at is None:
        membership.approved_at = timezone.now()
        membership.approved_by = by
        membership.save(update_fields=["approved_at", "approved_by"])
    return membership


@transaction.atomic
def criteria_set(*, network, texts: list[str]) -> list[QualityCriterion]:
    """The checklist becomes these lines, in this order; criteria no longer listed are retired."""
    texts = [text.strip() for text in texts if text.strip()]
    existing = {c.text: c for c in QualityCriterion.objects.filter(network=network)}
    kept = []
    for position, text in enumerate(texts):
        criterion = existing.pop(text, None) or QualityCriterion(network=network, text=text)
        criterion.position, criterion.is_active = position, True
        criterion.save()
        kept.append(criterion)
    QualityCriterion.objects.filter(pk__in=[c.pk for c in existing.values()]).update(is_active=False)
    return kept


def score_of(met: int, total: int) -> int:
    """The percentage of criteria met, rounded down: 69.9 % does not give the label."""
    return (met * 100) // total if total else 0


@transaction.atomic
def assessment_submit(*, hub: Hub, met: list[QualityCriterion], total: int, by, today: date | None = None):
    """Record the self-assessment; at LABEL_THRESHOLD % or more the hub holds the label 3 years."""
    if not total:
        raise ValidationError(_("The network has no quality criteria yet."))
    today = today or timezone.localdate()
    score = score_of(len(met), total)
    label_until = None
    if score >= LABEL_THRESHOLD:
        try:
            label_until = today.replace(year=today.year + LABEL_YEARS)
        except ValueError:  # 29 February
            label_until = today.replace(year=today.year + LABEL_YEARS, day=28)
    return QualityAssessment.objects.create(
        hub=hub,
        submitted_by=by,
        criteria_met=[c.text for c in met],
        criteria_total=total,
        score=score,
        label_until=label_until,
    )


def label_reminders_send(*, hub: Hub, today: date | None = None) -> int:
    """
    Remind the hub's coordinators 60 days before their label expires, once per assessment
    (beat, daily). Only the hub's latest assessment counts: a renewal replaces it.
    """
    today = today or timezone.localdate()
    latest = QualityAssessment.objects.for_hub(hub).order_by("-submitted_at").first()
    if latest is None or latest.label_until is None or latest.reminded_at is not None:
        return 0
    if not today >= latest.label_until - timedelta(days=LABEL_REMINDER_DAYS) or latest.label_until < today:
        return 0
    with transaction.atomic():
        row = QualityAssessment.objects.select_for_update().get(pk=latest.pk)
        if row.reminded_at is not None:
            return 0
        row.reminded_at = timezone.now()
        row.save(update_fields=["reminded_at"])
        recipients = list(
            Membership.objects.for_hub(hub)
            .filter(role=Role.HUB_ADMIN, is_active=True)
            .values_list("user__email", flat=True)
        )
        if recipients:
            mail_send(
                to=recipients,
                template="hubs/email/label_reminder",
                context={
                    "hub": hub,
                    "assessment": row,
                    "url": absolute_url("network:assessment", hub_slug=hub.slug),
                },
            )
    return 1


# --- The catalogue --------------------------------------------------------------------------


def catalogue_handoff_record(*, hub: Hub, entry_key: str) -> None:
    CatalogueHandoff.objects.create(hub=hub, entry_key=entry_key)


# --- Referrals ------------------------------------------------------------------------------


@transaction.atomic
def referral_propose(
    *, hub: Hub, to_hub: Hub, service: str, person, purpose: str, items: list[str], expires_on: date, by
) -> Referral:
    """Hub A proposes; the young person gets the consent link. Nothing reaches hub B yet."""
    if to_hub.pk == hub.pk:
        raise ValidationError({"to_hub": _("Refer to another hub of the network.")})
    if not NetworkMembership.objects.approved().filter(hub__in=[hub, to_hub]).count() == 2:
        raise ValidationError(_("Both hubs must be approved members of the network."))
    if expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("The consent must be valid for at least one more day.")})
    token = token_new()
    referral = Referral.objects.create(
        hub=hub,
        to_hub=to_hub,
        service=service,
        person=person,
        purpose=purpose,
        items=[Referral.Item(item).value for item in items],
        expires_on=expires_on,
        token_hash=token_hash(token),
        created_by=by,
    )
    to = person.guardian_email if person.needs_guardian_on(timezone.localdate()) else person.email
    mail_send(
        to=[to or person.email],
        template="hubs/email/referral_consent",
        language=person.language,
        context={
            "referral": referral,
            "person": person,
            "url": absolute_url("referral_consent", token=token),
        },
    )
    _status_emit(referral)
    return referral


def _status_emit(referral: Referral) -> None:
    """`referral.status_changed` to the sending hub, and to the receiving one once it may see it."""
    emit(referral.hub, "referral.status_changed", referral, status=referral.status)
    if referral.status in (*Referral.VISIBLE_TO_RECEIVER, Referral.Status.REVOKED):
        emit(referral.to_hub, "referral.status_changed", referral, status=referral.status)


def referral_by_token(token: str) -> Referral | None:
    return (
        Referral.objects.select_related("hub", "to_hub", "person")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def referral_consent(*, referral: Referral, consent: bool) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.PROPOSED:
        raise ValidationError(_("This request has already been answered."))
    if referral.expires_on < timezone.localdate():
        raise ValidationError(_("This request has expired."))
    if consent:
        referral.status, referral.consented_at = Referral.Status.CONSENTED, timezone.now()
    else:
        referral.status = Referral.Status.REFUSED
    referral.save(update_fields=["status", "consented_at"])
    _status_emit(referral)
    return referral


@transaction.atomic
def referral_revoke(*, referral: Referral) -> Referral:
    """The young person withdraws consent: the receiving hub loses access on its next request."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in Referral.VISIBLE_TO_RECEIVER:
        raise ValidationError(_("There is no consent to revoke."))
    referral.status, referral.revoked_at = Referral.Status.REVOKED, timezone.now()
    referral.save(update_fields=["status", "revoked_at"])
    _status_emit(referral)
    return referral


@transaction.atomic
def referral_decide(*, referral: Referral, accept: bool, reason: str = "", note: str = "", by) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.CONSENTED or not referral.consent_live:
        raise ValidationError(_("This referral cannot be decided now."))
    if not accept and reason not in Referral.DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    referral.status = Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED
    referral.decline_reason = "" if accept else reason
    referral.decline_note = "" if accept else note
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "decline_reason", "decline_note", "decided_at"])
    _status_emit(referral)
    return referral


@transaction.atomic
def referral_complete(*, referral: Referral, outcome: str, by) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.ACCEPTED or not referral.consent_live:
        raise ValidationError(_("Only an accepted referral can be completed."))
    referral.status, referral.outcome, referral.completed_at = (
        Referral.Status.COMPLETED,
        outcome,
        timezone.now(),
    )
    referral.save(update_fields=["status", "outcome", "completed_at"])
    _status_emit(referral)
    return referral


def referral_view_log(*, referral: Referral, hub: Hub, user) -> None:
    """Every view of a referral by either hub is in the person's record access log."""
    record_access_log(hub=hub, person=referral.person, user=user, what=f"referral:{referral.pk}")


# --- The shared library ---------------------------------------------------------------------


@transaction.atomic
def tool_publish(
    *, network, kind: str, title: str, body: str, changes: str = "", tool=None
) -> LibraryVersion:
    """A new tool (version 1), or a new version of `tool`."""
    if tool is None:
        tool = LibraryTool.objects.create(network=network, kind=kind, title=title)
    else:
        tool = LibraryTool.objects.select_for_update().get(pk=tool.pk)
    last = tool.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if last and not changes.strip():
        raise ValidationError({"changes": _("Say what changed in this version.")})
    return LibraryVersion.objects.create(tool=tool, number=last + 1, body=body, changes=changes)


@transaction.atomic
def tool_adopt(*, hub: Hub, version: LibraryVersion) -> Adoption:
    """The hub takes its own copy of this version (a newer version replaces its copy's text)."""
    adoption, _created = Adoption.objects.update_or_create(
        hub=hub,
        tool=version.tool,
        defaults={
            "version_number": version.number,
            "kind": version.tool.kind,
            "title": version.tool.title,
            "body": version.body,
            "adapted": False,
        },
    )
    return adoption


@transaction.atomic
def adoption_adapt(*, adoption: Adoption, body: str) -> Adoption:
    adoption.body, adoption.adapted = body, True
    adoption.save(update_fields=["body", "adapted"])
    return adoption


# --- The observatory ------------------------------------------------------------------------


def observatory_export_month(*, network, today: date | None = None) -> bool:
    """Store last month's export for the network, once (True if made now)."""
    from .models import ObservatoryExport
    from .observatory import build

    today = today or timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    if ObservatoryExport.objects.filter(network=network, month=start).exists():
        return False
    data = build(network=network, start=start, end=end)
    _row, created = ObservatoryExport.objects.get_or_create(
        network=network, month=start, defaults={"data": data}
    )
    return created


# --- The territory's figures (the equity view) ----------------------------------------------


@transaction.atomic
def territory_figure_save(*, hub: Hub, sub_area, measure: str, percent, source: str, year: int, by):
    """Enter or correct a figure of the territory (one per sub-area, or the whole, and measure)."""
    Hub.objects.select_for_update().filter(pk=hub.pk).first()  # two coordinators at once: one row
    if sub_area is not None and sub_area.hub_id != hub.pk:
        raise ValidationError({"sub_area": _("Choose a sub-area of this hub.")})
    figure, _created = TerritoryFigure.objects.update_or_create(
        hub=hub,
        sub_area=sub_area,
        measure=measure,
        defaults={"percent": percent, "source": source.strip(), "year": year, "entered_by": by},
    )
    return figure
