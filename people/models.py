"""Accounts. The User logs in with an e-mail address (allauth) and has no username."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from hubs.models import HubOwned, HubQuerySet


class UserManager(DjangoUserManager):
    """Django's manager, with the e-mail address in place of the username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: hub staff, partner operators, steering members, young people."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("it", "Italiano"), ("en", "English")],
        default="it",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """How the portal names the user: their full name or, failing that, their e-mail."""
        return self.get_full_name() or self.email


class PersonQuerySet(models.QuerySet):
    def for_hub(self, hub):
        """The people this hub has dealt with (a booking, an enquiry, a path…), and only them."""
        return self.filter(hub_links__hub=hub)


class Person(models.Model):
    """
    A young person's record, shared by the hubs that deal with them; each hub sees it only
    through its own dealings (`Person.objects.for_hub(hub)`). Erasure blanks the personal
    fields and keeps the statistical ones (year of birth, gender, municipality, status).
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        NON_BINARY = "non_binary", _("Non-binary")
        UNSAID = "unsaid", _("Prefer not to say")

    class Status(models.TextChoices):
        STUDENT = "student", _("Student")
        EMPLOYED = "employed", _("Employed")
        UNEMPLOYED = "unemployed", _("Unemployed")
        NEET = "neet", _("Not in education, employment or training")
        OTHER = "other", _("Other")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary school")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary (licenza media)")
        VOCATIONAL = "vocational", _("Vocational qualification")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary diploma")
        DEGREE = "degree", _("University degree")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, editable=False)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    municipality = models.ForeignKey(
        "hubs.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    status = models.CharField(_("current status"), max_length=20, choices=Status.choices)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    guardian_name = models.CharField(_("parent or guardian"), max_length=200, blank=True)
    guardian_email = models.EmailField(_("parent or guardian's e-mail"), blank=True)
    guardian_consent_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("it", "Italiano"), ("en", "English")], default="it"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or str(_("(erased)"))

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()  # one spelling: exact, indexed look-ups
        if self.birth_date:  # kept after erasure, when birth_date is blanked
            self.birth_year = self.birth_date.year
        super().save(*args, **kwargs)

    def age_on(self, day: date) -> int | None:
        """Full years on `day` (the portal's one age calculation); None without a date of birth."""
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def needs_guardian_on(self, day: date) -> bool:
        """
        Under the consent age (`settings.YIP_CONSENT_AGE`) on `day`, a parent or guardian
        consents for the person (Codice Privacy, art. 2-quinquies). The portal's one minors' rule.
        """
        age = self.age_on(day)
        return age is not None and age < settings.YIP_CONSENT_AGE


class PersonHub(models.Model):
    """That a hub deals with a person: what lets its staff see the person's record."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hub_links")
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "hub"], name="one_link_per_person_and_hub")]

    def __str__(self):
        return f"{self.person_id} · {self.hub_id}"


class CaseNote(HubOwned):
    """A private note of a hub's staff on a person; other hubs never see it."""

    ERASE_DELETES = True  # notes about a person go when the person asks for erasure

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_notes")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-created_at"]


class RecordAccessQuerySet(HubQuerySet):
    def update(self, **kwargs):
        raise PermissionError("The record access log is append-only.")

    def delete(self):
        raise PermissionError("The record access log is append-only.")


class RecordAccess(HubOwned):
    """Append-only: who of a hub's staff opened whose record, and when."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True, db_index=True)
    what = models.CharField(max_length=60, default="record")

    objects = RecordAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("record access")
        verbose_name_plural = _("record accesses")
        ordering = ["-opened_at"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise PermissionError("The record access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The record access log is append-only.")
