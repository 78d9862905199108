"""
The operator's tools (issue 12, "The operator's day"): the quick search in the header, the
private calendar feed of one's sessions, weekly availability entered once for several days.
"""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from desk import services
from desk.models import AvailabilityRule, Booking, CalendarFeed, Channel, Slot
from desk.tests.factories import BookingFactory, RuleFactory, SlotFactory
from hubs.models import Role
from hubs.tokens import token_hash
from people.models import PersonHub, RecordAccess
from people.tests.factories import PersonFactory
from placements.tests.factories import PathFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def bo(name, hub, **kwargs):
    return reverse(name, kwargs={"hub_slug": hub.slug, **kwargs})


@pytest.fixture
def operator(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    return client


# --- Quick search --------------------------------------------------------------------------------


def test_the_header_has_the_quick_search_for_hub_staff_only(client, world):
    client.force_login(world.a.users[Role.OPERATOR])
    page = client.get(bo("backoffice_dashboard", world.a.hub)).content.decode()
    assert 'role="search"' in page and bo("backoffice_search", world.a.hub) in page
    client.force_login(world.a.users[Role.STEERING])
    page = client.get(bo("backoffice_dashboard", world.a.hub)).content.decode()
    assert bo("backoffice_search", world.a.hub) not in page
    assert client.get(bo("backoffice_search", world.a.hub), {"q": "x"}).status_code == 403


def test_quick_search_finds_by_name_email_phone_and_number_in_this_hub_only(operator, world):
    hub = world.a.hub
    anna = PersonFactory(
        first_name="Annalisa", last_name="Quercioli", email="aq@example.org", phone="+39 333 12-34 567"
    )
    PersonHub.objects.create(person=anna, hub=hub)
    elsewhere = PersonFactory(first_name="Annalisa", last_name="Quercioli", email="aq2@example.org")
    PersonHub.objects.create(person=elsewhere, hub=world.b.hub)
    record = bo("deskbo:person_record", hub, pk=anna.pk)
    for typed in ("annalisa querc", "AQ@EXAMPLE", "333 1234567", "+39 3331234567"):
        response = operator.get(bo("backoffice_search", hub), {"q": typed})
        groups = {group["key"]: group for group in response.context["groups"]}
        urls = [result.url for result in groups["desk.people"]["results"]]
        assert urls == [record], typed
    assert (
        bo("deskbo:person_record", hub, pk=elsewhere.pk)
        not in operator.get(bo("backoffice_search", hub), {"q": "Quercioli"}).content.decode()
    )

    response = operator.get(bo("backoffice_search", hub), {"q": str(world.a.path.pk)})
    groups = {group["key"]: group for group in response.context["groups"]}
    assert groups["placements.paths"]["results"][0].url == bo(
        "placementsbo:path_detail", hub, pk=world.a.path.pk
    )
    other_path = PathFactory(hub=world.b.hub)
    response = operator.get(bo("backoffice_search", hub), {"q": f"#{other_path.pk}"})
    assert "placements.paths" not in {group["key"] for group in response.context["groups"]}


def test_opening_a_result_is_logged_and_the_results_page_says_nothing_matches(operator, world):
    hub, person = world.a.hub, world.a.person
    response = operator.get(bo("backoffice_search", hub), {"q": person.email})
    url = response.context["groups"][0]["results"][0].url
    before = RecordAccess.objects.filter(person=person).count()
    operator.get(url)
    assert RecordAccess.objects.filter(person=person).count() == before + 1
    page = operator.get(bo("backoffice_search", hub), {"q": "zzzyxw"}).content.decode()
    assert "Nessun risultato" in page


def test_quick_search_makes_the_same_number_of_queries_for_10_and_1000_people(operator, world):
    hub = world.a.hub

    def people(n, start):
        made = PersonFactory.create_batch(n, last_name="Ferrandi", phone="3331234567")
        PersonHub.objects.bulk_create([PersonHub(person=p, hub=hub) for p in made])

    def queries(q):
        operator.get(bo("backoffice_search", hub), {"q": q})
        with CaptureQueriesContext(connection) as captured:
            response = operator.get(bo("backoffice_search", hub), {"q": q})
        assert response.status_code == 200
        return len(captured.captured_queries), response

    people(10, 0)
    few, response = queries("ferrandi")
    assert len(response.context["groups"][0]["results"]) == 10
    people(990, 10)
    many, response = queries("ferrandi")
    assert many == few and response.context["groups"][0]["more"]
    assert queries("333 1234567")[0] == few


# --- Calendar feed ---------------------------------------------------------------------------------


def test_an_operator_makes_a_feed_of_their_sessions_with_first_names_only(operator, world):
    hub = world.a.hub
    response = operator.post(bo("deskbo:calendar_feed", hub), {"action": "create"})
    feed_url = response.context["new_feed_url"]
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=world.a.users[Role.OPERATOR])
    assert feed.token_hash == token_hash(token) and token not in feed.token_hash
    assert response["Cache-Control"] == "no-store"
    assert token not in operator.get(bo("deskbo:calendar_feed", hub)).content.decode()  # shown once

    operator.logout()
    path = feed_url.removeprefix("http://testserver").split("://", 1)[-1]
    path = path[path.index("/") :]
    answer = operator.get(path)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    assert answer["Cache-Control"].startswith("private")
    calendar = Calendar.from_ical(answer.content)
    events = calendar.walk("VEVENT")
    person = world.a.booking.person
    assert [str(e["uid"]) for e in events] == [f"slot-{world.a.slot.pk}@younginprogress"]
    summary = str(events[0]["summary"])
    assert summary == f"{world.a.service.name} · {person.first_name}"
    text = answer.content.decode()
    for secret in (person.last_name, person.email):
        assert secret not in text
    assert str(world.b.booking.person.first_name) not in summary

    # a new address stops the old one; stopping the feed stops the new one
    operator.force_login(world.a.users[Role.OPERATOR])
    renewed = operator.post(bo("deskbo:calendar_feed", hub), {"action": "create"}).context["new_feed_url"]
    assert operator.get(path).status_code == 404
    new_path = renewed[renewed.index("/", renewed.index("://") + 3) :]
    assert operator.get(new_path).status_code == 200
    operator.post(bo("deskbo:calendar_feed", hub), {"action": "revoke"})
    assert operator.get(new_path).status_code == 404
    # the token names one hub: the same token under another hub's address is a 404
    _, token3 = services.calendar_feed_create(hub=hub, user=world.a.users[Role.OPERATOR])
    assert (
        operator.get(
            reverse("desk:operator_feed", kwargs={"hub_slug": world.b.hub.slug, "token": token3})
        ).status_code
        == 404
    )
    assert (
        operator.get(
            reverse("desk:operator_feed", kwargs={"hub_slug": hub.slug, "token": token3})
        ).status_code
        == 200
    )


