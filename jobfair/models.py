"""
Il futuro è oggi — the job fair of a hub (action 6).

A fair belongs to a hub (HubOwned) and is organised by its focus areas: every exhibitor,
stand, workshop and opportunity names one. Exhibitors are `hubs.Organization`s; the users who
act for an approved exhibitor are hub members with the `exhibitor` role, and reach their own
exhibitor row through a django-guardian grant held by the organization's group
(`services.exhibitor_approve`). Young visitors register (a Person, or a name on a teacher's
class list) and get a ticket whose QR holds the registration's opaque token only.

The rules that a race could break live in the database as well as in the services: one
exhibitor per stand (a one-to-one), one valid check-in per ticket and list, one active seat
per person and workshop, one marker per e-mail.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hubs.models import HubOwned, HubQuerySet, Organization
from people.models import Person


def new_token() -> str:
    """An opaque, unguessable token (what a QR code carries: never personal data)."""
    return secrets.token_urlsafe(18)


# The kinds of exhibitor the project plan names, as kinds of hubs.Organization.
EXHIBITOR_KINDS = (
    Organization.Kind.TRAINING_AGENCY,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.COMPANY,
    Organization.Kind.COOPERATIVE,
    Organization.Kind.PROFESSIONAL_ORDER,
    Organization.Kind.TRADE_UNION,
    Organization.Kind.EMPLOYERS,
)


class FairQuerySet(HubQuerySet):
    def published(self):
        return self.filter(status=Fair.Status.PUBLISHED)


class Fair(HubOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("presentation"), blank=True, max_length=4000)
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    exhibitors_from = models.DateField(_("exhibitors may register from"))
    exhibitors_until = models.DateField(_("exhibitors may register until"))
    visitors_from = models.DateField(_("young people may register from"))
    visitors_until = models.DateField(_("young people may register until"))
    capacity = models.PositiveIntegerField(_("places for young people"), default=500)
    offer_hours = models.PositiveSmallIntegerField(_("hours to take a freed workshop place"), default=12)
    shred_after_days = models.PositiveSmallIntegerField(
        _("days after the fair when visitors' personal data are shredded"), default=90
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    shredded_at = models.DateTimeField(_("personal data shredded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FairQuerySet.as_manager()

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="fair_opens_before_closing"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def exhibitors_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.exhibitors_from <= day <= self.exhibitors_until

    def visitors_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.is_published and self.visitors_from <= day <= self.visitors_until

    def starts(self):
        return timezone.make_aware(timezone.datetime.combine(self.date, self.opens_at))

    def ends(self):
        return timezone.make_aware(timezone.datetime.combine(self.date, self.closes_at))


class FocusArea(HubOwned):
    """One of the fair's focus areas (care professions, cosmetics, smart jobs, youth unlock)."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="areas", verbose_name=_("fair"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in links"), max_length=40)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["fair", "slug"], name="one_area_slug_per_fair")]

    def __str__(self):
        return self.name


