"""
The minors' rule, through every form that records a new young person: the desk's public booking
and waiting list, the staff's booking on someone's behalf, the placements intake. A day short of
the consent age on the day that counts, a parent or guardian's name, e-mail and consent are
required; on the birthday itself they are not. The age is `settings.YIP_CONSENT_AGE`: changing
it moves the boundary of every form, their texts and the age the guardian script reads.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk.models import Booking, WaitlistEntry
from desk.tests.factories import ServiceFactory, SlotFactory
from hubs import services as hub_services
from hubs.models import Role
from hubs.tests.factories import HubFactory, OrganizationFactory
from people.models import Person
from people.tests.factories import UserFactory
from placements.models import Path

pytestmark = pytest.mark.django_db

FORMS = ("public_booking", "waitlist", "staff_booking", "intake")
PUBLIC_DESK_FORMS = ("public_booking", "waitlist")  # consent by the guardian's own e-mailed link
GUARDIAN = {"guardian_name": "Marta Rossi", "guardian_email": "marta@example.org", "guardian_consent": "on"}
EMAIL = "minore@example.org"
# The law's 14, and the setting moved either way.
CONSENT_AGES = (14, 12, 16)


def english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def desk(db):
    """A hub with an operator, a cooperative, and a session in four days with places to spare."""
    hub = HubFactory()
    operator = UserFactory(totp=True)
    hub_services.membership_create(hub=hub, user=operator, role=Role.OPERATOR)
    service = ServiceFactory(hub=hub)
    starts_at = (timezone.now() + timedelta(days=4)).replace(microsecond=0)
    slot = SlotFactory(service=service, operator=operator, starts_at=starts_at, capacity=10)
    staff = Client()
    staff.force_login(operator)
    return SimpleNamespace(
        hub=hub,
        service=service,
        slot=slot,
        cooperative=OrganizationFactory(hubs=[hub]),
        public=english(Client()),
        staff=english(staff),
    )


def years_before(day: date, years: int) -> date:
    """The date of birth of someone who turns `years` on `day` (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def person_details(born: date) -> dict:
    return {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": EMAIL,
        "phone": "",
        "birth_date": born.isoformat(),
        "gender": "female",
        "municipality": "",
        "status": "student",
        "education": "lower_secondary",
    }


def age_day(desk, form: str) -> date:
    """The day the age counts on: the session's for a booking, the path's first day, today."""
    if form in ("public_booking", "staff_booking"):
        return timezone.localdate(desk.slot.starts_at)
    return timezone.localdate()


def page(desk, form: str) -> tuple[Client, str]:
    if form == "public_booking":
        return desk.public, reverse("desk:book_form", args=[desk.hub.slug, desk.slot.pk])
    if form == "waitlist":
        address = reverse("desk:waitlist_join", args=[desk.hub.slug, desk.service.pk])
        return desk.public, address + "?channel=hub"
    if form == "staff_booking":
        return desk.staff, reverse("deskbo:booking_on_behalf", args=[desk.hub.slug, desk.slot.pk])
    return desk.staff, reverse("placementsbo:path_create", args=[desk.hub.slug])


def submit(desk, form: str, born: date, **extra):
    data = person_details(born) | extra
    if form == "public_booking":
        data |= {"reason": "", "language": "it", "privacy": "on"}
    elif form == "waitlist":
        data |= {"place": "hub", "privacy": "on"}
    elif form == "staff_booking":
        data |= {"person": "", "reason": "Al telefono"}
    else:
        data |= {
            "is_neet": "on",
            "age_at_intake": "",
            "months_out": "3",
            "cooperative": desk.cooperative.pk,
            "operator": "",
            "starts_on": timezone.localdate().isoformat(),
        }
    client, address = page(desk, form)
    return client.post(address, data)


def recorded(desk, form: str) -> Person | None:
    """The new person, found through what the form created for them."""
    rows = {
        "public_booking": Booking.objects.for_hub(desk.hub),
        "waitlist": WaitlistEntry.objects.for_hub(desk.hub),
        "staff_booking": Booking.objects.for_hub(desk.hub),
        "intake": Path.objects.for_hub(desk.hub),
    }[form].filter(person__email=EMAIL)
    row = rows.select_related("person").first()
    return row.person if row else None


@pytest.mark.parametrize("consent_age", CONSENT_AGES)
@pytest.mark.parametrize("form", FORMS)
def test_a_day_short_of_the_consent_age_needs_a_parent_or_guardian(desk, settings, form, consent_age):
    settings.YIP_CONSENT_AGE = consent_age
    born = years_before(age_day(desk, form), consent_age) + timedelta(days=1)  # 13 years 364 days
    response = submit(desk, form, born)
    assert response.status_code == 200
    errors = response.context["form"].errors
    # The desk's public forms ask no consent box: the guardian gives it by their e-mailed link.
    by_link = form in PUBLIC_DESK_FORMS
    for name in ("guardian_name", "guardian_email") + (() if by_link else ("guardian_consent",)):
        assert f"Under {consent_age} a parent or guardian must give their consent" in " ".join(errors[name])
    assert "guardian_consent" not in errors or not by_link
    assert recorded(desk, form) is None

    response = submit(desk, form, born, **GUARDIAN)
    assert response.status_code == 302
    person = recorded(desk, form)
    assert person.guardian_name == "Marta Rossi" and person.guardian_email == "marta@example.org"
    assert (person.guardian_consent_at is None) == by_link


@pytest.mark.parametrize("consent_age", CONSENT_AGES)
@pytest.mark.parametrize("form", FORMS)
def test_on_the_consent_age_birthday_no_guardian_is_asked(desk, settings, form, consent_age):
    settings.YIP_CONSENT_AGE = consent_age
    born = years_before(age_day(desk, form), consent_age)  # 14 years 0 days
    response = submit(desk, form, born)
    assert response.status_code == 302
    person = recorded(desk, form)
    assert person.birth_date == born
    assert person.guardian_name == "" and person.guardian_consent_at is None


@pytest.mark.parametrize("form", FORMS)
def test_a_guardian_typed_for_someone_old_enough_is_not_kept(desk, settings, form):
    settings.YIP_CONSENT_AGE = 16
    born = years_before(age_day(desk, form), 16)
    assert submit(desk, form, born, **GUARDIAN).status_code == 302
    person = recorded(desk, form)
    assert person.guardian_email == "" and person.guardian_consent_at is None


@pytest.mark.parametrize("consent_age", [14, 16])
def test_the_public_pages_give_the_guardian_script_the_consent_age(desk, settings, consent_age):
    settings.YIP_CONSENT_AGE = consent_age
    for form in ("public_booking", "waitlist"):
        client, address = page(desk, form)
        html = client.get(address).content.decode()
        assert 'id="guardian-fields" ' in html, form
        assert f'data-consent-age="{consent_age}"' in html, form
        assert f"Under {consent_age}: parent or guardian" in html, form
        assert f"under {consent_age}" in html and "2-quinquies" in html, form
    booking_page = page(desk, "public_booking")[1]
    day = timezone.localdate(desk.slot.starts_at)
    assert f'data-day="{day.isoformat()}"' in desk.public.get(booking_page).content.decode()


@pytest.mark.parametrize("consent_age", [14, 16])
def test_the_staff_forms_say_which_age_needs_a_guardian(desk, settings, consent_age):
    settings.YIP_CONSENT_AGE = consent_age
    for form in ("staff_booking", "intake"):
        client, address = page(desk, form)
        html = client.get(address).content.decode()
        assert f"Parent or guardian (under {consent_age})" in html, form
        assert f"Only for people under {consent_age}." in html, form
        assert 'name="guardian_consent"' in html, form


def test_the_privacy_notice_names_the_consent_age(client, settings):
    settings.YIP_CONSENT_AGE = 16
    html = english(client).get(reverse("privacy")).content.decode()
    assert "If you are 16 or older you can decide by yourself" in html