def test_the_feed_leaves_out_free_cancelled_and_other_operators_sessions(client, world):
    hub, me = world.a.hub, world.a.users[Role.OPERATOR]
    free = SlotFactory(service=world.a.service, operator=me)
    cancelled = BookingFactory(
        slot=SlotFactory(service=world.a.service, operator=me), status=Booking.Status.CANCELLED
    )
    other = BookingFactory(slot=SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN]))
    _, token = services.calendar_feed_create(hub=hub, user=me)
    calendar = Calendar.from_ical(
        client.get(reverse("desk:operator_feed", kwargs={"hub_slug": hub.slug, "token": token})).content
    )
    uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    assert f"slot-{world.a.slot.pk}@younginprogress" in uids
    for slot in (free, cancelled.slot, other.slot):
        assert f"slot-{slot.pk}@younginprogress" not in uids


# --- Weekly availability for several days ------------------------------------------------------------


def weekly(world, **changes):
    data = {
        "operator": world.a.users[Role.HUB_ADMIN].pk,
        "weekdays": ["0", "2", "4"],
        "services": [world.a.service.pk],
        "channel": Channel.HUB,
        "start_time": "09:00",
        "end_time": "12:00",
        "capacity": "1",
        "valid_from": timezone.localdate().isoformat(),
    }
    return data | changes


def test_one_form_makes_a_rule_per_weekday_and_the_sessions(operator, world):
    hub = world.a.hub
    response = operator.post(bo("deskbo:rule_create_weekly", hub), weekly(world))
    assert response.status_code == 302
    rules = AvailabilityRule.objects.for_hub(hub).filter(operator=world.a.users[Role.HUB_ADMIN])
    assert sorted(rules.values_list("weekday", flat=True)) == [0, 2, 4]
    assert {(r.start_time, r.end_time) for r in rules} == {(time(9), time(12))}
    slots = Slot.objects.for_hub(hub).filter(rule__in=rules)
    assert slots.exists() and {timezone.localtime(s.starts_at).weekday() for s in slots} <= {0, 2, 4}


