"""Hub coordinators invite staff and partners by e-mail, set their roles, and suspend them."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hubs.models import Invitation, Membership, Role
from people.models import User
from people.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


def invite(client, world, django_capture_on_commit_callbacks, **data):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    url = reverse("backoffice_invitation_create", kwargs={"hub_slug": world.a.hub.slug})
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data)


def accept_link(message) -> str:
    return re.search(r"https?://\S+/invito/\S+/", message.body).group(0)


def test_invitation_reaches_the_person_and_creates_their_account(
    client, world, django_capture_on_commit_callbacks
):
    response = invite(
        client,
        world,
        django_capture_on_commit_callbacks,
        email="New.Operator@Example.org",
        role=Role.PARTNER,
        organization=world.a.cooperative.pk,
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.operator@example.org"]
    assert world.a.hub.name in message.subject

    client.logout()
    link = accept_link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "new.operator@example.org" in page.content.decode()
    response = client.post(
        link,
        {"first_name": "Giulia", "last_name": "Ferrari", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.operator@example.org")
    membership = Membership.objects.for_hub(world.a.hub).get(user=user)
    assert (membership.role, membership.organization) == (Role.PARTNER, world.a.cooperative)
    assert EmailAddress.objects.get(user=user).verified  # they followed the e-mailed link
    # The link is single-use.
    assert client.get(link).status_code == 404


def test_weak_password_is_refused_and_nothing_is_created(client, world, django_capture_on_commit_callbacks):
    invite(client, world, django_capture_on_commit_callbacks, email="weak@example.org", role=Role.OPERATOR)
    client.logout()
    link = accept_link(mail.outbox[0])
    response = client.post(
        link, {"first_name": "A", "last_name": "B", "password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="weak@example.org").exists()


def test_existing_account_signs_in_then_accepts(client, world, django_capture_on_commit_callbacks):
    person = UserFactory(email="known@example.org", totp=True)
    invite(client, world, django_capture_on_commit_callbacks, email="known@example.org", role=Role.STEERING)
    link = accept_link(mail.outbox[0])
    client.logout()
    response = client.post(link)
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(person)
    assert client.post(link).status_code == 302
    assert Membership.objects.for_hub(world.a.hub).get(user=person).role == Role.STEERING


def test_invitation_for_someone_else_is_refused(client, world, django_capture_on_commit_callbacks):
    invite(client, world, django_capture_on_commit_callbacks, email="target@example.org", role=Role.OPERATOR)
    link = accept_link(mail.outbox[0])
    intruder = UserFactory(email="intruder@example.org")
    client.force_login(intruder)
    client.post(link)
    assert not Membership.objects.filter(user=intruder).exists()


def test_expired_and_withdrawn_invitations_show_a_friendly_page(
    client, world, django_capture_on_commit_callbacks
):
    invite(client, world, django_capture_on_commit_callbacks, email="late@example.org", role=Role.OPERATOR)
    link = accept_link(mail.outbox[0])
    Invitation.objects.filter(email="late@example.org").update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.logout()
    response = client.get(link)
    assert response.status_code == 404
    assert "non è valido" in response.content.decode() or "not valid" in response.content.decode()
    assert client.get("/invito/tampered-token/").status_code == 404


def test_invalid_role_and_organization_pairs_get_a_message(client, world, django_capture_on_commit_callbacks):
    response = invite(
        client, world, django_capture_on_commit_callbacks, email="p@example.org", role=Role.PARTNER
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors  # the message sits by the field
    # An organization of another hub cannot be chosen (tampered select).
    response = invite(
        client,
        world,
        django_capture_on_commit_callbacks,
        email="p@example.org",
        role=Role.PARTNER,
        organization=world.b.cooperative.pk,
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not mail.outbox


def test_inviting_a_current_member_is_refused(client, world, django_capture_on_commit_callbacks):
    response = invite(
        client,
        world,
        django_capture_on_commit_callbacks,
        email=world.a.users[Role.OPERATOR].email,
        role=Role.STEERING,
    )
    assert response.status_code == 200
    assert not mail.outbox


def test_the_last_coordinator_cannot_step_down(client, world):
    admin = world.a.members[Role.HUB_ADMIN]
    client.force_login(admin.user)
    url = reverse("backoffice_membership_update", kwargs={"hub_slug": world.a.hub.slug, "pk": admin.pk})
    response = client.post(url, {"role": Role.OPERATOR, "is_active": "on"})
    assert response.status_code == 200
    admin.refresh_from_db()
    assert admin.role == Role.HUB_ADMIN


def test_accepting_an_invitation_for_another_role_does_not_demote_the_last_coordinator(world):
    from django.core.exceptions import ValidationError

    from hubs import services
    from hubs.tests.factories import InvitationFactory

    admin = world.a.members[Role.HUB_ADMIN]
    invitation = InvitationFactory(hub=world.a.hub, email=admin.user.email, role=Role.OPERATOR)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=admin.user)
    admin.refresh_from_db()
    assert admin.role == Role.HUB_ADMIN and admin.is_active


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locked", [True, False], ids=["with-lock", "without-lock"])
def test_two_coordinators_demoting_each_other_at_once_leave_one(monkeypatch, locked):
    """
    The hub's two coordinators each demote the other at the same moment: with the row lock one
    change goes through and the other is refused; without it, the hub is left with none.
    """
    import threading
    import time

    from django.core.exceptions import ValidationError
    from django.db import close_old_connections, connection

    from hubs import services
    from hubs.tests.factories import HubFactory

    hub = HubFactory()
    first, second = (
        services.membership_create(hub=hub, user=UserFactory(), role=Role.HUB_ADMIN) for _n in range(2)
    )
    monkeypatch.setattr(services, "LOCK_COORDINATORS", locked)
    original_save = Membership.save

    def slow_save(self, *args, **kwargs):  # a busy server: time between the check and the write
        time.sleep(0.2)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Membership, "save", slow_save)
    barrier = threading.Barrier(2)
    outcomes = []

    def demote(membership):
        try:
            barrier.wait()
            services.membership_update(
                membership=membership, role=Role.OPERATOR, organization=None, is_active=True
            )
            outcomes.append("demoted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=demote, args=(m,)) for m in (second, first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    coordinators = Membership.objects.filter(hub=hub, role=Role.HUB_ADMIN, is_active=True).count()
    if locked:
        assert sorted(outcomes) == ["demoted", "refused"] and coordinators == 1
    else:
        assert coordinators == 0, "without the lock both demotions should pass: the test would prove nothing"


def test_a_suspended_member_loses_access_on_the_next_request(client, world):
    operator = world.a.members[Role.OPERATOR]
    client.force_login(world.a.users[Role.HUB_ADMIN])
    url = reverse("backoffice_membership_update", kwargs={"hub_slug": world.a.hub.slug, "pk": operator.pk})
    assert client.post(url, {"role": Role.OPERATOR}).status_code == 302  # is_active unticked
    client.force_login(operator.user)
    dashboard = reverse("backoffice_dashboard", kwargs={"hub_slug": world.a.hub.slug})
    assert client.get(dashboard).status_code == 404


def test_partner_edits_own_organization_until_their_role_changes(client, world):
    partner = world.a.members[Role.PARTNER]
    url = reverse("backoffice_my_organization", kwargs={"hub_slug": world.a.hub.slug})
    client.force_login(partner.user)
    response = client.post(url, {"email": "sportello@coop.example.org", "phone": "0373 000000"})
    assert response.status_code == 302
    world.a.cooperative.refresh_from_db()
    assert world.a.cooperative.email == "sportello@coop.example.org"

    client.force_login(world.a.users[Role.HUB_ADMIN])
    member_url = reverse(
        "backoffice_membership_update", kwargs={"hub_slug": world.a.hub.slug, "pk": partner.pk}
    )
    assert client.post(member_url, {"role": Role.STEERING, "is_active": "on"}).status_code == 302
    assert not partner.user.has_perm("hubs.change_organization", world.a.cooperative)
    client.force_login(partner.user)
    assert client.get(url).status_code == 403


def test_member_list_queries_do_not_grow_with_members(client, world, django_assert_max_num_queries):
    from hubs.tests.factories import MembershipFactory

    client.force_login(world.a.users[Role.HUB_ADMIN])
    url = reverse("backoffice_member_list", kwargs={"hub_slug": world.a.hub.slug})
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    MembershipFactory.create_batch(60, hub=world.a.hub, user__totp=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
