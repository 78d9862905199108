"""The fair's rules, through its services: publication, exhibitors, stands, tickets, workshops."""

import re
from datetime import datetime, time, timedelta

import pytest
import segno
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from hubs.models import Invitation, Role
from hubs.tests.factories import OrganizationFactory
from jobfair import services
from jobfair.models import CheckIn, Exhibitor, Registration, Seat, Workshop

from .conftest import born_years_before, person_data
from .factories import FairFactory, exhibitor_for

pytestmark = pytest.mark.django_db


def said(message: str) -> str:
    """A service's message as the user reads it (Italian), as a pattern for pytest.raises."""
    return re.escape(gettext(message))


def workshop(fair, *, hour=10, minutes=60, capacity=2, area="cura", title=None):
    starts = timezone.make_aware(datetime.combine(fair.date, time(hour, 0)))
    return Workshop.objects.create(
        hub=fair.hub,
        fair=fair,
        area=fair.areas.get(slug=area),
        title=title or f"Laboratorio {hour}",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        capacity=capacity,
    )


def register(fair, first="Giulia", **kwargs):
    return services.registration_create(
        fair=fair, person_data=person_data(first, **kwargs), notice_accepted=True
    )


# --- The fair and its focus areas --------------------------------------------------------------


def test_a_fair_cannot_be_published_while_an_area_is_empty_and_says_which(hub):
    fair = FairFactory(hub=hub)
    assert [a.slug for a in fair.areas.all()] == ["cura", "cosmetica", "smart-jobs", "sblocco"]
    exhibitor_for(fair, OrganizationFactory(hubs=[hub]), area_slug="cura")
    exhibitor_for(fair, OrganizationFactory(hubs=[hub]), area_slug="cosmetica", approve=False)  # pending: no
    workshop(fair, area="smart-jobs")
    with pytest.raises(ValidationError) as error:
        services.fair_publish(fair=fair)
    message = error.value.messages[0]
    assert "Filiera della cosmetica" in message and "Sblocco dei giovani" in message
    assert "Professioni di cura" not in message
    fair.refresh_from_db()
    assert not fair.is_published
    workshop(fair, area="cosmetica")
    exhibitor_for(fair, OrganizationFactory(hubs=[hub]), area_slug="sblocco")
    assert services.fair_publish(fair=fair).is_published


# --- Exhibitors ----------------------------------------------------------------------------------


def test_exhibitors_register_only_within_the_window(fair):
    area = fair.areas.first()
    args = dict(
        fair=fair,
        name="Ente",
        kind="training_agency",
        area=area,
        description="Corsi",
        keywords="",
        contact_name="Ada",
        contact_email="ada@example.org",
    )
    with pytest.raises(ValidationError, match=said("Registration of exhibitors is closed.")):
        services.exhibitor_register(**args, today=fair.exhibitors_until + timedelta(days=1))
    with pytest.raises(ValidationError, match=said("Registration of exhibitors is closed.")):
        services.exhibitor_register(**args, today=fair.exhibitors_from - timedelta(days=1))
    exhibitor = services.exhibitor_register(**args)
    assert exhibitor.status == Exhibitor.Status.PENDING
    assert exhibitor.organization.kind == "training_agency" and fair.hub in exhibitor.organization.hubs.all()