class Stand(HubOwned):
    """A place on the floor: a row and a column of the fair's grid, in one area's zone."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="stands", verbose_name=_("fair"))
    code = models.CharField(_("stand"), max_length=10)
    row = models.PositiveSmallIntegerField(_("row"))
    column = models.PositiveSmallIntegerField(_("column"))

    class Meta:
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        ordering = ["row", "column"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "code"], name="one_stand_code_per_fair"),
            models.UniqueConstraint(fields=["fair", "row", "column"], name="one_stand_per_place"),
        ]

    def __str__(self):
        return self.code


class ExhibitorQuerySet(HubQuerySet):
    def approved(self):
        return self.filter(status=Exhibitor.Status.APPROVED)


class Exhibitor(HubOwned):
    """An organization's participation in one fair: pending, then approved or rejected."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", pgettext_lazy("exhibitor", "Approved")
        REJECTED = "rejected", pgettext_lazy("exhibitor", "Rejected")

    fair = models.ForeignKey(
        Fair, on_delete=models.CASCADE, related_name="exhibitors", verbose_name=_("fair")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="exhibitions", verbose_name=_("organization")
    )
    area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="exhibitors", verbose_name=_("focus area")
    )
    description = models.TextField(_("what you offer young people"), max_length=2000)
    keywords = models.CharField(
        _("professions and keywords"),
        max_length=300,
        blank=True,
        help_text=_("Comma separated, e.g. nurse, care worker: visitors find your stand by them."),
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True, max_length=2000)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    stand = models.OneToOneField(
        Stand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exhibitor",
        verbose_name=_("stand"),
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = ExhibitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "organization"], name="one_exhibitor_per_organization"),
        ]
        permissions = [("exhibit", "Act for this exhibitor")]

    def __str__(self):
        return self.organization.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class OpportunityQuerySet(HubQuerySet):
    def current(self, day=None):
        """Still open: an opportunity past its deadline leaves the public page by itself."""
        return self.filter(deadline__gte=day or timezone.localdate())


class Opportunity(HubOwned):
    class Kind(models.TextChoices):
        JOB = "job", _("Job")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        TRAINEESHIP = "traineeship", _("Traineeship")
        COURSE = "course", _("Course")
        DEGREE = "degree", _("Degree programme")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="opportunities", verbose_name=_("exhibitor")
    )
    area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("focus area")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    deadline = models.DateField(_("apply by"))

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["deadline", "title"]

    def __str__(self):
        return self.title


class Workshop(HubOwned):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("fair"))
    area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("focus area")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    room = models.CharField(_("room"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title


class ClassGroup(HubOwned):
    """A school class a teacher registered: names and class only, no student's e-mail."""

    PERSONAL_FIELDS = ("teacher_name", "teacher_email")

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="classes", verbose_name=_("fair"))
    school = models.CharField(_("school"), max_length=200)
    class_name = models.CharField(_("class"), max_length=40)
    teacher_name = models.CharField(_("teacher"), max_length=150)
    teacher_email = models.EmailField(_("teacher's e-mail"))
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("school class")
        verbose_name_plural = _("school classes")
        ordering = ["school", "class_name"]

    def __str__(self):
        return f"{self.school} · {self.class_name}"


class RegistrationQuerySet(HubQuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)


class Registration(HubOwned):
    """A young visitor's free ticket: a Person's, or a name on a class list."""

    PERSONAL_FIELDS = ("first_name", "last_name")

    class Status(models.TextChoices):
        AWAITING_GUARDIAN = "awaiting_guardian", _("Waiting for the guardian's consent")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        CLASS = "class", _("With a school class")
        WALK_IN = "walk_in", _("At the door")

    fair = models.ForeignKey(
        Fair, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("fair")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fair_registrations",
        verbose_name=_("young person"),
    )
    class_group = models.ForeignKey(
        ClassGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("school class"),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)  # class lists only
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    age_on_fair_day = models.PositiveSmallIntegerField(_("age on the fair's day"), null=True, blank=True)
    source = models.CharField(_("registered"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    notice_accepted_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "person"],
                condition=Q(person__isnull=False) & ~Q(status="cancelled"),
                name="one_live_registration_per_person",
            ),
        ]

    def __str__(self):
        return self.name or str(_("(erased)"))

    @property
    def name(self) -> str:
        if self.person_id:
            return str(self.person)
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def under_consent_age(self) -> bool:
        return self.age_on_fair_day is not None and self.age_on_fair_day < settings.YIP_CONSENT_AGE


