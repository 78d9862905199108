"""
At Nine: Job Club (action 4): paths of 20 hours in upper secondary schools, their sessions, the
students of the schools' rosters (without accounts), the attendance registers the school
validates, certificates of attendance and the young workers who meet the classes.

A path belongs to a hub (HubOwned) and to one school (`hubs.Organization` of kind school); the
school's referents reach it through a django-guardian grant held by the organization's group
(see `services.path_create`). Minutes are the unit of every count: a student's hours are the
sum of the minutes attended, so a late arrival of 15 minutes counts 15 minutes less.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub, HubOwned, HubQuerySet, Organization

PLANNED_MINUTES = 20 * 60  # the project plan's 20 hours per path
DEFAULT_THRESHOLD = 75  # percent of the planned hours for a certificate


class PathKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical or vocational school")
    LICEI = "licei", _("Mixed group of licei students")


class Sector(models.TextChoices):
    """The sectors the territory needs most (the project plan's), and the others."""

    HEALTH = "health", _("Health")
    CARE = "care", _("Social and educational care")
    COSMETICS = "cosmetics", _("Cosmetics")
    DIGITAL = "digital", _("Digital")
    OTHER = "other", _("Other sectors")


def hours_text(minutes: int) -> str:
    """1230 → "20 h 30'": the way school registers write time."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}'" if rest else f"{hours} h"


class Path(HubOwned):
    """A job club path of one school: a class or classes, or a mixed group of licei students."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # placements has a Path too: the hub's reverse accessor needs a name of its own
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="jobclub_paths", verbose_name=_("hub")
    )
    school = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="jobclub_paths", verbose_name=_("school")
    )
    kind = models.CharField(_("type"), max_length=20, choices=PathKind.choices)
    title = models.CharField(_("title"), max_length=150)
    classes = models.CharField(
        _("classes"),
        max_length=200,
        help_text=_("The classes taking part, separated by commas (e.g. 4A, 4B), or the group's name."),
    )
    planned_minutes = models.PositiveIntegerField(_("planned minutes"), default=PLANNED_MINUTES)
    threshold_percent = models.PositiveSmallIntegerField(
        _("attendance for a certificate (%)"),
        default=DEFAULT_THRESHOLD,
        help_text=_("The share of the planned hours a student must attend to receive a certificate."),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="jobclub_paths", verbose_name=_("trainers")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(
        _("reason for closing under the planned hours"), blank=True, max_length=2000
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("job club path")
        verbose_name_plural = _("job club paths")
        ordering = ["school__name", "title", "pk"]
        indexes = [models.Index(fields=["hub", "kind"]), models.Index(fields=["hub", "school"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_percent__gte=1, threshold_percent__lte=100),
                name="jobclub_threshold_1_100",
            ),
            models.CheckConstraint(condition=Q(planned_minutes__gt=0), name="jobclub_planned_positive"),
        ]

    def __str__(self):
        return f"{self.title} · {self.school.name}"

    @property
    def class_list(self) -> list[str]:
        return class_labels(self.classes)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def threshold_minutes(self) -> int:
        """The minutes a student must attend for a certificate (rounded up)."""
        return -(-self.planned_minutes * self.threshold_percent // 100)


def class_labels(text: str) -> list[str]:
    """ "4a, 4B;5A" → ["4A", "4B", "5A"]: how classes are compared."""
    return [part.strip().upper() for part in text.replace(";", ",").split(",") if part.strip()]


class YoungWorker(HubOwned):
    """A young worker of a sector in demand who meets the classes: the hub's registry."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    job = models.CharField(_("job"), max_length=150)
    employer = models.CharField(_("employer"), max_length=150)
    availability = models.CharField(
        _("availability"), max_length=300, blank=True, help_text=_("e.g. Tuesday and Thursday mornings")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("available"), default=True)

    class Meta:
        verbose_name = _("young worker")
        verbose_name_plural = _("young workers")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} · {self.job}"


class RegisterStatus(models.TextChoices):
    OPEN = "open", _("To be taken")
    SIGNED = "signed", _("Signed by the trainer")
    VALIDATED = "validated", _("Validated by the school")


class SessionQuerySet(HubQuerySet):
    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Session(HubOwned):
    """A meeting of a path: its time, topic and sector, and its attendance register."""

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    ends_at = models.DateTimeField(editable=False)
    topic = models.CharField(_("topic"), max_length=200)
    sector = models.CharField(_("focus sector"), max_length=20, choices=Sector.choices, blank=True)
    young_worker = models.ForeignKey(
        YoungWorker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("young worker invited"),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trainer"),
    )
    register_status = models.CharField(
        _("register"), max_length=10, choices=RegisterStatus.choices, default=RegisterStatus.OPEN
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["hub", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="jobclub_session_duration_positive"
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%d/%m/%Y %H:%M} · {self.topic}"

    def save(self, *args, **kwargs):
        self.ends_at = self.starts_at + timedelta(minutes=self.duration_minutes)
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.register_status == RegisterStatus.VALIDATED

    @property
    def is_taken(self) -> bool:
        return self.register_status != RegisterStatus.OPEN


class Student(HubOwned):
    """
    A student of a path's roster, as the school gave it: no e-mail, no account needed. From the
    consent age a student may claim the record with the personal code the school hands out, and
    then sees their own hours and certificate. Erasure blanks the names and the code, and keeps
    the statistical facts: year of birth, gender, class, school (through the path) and hours.
    """

    PERSONAL_FIELDS = ("first_name", "last_name", "access_code")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other or not said")

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="students")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    class_name = models.CharField(_("class"), max_length=20)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    access_code = models.CharField(_("personal code"), max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobclub_students",
        verbose_name=_("account"),
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["class_name", "last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["access_code"])]

    def __str__(self):
        if self.erased_at:
            return str(_("(erased)"))
        return f"{self.last_name} {self.first_name}"


class Attendance(HubOwned):
    """A student's line of a session's register."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=12, choices=Status.choices)
    minutes_missed = models.PositiveSmallIntegerField(_("minutes missed"), default=0)
    minutes = models.PositiveSmallIntegerField(_("minutes attended"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["student__last_name", "student__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="jobclub_one_line_per_student"),
        ]

    def __str__(self):
        return f"{self.student} · {self.get_status_display()}"


class RegisterChange(HubOwned):
    """Append-only: a change to a register after the school validated it (who, when, what, why)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"), max_length=1000)
    what = models.TextField(_("what changed"))

    class Meta:
        verbose_name = _("register change")
        verbose_name_plural = _("register changes")
        ordering = ["-at", "-pk"]


class Certificate(HubOwned):
    """A student's certificate of attendance; its code is checked on a public page."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    minutes = models.PositiveIntegerField(_("minutes attended"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.code


class SchoolExport(HubOwned):
    """A per-student CSV of hours handed to the school (date, user), and what it said."""

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="exports")
    handed_at = models.DateTimeField(_("handed to the school"), auto_now_add=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    minutes = models.JSONField(default=dict)  # student id (as text) → minutes attended, as handed

    class Meta:
        verbose_name = _("hours handed to the school")
        verbose_name_plural = _("hours handed to the school")
        ordering = ["-handed_at", "-pk"]


class SelfAssessment(HubOwned):
    """
    A student's short self-assessment before or after the path (1 = not at all, 5 = very much).
    Anonymous by choice: then the answer keeps no link to the student, and only the marker
    `SelfAssessmentDone` says that they answered (so nobody answers twice).
    """

    class Phase(models.TextChoices):
        BEFORE = "before", _("Before the path")
        AFTER = "after", _("After the path")

    SCALE = [(n, str(n)) for n in range(1, 6)]

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="self_assessments")
    student = models.ForeignKey(
        Student, on_delete=models.SET_NULL, null=True, blank=True, related_name="self_assessments"
    )
    phase = models.CharField(_("when"), max_length=10, choices=Phase.choices)
    knowledge = models.PositiveSmallIntegerField(
        _("How well do you know the jobs the territory needs?"), choices=SCALE
    )
    readiness = models.PositiveSmallIntegerField(
        _("How ready do you feel to choose what to do after school?"), choices=SCALE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")


class SelfAssessmentDone(HubOwned):
    """That a student answered a phase's self-assessment (the answer may be anonymous)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=10, choices=SelfAssessment.Phase.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "phase"], name="jobclub_one_self_assessment_per_phase")
        ]
