"""
Text that people type is never code (security issue #10): every kind of e-mail the portal
sends, with template syntax, HTML and very long values in every typed field the mail shows,
is delivered with those values exactly as typed, and no bigger than the values themselves plus
the template's own words.

Every value starts with the attack (`{{7*7}}` would be a template error, `{% lorem 3000 w %}`
22 KB of Latin, `{% debug %}` the server's modules) and is padded to the length the field
stores: 10,000 characters where the column is unbounded (TextField), its maximum otherwise.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from desk import services as desk
from desk.models import Channel, Notice
from desk.tests.factories import EnquiryFactory, ServiceFactory, SlotFactory
from governance import services as governance
from governance.tests.factories import DecisionFactory
from hubs import services as hubs
from hubs.models import Organization, Role
from hubs.tests.factories import HubFactory, MembershipFactory, OrganizationFactory
from people.tasks import outbox_flush
from people.tests.factories import PASSWORD, PersonFactory, UserFactory
from placements import services as placements
from placements.tests.factories import PathFactory, log

pytestmark = pytest.mark.django_db

ATTACK = "{{7*7}} {% lorem 3000 w %} {% debug %} <b>x</b> <script>alert(1)</script> "
LONG = 10_000
# What a message may hold besides the typed values: the template's own words and links.
TEMPLATE_TEXT = 2_000


def typed(length: int) -> str:
    """A value as an attacker would type it, `length` characters long."""
    return (ATTACK + "x" * length)[:length]


def rest(text: str, values) -> str:
    """The text without the typed values: what the template itself said."""
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def delivered(capture, action):
    """Run `action`, let the outbox deliver, and return the one message it sent."""
    mail.outbox.clear()
    with capture(execute=True):
        action()
    outbox_flush()
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    return mail.outbox[0]


def assert_literal(message, *, body=(), subject=()):
    for value in body:
        assert value in message.body
    for value in subject:
        assert value in message.subject
    assert "\n" not in message.subject
    assert len(rest(message.body, body)) < TEMPLATE_TEXT
    assert len(rest(message.subject, subject)) < 200
    for content, _mimetype in getattr(message, "alternatives", []):
        assert len(content) < len(message.body) + TEMPLATE_TEXT


@pytest.fixture
def hub():
    """A hub whose staff typed the attack into its name, address and phone."""
    return HubFactory(name=typed(150), address=typed(200), phone=typed(40))


def test_every_desk_mail_arrives_as_typed(hub, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    service = ServiceFactory(hub=hub, name=typed(120))
    slot = SlotFactory(service=service, capacity=1)
    person = PersonFactory(first_name=typed(100))
    place = [hub.name, hub.address]

    booking = None

    def book():
        nonlocal booking
        booking = desk.booking_create(slot=slot, person=person)

    verify = delivered(capture, book)
    assert_literal(verify, body=[person.first_name, service.name, *place], subject=[hub.name])

    confirmation = delivered(capture, lambda: desk.booking_verify(booking=booking))
    assert_literal(confirmation, body=[person.first_name, service.name, *place, hub.phone])
    name, content, mimetype = confirmation.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == f"{service.name} · {hub.name}"

    reminder = delivered(
        capture, lambda: desk.notice_send(booking_id=booking.pk, kind=Notice.Kind.REMINDER_DAY)
    )
    assert_literal(reminder, body=[person.first_name, service.name, *place])

    # The place is taken: the next person waits, and gets it when the hub cancels.
    waiting = PersonFactory(first_name=typed(100))
    desk.waitlist_join(hub=hub, service=service, channel=slot.channel, antenna=None, person=waiting)
    mail.outbox.clear()
    with capture(execute=True):
        desk.booking_cancel(booking=booking, by_hub=slot.operator)
    outbox_flush()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {person.email, waiting.email}
    assert_literal(by_recipient[person.email], body=[person.first_name, service.name, hub.name])
    assert_literal(by_recipient[waiting.email], body=[service.name], subject=[hub.name])

    # An online session: the reminder an hour before shows the video link the staff typed.
    video_url = "https://meet.example.org/" + typed(175).replace(" ", "")
    # a group session: its bookings share the slot's room as staff typed it (one-to-one ones get their own)
    online = SlotFactory(service=service, channel=Channel.ONLINE, video_url=video_url, capacity=2)
    online_booking = desk.booking_create(slot=online, person=person, verified=True)
    hour = delivered(
        capture, lambda: desk.notice_send(booking_id=online_booking.pk, kind=Notice.Kind.REMINDER_HOUR)
    )
    assert_literal(hour, body=[person.first_name, video_url])

    enquiry = EnquiryFactory(hub=hub, name=typed(200), subject=typed(200), message=typed(LONG))
    reply = typed(LONG)
    answer = delivered(capture, lambda: desk.enquiry_reply(enquiry=enquiry, reply=reply, by=slot.operator))
    assert_literal(
        answer, body=[enquiry.name, reply, enquiry.message, hub.name, hub.phone], subject=[enquiry.subject]
    )
    assert answer.message()["Reply-To"] == hub.email


def test_every_placements_mail_arrives_as_typed(hub, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    cooperative = OrganizationFactory(name=typed(200), hubs=[hub], kind=Organization.Kind.COOPERATIVE)
    operator = UserFactory()
    path = PathFactory(
        hub=hub, person=PersonFactory(first_name=typed(100)), cooperative=cooperative, operator=operator
    )
    activity = log(path, 2, by=operator)
    confirm = delivered(capture, lambda: placements.confirmation_request(activity=activity))
    assert_literal(confirm, body=[path.person.first_name, cooperative.name, hub.name], subject=[hub.name])

    closed = PathFactory(
        hub=hub,
        cooperative=cooperative,
        operator=operator,
        starts_on=timezone.localdate() - timedelta(days=300),
    )
    log(closed, 4, days_ago=250, by=operator)
    placements.path_close(
        path=closed, outcome="searching", closed_on=timezone.localdate() - timedelta(days=200)
    )
    placements.follow_ups_create()
    follow_up = closed.follow_ups.get(months=3)
    reminder = delivered(capture, lambda: placements.follow_up_remind(follow_up_id=follow_up.pk))
    assert reminder.to == [operator.email]
    assert_literal(reminder, body=[hub.name])


def test_every_governance_mail_arrives_as_typed(hub, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    capture = django_capture_on_commit_callbacks
    steering = MembershipFactory(hub=hub, role=Role.STEERING).user
    report = governance.report_request(hub=hub, by=steering)
    governance.report_generate(report_id=report.pk)
    sent = delivered(capture, lambda: governance.report_email(report_id=report.pk))
    assert sent.to == [steering.email]
    assert_literal(sent, body=[hub.name], subject=[hub.name])
    assert sent.attachments[0][2] == "application/pdf"

    coordinator = MembershipFactory(hub=hub, role=Role.HUB_ADMIN).user
    decision = DecisionFactory(
        meeting__hub=hub,
        text=typed(LONG),
        owner_name=typed(200),
        due_on=timezone.localdate() + timedelta(days=3),
    )
    reminder = delivered(capture, lambda: governance.decision_remind(decision_id=decision.pk))
    assert reminder.to == [coordinator.email]
    assert_literal(reminder, body=[hub.name, decision.text, decision.owner_name])


def test_the_invitation_arrives_as_typed(hub, django_capture_on_commit_callbacks):
    inviter = UserFactory(first_name=typed(150), last_name=typed(150))
    sent = delivered(
        django_capture_on_commit_callbacks,
        lambda: hubs.invitation_create(
            hub=hub,
            email="nuovo@example.org",
            role=Role.OPERATOR,
            organization=None,
            by=inviter,
            base_url="http://testserver",
        ),
    )
    assert_literal(sent, body=[hub.name, inviter.get_full_name()], subject=[hub.name])


# E-mail addresses may hold braces, percent signs and stars: a valid address can be an attack.
ADDRESS = "{{7*7}}{%debug%}{%lorem%}@example.org"


def test_allauth_mails_arrive_as_typed(client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    signup = {"email": ADDRESS, "password1": PASSWORD, "password2": PASSWORD}
    verification = delivered(capture, lambda: client.post("/accounts/signup/", signup))
    assert verification.to == [ADDRESS]
    assert_literal(verification, body=[ADDRESS])

    reset = delivered(capture, lambda: client.post("/accounts/password/reset/", {"email": ADDRESS}))
    assert reset.to == [ADDRESS] and "/accounts/password/reset/key/" in reset.body
    assert_literal(reset)

    unknown = "{{7*7}}{%debug%}@example.net"
    nobody = delivered(capture, lambda: client.post("/accounts/password/reset/", {"email": unknown}))
    assert_literal(nobody, body=[unknown])