def test_approval_sends_one_email_with_the_invitation_and_a_rejection_one_with_the_reason(
    fair, django_capture_on_commit_callbacks
):
    one = services.exhibitor_register(
        fair=fair,
        name="Ente A",
        kind="university",
        area=fair.areas.first(),
        description="x",
        keywords="",
        contact_name="Ada",
        contact_email="ada@example.org",
    )
    two = services.exhibitor_register(
        fair=fair,
        name="Ente B",
        kind="company",
        area=fair.areas.first(),
        description="x",
        keywords="",
        contact_name="Bea",
        contact_email="bea@example.org",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.exhibitor_approve(exhibitor=one, by=None)
        services.exhibitor_approve(exhibitor=one, by=None)  # twice: still one e-mail
        services.exhibitor_reject(exhibitor=two, reason="Posti esauriti per le aziende", by=None)
        services.exhibitor_reject(exhibitor=two, reason="Posti esauriti per le aziende", by=None)
    from people.tasks import outbox_flush

    outbox_flush()
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["ada@example.org", "bea@example.org"]
    approved = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert "/invito/" in approved.body
    rejected = next(m for m in mail.outbox if m.to == ["bea@example.org"])
    assert "Posti esauriti per le aziende" in rejected.body
    assert Invitation.objects.filter(email="ada@example.org", role=Role.EXHIBITOR).count() == 1
    assert not Invitation.objects.filter(email="bea@example.org").exists()


def test_no_two_exhibitors_on_one_stand_and_the_proposal_keeps_areas_together(fair, hub):
    services.stands_create(fair=fair, rows=2, columns=3)
    by_area = {}
    for index, area in enumerate(["sblocco", "cura", "cura", "cosmetica", "cura"]):
        organization = OrganizationFactory(hubs=[hub], name=f"Org {index}")
        by_area.setdefault(area, []).append(exhibitor_for(fair, organization, area_slug=area))
    first, second = by_area["cura"][:2]
    services.stand_assign(exhibitor=first, stand=fair.stands.get(code="A1"))
    with pytest.raises(ValidationError, match="A1"):
        services.stand_assign(exhibitor=second, stand=fair.stands.get(code="A1"))
    assert services.stands_propose(fair=fair) == 5
    walk = services.snake(list(fair.stands.all()))
    order = [getattr(Exhibitor.objects.filter(stand=s).first(), "area", None) for s in walk]
    slugs = [area.slug for area in order if area]
    assert slugs == ["cura", "cura", "cura", "cosmetica", "sblocco"]  # each area side by side
    assert len(set(Exhibitor.objects.exclude(stand=None).values_list("stand", flat=True))) == 5


# --- Young visitors and the minors' rule ------------------------------------------------------------


def test_age_counts_on_the_fairs_day_13y364d_waits_for_the_guardian_14y0d_does_not(
    fair, django_capture_on_commit_callbacks
):
    thirteen = born_years_before(fair.date, 14, days_after=1)  # 14 the day after the fair
    fourteen = born_years_before(fair.date, 14)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        young = register(fair, "Nina", born=thirteen, guardian_name="Papà", guardian_email="papa@example.org")
        older = register(fair, "Leo", born=fourteen)
    assert young.status == Registration.Status.AWAITING_GUARDIAN and young.age_on_fair_day == 13
    assert older.status == Registration.Status.CONFIRMED and older.age_on_fair_day == 14
    from people.tasks import outbox_flush

    outbox_flush()
    assert sorted(m.to[0] for m in mail.outbox) == ["leo.bianchi@example.org", "papa@example.org"]
    consent = next(m for m in mail.outbox if m.to == ["papa@example.org"])
    path = re.search(r"/crema/fiera/consenso/[^/\s]+/", consent.body).group(0)
    assert services.registration_for_guardian_token(hub=fair.hub, token=path.split("/")[-2]) == young
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.guardian_consent(registration=young)
        services.guardian_consent(registration=young)  # a second click issues nothing more
    outbox_flush()
    young.refresh_from_db()
    assert young.status == Registration.Status.CONFIRMED and young.person.guardian_consent_at
    assert len(mail.outbox) == 1 and set(mail.outbox[0].to) == {
        "nina.bianchi@example.org",
        "papa@example.org",
    }


def test_a_ticket_needs_the_notice_and_a_minor_under_14_needs_a_guardian_email(fair):
    with pytest.raises(ValidationError):
        services.registration_create(fair=fair, person_data=person_data(), notice_accepted=False)
    with pytest.raises(
        ValidationError, match=said("Under 14 a parent or guardian must consent: give their e-mail.")
    ):
        register(fair, "Nina", born=born_years_before(fair.date, 12))
    assert not fair.registrations.exists()


def test_the_ticket_email_holds_a_qr_of_the_opaque_token_and_an_ics(fair, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(fair)
    from people.tasks import outbox_flush

    outbox_flush()
    message = mail.outbox[0]
    names = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    assert set(names) == {"biglietto.png", "fiera.ics"}
    # The attached QR is exactly the QR of the opaque token: no name, no e-mail in it.
    qr = segno.make(registration.token, error="m")
    assert names["biglietto.png"][0] == services.ticket_qr_png(registration)
    assert qr.designator == segno.make(registration.token, error="m").designator
    assert "giulia" not in registration.token.lower() and "@" not in registration.token
    ics = names["fiera.ics"][0]
    assert "BEGIN:VEVENT" in (ics.decode() if isinstance(ics, bytes) else ics)
    assert f"/crema/fiera/biglietto/{registration.token}/" in message.body


def test_the_fair_never_gives_more_tickets_than_its_places(hub):
    fair = FairFactory(hub=hub, status="published", capacity=2)
    register(fair, "Ada")
    services.class_register(
        fair=fair,
        school="IIS",
        class_name="4B",
        teacher_name="Prof",
        teacher_email="p@example.org",
        names=["Uno Due"],
    )
    with pytest.raises(ValidationError, match=said("The fair is full: no places are left for young people.")):
        register(fair, "Bea")
    with pytest.raises(ValidationError, match=said("The fair is full: no places are left for young people.")):
        services.class_register(
            fair=fair,
            school="IIS",
            class_name="4C",
            teacher_name="Prof",
            teacher_email="p@example.org",
            names=["Tre Quattro"],
        )
    assert fair.registrations.count() == 2


def test_a_class_is_names_only_and_each_student_gets_a_ticket(fair):
    group = services.class_register(
        fair=fair,
        school="IIS Galilei",
        class_name="4B",
        teacher_name="Prof.ssa Verdi",
        teacher_email="verdi@example.org",
        names=["Anna Galli", "  ", "Pietro  De Luca"],
    )
    rows = list(group.registrations.order_by("first_name").values_list("first_name", "last_name", "person"))
    assert rows == [("Anna", "Galli", None), ("Pietro", "De Luca", None)]


# --- Workshops -----------------------------------------------------------------------------------


def test_full_workshop_puts_people_in_line_and_a_freed_place_goes_to_the_first_then_the_next(
    fair, django_capture_on_commit_callbacks
):
    lab = workshop(fair, capacity=1)
    ada, bea, cleo = (register(fair, name) for name in ("Ada", "Bea", "Cleo"))
    first = services.seat_request(registration=ada, workshop=lab)
    waiting = [services.seat_request(registration=r, workshop=lab) for r in (bea, cleo)]
    assert first.status == Seat.Status.CONFIRMED
    assert [s.status for s in waiting] == [Seat.Status.WAITING, Seat.Status.WAITING]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.seat_cancel(seat=first)
    from people.tasks import outbox_flush

    outbox_flush()
    offered = Seat.objects.get(pk=waiting[0].pk)
    assert offered.status == Seat.Status.OFFERED and offered.offered_until > timezone.now()
    assert Seat.objects.get(pk=waiting[1].pk).status == Seat.Status.WAITING
    offers = [m.to for m in mail.outbox if lab.title in m.subject]
    assert offers == [["bea.bianchi@example.org"]]  # one offer, to the first in line
    # Bea lets the time pass: the place goes to Cleo.
    assert services.offers_expire(hub=fair.hub, now=offered.offered_until + timedelta(minutes=1)) == 1
    assert Seat.objects.get(pk=offered.pk).status == Seat.Status.LAPSED
    with pytest.raises(ValidationError):
        services.seat_claim(seat=offered)
    cleo_seat = Seat.objects.get(pk=waiting[1].pk)
    assert cleo_seat.status == Seat.Status.OFFERED
    assert services.seat_claim(seat=cleo_seat).status == Seat.Status.CONFIRMED
    assert lab.seats.filter(status__in=Seat.HOLDING).count() == 1


def test_no_two_overlapping_workshops_for_one_person(fair):
    ada = register(fair, "Ada")
    services.seat_request(registration=ada, workshop=workshop(fair, hour=10, minutes=60, title="Uno"))
    with pytest.raises(ValidationError, match="Uno"):
        services.seat_request(registration=ada, workshop=workshop(fair, hour=10, minutes=30, title="Due"))
    services.seat_request(
        registration=ada, workshop=workshop(fair, hour=11, title="Tre")
    )  # back to back: fine
    assert ada.seats.count() == 2


# --- Check-in ------------------------------------------------------------------------------------


def at(fair, hour, minute=0):
    return timezone.make_aware(datetime.combine(fair.date, time(hour, minute)))


def test_two_devices_offline_scan_one_ticket_one_valid_one_already_used_and_reuploads_change_nothing(fair):
    ada = register(fair, "Ada")
    one = services.check_in(
        fair=fair, token=ada.token, workshop=None, device="tablet-1", nonce="n1", scanned_at=at(fair, 9, 1)
    )
    two = services.check_in(
        fair=fair, token=ada.token, workshop=None, device="phone-2", nonce="n2", scanned_at=at(fair, 9, 2)
    )
    again = services.check_in(
        fair=fair, token=ada.token, workshop=None, device="phone-2", nonce="n2", scanned_at=at(fair, 9, 2)
    )
    assert (one.result, two.result) == (CheckIn.Result.VALID, CheckIn.Result.ALREADY_USED)
    assert again.pk == two.pk
    rows = list(fair.check_ins.values_list("device", "result", "scanned_at"))
    assert rows == [("tablet-1", "valid", at(fair, 9, 1)), ("phone-2", "already_used", at(fair, 9, 2))]
    ada.refresh_from_db()
    assert ada.checked_in_at == at(fair, 9, 1)


def test_a_workshop_ticket_is_checked_on_its_list_and_in_its_time(fair):
    lab = workshop(fair, hour=11, capacity=5)
    ada, bea = register(fair, "Ada"), register(fair, "Bea")
    services.seat_request(registration=ada, workshop=lab)
    early = services.check_in(
        fair=fair, token=ada.token, workshop=lab, device="d", nonce="a", scanned_at=at(fair, 10, 0)
    )
    stranger = services.check_in(
        fair=fair, token=bea.token, workshop=lab, device="d", nonce="b", scanned_at=at(fair, 11, 5)
    )
    ok = services.check_in(
        fair=fair, token=ada.token, workshop=lab, device="d", nonce="c", scanned_at=at(fair, 10, 45)
    )
    assert (early.result, stranger.result, ok.result) == ("wrong_time", "wrong_list", "valid")
    assert services.check_in(fair=fair, token="nonsense", workshop=None, device="d", nonce="x") is None
    yesterday = timezone.make_aware(datetime.combine(fair.date - timedelta(days=1), time(10)))
    assert (
        services.check_in(
            fair=fair, token=bea.token, workshop=None, device="d", nonce="y", scanned_at=yesterday
        ).result
        == "wrong_time"
    )


# --- What follows ----------------------------------------------------------------------------------


def test_leads_are_shared_by_choice_only_with_the_fields_chosen_and_revocable(fair, exhibitor):
    from jobfair import selectors

    ada, bea, cleo = register(fair, "Ada"), register(fair, "Bea"), register(fair, "Cleo")
    lead = services.lead_share(registration=ada, exhibitor=exhibitor, share_email=True, share_phone=False)
    services.lead_share(
        registration=bea, exhibitor=exhibitor, share_email=False, share_phone=True, message="Ciao"
    )
    rows = {row["first_name"]: row for row in selectors.lead_rows(exhibitor=exhibitor)}
    assert set(rows) == {"Ada", "Bea"}  # Cleo chose nobody
    assert (rows["Ada"]["email"], rows["Ada"]["phone"]) == ("ada.bianchi@example.org", "")
    assert (rows["Bea"]["email"], rows["Bea"]["phone"], rows["Bea"]["message"]) == ("", "333 1234567", "Ciao")
    services.lead_revoke(lead=lead)
    assert [row["first_name"] for row in selectors.lead_rows(exhibitor=exhibitor)] == ["Bea"]
    assert cleo


def test_under_14_cannot_share_a_contact(fair, exhibitor):
    nina = register(
        fair, "Nina", born=born_years_before(fair.date, 13), guardian_name="M", guardian_email="m@example.org"
    )
    services.guardian_consent(registration=nina)
    nina.refresh_from_db()
    with pytest.raises(ValidationError, match="14"):
        services.lead_share(registration=nina, exhibitor=exhibitor, share_email=True, share_phone=False)


def test_help_requests_need_consent_and_convert_once_per_person(fair):
    from jobfair import indicators

    ada, bea = register(fair, "Ada"), register(fair, "Bea")
    with pytest.raises(ValidationError):
        services.help_request_create(registration=ada, kind="desk", consent=False)
    services.help_request_create(registration=ada, kind="desk", consent=True)
    services.help_request_create(registration=ada, kind="path", consent=True)
    services.help_request_create(registration=bea, kind="path", consent=True)
    span = (fair.date - timedelta(days=1), fair.date + timedelta(days=1))
    assert indicators.help_requests(fair.hub, *span) == 3
    assert indicators.conversions(fair.hub, *span) == 2


def test_shredding_after_the_fair_leaves_no_personal_data_and_every_count(fair, exhibitor):
    from hubs.indicator_registry import REGISTRY

    ada = register(fair, "Ada")
    services.class_register(
        fair=fair,
        school="IIS",
        class_name="4B",
        teacher_name="Prof",
        teacher_email="p@example.org",
        names=["Uno Due"],
    )
    services.lead_share(
        registration=ada, exhibitor=exhibitor, share_email=True, share_phone=False, message="Ciao"
    )
    services.help_request_create(registration=ada, kind="desk", consent=True, message="Aiuto")
    services.check_in(
        fair=fair, token=ada.token, workshop=None, device="tablet", nonce="n", scanned_at=at(fair, 9)
    )
    span = (fair.date, fair.date)
    keys = [key for key in REGISTRY if key.startswith("jobfair.")]
    before = {key: REGISTRY[key].compute(fair.hub, *span) for key in keys}
    assert services.fair_shred(fair=fair) is False  # not yet: the fair is in the future
    assert any(services.personal_data_left(fair).values())
    later = fair.date + timedelta(days=fair.shred_after_days)
    assert services.fair_shred(fair=fair, today=later) is True
    assert services.personal_data_left(fair) == dict.fromkeys(services.personal_data_left(fair), 0)
    assert {key: REGISTRY[key].compute(fair.hub, *span) for key in keys} == before
    assert before["jobfair.registrations"] == 2 and before["jobfair.checked_in"] == 1
    assert services.fair_shred(fair=fair, today=later) is False  # a second run does nothing


def test_indicators_count_the_fair_its_areas_exhibitors_and_visitors(fair, hub, exhibitor):
    from jobfair import indicators

    exhibitor_for(fair, OrganizationFactory(hubs=[hub], kind="university"), area_slug="cosmetica")
    workshop(fair, area="smart-jobs")
    ada = register(fair, "Ada")
    register(fair, "Bea")
    services.check_in(
        fair=fair, token=ada.token, workshop=None, device="d", nonce="1", scanned_at=at(fair, 9)
    )
    services.check_in(
        fair=fair, token=ada.token, workshop=None, device="e", nonce="2", scanned_at=at(fair, 9)
    )
    span = (fair.date, fair.date)
    assert indicators.fairs(hub, *span) == 1 and indicators.fairs(None, *span) == 1
    assert indicators.fairs(hub, fair.date + timedelta(days=1), fair.date + timedelta(days=9)) == 0
    assert indicators.focus_areas(hub, *span) == 3
    assert indicators.exhibitors_by_kind(hub, *span) == {"company": 1, "university": 1}
    assert indicators.exhibitors_by_area(hub, *span) == {"cosmetica": 1, "cura": 1}
    assert indicators.registrations(hub, *span) == 2
    assert indicators.checked_in(hub, *span) == 1  # unique, whatever the scans


def test_an_exhibitor_user_reaches_only_their_own_exhibitor(fair, hub, exhibitor, exhibitor_user):
    from hubs.selectors import membership_get
    from jobfair import selectors

    other = exhibitor_for(fair, OrganizationFactory(hubs=[hub], name="Altro"), area_slug="cosmetica")
    membership = membership_get(hub=hub, user=exhibitor_user)
    assert list(selectors.exhibitors_for(hub=hub, membership=membership)) == [exhibitor]
    assert other not in selectors.exhibitors_for(hub=hub, membership=membership)
    services.exhibitor_reject(exhibitor=exhibitor, reason="No", by=None)
    assert list(selectors.exhibitors_for(hub=hub, membership=membership)) == []


def test_the_survey_goes_once_to_those_who_checked_in_and_to_approved_exhibitors(
    fair, hub, exhibitor, django_capture_on_commit_callbacks
):
    from jobfair import selectors
    from people.tasks import outbox_flush

    exhibitor_for(fair, OrganizationFactory(hubs=[hub], name="In attesa"), approve=False)
    ada, bea = register(fair, "Ada"), register(fair, "Bea")
    services.check_in(
        fair=fair, token=ada.token, workshop=None, device="d", nonce="1", scanned_at=at(fair, 9)
    )
    outbox_flush()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_send(fair=fair) == 2
        assert services.survey_send(fair=fair) == 0  # a second run sends nothing
    outbox_flush()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["ada.bianchi@example.org", exhibitor.contact_email]
    )
    assert bea
    invite = fair.surveys.get(registration=ada)
    services.survey_answer(invite=invite, score=4, comment="Bella")
    with pytest.raises(ValidationError):
        services.survey_answer(invite=invite, score=5)
    report = selectors.fair_report(fair=fair)
    assert report["survey_visitors"] == {"answers": "< 5", "average": None}  # too few to show
