"""
Young people and the co-design meetings beyond the group's list: they register from the pact's
public page (the minors' rule applies; an e-mail with a cancel link), mark themselves present by
the meeting's QR code during its window (twice is once; counted once per pact), are told once
per change when staff change a planned meeting; staff opening pages that name them is logged;
the pact shows in their journey; export and erasure cover their registrations.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hubs.journey_registry import timeline
from hubs.models import Role
from pacts import indicators, selectors, services
from pacts.models import MeetingAttendance
from pacts.tests.factories import meeting, signed
from people.models import RecordAccess
from people.services import person_erase, person_export

pytestmark = pytest.mark.django_db

ADULT = date(2000, 3, 1)
CHILD_ON = lambda day: date(day.year - 12, 1, 1)  # noqa: E731


def pub(name, hub, **kwargs):
    return reverse(f"pacts:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def bo(name, hub, **kwargs):
    return reverse(f"pactsbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def data(email="giulia@example.org", born=ADULT, **extra):
    return {"first_name": "Giulia", "last_name": "Rossi", "email": email, "birth_date": born} | extra


@pytest.fixture
def hub(module_world):
    return module_world.a.hub


@pytest.fixture
def pact(hub):
    return signed(hub, proposer={"name": "Sara Neri", "birth_date": ADULT, "gender": "female"})


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_a_young_person_registers_once_and_gets_a_cancel_link_that_works(
    hub, pact, django_capture_on_commit_callbacks
):
    coming = meeting(pact, date=date.today() + timedelta(days=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        row = services.registration_create(meeting=coming, person_data=data())
    assert row.person.email == "giulia@example.org" and row.name == "Giulia Rossi"
    assert [m.to for m in sent_to("giulia@example.org")] == [["giulia@example.org"]]
    body = sent_to("giulia@example.org")[0].body
    cancel = body.split("/annulla/")[0].rsplit("http", 1)[1]
    token = cancel.rsplit("/", 1)[1]
    with pytest.raises(ValidationError):
        services.registration_create(meeting=coming, person_data=data(email="GIULIA@example.org"))
    found = services.registration_from_token(hub=hub, token=token)
    assert found == row
    services.registration_cancel(registration=found)
    assert not coming.attendances.exists()
    assert services.registration_from_token(hub=hub, token=token) is None


def test_a_minor_registers_only_with_the_guardians_consent_who_is_told_too(
    pact, django_capture_on_commit_callbacks
):
    coming = meeting(pact, date=date.today() + timedelta(days=5))
    child = data(email="piccolo@example.org", born=CHILD_ON(coming.date))
    with pytest.raises(ValidationError):
        services.registration_create(meeting=coming, person_data=child)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        row = services.registration_create(
            meeting=coming,
            person_data=child
            | {
                "guardian_name": "Mamma",
                "guardian_email": "mamma@example.org",
                "guardian_consent_at": timezone.now(),
            },
        )
    assert row.needs_guardian and row.is_confirmed
    assert [m.to for m in sent_to("mamma@example.org")] == [["piccolo@example.org", "mamma@example.org"]]


def test_registration_is_only_for_a_signed_pacts_meetings_to_come(hub, pact):
    past = meeting(pact, date=date.today() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.registration_create(meeting=past, person_data=data())


def test_the_qr_marks_present_in_the_window_only_and_twice_is_once(hub, pact):
    today = meeting(pact)
    url = services.meeting_qr_url(today)
    qr_token = url.rstrip("/").rsplit("/", 1)[1]
    assert services.meeting_from_qr(hub=hub, token=qr_token) == today
    assert services.meeting_from_qr(hub=hub, token=qr_token + "x") is None
    tomorrow = timezone.now() + timedelta(days=1)
    assert services.meeting_from_qr(hub=hub, token=qr_token, now=tomorrow) is None
    before = selectors.figures_for([pact.pk])[pact.pk].young_people
    period = (date.today() - timedelta(days=1), date.today() + timedelta(days=1))
    counted = indicators.young_people(hub, *period)
    first = services.meeting_checkin(meeting=today, person_data=data(email="walkin@example.org"))
    again = services.meeting_checkin(meeting=today, person_data=data(email="Walkin@example.org"))
    assert first.pk == again.pk and again.attended and again.source == MeetingAttendance.Source.QR
    # a second meeting of the same pact: still one young person
    other = meeting(pact, place="Oratorio")
    services.meeting_checkin(meeting=other, person_data=data(email="walkin@example.org"))
    assert selectors.figures_for([pact.pk])[pact.pk].young_people == before + 1
    assert indicators.young_people(hub, *period) == counted + 1
    # a group member scanning is ticked on the group's row
    member = pact.members.first()
    row = services.meeting_checkin(meeting=today, person_data=data(email=member.email))
    assert row.member == member and row.attended
    assert selectors.figures_for([pact.pk])[pact.pk].young_people == before + 1
    services.meeting_close(meeting=today, minutes="Fatto.")
    with pytest.raises(ValidationError):
        services.meeting_checkin(meeting=today, person_data=data(email="tardi@example.org"))
    assert services.meeting_from_qr(hub=hub, token=qr_token) is None


def test_staff_tick_self_registered_people_by_list_too(hub, pact):
    today = meeting(pact)
    row = services.registration_create(meeting=today, person_data=data())
    member = pact.members.first()
    services.meeting_attendance_set(meeting=today, registered=[member], guests=[row])
    row.refresh_from_db()
    assert row.attended and today.attendances.count() == 2
    services.meeting_attendance_set(meeting=today, registered=[member], guests=[])
    row.refresh_from_db()
    assert not row.attended and today.attendances.count() == 2  # a registration stays


def test_a_change_is_told_once_to_everyone_registered(hub, pact, django_capture_on_commit_callbacks):
    coming = meeting(pact, date=date.today() + timedelta(days=5))
    services.registration_create(meeting=coming, person_data=data())
    services.meeting_attendance_set(meeting=coming, registered=[pact.members.first()])
    member = pact.members.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=coming, place="Biblioteca")  # no change
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=coming, place="Biblioteca")  # still no change
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=coming, place="Sala civica", date=coming.date + timedelta(days=1))
    changed = [m for m in mail.outbox if "Sala civica" in m.body]
    assert sorted(m.to[0] for m in changed) == sorted(["giulia@example.org", member.email])
    assert services.meeting_change_notify(meeting_id=coming.pk) == 0  # a retry sends nothing
    assert len([m for m in mail.outbox if "Sala civica" in m.body]) == 2


def test_staff_opening_pages_naming_young_people_is_logged(client, module_world, hub, pact):
    today = meeting(pact)
    row = services.registration_create(meeting=today, person_data=data())
    proposer = pact.members.get(is_proposer=True)
    client.force_login(module_world.a.users[Role.OPERATOR])
    client.get(bo("pact_detail", hub, pk=pact.pk))
    client.get(bo("meeting_attendance", hub, pk=today.pk))
    logged = set(RecordAccess.objects.for_hub(hub).values_list("person_id", "what"))
    assert (proposer.person_id, "pacts.pact") in logged
    assert (row.person_id, "pacts.meeting") in logged


def test_the_pact_shows_in_the_journey_and_export_and_erasure_cover_registrations(hub, pact):
    today = meeting(pact)
    row = services.meeting_checkin(meeting=today, person_data=data())
    person = row.person
    assert any(pact.title in entry.title and entry.action == 3 for entry in timeline(person, hub=hub))
    proposer = pact.members.get(is_proposer=True)
    assert proposer.person is not None
    assert any(pact.title in e.title for e in timeline(proposer.person))
    exported = person_export(person=person)
    assert any("giulia@example.org" in str(rows) for label, rows in exported.items() if "pacts" in label)
    before = selectors.figures_for([pact.pk])[pact.pk].young_people
    person_erase(person=person)
    row.refresh_from_db()
    assert (row.name, row.email, row.birth_date, row.birth_year) == ("", "", None, ADULT.year)
    assert selectors.figures_for([pact.pk])[pact.pk].young_people == before  # still counted


def test_public_registration_page_and_qr_page_work(client, hub, pact):
    coming = meeting(pact, date=date.today() + timedelta(days=3))
    page = client.get(pub("public_pact", hub, pk=pact.pk)).content.decode()
    assert pub("meeting_register", hub, pk=coming.pk) in page
    form = {
        "first_name": "Luca",
        "last_name": "Bianchi",
        "email": "luca@example.org",
        "birth_date": "01/02/2001",
    }
    response = client.post(pub("meeting_register", hub, pk=coming.pk), form)
    assert response.status_code == 200 and response.context["done"]
    response = client.post(pub("meeting_register", hub, pk=coming.pk), form)
    assert "email" in response.context["form"].errors
    today = meeting(pact)
    qr = services.meeting_qr_url(today).split("testserver")[-1].split(".test")[-1]
    qr_path = qr[qr.index("/") :]
    response = client.post(qr_path, form)
    assert response.status_code == 200 and response.context["done"].attended
    bad = client.get(pub("meeting_checkin", hub, token="not-a-real-token"))
    assert bad.status_code == 200 and bad.context["meeting"] is None
    # another hub's meeting is not found by id
    assert client.get(pub("meeting_register", hub, pk=999999)).status_code == 404


def test_staff_change_a_meeting_from_its_page(
    client, module_world, hub, pact, django_capture_on_commit_callbacks
):
    coming = meeting(pact, date=date.today() + timedelta(days=5))
    client.force_login(module_world.a.users[Role.OPERATOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            bo("meeting_update", hub, pk=coming.pk),
            {"date": coming.date.strftime("%d/%m/%Y"), "time": "", "place": "Sala civica", "agenda": "Nuova"},
        )
    assert response.status_code == 302
    coming.refresh_from_db()
    assert (coming.place, coming.version) == ("Sala civica", 2)
    client.force_login(module_world.a.users[Role.PARTNER])
    assert client.get(bo("meeting_update", hub, pk=coming.pk)).status_code in (403, 404)


def test_the_meeting_page_costs_the_same_for_one_and_ten_registrations(
    client, module_world, hub, pact, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = meeting(pact)
    services.registration_create(meeting=today, person_data=data(email="uno@example.org"))
    client.force_login(module_world.a.users[Role.OPERATOR])
    url = bo("meeting_attendance", hub, pk=today.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(9):
        row = services.meeting_checkin(meeting=today, person_data=data(email=f"p{n}@example.org"))
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('name="guests"') == 10 and row.name in page
