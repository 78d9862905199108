"""The fair's pages as their users meet them: visitors, teachers, exhibitors and the hub's staff."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from hubs.models import Role
from hubs.tests.factories import OrganizationFactory
from jobfair import services
from jobfair.models import CheckIn, Exhibitor, Opportunity, Registration
from people.tasks import outbox_flush
from people.tests.factories import UserFactory

from .conftest import born_years_before, person_data
from .factories import exhibitor_for

pytestmark = pytest.mark.django_db


def url(name, fair_or_hub, **kwargs):
    hub = getattr(fair_or_hub, "hub", fair_or_hub)
    if hasattr(fair_or_hub, "areas"):
        kwargs.setdefault("pk", fair_or_hub.pk)
    return reverse(name, kwargs={"hub_slug": hub.slug, **kwargs})


def form_of(data: dict) -> dict:
    return {**data, "birth_date": data["birth_date"].isoformat(), "notice_accepted": "on"}


def test_a_young_person_registers_and_gets_the_ticket_page_with_the_qr_of_the_token(
    client, fair, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("jobfair:register", fair), form_of(person_data()))
    assert response.status_code == 200
    assert response.context["done"].status == Registration.Status.CONFIRMED
    outbox_flush()
    registration = Registration.objects.get()
    assert f"/fiera/biglietto/{registration.token}/" in mail.outbox[0].body
    page = client.get(url("jobfair:ticket", fair.hub, token=registration.token)).content.decode()
    assert services.ticket_qr_svg(registration) in page
    ics = client.get(url("jobfair:ticket_ics", fair.hub, token=registration.token))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_a_minor_between_14_and_17_sees_the_plain_notice_and_under_14_asks_the_guardian(client, fair):
    page = client.get(url("jobfair:register", fair)).content.decode()
    assert gettext("What we do with your data, in simple words") in page
    notice = (
        "Exhibitors see your contact only if you choose to share it with them, and you can change your mind."
    )
    assert gettext(notice) in page
    data = form_of(person_data("Nina", born=born_years_before(fair.date, 13)))
    response = client.post(url("jobfair:register", fair), data)
    assert response.context["form"].errors["guardian_email"]
    data.update(guardian_name="Mamma", guardian_email="mamma@example.org")
    response = client.post(url("jobfair:register", fair), data)
    assert response.context["done"].status == Registration.Status.AWAITING_GUARDIAN


def test_a_teacher_registers_a_class_with_names_only_and_prints_one_sheet(client, fair):
    response = client.post(
        url("jobfair:class_register", fair),
        {
            "school": "IIS Galilei",
            "class_name": "4B",
            "teacher_name": "Prof.ssa Verdi",
            "email": "verdi@example.org",
            "names": "Anna Galli\nPietro Zanoni\n",
            "notice_accepted": "on",
        },
    )
    group = fair.classes.get()
    assert response.url == url("jobfair:class_sheet", fair.hub, token=group.token)
    sheet = client.get(response.url).content.decode()
    for registration in group.registrations.all():
        assert services.ticket_qr_svg(registration) in sheet
    assert "Anna" in sheet and "Pietro" in sheet


def test_the_public_page_filters_by_area_and_kind_in_the_url_and_hides_expired_opportunities(
    client, fair, hub, exhibitor
):
    university = exhibitor_for(
        fair, OrganizationFactory(hubs=[hub], kind="university", name="Ateneo"), area_slug="cosmetica"
    )
    exhibitor_for(fair, OrganizationFactory(hubs=[hub], name="In attesa"), area_slug="cura", approve=False)
    Opportunity.objects.create(
        hub=hub,
        exhibitor=exhibitor,
        area=exhibitor.area,
        kind="job",
        title="Infermiere",
        deadline=timezone.localdate(),
    )
    Opportunity.objects.create(
        hub=hub,
        exhibitor=exhibitor,
        area=exhibitor.area,
        kind="job",
        title="Scaduta",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    page = client.get(url("jobfair:fair", fair)).content.decode()
    assert "Cosmetica Cremasca" in page and "Ateneo" in page and "In attesa" not in page
    assert "Infermiere" in page and "Scaduta" not in page
    by_area = client.get(url("jobfair:fair", fair) + "?area=cosmetica")
    assert list(by_area.context["exhibitors"]) == [university]
    by_kind = client.get(url("jobfair:fair", fair) + "?kind=company")
    assert list(by_kind.context["exhibitors"]) == [exhibitor]
    assert client.get(url("jobfair:fair", fair) + "?area=nope&kind=nope").status_code == 200


def test_the_floor_map_search_highlights_the_matching_stands(client, fair, hub, exhibitor):
    exhibitor_for(
        fair, OrganizationFactory(hubs=[hub], name="Digital"), area_slug="smart-jobs", keywords="sviluppatore"
    )
    services.stands_create(fair=fair, rows=1, columns=3)
    services.stands_propose(fair=fair)
    response = client.get(url("jobfair:fair", fair) + "?cerca=infermiere")
    cells = response.context["floor"]["cells"]
    assert [c["stand"].code for c in cells if c["match"]] == [
        Exhibitor.objects.get(pk=exhibitor.pk).stand.code
    ]
    assert response.context["floor"]["matches"] == 1
    assert 'class="jf-stand jf-area-0 jf-match"' in response.content.decode()


def test_a_draft_fair_is_not_public_but_takes_exhibitors(client, hub):
    from .factories import FairFactory

    draft = FairFactory(hub=hub)
    assert client.get(url("jobfair:fair", draft)).status_code == 404
    assert client.get(url("jobfair:register", draft)).status_code == 404
    assert client.get(url("jobfair:exhibitor_register", draft)).status_code == 200


def test_an_exhibitor_registers_is_approved_signs_in_and_sees_only_their_stand_and_leads(
    client, fair, hub, django_capture_on_commit_callbacks
):
    data = {
        "name": "Ordine Infermieri",
        "kind": "professional_order",
        "area": fair.areas.get(slug="cura").pk,
        "description": "Chi è l'infermiere",
        "keywords": "infermiere",
        "contact_name": "Ada",
        "email": "ada@opi.example.org",
    }
    client.post(url("jobfair:exhibitor_register", fair), data)
    exhibitor = Exhibitor.objects.get(organization__name="Ordine Infermieri")
    other = exhibitor_for(fair, OrganizationFactory(hubs=[hub], name="Altro"))
    staff = UserFactory(totp=True)
    from hubs import services as hub_services

    hub_services.membership_create(hub=hub, user=staff, role=Role.OPERATOR)
    client.force_login(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("jobfairbo:exhibitor_review", hub, pk=exhibitor.pk), {"action": "approve"})
    outbox_flush()
    assert [m.to for m in mail.outbox].count(["ada@opi.example.org"]) == 1
    # The invitation is accepted (hubs' own flow): the contact becomes the exhibitor's member.
    from hubs.models import Invitation

    invitation = Invitation.objects.get(email="ada@opi.example.org")
    rep = UserFactory(email="ada@opi.example.org", totp=True)
    hub_services.invitation_accept(invitation=invitation, user=rep)
    client.force_login(rep)
    assert client.get(url("jobfairbo:my_stands", hub)).status_code == 200
    assert client.get(url("jobfairbo:my_stand", hub, pk=exhibitor.pk)).status_code == 200
    assert client.get(url("jobfairbo:my_stand", hub, pk=other.pk)).status_code == 404
    assert client.get(url("jobfairbo:leads", hub, pk=other.pk)).status_code == 404
    assert client.get(url("jobfairbo:fair_detail", fair)).status_code == 403
    # A young person shares their contact at the stand; it reaches this exhibitor's export only.
    young = services.registration_create(fair=fair, person_data=person_data("Bea"), notice_accepted=True)
    visitor = client_for_visitor(young)
    stand = visitor.get(url("jobfair:stand", hub, token=exhibitor.token))
    assert stand.context["registration"] == young
    visitor.post(url("jobfair:stand", hub, token=exhibitor.token), {"share_email": "on"})
    export = client.get(url("jobfairbo:leads", hub, pk=exhibitor.pk) + "?format=csv").content.decode()
    assert "bea.bianchi@example.org" in export and "333" not in export  # the phone was not chosen
    other_rep = UserFactory(totp=True)
    hub_services.membership_create(
        hub=hub, user=other_rep, role=Role.EXHIBITOR, organization=other.organization
    )
    client.force_login(other_rep)
    assert (
        "bea.bianchi"
        not in client.get(url("jobfairbo:leads", hub, pk=other.pk) + "?format=csv").content.decode()
    )
    # Withdrawn from the ticket's page: gone from the next export.
    lead = young.leads.get()
    visitor.post(url("jobfair:ticket", hub, token=young.token), {"action": "revoke", "lead": lead.pk})
    client.force_login(rep)
    assert (
        "bea.bianchi"
        not in client.get(url("jobfairbo:leads", hub, pk=exhibitor.pk) + "?format=csv").content.decode()
    )


def client_for_visitor(registration):
    from django.test import Client

    visitor = Client()
    visitor.get(
        reverse("jobfair:ticket", kwargs={"hub_slug": registration.hub.slug, "token": registration.token})
    )
    return visitor


def test_a_rejected_exhibitors_people_cannot_reach_it(client, fair, exhibitor, exhibitor_user):
    client.force_login(exhibitor_user)
    assert client.get(url("jobfairbo:my_stand", fair.hub, pk=exhibitor.pk)).status_code == 200
    services.exhibitor_reject(exhibitor=exhibitor, reason="Fuori tema", by=None)
    assert client.get(url("jobfairbo:my_stand", fair.hub, pk=exhibitor.pk)).status_code == 404


def test_publishing_an_uncovered_fair_says_why(client, hub, staff):
    from .factories import FairFactory

    draft = FairFactory(hub=hub)
    client.force_login(staff)
    response = client.post(url("jobfairbo:fair_publish", draft), follow=True)
    assert "Professioni di cura" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published


def test_check_in_sync_answers_each_scan_and_the_counter_equals_the_database(client, fair, staff):
    ada = services.registration_create(fair=fair, person_data=person_data("Ada"), notice_accepted=True)
    bea = services.registration_create(fair=fair, person_data=person_data("Bea"), notice_accepted=True)
    client.force_login(staff)
    sync = url("jobfairbo:check_in_sync", fair)
    on_day = (
        timezone.make_aware(timezone.datetime.combine(fair.date, timezone.datetime.min.time()))
        + timedelta(hours=9)
    ).isoformat()

    def scans(device, *items):
        found = [{"token": token, "nonce": nonce, "scanned_at": on_day} for token, nonce in items]
        return json.dumps({"device": device, "scans": found})

    one = client.post(
        sync, scans("tablet", (ada.token, "t-1"), (bea.token, "t-2")), content_type="application/json"
    ).json()
    two = client.post(
        sync, scans("phone", (ada.token, "p-1"), ("nope", "p-2")), content_type="application/json"
    ).json()
    again = client.post(sync, scans("tablet", (ada.token, "t-1")), content_type="application/json").json()
    assert [r["result"] for r in one["results"]] == ["valid", "valid"]
    assert [r["result"] for r in two["results"]] == ["already_used", "unknown"]
    assert [r["result"] for r in again["results"]] == ["valid"]  # a re-upload: its first answer
    count = CheckIn.objects.filter(fair=fair, list_key="door", result="valid").count()
    assert one["counter"] == 2 and two["counter"] == again["counter"] == count == 2
    assert client.get(sync).json() == {"counter": 2}
    assert CheckIn.objects.filter(fair=fair).count() == 3
    assert client.post(sync, b"not json", content_type="application/json").status_code == 400


def test_walk_in_and_manual_check_in_work_without_javascript(client, fair, staff):
    fair.date = timezone.localdate()  # the door takes tickets on the fair's day only
    fair.save()
    ada = services.registration_create(fair=fair, person_data=person_data("Ada"), notice_accepted=True)
    client.force_login(staff)
    page = url("jobfairbo:check_in", fair)
    found = client.get(page + "?q=Ada")
    assert list(found.context["found"]) == [ada]
    client.post(page, {"token": ada.token})
    client.post(page, {"first_name": "Walk", "last_name": "In"})
    assert fair.registrations.filter(source="walk_in").count() == 1
    valid = CheckIn.objects.filter(fair=fair, list_key="door", result="valid")
    assert {c.registration.name for c in valid} == {"Ada Bianchi", "Walk In"}
    assert client.get(page).context["counter"] == valid.count() == 2


def test_the_registration_list_makes_the_same_queries_for_10_and_60_rows(
    client, fair, staff, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(n):
        Registration.objects.bulk_create(
            Registration(hub=fair.hub, fair=fair, first_name=f"N{i}", last_name="X", source="class")
            for i in range(n)
        )

    client.force_login(staff)
    page = url("jobfairbo:registration_list", fair)
    make(10)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(page).status_code == 200
    make(50)
    with django_assert_num_queries(len(ten.captured_queries)):
        assert client.get(page).status_code == 200


def test_the_shred_page_shows_what_is_left(client, fair, staff):
    services.registration_create(fair=fair, person_data=person_data("Ada"), notice_accepted=True)
    client.force_login(staff)
    page = url("jobfairbo:shred", fair)
    assert client.get(page).context["left"]["registrations"] == 1
    services.fair_shred(fair=fair, today=fair.date + timedelta(days=fair.shred_after_days))
    assert set(client.get(page).context["left"].values()) == {0}


def test_the_report_by_area_is_a_pdf_with_small_counts_masked(client, fair, staff, exhibitor):
    from jobfair import selectors

    for name in ("Ada", "Bea", "Cleo"):
        reg = services.registration_create(fair=fair, person_data=person_data(name), notice_accepted=True)
        services.lead_share(registration=reg, exhibitor=exhibitor, share_email=True, share_phone=False)
    report = selectors.fair_report(fair=fair)
    cura = next(row for row in report["areas"] if row["area"].slug == "cura")
    assert report["registered"] == "< 5" and cura["leads"] == "< 5" and report["no_show"] is None
    assert cura["exhibitors_total"] == 1
    client.force_login(staff)
    response = client.get(url("jobfairbo:report", fair))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