def test_overlapping_hours_are_refused_with_a_clear_message(operator, world):
    hub, admin = world.a.hub, world.a.users[Role.HUB_ADMIN]
    RuleFactory(service=world.a.service, operator=admin, weekday=2, start_time=time(11), end_time=time(13))
    response = operator.post(bo("deskbo:rule_create_weekly", hub), weekly(world))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "mercoledì, 11:00–13:00" in errors and world.a.service.name in errors
    assert not AvailabilityRule.objects.for_hub(hub).filter(operator=admin, weekday__in=[0, 4]).exists()
    # hours that only touch, or another operator, are fine
    response = operator.post(bo("deskbo:rule_create_weekly", hub), weekly(world, end_time="11:00"))
    assert response.status_code == 302


def test_several_services_at_the_same_hours_are_refused_and_services_are_the_hubs(operator, world):
    from desk.tests.factories import ServiceFactory

    hub = world.a.hub
    second = ServiceFactory(hub=hub)
    response = operator.post(
        bo("deskbo:rule_create_weekly", hub), weekly(world, services=[world.a.service.pk, second.pk])
    )
    assert response.status_code == 200 and "un appuntamento alla volta" in str(
        response.context["form"].errors["services"]
    )
    response = operator.post(
        bo("deskbo:rule_create_weekly", hub), weekly(world, services=[world.b.service.pk])
    )
    assert "services" in response.context["form"].errors
    response = operator.post(bo("deskbo:rule_create_weekly", hub), weekly(world, weekdays=[]))
    assert "weekdays" in response.context["form"].errors


# --- The "known person" choice searches --------------------------------------------------------------


def test_booking_on_behalf_lists_nobody_before_a_search_and_only_matches_after(operator, world):
    hub = world.a.hub
    slot = SlotFactory(service=world.a.service, operator=world.a.users[Role.HUB_ADMIN])
    address = reverse("deskbo:booking_on_behalf", kwargs={"hub_slug": hub.slug, "slot_id": slot.pk})
    made = PersonFactory.create_batch(25, last_name="Cattaneo")
    PersonHub.objects.bulk_create([PersonHub(person=p, hub=hub) for p in made])
    page = operator.get(address)
    html = page.content.decode()
    assert '<select name="person"' not in html
    assert 'type="radio" class="form-check-input" name="person"' in html
    assert [value for value, _ in page.context["form"].fields["person"].widget.choices] == [""]
    assert "Una persona nuova (compila i dati qui sotto)" in html and ">None<" not in html
    assert "Titolo di studio più alto conseguito" in html  # the staff speak of the young person
    page = operator.get(address, {"q": "cattaneo"})
    form = page.context["form"]
    assert len(form.fields["person"].widget.choices) == 1 + 20 and form.more_matches
    by_phone = PersonFactory(phone="0373 218 990")
    PersonHub.objects.create(person=by_phone, hub=hub)
    choices = operator.get(address, {"q": "0373 218990"}).context["form"].fields["person"].widget.choices
    assert [value for value, _ in choices] == ["", by_phone.pk]
    # the chosen person stays chosen when the form comes back with an error elsewhere
    response = operator.post(address + "?q=cattaneo", {"person": made[0].pk, "reason": "x" * 1001})
    assert response.status_code == 200
    assert made[0].pk in [value for value, _ in response.context["form"].fields["person"].widget.choices]


def test_the_single_rule_form_refuses_overlaps_too_but_not_its_own_hours(operator, world):
    hub, rule = world.a.hub, world.a.rule  # Tuesday 14:30–17:30
    data = {
        "service": world.a.service.pk,
        "operator": rule.operator.pk,
        "channel": Channel.HUB,
        "weekday": rule.weekday,
        "start_time": "17:00",
        "end_time": "18:30",
        "capacity": 1,
        "valid_from": timezone.localdate().isoformat(),
        "is_active": "on",
    }
    response = operator.post(bo("deskbo:rule_create", hub), data)
    assert response.status_code == 200 and "14:30–17:30" in " ".join(
        response.context["form"].non_field_errors()
    )
    response = operator.post(bo("deskbo:rule_update", hub, pk=rule.pk), data | {"start_time": "15:00"})
    assert response.status_code == 302