class Seat(HubOwned):
    """A person's place at a workshop, or their place in its waiting line (arrival order)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Place offered")
        CANCELLED = "cancelled", _("Cancelled")
        LAPSED = "lapsed", _("Offer lapsed")

    ACTIVE = (Status.CONFIRMED, Status.WAITING, Status.OFFERED)
    HOLDING = (Status.CONFIRMED, Status.OFFERED)  # what takes a place

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="seats", verbose_name=_("workshop")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="seats", verbose_name=_("registration")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    offered_until = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        verbose_name = _("workshop place")
        verbose_name_plural = _("workshop places")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "registration"],
                condition=Q(status__in=["confirmed", "waiting", "offered"]),
                name="one_active_seat_per_person_and_workshop",
            ),
        ]


class CheckIn(HubOwned):
    """
    One scan at the door (`workshop` empty) or at a workshop, as a device reported it. Only one
    scan per ticket and list is `valid`; the device's nonce makes a re-upload change nothing.
    """

    class Result(models.TextChoices):
        VALID = "valid", _("Valid")
        ALREADY_USED = "already_used", _("Already used")
        WRONG_TIME = "wrong_time", _("Outside its time")
        WRONG_LIST = "wrong_list", _("Not on this list")

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("fair"))
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("registration")
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="check_ins",
        verbose_name=_("workshop"),
    )
    list_key = models.CharField(max_length=20, editable=False)  # "door" or "workshop:<id>"
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    device = models.CharField(_("device"), max_length=60, blank=True)
    nonce = models.CharField(max_length=64, unique=True)
    scanned_at = models.DateTimeField(_("scanned at"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["scanned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "list_key"],
                condition=Q(result="valid"),
                name="one_valid_check_in_per_list",
            ),
        ]


class LeadShare(HubOwned):
    """A young person's choice to share their contact with one exhibitor (revocable)."""

    PERSONAL_FIELDS = ("message",)

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="leads", verbose_name=_("registration")
    )
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="leads", verbose_name=_("exhibitor")
    )
    share_email = models.BooleanField(_("my e-mail"), default=True)
    share_phone = models.BooleanField(_("my phone"), default=False)
    message = models.TextField(_("a few words about me"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("shared"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared contact")
        verbose_name_plural = _("shared contacts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "exhibitor"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_lead_per_exhibitor",
            ),
        ]


class HelpRequest(HubOwned):
    """ "Vorrei un aiuto": a young person at the fair asks the hub for a desk session or a path."""

    PERSONAL_FIELDS = ("message",)

    class Kind(models.TextChoices):
        DESK = "desk", _("An orientation session at the desk")
        PATH = "path", _("A path into work (Together We Work)")

    fair = models.ForeignKey(
        Fair, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("fair")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("registration")
    )
    kind = models.CharField(_("what help"), max_length=10, choices=Kind.choices)
    area = models.ForeignKey(
        FocusArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("focus area"),
    )
    exhibitor = models.ForeignKey(
        Exhibitor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exhibitor"),
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    consent_at = models.DateTimeField(_("consent to be contacted"))
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    # The row the request landed as in the app that answers its kind (hubs/help_registry.py):
    # the desk's enquiry, Together We Work's request for a path.
    landed_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    @property
    def origin(self) -> str:
        """Its name for the app it is handed to: that app lands it once per origin."""
        return f"jobfair.help:{self.pk}"

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at"]


class MailMarker(HubOwned):
    """That one e-mail about one object went out: a retry sends no second one."""

    kind = models.CharField(max_length=40)
    object_key = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key"], name="one_jobfair_mail_per_object_and_kind"
            ),
        ]


class SurveyInvite(HubOwned):
    """
    The short survey after the fair, sent once to each young person who checked in and to each
    approved exhibitor (the row is the marker: unique per fair and addressee), and its answer.
    """

    PERSONAL_FIELDS = ("comment",)

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("fair"))
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registration"),
    )
    exhibitor = models.ForeignKey(
        Exhibitor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exhibitor"),
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "registration"],
                condition=Q(registration__isnull=False),
                name="one_survey_per_visitor",
            ),
            models.UniqueConstraint(
                fields=["fair", "exhibitor"],
                condition=Q(exhibitor__isnull=False),
                name="one_survey_per_exhibitor",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="survey_score_1_to_5"
            ),
        ]
