"""The group's proposal and its co-authors."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.links import absolute_url
from hubs.models import Hub
from people.mail import mail_send
from people.services import person_find_or_create

from ..models import (
    Pact,
    PactMember,
)
from ._base import PROPOSAL_FIELDS, _check_one_active, _event, _lock, token_hash, token_new

# --- The group's proposal ------------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, hub: Hub, user, proposer: dict | None = None, **fields) -> Pact:
    """
    A draft proposal; the user who writes it is its proposer, the group's first member.
    `proposer`: their name, birth_date, gender (and a guardian's name and e-mail under the
    consent age), as a co-author gives them.
    """
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise ValueError(f"Not proposal fields: {sorted(unknown)}")
    pact = Pact(hub=hub, proposer=user, **fields)
    if pact.sub_area.hub_id != hub.pk:
        raise ValidationError({"sub_area": _("Choose a sub-area of this hub.")})
    pact.full_clean(exclude=["proposer", "partners"])
    pact.save()
    proposer = proposer or {}
    member = PactMember(
        hub=hub,
        pact=pact,
        user=user,
        email=user.email.lower(),
        name=proposer.get("name") or user.get_full_name() or user.email,
        birth_date=proposer.get("birth_date"),
        gender=proposer.get("gender", ""),
        guardian_name=proposer.get("guardian_name", ""),
        guardian_email=proposer.get("guardian_email", ""),
        is_proposer=True,
        accepted_at=timezone.now(),
    )
    _check_guardian(member)
    member.person = _person_of(member)
    member.save()
    return pact


def _person_of(member: PactMember):
    """
    The member's record at the hub (people.Person), so that the pact shows in their journey and
    staff opening their details is logged: found by e-mail and date of birth, or created.
    """
    if not member.birth_date:
        return None
    first, _space, last = (member.name or member.email).strip().partition(" ")
    data = {
        "first_name": first[:100],
        "last_name": last[:100],
        "email": member.email,
        "birth_date": member.birth_date,
        "gender": member.gender,
        "guardian_name": member.guardian_name,
        "guardian_email": member.guardian_email,
    }
    return person_find_or_create(hub=member.hub, data=data)


def _check_guardian(member: PactMember) -> None:
    if member.is_minor and not (member.guardian_name and member.guardian_email):
        raise ValidationError(
            {
                "guardian_name": _("Under %(age)s, give the name and e-mail of a parent or guardian.")
                % {"age": settings.YIP_CONSENT_AGE}
            }
        )


@transaction.atomic
def proposal_update(*, pact: Pact, **fields) -> Pact:
    """The group edits its proposal while it is a draft or waiting for additions."""
    pact = _lock(pact)
    if not pact.is_editable_by_group:
        raise ValidationError(_("This proposal can no longer be changed by the group."))
    for name, value in fields.items():
        if name not in PROPOSAL_FIELDS:
            raise ValueError(name)
        if name == "sub_area" and pact.state != Pact.State.DRAFT and value != pact.sub_area:
            raise ValidationError(
                {"sub_area": _("The sub-area cannot change once the proposal is submitted.")}
            )
        setattr(pact, name, value)
    pact.full_clean(exclude=["proposer", "partners"])
    pact.save()
    return pact


@transaction.atomic
def proposal_submit(*, pact: Pact) -> Pact:
    """
    Submit the proposal (or the additions asked for). The review's 30 days start at the first
    submission; a submission after a request for additions restarts the stopped clock.
    """
    pact = _lock(pact)
    if not pact.is_editable_by_group:
        raise ValidationError(_("This proposal has already been submitted."))
    errors = {}
    if not pact.objective_list:
        errors["objectives"] = _("Write at least one objective.")
    if not pact.action_lines:
        errors["actions_proposed"] = _("Write at least one action.")
    if errors:
        raise ValidationError(errors)
    _check_one_active(pact)
    today = timezone.localdate()
    if pact.state == Pact.State.ADDITIONS:
        pact.paused_days += (today - pact.paused_on).days
        pact.paused_on = None
        _event(pact, _("The group sent the additions asked for."))
    else:
        pact.submitted_on = today
        _event(pact, _("The group submitted its proposal."))
    pact.state = Pact.State.IN_REVIEW
    try:
        with transaction.atomic():
            pact.save()
    except IntegrityError:  # another proposal for the sub-area was submitted at the same moment
        _check_one_active(pact)
        raise
    return pact


@transaction.atomic
def proposal_withdraw(*, pact: Pact) -> Pact:
    pact = _lock(pact)
    if pact.state not in (Pact.State.DRAFT, *Pact.REVIEW_STATES):
        raise ValidationError(_("A decided pact cannot be withdrawn."))
    pact.state = Pact.State.WITHDRAWN
    pact.save(update_fields=["state"])
    return pact


# --- Co-authors -----------------------------------------------------------------------------------


@transaction.atomic
def member_invite(*, pact: Pact, email: str, by) -> PactMember:
    """Invite a co-author by e-mail. They appear in the group only once they accept."""
    email = email.strip().lower()
    if not pact.is_editable_by_group:
        raise ValidationError(_("Co-authors are invited while the proposal is being written."))
    if pact.members.filter(email=email).exists():
        raise ValidationError({"email": _("This person is already in the group or invited.")})
    token = token_new()
    member = PactMember.objects.create(
        hub=pact.hub, pact=pact, email=email, token_hash=token_hash(token), invited_at=timezone.now()
    )
    mail_send(
        to=[email],
        template="pacts/email/invitation",
        context={
            "pact": pact,
            "by": by.label,
            "accept_url": absolute_url("pacts:member_accept", hub_slug=pact.hub.slug, token=token),
        },
    )
    return member


def member_from_token(*, hub: Hub, token: str) -> PactMember | None:
    return (
        PactMember.objects.for_hub(hub)
        .select_related("pact")
        .filter(token_hash=token_hash(token), accepted_at__isnull=True)
        .exclude(token_hash="")
        .first()
    )


@transaction.atomic
def member_accept(
    *, member: PactMember, user, name: str, birth_date, gender: str = "", guardian_name="", guardian_email=""
) -> PactMember:
    """
    The invited co-author joins the group, signed in with the invited address. A member under
    the consent age gives a parent's or guardian's name and e-mail; the hub records the
    guardian's consent before the member is named anywhere.
    """
    member = PactMember.objects.select_for_update().get(pk=member.pk)
    if member.has_accepted:
        raise ValidationError(_("This invitation has already been accepted."))
    if user.email.lower() != member.email:
        raise ValidationError(_("This invitation was sent to another e-mail address: sign in with that one."))
    member.user, member.name, member.birth_date, member.gender = user, name, birth_date, gender
    member.guardian_name, member.guardian_email = guardian_name, guardian_email
    _check_guardian(member)
    member.person = _person_of(member)
    member.accepted_at = timezone.now()
    member.token_hash = ""
    member.save()
    return member


@transaction.atomic
def member_guardian_consent(*, member: PactMember) -> PactMember:
    """The hub records the guardian's consent (a signed form): the minor may now be named."""
    if not member.is_minor or not member.has_accepted:
        raise ValidationError(_("No guardian's consent is needed for this member."))
    member.guardian_consent_at = timezone.now()
    member.save(update_fields=["guardian_consent_at"])
    return member
