"""Writes of hub data: each service is one transaction and leaves an audit trail (auditlog)."""

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
from .tokens import token_hash, token_new

ORGANIZATION_CHANGE = "hubs.change_organization"

# Tests turn this off once, to show that without the lock the race is real.
LOCK_COORDINATORS = True


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


def _keep_a_coordinator(*, hub: Hub, membership_pk: int | None, stays_coordinator: bool) -> None:
    """
    Refuse a change of the membership `membership_pk` that would leave the hub without an
    active coordinator. The hub's coordinators' memberships stay locked until the transaction
    ends (taken in pk order, so two changes never deadlock): two coordinators demoting each
    other at the same moment are decided one after the other, and the second sees the first.
    """
    coordinators = (
        Membership.objects.for_hub(hub)
        .filter(role__in=roles_with("hubs.manage_members"), is_active=True)
        .order_by("pk")
    )
    if LOCK_COORDINATORS:
        coordinators = coordinators.select_for_update()
    if not stays_coordinator and set(coordinators.values_list("pk", flat=True)) == {membership_pk}:
        raise ValidationError(_("The hub must keep at least one active coordinator."))


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, organization: Organization | None, is_active: bool
) -> Membership:
    """
    Change a member's role or suspend them; a hub never loses its last coordinator (the last
    active member who may manage its members).
    """
    validate_role_organization(role, organization, membership.hub)
    _keep_a_coordinator(
        hub=membership.hub,
        membership_pk=membership.pk,
        stays_coordinator=role in roles_with("hubs.manage_members") and is_active,
    )
    membership.role = role
    membership.organization = organization
    membership.is_active = is_active
    membership.save()
    organization_grants_sync(user=membership.user)
    return membership


@transaction.atomic
def membership_create(*, hub: Hub, user, role: str, organization: Organization | None = None) -> Membership:
    """Make the user a member with this role, or change the role they have (never the last coordinator's)."""
    validate_role_organization(role, organization, hub)
    existing = Membership.objects.for_hub(hub).filter(user=user).values_list("pk", flat=True).first()
    if existing is not None:
        _keep_a_coordinator(
            hub=hub, membership_pk=existing, stays_coordinator=role in roles_with("hubs.manage_members")
        )
    membership, _created = Membership.objects.update_or_create(
        hub=hub,
        user=user,
        defaults={"role": role, "organization": organization, "is_active": True},
    )
    organization_grants_sync(user=user)
    return membership


@transaction.atomic
def invitation_create(
    *,
    hub: Hub,
    email: str,
    role: str,
    organization: Organization | None,
    by,
    base_url: str,
    template: str = "hubs/email/invitation",
    context: dict | None = None,
) -> Invitation:
    """
    Invite someone by e-mail to join the hub with a role; the e-mail goes after commit. An app
    whose own message carries the invitation (the job fair's approval) names its `template`
    and adds to its `context`.
    """
    email = email.strip().lower()
    validate_role_organization(role, organization, hub)
    if Membership.objects.for_hub(hub).filter(user__email__iexact=email, is_active=True).exists():
        raise ValidationError(
            {"email": _("This person is already a member of the hub: change their role instead.")}
        )
    # A new invitation to the same address replaces the pending ones.
    Invitation.objects.for_hub(hub).pending().filter(email__iexact=email).update(revoked_at=timezone.now())
    token = token_new()
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
        template=template,
        context={
            **(context or {}),
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
