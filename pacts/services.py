"""
Writes of the youth pacts. Each service is one transaction; the pact's row is locked where two
people could act at once (a submission and a decision, two expenses on one line).

Rules (the project's and the "patto di collaborazione"'s):
- one active pact per sub-area and cycle: a second is refused with the name of the first;
- a proposal is submitted only with at least one objective and one action;
- the review lasts 30 days from submission; a request for additions stops the clock until the
  group submits again; a rejection needs a public motivation; day 31 without a decision is
  flagged and mailed to the hub's coordinators once;
- once signed (the hub or the municipality and the group), the pact changes only through a
  numbered variation with a reason;
- an expense needs a receipt (PDF or image, at most RECEIPT_MAX_BYTES) and may not take its
  budget line past the planned amount; money moves between lines only by a variation.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hubs.capabilities import roles_with
from hubs.links import absolute_url
from hubs.models import Hub, Membership
from hubs.permissions import grant, organization_group, revoke
from hubs.tasks import each_row
from hubs.tokens import token_hash, token_new
from people.mail import mail_send

from .models import (
    BudgetLine,
    Expense,
    MeetingAttendance,
    Pact,
    PactAction,
    PactMeeting,
    PactMember,
    ReviewNote,
    Signature,
    TimelineEntry,
    Variation,
)
from .selectors import VIEW

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
    member.save()
    return pact


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
    return action


def action_add(*, pact: Pact, **fields) -> PactAction:
    action = PactAction(hub=pact.hub, pact=pact, **fields)
    action.full_clean(exclude=["pact"])
    action.save()
    return action


def timeline_add(*, pact: Pact, date, text: str, photo=None) -> TimelineEntry:
    if photo is not None:
        _check_file(photo, allowed=("jpg", "jpeg", "png"), field="photo")
    return TimelineEntry.objects.create(hub=pact.hub, pact=pact, date=date, text=text, photo=photo or "")


# --- Money --------------------------------------------------------------------------------------------


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


def budget_line_add(*, pact: Pact, category: str, description: str, planned) -> BudgetLine:
    """Budget lines are written before the signature; after it, money moves by variation."""
    if pact.state != Pact.State.APPROVED:
        raise ValidationError(_("After the signature the budget changes only by a variation."))
    line = BudgetLine(hub=pact.hub, pact=pact, category=category, description=description, planned=planned)
    line.full_clean(exclude=["pact"])
    line.save()
    return line


def _committed(line: BudgetLine) -> Decimal:
    """Approved and pending expenses of the line."""
    return line.expenses.exclude(status=Expense.Status.REJECTED).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0")


@transaction.atomic
def expense_add(
    *, pact: Pact, line: BudgetLine, date, description: str, amount, receipt, supplier: str = "", by
) -> Expense:
    """An expense on a line of a signed pact, with its receipt; refused if it would pass the line."""
    pact = _lock(pact)
    if not pact.is_signed:
        raise ValidationError(_("Expenses are recorded once the pact is signed."))
    if line.pact_id != pact.pk:
        raise ValidationError({"line": _("Choose a line of this pact's budget.")})
    if receipt is None:
        raise ValidationError({"receipt": _("Every expense needs its receipt.")})
    _check_file(receipt, allowed=("pdf", "jpg", "jpeg", "png"), field="receipt")
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    left = line.planned - _committed(line)
    if amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "This expense would pass its budget line: %(left)s are left on “%(line)s”. "
                    "Move money to it by a variation first."
                )
                % {"left": euro(left), "line": line.description}
            }
        )
    expense = Expense(
        hub=pact.hub,
        pact=pact,
        line=line,
        date=date,
        description=description,
        supplier=supplier,
        amount=amount,
        receipt=receipt,
        created_by=by,
    )
    expense.full_clean(exclude=["pact", "line", "created_by", "decided_by"])
    expense.save()
    return expense


@transaction.atomic
def expense_decide(*, expense: Expense, approve: bool, by) -> Expense:
    expense = Expense.objects.select_for_update().get(pk=expense.pk)
    if expense.status != Expense.Status.PENDING:
        raise ValidationError(_("This expense has already been decided."))
    expense.status = Expense.Status.APPROVED if approve else Expense.Status.REJECTED
    expense.decided_by, expense.decided_at = by, timezone.now()
    expense.save(update_fields=["status", "decided_by", "decided_at"])
    return expense


@transaction.atomic
def budget_move(*, pact: Pact, source: BudgetLine, target: BudgetLine, amount, reason: str, by) -> Variation:
    """A variation that moves money from one line to another; the source keeps what it spent."""
    pact = _lock(pact)
    if not pact.is_signed:
        raise ValidationError(_("Only a signed pact changes by variation."))
    if source.pact_id != pact.pk or target.pact_id != pact.pk or source.pk == target.pk:
        raise ValidationError(_("Choose two different lines of this pact's budget."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the pact changes.")})
    source = BudgetLine.objects.select_for_update().get(pk=source.pk)
    target = BudgetLine.objects.select_for_update().get(pk=target.pk)
    free = source.planned - _committed(source)
    if amount <= 0 or amount > free:
        raise ValidationError(
            {"amount": _("At most %(free)s can move from this line.") % {"free": euro(free)}}
        )
    source.planned -= amount
    target.planned += amount
    source.save(update_fields=["planned"])
    target.save(update_fields=["planned"])
    before = f"{source.description}: {euro(source.planned + amount)}"
    before += f" · {target.description}: {euro(target.planned - amount)}"
    after = f"{source.description}: {euro(source.planned)} · {target.description}: {euro(target.planned)}"
    changes = {"budget": [before, after]}
    return _variation(pact, reason=reason, changes=changes, by=by)


# --- Co-design meetings -----------------------------------------------------------------------------

MEETING_STATES = (Pact.State.APPROVED, *Pact.PUBLIC_STATES)


def meeting_add(*, pact: Pact, date, place: str, agenda: str, time=None) -> PactMeeting:
    """A co-design meeting of an approved or signed pact's group."""
    if pact.state not in MEETING_STATES:
        raise ValidationError(_("Meetings are planned once the proposal is approved."))
    meeting = PactMeeting(hub=pact.hub, pact=pact, date=date, time=time, place=place, agenda=agenda)
    meeting.full_clean(exclude=["pact"])
    meeting.save()
    return meeting


