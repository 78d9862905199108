"""
Governance (action 7): the Cabina di Regia's targets, frozen monthly snapshots of every
indicator, its meetings and decisions, and the monthly monitoring reports (PDF).

Targets, meetings and decisions belong to a hub (HubOwned). Snapshots and reports belong to a
hub or, with `hub` empty, to the whole network (aggregates only); they are read through
`for_hub(hub)` / `network()`.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub, HubOwned

PROJECT_START = date(2022, 4, 1)
PROJECT_END = date(2023, 10, 31)


class MonitoringPlan(models.Model):
    """A hub's project timeline, against which the expected value of a target is read."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="monitoring_plan")
    starts_on = models.DateField(_("project start"), default=PROJECT_START)
    ends_on = models.DateField(_("project end"), default=PROJECT_END)

    class Meta:
        verbose_name = _("project timeline")
        verbose_name_plural = _("project timelines")

    def __str__(self):
        return f"{self.hub}: {self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"


class Target(HubOwned):
    """
    What the project plan promises for one indicator. `indicator_key` names a registered
    indicator — or one of an app not built yet, which the dashboard shows as "not yet
    measured". For a breakdown indicator, `part` names the entry that counts (e.g. "within").
    """

    indicator_key = models.CharField(_("indicator"), max_length=80)
    part = models.CharField(_("part of the breakdown"), max_length=60, blank=True)
    action = models.PositiveSmallIntegerField(_("action"))
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["action", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "indicator_key", "part"], name="one_target_per_indicator_part"
            )
        ]

    def __str__(self):
        return self.title


class ScopedQuerySet(models.QuerySet):
    """Rows of one hub, or (hub=None) of the network."""

    def for_hub(self, hub):
        return self.filter(hub=hub)

    def network(self):
        return self.filter(hub__isnull=True)


class Snapshot(models.Model):
    """
    Every indicator's value, target, expected value and status as of a day, frozen: `rows`
    is written once and never recomputed, so a meeting can always say "as of".
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ON_DEMAND = "on_demand", _("On demand")

    hub = models.ForeignKey(
        Hub,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hub"),
        help_text=_("Empty: the whole network."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    as_of = models.DateField(_("as of"))
    month = models.DateField(_("month"), help_text=_("The first day of the month it reports."))
    rows = models.JSONField(_("indicators"), default=list, editable=False)
    created_at = models.DateTimeField(_("taken"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "month"],
                condition=Q(kind="monthly", hub__isnull=False),
                name="one_monthly_snapshot_per_hub",
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(kind="monthly", hub__isnull=True),
                name="one_monthly_network_snapshot",
            ),
        ]

    def __str__(self):
        return _("Snapshot as of %(day)s") % {"day": self.as_of.strftime("%d/%m/%Y")}

    def save(self, *args, **kwargs):
        if self.pk and "update_fields" not in kwargs:
            raise PermissionError("A snapshot is frozen once taken.")
        super().save(*args, **kwargs)


class Report(models.Model):
    """The monitoring report (PDF) made from one snapshot; generated in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Being generated")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    snapshot = models.OneToOneField(
        Snapshot, on_delete=models.PROTECT, related_name="report", verbose_name=_("snapshot")
    )
    hub = models.ForeignKey(
        Hub,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hub"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("PDF"), upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("sent to the committee"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Monitoring report as of %(day)s") % {"day": self.snapshot.as_of.strftime("%d/%m/%Y")}


class Meeting(HubOwned):
    """A meeting of the Cabina di Regia."""

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.TextField(
        _("attendees"), max_length=3000, help_text=_("One per line: name and organization.")
    )
    agenda = models.TextField(_("agenda"), max_length=5000)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("monitoring snapshot"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return _("Cabina di Regia of %(day)s") % {"day": self.date.strftime("%d/%m/%Y")}


class Decision(HubOwned):
    """A decision taken in a meeting, with who carries it out and by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"), max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner (if not a portal user)"), max_length=200, blank=True)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["hub", "status", "due_on"])]

    def __str__(self):
        return self.text[:80]
