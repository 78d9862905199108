"""
A person's digital identity (SPID or CIE) linked to their account, found again by a keyed hash
of the fiscal code: the clear code is never stored (spid.services.fiscal_code_hash).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.TextChoices):
    SPID = "spid", "SPID"
    CIE = "cie", "CIE"


class DigitalIdentity(models.Model):
    """
    One per person: SPID and CIE assert the same fiscal code, so both lead to this row and to the
    same account. Erasure deletes it (the account can still sign in by e-mail).
    """

    ERASE_DELETES = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digital_identity",
        verbose_name=_("account"),
    )
    fiscal_code_hash = models.CharField(_("fiscal code (keyed hash)"), max_length=64, unique=True)
    profile = models.CharField(_("last signed in with"), max_length=8, choices=Profile.choices)
    provider = models.URLField(_("identity provider"), max_length=300)
    level = models.PositiveSmallIntegerField(_("SPID level of the last sign-in"), default=1)
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("digital identity")
        verbose_name_plural = _("digital identities")

    def __str__(self):
        return f"{self.get_profile_display()} · {self.user_id}"