def _group(meeting: PactMeeting, members) -> list[PactMember]:
    """Only accepted members of the meeting's own pact may be on its lists."""
    allowed = {m.pk: m for m in meeting.pact.members.filter(accepted_at__isnull=False)}
    chosen = [getattr(m, "pk", m) for m in members]
    if any(pk not in allowed for pk in chosen):
        raise ValidationError(_("Only the group's members may be on the list."))
    return [allowed[pk] for pk in chosen]


@transaction.atomic
def meeting_attendance_set(*, meeting: PactMeeting, registered=(), attended=()) -> list[MeetingAttendance]:
    """
    The meeting's lists: who registered and who came (someone who came is registered too).
    The lists replace the previous ones; a closed meeting's lists no longer change.
    """
    meeting = PactMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError(_("The meeting is closed: its lists no longer change."))
    came = {m.pk for m in _group(meeting, attended)}
    everyone = {m.pk for m in _group(meeting, registered)} | came
    meeting.attendances.exclude(member_id__in=everyone).delete()
    rows = []
    for pk in sorted(everyone):
        row, _created = MeetingAttendance.objects.update_or_create(
            meeting=meeting, member_id=pk, defaults={"hub": meeting.hub, "attended": pk in came}
        )
        rows.append(row)
    return rows


@transaction.atomic
def meeting_close(*, meeting: PactMeeting, minutes: str) -> PactMeeting:
    """Closing a meeting needs its minutes, and the meeting's day must have come."""
    meeting = PactMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_closed:
        raise ValidationError(_("The meeting is already closed."))
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("Write the minutes to close the meeting.")})
    if meeting.date > timezone.localdate():
        raise ValidationError(_("A meeting can be closed only from its day on."))
    meeting.minutes = minutes.strip()
    meeting.closed_at = timezone.now()
    meeting.full_clean(exclude=["pact"])
    meeting.save()
    return meeting
