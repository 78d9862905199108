"""
Together We Work (action 5): personalised paths into work of 3 to 24 hours for NEET,
low-schooling and pandemic-unemployed young people, delivered by partner cooperatives.

A path belongs to a hub (HubOwned) and is assigned to one cooperative; the cooperative's
partner operators reach it through a django-guardian grant held by the organization's group
(see `services.path_assign`). The hours rules live in the services and, for the 24-hour
ceiling, in a database constraint too.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hubs.models import HubOwned, HubQuerySet, Organization
from people.models import Person

MIN_HOURS = Decimal("3")
MAX_HOURS = Decimal("24")
QUARTER = Decimal("0.25")


class ActivityKind(models.TextChoices):
    INTAKE = "intake", _("Intake interview")
    ASSESSMENT = "assessment", _("Skills assessment")
    COACHING = "coaching", _("Coaching")
    WORKSHOP = "workshop", _("Job-search workshop")
    CV = "cv", _("CV and interview preparation")
    VISIT = "visit", _("Company visit")
    INTERNSHIP = "internship", _("Internship support")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Situation(models.TextChoices):
    """Where the young person stands at closing and at each follow-up."""

    EMPLOYED = "employed", _("Employed")
    INTERNSHIP = "internship", _("Internship")
    EDUCATION = "education", _("Back to education or training")
    SEARCHING = "searching", _("Still searching")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class ContractKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed-term")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    AGENCY = "agency", _("Temporary agency work")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    OTHER = "other", _("Other")


class PathQuerySet(HubQuerySet):
    def open(self):
        return self.filter(status=Path.Status.OPEN)


class Path(HubOwned):
    """One young person's personalised path into work."""

    PERSONAL_FIELDS = ("goals", "outcome_note")  # blanked when the person asks for erasure

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Ended early")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="paths", verbose_name=_("young person")
    )
    # Target groups: more than one may apply, at least one must.
    is_neet = models.BooleanField(_("NEET"), default=False)
    is_low_schooling = models.BooleanField(_("low schooling"), default=False)
    is_pandemic_unemployed = models.BooleanField(_("lost work in the pandemic"), default=False)
    # Eligibility facts as recorded at intake (they stay true of that day).
    age_at_intake = models.PositiveSmallIntegerField(_("age at intake"))
    education = models.CharField(_("education level"), max_length=20, choices=Person.Education.choices)
    months_out = models.PositiveSmallIntegerField(_("months out of work or education"), default=0)
    cooperative = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="paths",
        verbose_name=_("cooperative"),
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    starts_on = models.DateField(_("start date"))
    goals = models.TextField(_("goals"), blank=True, max_length=3000)
    planned_hours = models.DecimalField(
        _("planned hours"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    delivered_hours = models.DecimalField(
        _("delivered hours"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
    )
    confirmed_hours = models.DecimalField(
        _("hours confirmed by the young person"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Situation.choices, blank=True)
    contract_kind = models.CharField(_("contract"), max_length=20, choices=ContractKind.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = PathQuerySet.as_manager()

    class Meta:
        verbose_name = _("path")
        verbose_name_plural = _("paths")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["hub", "status"]),
            models.Index(fields=["hub", "cooperative"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(delivered_hours__lte=MAX_HOURS), name="path_at_most_24_hours"),
            models.CheckConstraint(
                condition=Q(planned_hours__lte=MAX_HOURS), name="path_plan_at_most_24_hours"
            ),
            models.CheckConstraint(
                condition=Q(is_neet=True) | Q(is_low_schooling=True) | Q(is_pandemic_unemployed=True),
                name="path_has_a_target_group",
            ),
        ]

    def __str__(self):
        return _("Path #%(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def remaining_hours(self) -> Decimal:
        return MAX_HOURS - self.delivered_hours

    @property
    def target_groups(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("is_neet", "is_low_schooling", "is_pandemic_unemployed")
            if getattr(self, name)
        ]

    def percent(self, hours) -> float:
        """Hours as a share of the 24-hour ceiling, for the at-a-glance bar."""
        return float(min(hours, MAX_HOURS) / MAX_HOURS * 100)


class PlannedActivity(HubOwned):
    """A line of the personal plan: a kind of activity and the hours planned for it."""

    PERSONAL_FIELDS = ("description",)  # blanked when the person asks for erasure

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="plan")
    kind = models.CharField(_("activity"), max_length=20, choices=ActivityKind.choices)
    hours = models.DecimalField(_("planned hours"), max_digits=4, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.hours} h"


class Activity(HubOwned):
    """A delivered activity of the log. The young person may confirm it by an e-mailed link."""

    PERSONAL_FIELDS = ("note",)  # blanked when the person asks for erasure

    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("activity"), max_length=20, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("duration (hours)"), max_digits=4, decimal_places=2)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operator"),
    )
    note = models.CharField(_("short note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation asked"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the young person"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["hub", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="activity_hours_positive"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()} · {self.hours} h"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class FollowUp(HubOwned):
    """Where the young person stands 3 and 6 months after the path closed."""

    PERSONAL_FIELDS = ("note",)  # blanked when the person asks for erasure

    class Months(models.IntegerChoices):
        THREE = 3, _("3 months")
        SIX = 6, _("6 months")

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("after"), choices=Months.choices)
    due_on = models.DateField(_("due on"))
    reminded_at = models.DateTimeField(_("operator reminded"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices, blank=True)
    contract_kind = models.CharField(_("contract"), max_length=20, choices=ContractKind.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(fields=["path", "months"], name="one_follow_up_per_month_mark")
        ]

    def __str__(self):
        return _("Follow-up at %(months)s months") % {"months": self.months}

    @property
    def is_recorded(self) -> bool:
        return self.recorded_on is not None


class PathRequestQuerySet(HubQuerySet):
    def waiting(self):
        return self.filter(path__isnull=True, closed_at__isnull=True)


class PathRequest(HubOwned):
    """
    A young person referred to Together We Work by another action of the hub (the job fair's
    "Vorrei un aiuto", hubs/help_registry.py), waiting for staff to open a path: once per
    `origin`. Opening a path for the person answers their waiting requests.
    """

    PERSONAL_FIELDS = ("message",)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="path_requests", verbose_name=_("young person")
    )
    origin = models.CharField(_("handed over from"), max_length=60)
    subject = models.CharField(_("from"), max_length=200)
    message = models.TextField(_("message"), blank=True, max_length=3000)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    path = models.ForeignKey(
        Path,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("path opened"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = PathRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for a path")
        verbose_name_plural = _("requests for a path")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "origin"], name="placements_one_request_per_origin"),
        ]

    def __str__(self):
        return _("Request for a path #%(number)s") % {"number": self.pk}
