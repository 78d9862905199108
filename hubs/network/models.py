"""
The network level of action 1 (the regional coordinated system): a hub's joining and its quality
label, referrals of a young person between hubs with their consent, the shared library of tools,
the hand-offs from the regional catalogue and the monthly exports for the regional observatory.

Imported at the end of hubs/models.py, so these are models of the `hubs` app.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub, HubOwned, HubQuerySet, Network

LABEL_THRESHOLD = 70  # percent of the quality criteria met to hold the label (ERYICA's rule)
LABEL_YEARS = 3
LABEL_REMINDER_DAYS = 60


class NetworkMembershipQuerySet(HubQuerySet):
    def approved(self):
        return self.filter(approved_at__isnull=False, hub__is_active=True)


class NetworkMembership(HubOwned):
    """A hub's joining of its network: pending until the regional coordinator approves it."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="network_membership")
    joined_on = models.DateField(_("joined on"))
    charter_accepted = models.BooleanField(_("network charter accepted"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    young_residents = models.PositiveIntegerField(
        _("young residents of the territory (15–34)"),
        null=True,
        blank=True,
        help_text=_("Leave empty if not known: the comparison then shows no rate per 1,000."),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        ordering = ["hub__name"]

    def __str__(self):
        return str(self.hub)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class QualityCriterion(models.Model):
    """One criterion of the network's quality checklist; the regional coordinator edits the list."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="quality_criteria")
    text = models.CharField(_("criterion"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("quality criterion")
        verbose_name_plural = _("quality criteria")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class QualityAssessment(HubOwned):
    """A hub's self-assessment against the checklist: its score, and the label it gives."""

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    criteria_met = models.JSONField(default=list)  # the texts of the criteria answered "met"
    criteria_total = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(_("score (%)"))
    label_until = models.DateField(_("label valid until"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the renewal reminder, sent once

    class Meta:
        verbose_name = _("quality self-assessment")
        verbose_name_plural = _("quality self-assessments")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.hub} · {self.score} %"

    @property
    def has_label(self) -> bool:
        return self.label_until is not None and self.label_until >= timezone.localdate()

    @property
    def reminder_due_on(self):
        return self.label_until - timedelta(days=LABEL_REMINDER_DAYS) if self.label_until else None


class CatalogueHandoff(HubOwned):
    """
    That someone went from the regional catalogue to a hub's own booking page: a count, no
    person (the booking itself is made, and kept, by that hub's desk).
    """

    entry_key = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.hub_id} · {self.entry_key}"


class Referral(HubOwned):
    """
    A young person sent by one hub (`hub`) to a service of another (`to_hub`). Nothing reaches
    the receiving hub before the person consents by the e-mailed link; a revoked or expired
    consent shuts it out again on its next request.
    """

    PERSONAL_FIELDS = ("purpose", "decline_note", "outcome")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the young person's consent")
        REFUSED = "refused", _("Consent refused")
        CONSENTED = "consented", _("Consented, waiting for the receiving hub")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined by the receiving hub")
        COMPLETED = "completed", _("Completed")
        REVOKED = "revoked", _("Consent revoked")

    class Item(models.TextChoices):
        NAME = "name", _("Name")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        AGE = "age", _("Age")
        MUNICIPALITY = "municipality", _("Municipality")
        STATUS = "status", _("Current status")
        EDUCATION = "education", _("Education")

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", _("No capacity at the moment")
        NOT_ELIGIBLE = "not_eligible", _("The person does not meet the service's criteria")
        WRONG_SERVICE = "wrong_service", _("Another service fits better")
        UNREACHABLE = "unreachable", _("The person could not be reached")
        OTHER = "other", _("Other")

    VISIBLE_TO_RECEIVER = (Status.CONSENTED, Status.ACCEPTED, Status.DECLINED, Status.COMPLETED)

    to_hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving hub")
    )
    service = models.CharField(_("service"), max_length=150)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField(_("purpose"), max_length=1000)
    items = models.JSONField(_("data shared"), default=list)
    expires_on = models.DateField(_("consent valid until"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("consent revoked"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.CharField(_("note"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["to_hub", "status"])]

    def __str__(self):
        return f"{self.hub} → {self.to_hub}: {self.service}"

    @property
    def consent_live(self) -> bool:
        """Whether the receiving hub may see the person's consented items now."""
        return self.status in self.VISIBLE_TO_RECEIVER and self.expires_on >= timezone.localdate()

    def item_labels(self) -> list[str]:
        return [str(self.Item(item).label) for item in self.items if item in self.Item.values]


class LibraryTool(models.Model):
    """A tool or model of the shared library: an activity type, a survey, a template, a sheet."""

    class Kind(models.TextChoices):
        ACTIVITY_TYPE = "activity_type", _("Activity type")
        SURVEY = "survey", _("Survey template")
        DOCUMENT = "document", _("Document template")
        SHEET = "sheet", _("Information sheet")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="library")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)

    class Meta:
        verbose_name = _("library tool")
        verbose_name_plural = _("library tools")
        ordering = ["kind", "title"]

    def __str__(self):
        return self.title


class LibraryVersion(models.Model):
    tool = models.ForeignKey(LibraryTool, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    body = models.TextField(_("content"), max_length=20000)
    changes = models.CharField(_("what changed"), max_length=300, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tool", "-number"]
        constraints = [models.UniqueConstraint(fields=["tool", "number"], name="one_number_per_tool_version")]

    def __str__(self):
        return f"{self.tool} v{self.number}"


class Adoption(HubOwned):
    """
    A hub's own copy of a library tool's version. It keeps its text when the original changes
    or goes (the link is SET_NULL), and may be adapted.
    """

    tool = models.ForeignKey(LibraryTool, on_delete=models.SET_NULL, null=True, related_name="adoptions")
    version_number = models.PositiveSmallIntegerField(_("version adopted"))
    kind = models.CharField(_("kind"), max_length=20, choices=LibraryTool.Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("content"), max_length=20000)
    adapted = models.BooleanField(_("adapted by the hub"), default=False)
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adopted tool")
        verbose_name_plural = _("adopted tools")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["hub", "tool"], name="one_adoption_per_hub_and_tool")]

    def __str__(self):
        return self.title


class ObservatoryExport(models.Model):
    """The network's monthly export for the regional observatory, made once per month by beat."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["network", "month"], name="one_export_per_network_month")
        ]

    def __str__(self):
        return f"{self.network_id} · {self.month:%Y-%m}"


class TerritoryFigure(HubOwned):
    """
    A figure of the territory's young population the hub's reach is compared with (the equity
    view): the share of NEET young people, or of those with at most a lower secondary diploma,
    in a sub-area (or the hub's whole territory, without one), with its source and year, as the
    coordinator enters it from ISTAT, Eurostat or the Piano di Zona's own survey.
    """

    class Measure(models.TextChoices):
        NEET = "neet", _("NEET share (15-29)")
        LOW_SCHOOLING = "low_schooling", _("Share with at most a lower secondary diploma")

    sub_area = models.ForeignKey(
        "hubs.SubArea",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-area"),
        help_text=_("Empty: the hub's whole territory."),
    )
    measure = models.CharField(_("figure"), max_length=20, choices=Measure.choices)
    percent = models.DecimalField(_("share (%)"), max_digits=4, decimal_places=1)
    source = models.CharField(_("source of the figure"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("figure of the territory")
        verbose_name_plural = _("figures of the territory")
        ordering = ["measure", "sub_area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "sub_area", "measure"], name="one_territory_figure_per_area"
            ),
            models.UniqueConstraint(
                fields=["hub", "measure"],
                condition=models.Q(sub_area__isnull=True),
                name="one_territory_figure_per_hub",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="territory_figure_is_a_share"
            ),
        ]

    def __str__(self):
        return f"{self.get_measure_display()} · {self.sub_area or self.hub}: {self.percent} %"
