"""
Webhooks as a receiving system meets them: a real HTTP receiver on 127.0.0.1 (the test settings
allow private addresses; production refuses them, tested below with the setting off), events
emitted by the apps' services, signatures checked the way the README tells receivers to.
"""

import hashlib
import hmac
import json
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from desk import services as desk
from desk.tests.factories import SlotFactory
from hubs.events import emit
from hubs.models import Role
from hubs.restapi import tasks, webhooks
from hubs.restapi.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


class Receiver:
    """An HTTP server in a thread: records every request and answers `status`."""

    def __init__(self):
        self.requests, self.status = [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def hook_for(world, receiver, events=("booking.created",)):
    return webhooks.webhook_create(
        hub=world.a.hub, url=receiver.url, events=list(events), by=world.a.users[Role.HUB_ADMIN]
    )


def verified(secret: str, headers: dict, body: bytes) -> bool:
    """What the README tells a receiver to do."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-YIP-Signature"])


def book(world):
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.OPERATOR], capacity=3)
    return desk.booking_create(slot=slot, person=world.a.person, source="staff", verified=True)


def test_a_booking_reaches_the_receiver_signed_with_ids_only(
    world, receiver, django_capture_on_commit_callbacks
):
    hook, secret = hook_for(world, receiver)
    assert secret.startswith("whsec_") and Webhook.objects.get(pk=hook.pk).secret == secret
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world)
    [(headers, body)] = receiver.requests
    assert verified(secret, headers, body)
    assert not verified("another secret", headers, body)
    payload = json.loads(body)
    assert payload["type"] == "booking.created" and payload["hub"] == world.a.hub.slug
    assert payload["data"] == {"object": "booking", "id": booking.pk, "slot": booking.slot_id}
    assert parse_datetime(payload["occurred_at"]).tzinfo is not None and payload["occurred_at"].endswith("Z")
    assert world.a.person.last_name not in body.decode()  # ids, never personal data
    assert headers["X-YIP-Event"] == "booking.created"
    assert abs(int(headers["X-YIP-Timestamp"]) - timezone.now().timestamp()) < 60
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert headers["X-YIP-Delivery"] == str(delivery.delivery_id)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)


def test_only_the_hubs_hooks_for_that_event_are_called(world, receiver, django_capture_on_commit_callbacks):
    hook_for(world, receiver, events=["booking.cancelled"])
    webhooks.webhook_create(hub=world.b.hub, url=receiver.url, events=["booking.created"])
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world)
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        desk.booking_cancel(booking=booking, by_hub=world.a.users[Role.OPERATOR])
    [(headers, _body)] = receiver.requests
    assert headers["X-YIP-Event"] == "booking.cancelled"


def test_a_change_rolled_back_sends_nothing(world, receiver, django_capture_on_commit_callbacks):
    hook_for(world, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                book(world)
                raise RuntimeError
        except RuntimeError:
            pass
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_failures_are_retried_with_back_off_for_three_days_with_the_same_delivery_id(world, receiver):
    hook, _secret = hook_for(world, receiver)
    receiver.status = 503
    emit(world.a.hub, "booking.created", world.a.booking)
    delivery = WebhookDelivery.objects.get(webhook=hook)
    start = delivery.created_at
    assert webhooks.delivery_attempt(delivery_id=delivery.pk, now=start) == "pending"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code) == (1, 503)
    assert delivery.next_attempt_at - start == timedelta(minutes=1)
    # not due yet: nothing sent (a task run early, or twice, does nothing)
    assert webhooks.delivery_attempt(delivery_id=delivery.pk, now=start + timedelta(seconds=30)) is None
    assert len(receiver.requests) == 1
    gaps, now = [], start
    while delivery.status == "pending":
        now = delivery.next_attempt_at
        webhooks.delivery_attempt(delivery_id=delivery.pk, now=now)
        previous = now
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            gaps.append(delivery.next_attempt_at - previous)
    assert gaps[:4] == [timedelta(minutes=m) for m in (2, 4, 8, 16)]  # doubled each time
    assert max(gaps) == timedelta(hours=6)  # capped
    assert delivery.status == "failed" and now - start <= timedelta(days=3)
    assert now - start > timedelta(days=3) - timedelta(hours=6)
    ids = {headers["X-YIP-Delivery"] for headers, _body in receiver.requests}
    assert ids == {str(delivery.delivery_id)} and len(receiver.requests) == delivery.attempts


def test_a_delivered_event_is_never_sent_again(world, receiver):
    hook, _secret = hook_for(world, receiver)
    emit(world.a.hub, "booking.created", world.a.booking)
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) == "delivered"
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) is None
    tasks.webhook_deliver(delivery_id=delivery.pk)
    tasks.webhooks_hub_sweep(hub_id=world.a.hub.pk)
    assert len(receiver.requests) == 1


def test_a_receiver_answering_410_disables_the_hook(world, receiver):
    hook, _secret = hook_for(world, receiver)
    receiver.status = 410
    emit(world.a.hub, "booking.created", world.a.booking)
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) == "gone"
    hook.refresh_from_db()
    assert not hook.is_active and "410" in hook.disabled_reason
    assert emit(world.a.hub, "booking.created", world.a.booking) == 0


def test_the_sweep_sends_what_is_due_and_forgets_the_log_after_30_days(world, receiver, time_machine):
    hook, _secret = hook_for(world, receiver)
    time_machine.move_to(timezone.now() - timedelta(days=31))
    emit(world.a.hub, "booking.created", world.a.booking)
    time_machine.move_to(timezone.now() + timedelta(days=31))
    emit(world.a.hub, "booking.created", world.a.booking)  # its task was lost (never run)
    assert WebhookDelivery.objects.filter(webhook=hook).count() == 2
    tasks.webhooks_sweep()
    [recent] = WebhookDelivery.objects.filter(webhook=hook)
    assert recent.status == "delivered" and len(receiver.requests) == 1


def test_each_delivery_of_the_sweep_fails_on_its_own(world, receiver, monkeypatch):
    hook, _secret = hook_for(world, receiver)
    for _n in range(2):
        emit(world.a.hub, "booking.created", world.a.booking)
    first, second = WebhookDelivery.objects.filter(webhook=hook).order_by("pk")
    WebhookDelivery.objects.filter(pk=first.pk).update(body="not sent: this row breaks")
    real = webhooks._post

    def post(hook, delivery):
        if delivery.pk == first.pk:
            raise RuntimeError("broken row")
        return real(hook, delivery)

    monkeypatch.setattr(webhooks, "_post", post)
    tasks.webhooks_hub_sweep(hub_id=world.a.hub.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "delivered" and first.status == "pending" and first.attempts == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data",  # the cloud's metadata service
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "http://93.184.215.14/hook",  # plain http
        "ftp://93.184.215.14/hook",
    ],
)
def test_production_refuses_private_addresses(world, settings, url):
    settings.YIP_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError):
        webhooks.webhook_create(hub=world.a.hub, url=url, events=["booking.created"])


def test_production_accepts_a_public_https_address_and_checks_again_when_sending(world, receiver, settings):
    settings.YIP_WEBHOOK_ALLOW_PRIVATE = False
    webhooks.url_check("https://93.184.215.14/hook")
    settings.YIP_WEBHOOK_ALLOW_PRIVATE = True
    hook, _secret = hook_for(world, receiver)
    settings.YIP_WEBHOOK_ALLOW_PRIVATE = False  # the address is now refused: nothing is sent
    emit(world.a.hub, "booking.created", world.a.booking)
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert receiver.requests == [] and delivery.response_code is None and delivery.last_error


def test_unknown_events_are_refused(world):
    with pytest.raises(ValueError):
        emit(world.a.hub, "booking.exploded", world.a.booking)
    with pytest.raises(ValidationError):
        webhooks.webhook_create(hub=world.a.hub, url="https://93.184.215.14/", events=["nope"])


def test_the_apps_emit_their_events(world, receiver, django_capture_on_commit_callbacks, time_machine):
    events = ["booking.created", "booking.attended", "referral.status_changed", "fair.registration.created"]
    hook_for(world, receiver, events=events)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(world)
    time_machine.move_to(booking.slot.starts_at + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        desk.booking_mark(booking=booking, status="attended", by=None)
        desk.booking_mark(booking=booking, status="attended", by=None)  # marked again: no event
    assert [h["X-YIP-Event"] for h, _b in receiver.requests] == ["booking.created", "booking.attended"]


# --- the back office ------------------------------------------------------------------------------


def base(world):
    return f"/backoffice/{world.a.hub.slug}/api/webhook/"


def test_the_coordinator_makes_a_hook_sees_the_secret_once_tests_it_and_reads_the_log(
    client, world, receiver, django_capture_on_commit_callbacks
):
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.post(
        f"{base(world)}nuovo/",
        {"url": receiver.url, "description": "Gestionale", "events": ["booking.created", "fair.checked_in"]},
    )
    assert response.status_code == 200, response.context["form"].errors if response.context else response
    assert "no-store" in response["Cache-Control"]
    hook = Webhook.objects.get(hub=world.a.hub)
    secret = response.context["secret"]
    assert secret == hook.secret and secret in response.content.decode()
    assert hook.events == ["booking.created", "fair.checked_in"]
    listing = client.get(base(world)).content.decode()
    assert receiver.url in listing and secret not in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base(world)}{hook.pk}/prova/")
    assert response.status_code == 302
    [(headers, body)] = receiver.requests
    assert headers["X-YIP-Event"] == "ping" and verified(secret, headers, body)
    log = client.get(response["Location"])
    assert log.status_code == 200
    row = log.context["deliveries"][0]
    assert (row.event, row.status, row.attempts, row.response_code) == ("ping", "delivered", 1, 200)
    assert "200" in log.content.decode()


def test_the_coordinator_disables_a_hook_and_no_event_goes(client, world, receiver):
    hook, _secret = hook_for(world, receiver)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.post(
        f"{base(world)}{hook.pk}/modifica/", {"url": receiver.url, "events": ["booking.created"]}
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert not hook.is_active
    assert emit(world.a.hub, "booking.created", world.a.booking) == 0


def test_the_form_refuses_a_private_address_in_production(client, world, settings):
    settings.YIP_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(world.a.users[Role.HUB_ADMIN])
    response = client.post(
        f"{base(world)}nuovo/", {"url": "https://127.0.0.1/", "events": ["booking.created"]}
    )
    assert response.status_code == 200 and response.context["form"].errors["url"]
    assert not Webhook.objects.exists()


def test_another_hubs_hook_is_404(client, world):
    other, _secret = webhooks.webhook_create(
        hub=world.b.hub, url="http://127.0.0.1:9/", events=["booking.created"]
    )
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.get(f"{base(world)}{other.pk}/modifica/").status_code == 404
    assert client.post(f"{base(world)}{other.pk}/prova/").status_code == 404
    assert not client.get(f"{base(world)}consegne/?webhook={other.pk}").context["deliveries"]


def test_the_delivery_log_costs_the_same_queries_for_few_and_many_rows(client, world):
    hook, _secret = webhooks.webhook_create(
        hub=world.a.hub, url="http://127.0.0.1:9/", events=["booking.created"]
    )
    client.force_login(world.a.users[Role.HUB_ADMIN])
    url = f"{base(world)}consegne/"
    counts = []
    for count in (5, 60):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                hub=world.a.hub, webhook=hook, delivery_id=uuid.uuid4(), event="booking.created", body="{}"
            )
            for _n in range(count)
        )
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_fair_and_the_referrals_emit_theirs_to_the_hubs_involved(
    world, receiver, django_capture_on_commit_callbacks, time_machine
):
    from hubs.network import services as network
    from hubs.network.models import Referral
    from jobfair import services as jobfair
    from jobfair.tests.factories import sweep_fair

    events = ["fair.registration.created", "fair.checked_in", "referral.status_changed"]
    hook, secret = hook_for(world, receiver, events=events)
    fair = sweep_fair(world.a)
    person = world.a.person
    with django_capture_on_commit_callbacks(execute=True):
        registration = jobfair.registration_create(
            fair=fair,
            person_data={"email": person.email, "birth_date": person.birth_date},
            notice_accepted=True,
        )
    time_machine.move_to(fair.starts())
    with django_capture_on_commit_callbacks(execute=True):
        jobfair.check_in(fair=fair, token=registration.token, workshop=None, device="Porta", nonce="n-1")
        jobfair.check_in(fair=fair, token=registration.token, workshop=None, device="Porta", nonce="n-2")
    # a referral from hub b: hub a hears of it only once the young person consented
    referral = Referral.objects.create(
        hub=world.b.hub,
        to_hub=world.a.hub,
        service="Orientamento",
        person=world.b.person,
        purpose="Lavoro",
        items=["name"],
        expires_on=fair.date + timedelta(days=30),
        token_hash="webhook-test",
    )
    with django_capture_on_commit_callbacks(execute=True):
        network.referral_consent(referral=referral, consent=True)
        network.referral_decide(referral=referral, accept=True, by=None)
    bodies = [json.loads(body) for _headers, body in receiver.requests]
    assert [(b["type"], b["data"].get("status")) for b in bodies] == [
        ("fair.registration.created", None),
        ("fair.checked_in", None),  # the second scan is "already used": no event
        ("referral.status_changed", "consented"),
        ("referral.status_changed", "accepted"),
    ]
    assert bodies[1]["data"]["registration"] == registration.pk and bodies[1]["data"]["fair"] == fair.pk
    assert all(verified(secret, h, b) for h, b in receiver.requests)
    assert {b["hub"] for b in bodies} == {world.a.hub.slug}
