"""The review (istruttoria): notes, additions, the decision, and the 30 days' alarm."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.capabilities import roles_with
from hubs.links import absolute_url
from hubs.models import Hub, Membership
from hubs.permissions import grant, organization_group, revoke
from hubs.tasks import each_row
from people.mail import mail_send

from ..models import (
    Pact,
    PactAction,
    ReviewNote,
)
from ..selectors import VIEW
from ._base import _event, _lock

# --- The review (istruttoria) --------------------------------------------------------------------


def review_note_add(*, pact: Pact, author, text: str) -> ReviewNote:
    return ReviewNote.objects.create(hub=pact.hub, pact=pact, author=author, text=text)


@transaction.atomic
def additions_request(*, pact: Pact, text: str) -> Pact:
    """Ask the group for additions: the review's clock stops until they submit again."""
    pact = _lock(pact)
    if pact.state != Pact.State.IN_REVIEW:
        raise ValidationError(_("Additions can be asked for only while the proposal is under review."))
    pact.state = Pact.State.ADDITIONS
    pact.paused_on = timezone.localdate()
    pact.additions_request = text
    pact.save()
    _event(pact, _("The hub asked the group for additions."))
    emails = list(pact.members.filter(accepted_at__isnull=False).values_list("email", flat=True))
    mail_send(
        to=emails,
        template="pacts/email/additions",
        context={
            "pact": pact,
            "text": text,
            "url": absolute_url("pacts:proposal_update", hub_slug=pact.hub.slug, pk=pact.pk),
        },
    )
    return pact


@transaction.atomic
def decide(*, pact: Pact, approve: bool, motivation: str, partners=()) -> Pact:
    """
    Approve or reject a proposal under review, with a public motivation (required to reject).
    Approval turns the proposed actions into the pact's actions and lets the partner
    organizations named see it.
    """
    pact = _lock(pact)
    if pact.state != Pact.State.IN_REVIEW:
        raise ValidationError(_("Only a proposal under review can be decided."))
    motivation = motivation.strip()
    if not approve and not motivation:
        raise ValidationError(
            {"motivation": _("Say why the proposal is not approved: the group and the public read it.")}
        )
    pact.state = Pact.State.APPROVED if approve else Pact.State.REJECTED
    pact.decided_on = timezone.localdate()
    pact.motivation = motivation
    pact.save()
    if approve:
        for title in pact.action_lines:
            PactAction.objects.create(hub=pact.hub, pact=pact, title=title[:300], owner=pact.group_name)
        partners_set(pact=pact, partners=partners)
        _event(pact, _("The hub approved the proposal."))
    else:
        _event(pact, _("The hub did not approve the proposal."))
    emails = list(pact.members.filter(accepted_at__isnull=False).values_list("email", flat=True))
    mail_send(to=emails, template="pacts/email/decision", context={"pact": pact})
    return pact


def partners_set(*, pact: Pact, partners) -> None:
    """The partner organizations named in the pact; their operators see it (guardian grant)."""
    partners = list(partners)
    old = set(pact.partners.all())
    for organization in old - set(partners):
        revoke(organization_group(organization), VIEW, pact)
    for organization in set(partners) - old:
        grant(organization_group(organization), VIEW, pact)
    pact.partners.set(partners)


def reviews_overdue(*, hub: Hub) -> dict:
    """
    Beat (daily): mail the hub's coordinators once about each proposal whose review has passed
    its 30 days (the marker `overdue_notified_at` makes a second run send nothing).
    """
    pacts = [
        p
        for p in Pact.objects.for_hub(hub).filter(
            state=Pact.State.IN_REVIEW, overdue_notified_at__isnull=True
        )
        if p.is_review_overdue
    ]
    coordinators = list(
        Membership.objects.for_hub(hub)
        .filter(is_active=True, role__in=roles_with("pacts.receive_overdue"))
        .values_list("user__email", flat=True)
    )

    @transaction.atomic
    def notify(pact: Pact) -> bool:
        claimed = Pact.objects.filter(pk=pact.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=timezone.now()
        )
        if not claimed or not coordinators:
            return False
        mail_send(
            to=coordinators,
            template="pacts/email/review_overdue",
            context={
                "pact": pact,
                "due_on": pact.review_due_on,
                "url": absolute_url("pactsbo:pact_detail", hub_slug=hub.slug, pk=pact.pk),
            },
        )
        return True

    done, failed = each_row(pacts, notify, what="Overdue review of pact")
    return {"notified": done, "failed": failed}
