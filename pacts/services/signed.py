"""The signed pact (signatures, terms, variations), its actions and its timeline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.models import Hub
from hubs.tasks import each_row
from people.mail import mail_send

from ..models import (
    Pact,
    PactAction,
    Signature,
    TimelineEntry,
    Variation,
)
from ._base import CONTENT_FIELDS, _check_file, _event, _lock, _variation
from .money import tranches_fall_due

# --- The signed pact -----------------------------------------------------------------------------


@transaction.atomic
def signature_add(*, pact: Pact, party: str, name: str, role: str, signed_on, by) -> Signature:
    """
    Record a party's signature. With the hub's (or the municipality's) and the group's, the
    pact is signed: from then on it changes only by variation.
    """
    pact = _lock(pact)
    if pact.state not in (Pact.State.APPROVED, Pact.State.SIGNED):
        raise ValidationError(_("Only an approved pact can be signed."))
    signature = Signature.objects.create(
        hub=pact.hub, pact=pact, party=party, name=name, role=role, signed_on=signed_on, recorded_by=by
    )
    parties = set(pact.signatures.values_list("party", flat=True))
    if (
        pact.state == Pact.State.APPROVED
        and Signature.Party.GROUP in parties
        and parties
        & {
            Signature.Party.HUB,
            Signature.Party.MUNICIPALITY,
        }
    ):
        pact.state = Pact.State.SIGNED
        pact.signed_on = signed_on
        pact.save(update_fields=["state", "signed_on"])
        _event(pact, _("The pact was signed."), day=signed_on)
    return signature


@transaction.atomic
def pact_terms_set(*, pact: Pact, **fields) -> Pact:
    """Before signature: the hub completes the terms (responsibilities, duration, resources)."""
    pact = _lock(pact)
    if pact.state != Pact.State.APPROVED:
        raise ValidationError(_("Once signed, the pact changes only by a variation."))
    for name, value in fields.items():
        if name not in CONTENT_FIELDS:
            raise ValueError(name)
        setattr(pact, name, value)
    pact.full_clean(exclude=["proposer", "partners"])
    pact.save()
    return pact


@transaction.atomic
def variation_create(*, pact: Pact, reason: str, by, **fields) -> Variation:
    """A numbered variation of a signed pact: what changed (before → after), and why."""
    pact = _lock(pact)
    if not pact.is_signed:
        raise ValidationError(_("Only a signed pact changes by variation."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the pact changes.")})
    changes = {}
    for name, value in fields.items():
        if name not in CONTENT_FIELDS:
            raise ValueError(name)
        before = getattr(pact, name)
        if before != value:
            changes[name] = [str(before or ""), str(value or "")]
            setattr(pact, name, value)
    if not changes:
        raise ValidationError(_("Nothing changed: a variation changes something."))
    pact.full_clean(exclude=["proposer", "partners"])
    return _variation(pact, reason=reason, changes=changes, by=by)


@transaction.atomic
def pact_complete(*, pact: Pact) -> Pact:
    """A signed pact whose actions are all done is completed."""
    pact = _lock(pact)
    if pact.state != Pact.State.SIGNED:
        raise ValidationError(_("Only a signed pact can be completed."))
    if pact.actions.exclude(status=PactAction.Status.DONE).exists():
        raise ValidationError(_("Some actions are not done yet."))
    pact.state = Pact.State.COMPLETED
    pact.save(update_fields=["state"])
    _event(pact, _("The pact is completed."))
    return pact


# --- Actions and timeline -------------------------------------------------------------------------


@transaction.atomic
def action_update(*, action: PactAction, **fields) -> PactAction:
    """Owner, due date, status, progress or weight of an action; "done" means 100 %."""
    for name, value in fields.items():
        setattr(action, name, value)
    if action.status == PactAction.Status.DONE:
        action.progress = 100
    elif action.progress == 100:
        action.status = PactAction.Status.DONE
    if "due_on" in fields or "owner_email" in fields:
        action.overdue_notified_at = None  # a new date or owner: tell them again if it passes
    action.full_clean(exclude=["pact"])
    action.save()
    tranches_fall_due(action=action)
    return action


def action_add(*, pact: Pact, **fields) -> PactAction:
    action = PactAction(hub=pact.hub, pact=pact, **fields)
    action.full_clean(exclude=["pact"])
    action.save()
    tranches_fall_due(action=action)
    return action


def timeline_add(*, pact: Pact, date, text: str, photo=None) -> TimelineEntry:
    if photo is not None:
        _check_file(photo, allowed=("jpg", "jpeg", "png"), field="photo")
    return TimelineEntry.objects.create(hub=pact.hub, pact=pact, date=date, text=text, photo=photo or "")


def actions_overdue(*, hub: Hub) -> dict:
    """Beat (daily): tell each overdue action's owner once (marker `overdue_notified_at`)."""
    today = timezone.localdate()
    actions = (
        PactAction.objects.for_hub(hub)
        .filter(due_on__lt=today, overdue_notified_at__isnull=True, pact__state=Pact.State.SIGNED)
        .exclude(status=PactAction.Status.DONE)
        .exclude(owner_email="")
        .select_related("pact")
    )

    @transaction.atomic
    def notify(action: PactAction) -> bool:
        if not PactAction.objects.filter(pk=action.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=timezone.now()
        ):
            return False
        mail_send(to=[action.owner_email], template="pacts/email/action_overdue", context={"action": action})
        return True

    done, failed = each_row(list(actions), notify, what="Overdue action")
    return {"notified": done, "failed": failed}
