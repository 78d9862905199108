"""
The territory and its tenancy.

Network (the region) > Hub (the tenant) > SubArea and Antenna. Every row that belongs to one
hub inherits `HubOwned` and is read through `Model.objects.for_hub(hub)`. Organizations work
with several hubs, so they are scoped through their `hubs` link instead.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Slugs that would shadow a top-level URL of the portal (see young_in_progress/urls.py).
RESERVED_HUB_SLUGS = {
    "accessibilita",
    "accounts",
    "admin",
    "api",
    "backoffice",
    "i18n",
    "invito",
    "le-mie-prenotazioni",
    "media",
    "privacy",
    "rete",
    "static",
}


def validate_hub_slug(value):
    if value in RESERVED_HUB_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved by the portal."), params={"slug": value})


class Role(models.TextChoices):
    HUB_ADMIN = "hub_admin", _("Hub coordinator")
    OPERATOR = "operator", _("Hub operator")
    PARTNER = "partner", _("Partner operator")
    SCHOOL = "school", _("School referent")
    STEERING = "steering", _("Steering committee member")
    REGIONAL = "regional", _("Regional coordinator")
    EXHIBITOR = "exhibitor", _("Job fair exhibitor")


# Roles that act on behalf of an organization, which their membership must name. What a role
# may do is not said here: hubs/capabilities.py.
ROLES_WITH_ORGANIZATION = frozenset({Role.PARTNER, Role.SCHOOL, Role.EXHIBITOR})


class Network(models.Model):
    """The regional coordinated system of orientation services (action 1)."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """A comune. Reference data shared by every hub."""

    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=2, validators=[RegexValidator(r"^[A-Z]{2}$")])

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "province"], name="unique_municipality")]

    def __str__(self):
        return f"{self.name} ({self.province})"


class Hub(models.Model):
    """A territorial hub (an Orientagiovani / Informagiovani): the tenant of the portal."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="hubs", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_hub_slug])
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    is_lead = models.BooleanField(_("lead partner of the project"), default=False)
    description = models.TextField(_("presentation"), blank=True)
    services = models.TextField(_("services offered"), blank=True, help_text=_("One service per line."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        ordering = ["-is_lead", "name"]

    def __str__(self):
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


class HubQuerySet(models.QuerySet):
    def for_hub(self, hub):
        return self.filter(hub=hub)


class HubOwned(models.Model):
    """Base for every row that belongs to exactly one hub."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, verbose_name=_("hub"))

    objects = HubQuerySet.as_manager()

    class Meta:
        abstract = True


class SubArea(HubOwned):
    """A sub-district of the Piano di Zona (the territory a youth pact covers)."""

    name = models.CharField(_("name"), max_length=120)
    municipalities = models.ManyToManyField(
        Municipality, related_name="sub_areas", blank=True, verbose_name=_("municipalities")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("sub-area")
        verbose_name_plural = _("sub-areas")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["hub", "name"], name="unique_subarea_name_per_hub")]

    def __str__(self):
        return self.name


class Antenna(HubOwned):
    """A place where the hub meets young people: an antenna, a local point or a centre."""

    class Kind(models.TextChoices):
        ANTENNA = "antenna", _("Antenna")
        LOCAL_POINT = "local_point", _("Local point")
        CENTRE = "centre", _("Local centre")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ANTENNA)
    sub_area = models.ForeignKey(
        SubArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="antennas",
        verbose_name=_("sub-area"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("antenna")
        verbose_name_plural = _("antennas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def for_hub(self, hub):
        return self.filter(hubs=hub)


class Organization(models.Model):
    """A partner, school, company or public body; it may work with several hubs."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        COOPERATIVE = "cooperative", _("Social cooperative")
        ASSOCIATION = "association", _("Association")
        SCHOOL = "school", _("School")
        UNIVERSITY = "university", _("University")
        COMPANY = "company", _("Company")
        TRAINING_AGENCY = "training_agency", _("Training agency")
        PROFESSIONAL_ORDER = "professional_order", _("Professional order")
        TRADE_UNION = "trade_union", _("Trade union")
        EMPLOYERS = "employers", _("Employers' association")

    class SchoolType(models.TextChoices):
        TECHNICAL = "technical", _("Technical institute")
        VOCATIONAL = "vocational", _("Vocational institute")
        LICEO = "liceo", _("Liceo")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    school_type = models.CharField(_("school type"), max_length=20, choices=SchoolType.choices, blank=True)
    hubs = models.ManyToManyField(
        Hub, related_name="organizations", blank=True, verbose_name=_("hubs it works with")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_project_partner = models.BooleanField(_("partner of the project"), default=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.SCHOOL and not self.school_type:
            raise ValidationError({"school_type": _("Say which type of school this is.")})
        if self.kind != self.Kind.SCHOOL and self.school_type:
            raise ValidationError({"school_type": _("Only schools have a school type.")})


class Membership(HubOwned):
    """A user's role on one hub. Partner and school roles act for one organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "user"], name="one_membership_per_hub"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.hub}"

    def clean(self):
        validate_role_organization(self.role, self.organization, self.hub)

    def can(self, capability: str) -> bool:
        """Whether this member may do `capability` on the hub (hubs/capabilities.py)."""
        from .capabilities import can  # the table imports Role from here

        return can(self, capability)


def validate_role_organization(role, organization, hub):
    """Partner and school roles name an organization that works with the hub; others none."""
    if role in ROLES_WITH_ORGANIZATION:
        if organization is None:
            raise ValidationError({"organization": _("This role acts for an organization: choose it.")})
        if not organization.hubs.filter(pk=hub.pk).exists():
            raise ValidationError({"organization": _("This organization does not work with this hub.")})
        if role == Role.SCHOOL and organization.kind != Organization.Kind.SCHOOL:
            raise ValidationError({"organization": _("A school referent must belong to a school.")})
    elif organization is not None:
        raise ValidationError({"organization": _("This role does not act for an organization.")})


class InvitationQuerySet(HubQuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(HubOwned):
    """An e-mailed invitation to join a hub with a role. Only a hash of its token is stored."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.hub} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


# The network level (action 1): models of this app kept in a module of their own.
from hubs.network.models import *  # noqa: E402, F403
