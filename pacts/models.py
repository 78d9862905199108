"""
Patti Giovani (action 3): one youth pact per sub-area (SubArea) of the Piano di Zona per project
cycle, proposed by an informal group of young people, reviewed by the hub within 30 days,
signed, then carried out with its actions and its money, in public.

The life of a pact follows the Italian "patto di collaborazione": a draft the group writes →
submitted (the 30-day review runs; a request for additions pauses it) → approved or rejected
with a public motivation → signed by the parties (a PDF) → under way → completed. Once signed,
its content changes only through a numbered `Variation` with a reason.

Only one pact per sub-area and cycle may be "active" (anything but a draft, a rejection or a
withdrawal): the services refuse a second one by name, and a partial unique constraint holds
the rule against races.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubs.models import HubOwned, HubQuerySet, Organization, SubArea
from people.models import Person

REVIEW_DAYS = 30  # the office answers within 30 days (regolamenti dei beni comuni)
DEFAULT_CYCLE = "2022-2023"  # the project's own cycle (April 2022 – October 2023)


def lines(text: str) -> list[str]:
    """The non-empty lines of a text typed one item per line."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class PactQuerySet(HubQuerySet):
    def active(self):
        return self.exclude(state__in=Pact.INACTIVE_STATES)

    def public(self):
        """What the public pages show: pacts from their signature on."""
        return self.filter(state__in=Pact.PUBLIC_STATES)


class Pact(HubOwned):
    """A youth pact of one sub-area: the group's proposal, its review, and the signed pact."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Under review")
        ADDITIONS = "additions", _("Waiting for additions")
        APPROVED = "approved", _("Approved, to be signed")
        REJECTED = "rejected", _("Not approved")
        SIGNED = "signed", _("Signed, under way")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    INACTIVE_STATES = (State.DRAFT, State.REJECTED, State.WITHDRAWN)
    PUBLIC_STATES = (State.SIGNED, State.COMPLETED)
    REVIEW_STATES = (State.IN_REVIEW, State.ADDITIONS)

    sub_area = models.ForeignKey(
        SubArea, on_delete=models.PROTECT, related_name="pacts", verbose_name=_("sub-area")
    )
    cycle = models.CharField(_("project cycle"), max_length=20, default=DEFAULT_CYCLE)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    # The proposal (the fields of a "patto di collaborazione")
    title = models.CharField(_("title of the pact"), max_length=150)
    group_name = models.CharField(
        _("name of the group"), max_length=150, help_text=_("An informal group is fine.")
    )
    idea = models.TextField(_("the idea"), max_length=4000)
    motivations = models.TextField(_("motivations"), max_length=3000, blank=True)
    objectives = models.TextField(_("objectives"), max_length=3000, blank=True, help_text=_("One per line."))
    actions_proposed = models.TextField(
        _("actions"), max_length=3000, blank=True, help_text=_("One per line.")
    )
    timeline = models.TextField(_("timeline"), max_length=2000, blank=True)
    partners_text = models.TextField(
        _("partners and collaborators"), max_length=2000, blank=True, help_text=_("Who helps, one per line.")
    )
    resources = models.TextField(_("resources needed"), max_length=2000, blank=True)
    responsibilities = models.TextField(_("responsibilities"), max_length=3000, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    partners = models.ManyToManyField(
        Organization, related_name="pacts", blank=True, verbose_name=_("partner organizations")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The review (istruttoria): 30 days from submission, without the days spent waiting for
    # the group's additions.
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    paused_on = models.DateField(_("waiting for additions since"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days waiting for additions"), default=0)
    additions_request = models.TextField(_("additions requested"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    motivation = models.TextField(_("motivation of the decision"), blank=True, max_length=3000)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PactQuerySet.as_manager()

    class Meta:
        verbose_name = _("youth pact")
        verbose_name_plural = _("youth pacts")
        ordering = ["sub_area__name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "sub_area", "cycle"],
                condition=~Q(state__in=["draft", "rejected", "withdrawn"]),
                name="one_active_pact_per_sub_area_and_cycle",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def objective_list(self) -> list[str]:
        return lines(self.objectives)

    @property
    def action_lines(self) -> list[str]:
        return lines(self.actions_proposed)

    @property
    def is_signed(self) -> bool:
        return self.state in self.PUBLIC_STATES

    @property
    def is_in_review(self) -> bool:
        """Under review or waiting for the group's additions: the review's box shows."""
        return self.state in self.REVIEW_STATES

    @property
    def is_editable_by_group(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.ADDITIONS)

    @property
    def review_due_on(self):
        """The last day of the review: 30 days from submission plus the days paused."""
        if not self.submitted_on:
            return None
        paused = self.paused_days
        if self.paused_on:
            paused += (timezone.localdate() - self.paused_on).days
        return self.submitted_on + timedelta(days=REVIEW_DAYS + paused)

    def review_days_left(self, today=None) -> int | None:
        if self.state != self.State.IN_REVIEW or not self.review_due_on:
            return None
        return (self.review_due_on - (today or timezone.localdate())).days

    @property
    def is_review_overdue(self) -> bool:
        """Day 31 and no decision (the clock stands still while additions are awaited)."""
        left = self.review_days_left()
        return left is not None and left < 0


class PactMember(HubOwned):
    """
    A member of the proposing group: the proposer, or a co-author invited by e-mail who counts
    (and is named) only once they accept. A minor is named only with their guardian's consent
    (the portal's minors' rule, `Person.needs_guardian_on`); never on a public page.
    """

    PERSONAL_FIELDS = ("user", "person", "name", "email", "birth_date", "guardian_name", "guardian_email")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="members")
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pact_memberships",
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="pact_memberships"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, editable=False)
    gender = models.CharField(_("gender"), max_length=20, blank=True)
    is_proposer = models.BooleanField(_("proposer"), default=False)
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    guardian_name = models.CharField(_("parent or guardian"), max_length=200, blank=True)
    guardian_email = models.EmailField(_("parent or guardian's e-mail"), blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["-is_proposer", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "email"], condition=~Q(email=""), name="one_member_per_pact_and_email"
            )
        ]

    def __str__(self):
        return self.shown_name

    def save(self, *args, **kwargs):
        if self.birth_date:  # kept after erasure, when birth_date is blanked
            self.birth_year = self.birth_date.year
        super().save(*args, **kwargs)

    @property
    def has_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_minor(self) -> bool:
        if not self.birth_date:
            return False
        today = timezone.localdate()
        age = (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )
        return age < settings.YIP_CONSENT_AGE

    @property
    def may_be_named(self) -> bool:
        """Named in the back office and the pact only once accepted, and a minor with consent."""
        return self.has_accepted and (not self.is_minor or self.guardian_consent_at is not None)

    @property
    def shown_name(self) -> str:
        if self.may_be_named:
            return self.name or self.email
        if self.has_accepted:
            return str(
                _("A member under %(age)s (waiting for the guardian's consent)")
                % {"age": settings.YIP_CONSENT_AGE}
            )
        return str(_("Invited co-author"))


class ReviewNote(HubOwned):
    """A private note of the hub's reviewers: never shown to the group or the public."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="review_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=3000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y} · {self.author}"


