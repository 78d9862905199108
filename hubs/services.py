"""Writes of hub data: each service is one transaction and leaves an audit trail (auditlog)."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.mail import mail_send

from .capabilities import roles_with
from .models import (
    ROLES_WITH_ORGANIZATION,
    Hub,
    Invitation,
    Membership,
    Organization,
    validate_role_organization,
)
from .permissions import grant, objects_for_user, organization_group, revoke

ORGANIZATION_CHANGE = "hubs.change_organization"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def organization_grants_sync(*, user) -> None:
    """
    Give the user `change_organization` on exactly the organizations they act for, and put
    them in exactly those organizations' groups (which hold the grants on what is assigned to
    an organization, e.g. a cooperative's paths).
    """
    wanted = set(
        Membership.objects.filter(user=user, is_active=True, role__in=ROLES_WITH_ORGANIZATION).values_list(
            "organization_id", flat=True
        )
    )
    user.groups.remove(*user.groups.filter(name__startswith="organization:"))
    user.groups.add(*(organization_group(o) for o in Organization.objects.filter(pk__in=wanted)))
    held = list(objects_for_user(user, ORGANIZATION_CHANGE, Organization.objects.all()))
    for organization in held:
        if organization.pk not in wanted:
            revoke(user, ORGANIZATION_CHANGE, organization)
    held_ids = {organization.pk for organization in held}
    for organization in Organization.objects.filter(pk__in=wanted - held_ids):
        grant(user, ORGANIZATION_CHANGE, organization)


def _other_admins_exist(membership: Membership) -> bool:
    return (
        Membership.objects.for_hub(membership.hub)
        .filter(role__in=roles_with("hubs.manage_members"), is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, organization: Organization | None, is_active: bool
) -> Membership:
    """
    Change a member's role or suspend them; a hub never loses its last coordinator (the last
    active member who may manage its members).
    """
    validate_role_organization(role, organization, membership.hub)
    was_admin = membership.can("hubs.manage_members")
    stays_admin = role in roles_with("hubs.manage_members") and is_active
    if was_admin and not stays_admin and not _other_admins_exist(membership):
        raise ValidationError(_("The hub must keep at least one active coordinator."))
    membership.role = role
    membership.organization = organization
    membership.is_active = is_active
    membership.save()
    organization_grants_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_create(*, hub: Hub, user, role: str, organization: Organization | None = None) -> Membership:
    validate_role_organization(role, organization, hub)
    membership, _created = Membership.objects.update_or_create(
        hub=hub,
        user=user,
        defaults={"role": role, "organization": organization, "is_active": True},
    )
    organization_grants_sync(user=user)
    return membership


@transaction.atomic
def invitation_create(
    *, hub: Hub, email: str, role: str, organization: Organization | None, by, base_url: str
) -> Invitation:
    """Invite someone by e-mail to join the hub with a role; the e-mail goes after commit."""
    email = email.strip().lower()
    validate_role_organization(role, organization, hub)
    if Membership.objects.for_hub(hub).filter(user__email__iexact=email, is_active=True).exists():
        raise ValidationError(
            {"email": _("This person is already a member of the hub: change their role instead.")}
        )
    # A new invitation to the same address replaces the pending ones.
    Invitation.objects.for_hub(hub).pending().filter(email__iexact=email).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        hub=hub,
        email=email,
        role=role,
        organization=organization,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    mail_send(
        to=[email],
        template="hubs/email/invitation",
        context={
            "invitation": invitation,
            "hub": hub,
            "by": by,
            "accept_url": base_url + reverse("invitation_accept", kwargs={"token": token}),
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
    )
    return invitation


def invitation_get_pending(*, token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.pending()
        .select_related("hub", "organization")
        .filter(token_hash=token_hash(token), hub__is_active=True)
        .first()
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """The invited user joins the hub. Their e-mail is verified: they followed the link."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer valid."))
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address: sign in with that one."))
    membership = membership_create(
        hub=invitation.hub, user=user, role=invitation.role, organization=invitation.organization
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return membership


@transaction.atomic
def invitation_accept_new_user(*, invitation: Invitation, first_name: str, last_name: str, password: str):
    """Create the account of an invited person who had none, and accept the invitation."""
    user = get_user_model().objects.create_user(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name
    )
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