class PactAction(HubOwned):
    """An action (or milestone) of a pact: owner, due date, status, progress, weight."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    owner_email = models.EmailField(_("owner's e-mail"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How much it counts in the pact's progress."),
    )
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="pact_action_progress_at_most_100"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="pact_action_weight_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_on and self.status != self.Status.DONE and self.due_on < timezone.localdate())


class Signature(HubOwned):
    """A signature of the pact by one of its parties: who, in what role, on which day."""

    class Party(models.TextChoices):
        HUB = "hub", _("The hub")
        MUNICIPALITY = "municipality", _("The municipality")
        GROUP = "group", _("The group of young people")
        PARTNER = "partner", _("A partner")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    name = models.CharField(_("signed by"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    signed_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_on", "pk"]

    def __str__(self):
        return f"{self.name} ({self.role})"


class Variation(HubOwned):
    """A numbered change of a signed pact, with its reason and what it changed."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveIntegerField(_("variation"))
    reason = models.TextField(_("reason"), max_length=2000)
    changes = models.JSONField(_("changes"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        verbose_name = _("variation")
        verbose_name_plural = _("variations")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["pact", "number"], name="one_variation_number_per_pact")
        ]

    def __str__(self):
        return _("Variation %(number)s") % {"number": self.number}


class TimelineEntry(HubOwned):
    """What happened, told in public: a date, a text, maybe a photo."""

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField(_("date"))
    text = models.CharField(_("what happened"), max_length=500)
    photo = models.ImageField(_("photo"), upload_to="pacts/photos/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.text[:40]}"


class BudgetLine(HubOwned):
    """A line of the pact's budget: a category and the money planned for it."""

    class Category(models.TextChoices):
        MATERIALS = "materials", _("Materials and equipment")
        SERVICES = "services", _("Services")
        EVENTS = "events", _("Events and communication")
        TRAVEL = "travel", _("Travel")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200)
    planned = models.DecimalField(
        _("planned (€)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["category", "pk"]
        constraints = [models.CheckConstraint(condition=Q(planned__gte=0), name="budget_line_not_negative")]

    def __str__(self):
        return f"{self.get_category_display()} · {self.description}"


def receipt_path(expense, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"pacts/receipts/{expense.hub_id}/{expense.pact_id}/{timezone.now():%Y%m%d%H%M%S%f}.{extension}"


class Expense(HubOwned):
    """An expense on a budget line, with its receipt (stored privately), approved by the hub."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="expenses")
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget line")
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (€)"), max_digits=10, decimal_places=2)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.description} · € {self.amount}"


class PactMeeting(HubOwned):
    """
    A co-design meeting of a pact's group: when, where, its agenda; who registered and who came
    (by list, among the group's members); its minutes, without which it cannot be closed.
    A meeting counts as held once closed.
    """

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), max_length=3000)
    minutes = models.TextField(_("minutes"), max_length=8000, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # One more at each change of date, time, place or agenda: who registered is told once per change.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-design meeting")
        verbose_name_plural = _("co-design meetings")
        ordering = ["date", "time", "pk"]

    def __str__(self):
        return _("Meeting of %(day)s") % {"day": f"{self.date:%d/%m/%Y}"}

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class MeetingAttendance(HubOwned):
    """
    Someone at a meeting: a group member put on the list by staff, or a young person who
    registered from the pact's public page (name and e-mail, `member` empty); ticked if they
    came (by the list, or by scanning the meeting's QR code). A self-registered young person
    under the consent age counts once their guardian has consented (`guardian_consent_at`).
    """

    PERSONAL_FIELDS = ("name", "email", "birth_date", "guardian_name", "guardian_email", "person")

    class Source(models.TextChoices):
        LIST = "list", _("Staff's list")
        SELF = "self", _("Registered online")
        QR = "qr", _("QR code at the meeting")

    meeting = models.ForeignKey(PactMeeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        PactMember, on_delete=models.CASCADE, related_name="attendances", null=True, blank=True
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="pact_attendances"
    )
    source = models.CharField(_("how"), max_length=8, choices=Source.choices, default=Source.LIST)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, editable=False)
    guardian_name = models.CharField(_("parent or guardian"), max_length=200, blank=True)
    guardian_email = models.EmailField(_("parent or guardian's e-mail"), blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    attended_at = models.DateTimeField(_("marked present"), null=True, blank=True)
    # The meeting's version (a change of date, place or agenda) this person was last told of.
    told_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["member_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="one_attendance_per_meeting_and_member"
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(member__isnull=True) & ~Q(email=""),
                name="one_registration_per_meeting_and_email",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.shown_name}"

    def save(self, *args, **kwargs):
        if self.birth_date:  # kept after erasure, when birth_date is blanked
            self.birth_year = self.birth_date.year
        super().save(*args, **kwargs)

    @property
    def needs_guardian(self) -> bool:
        return Person(birth_date=self.birth_date).needs_guardian_on(self.meeting.date)

    @property
    def is_confirmed(self) -> bool:
        """Counts: a member's row, or a registration that needs no guardian or has their consent."""
        return self.member_id is not None or not self.needs_guardian or self.guardian_consent_at is not None

    @property
    def shown_name(self) -> str:
        if self.member_id:
            return self.member.shown_name
        return self.name or self.email or str(_("(erased)"))


class Tranche(HubOwned):
    """
    A payment tranche of the pact's money, tied to a milestone (one of its actions): planned,
    due once the milestone is done, paid by the hub (who and when is recorded). The tranches of
    a pact never add up to more than its budget.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DUE = "due", pgettext_lazy("tranche status", "Due")
        PAID = "paid", _("Paid")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="tranches")
    milestone = models.ForeignKey(
        PactAction, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("milestone")
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=10, decimal_places=2)
    planned_on = models.DateField(_("expected on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    due_since = models.DateField(_("due since"), null=True, blank=True, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        ordering = ["planned_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive")]

    def __str__(self):
        return f"{self.milestone} · € {self.amount}"
