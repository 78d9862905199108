"""
The youth pacts as their users meet them: the board of the sub-areas ("no pact yet" where there
is none, constant cost), who reaches which pact, a group's proposal from the draft to the
signature through the pages, the public page (the back office's numbers, no minor's name), the
ledger and the receipts, and the pact's PDF.
"""

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from hubs.models import Organization, Role
from hubs.tests.factories import OrganizationFactory, SubAreaFactory
from pacts import selectors, services
from pacts.models import Expense, Pact
from pacts.tests.factories import PNG_BYTES, proposal, receipt, signed
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


def bo(name, hub, **kwargs):
    return reverse(f"pactsbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def pub(name, hub, **kwargs):
    return reverse(f"pacts:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def test_the_board_shows_every_sub_area_with_no_pact_yet_at_constant_cost(
    client, world, django_assert_max_num_queries
):
    hub = world.a.hub
    client.force_login(world.a.users[Role.OPERATOR])
    SubAreaFactory(hub=hub, name="Zona senza patto")

    def board():
        response = client.get(bo("board", hub))
        assert response.status_code == 200
        return response.content.decode()

    page = board()
    assert 'data-status="none"' in page and "Zona senza patto" in page
    assert world.a.pact.title in page and 'data-status="signed"' in page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        board()
    for number in range(6):
        signed(hub, sub_area=SubAreaFactory(hub=hub, name=f"Zona {number}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = board()
    assert page.count("data-sub-area=") == 8


def test_a_partner_sees_the_pacts_naming_its_organization_only(client, world):
    hub = world.a.hub
    partner = world.a.users[Role.PARTNER]
    client.force_login(partner)
    assert client.get(bo("pact_detail", hub, pk=world.a.pact.pk)).status_code == 200
    other = signed(hub, partners=[OrganizationFactory(hubs=[hub], kind=Organization.Kind.ASSOCIATION)])
    assert client.get(bo("pact_detail", hub, pk=other.pk)).status_code == 404
    assert client.get(bo("board", hub)).status_code == 200
    # the steering committee sees the board's figures, never a pact's page
    client.force_login(world.a.users[Role.STEERING])
    assert client.get(bo("board", hub)).status_code == 200
    assert client.get(bo("pact_detail", hub, pk=world.a.pact.pk)).status_code == 403


def _link(pattern: str) -> str:
    body = mail.outbox[-1].body
    found = re.search(re.escape(settings.SITE_URL) + r"(/\S*" + pattern + r"\S*)", body)
    assert found, body
    return found.group(1)


def test_a_group_proposes_is_asked_for_additions_is_approved_and_signs(
    client, world, django_capture_on_commit_callbacks
):
    hub = world.a.hub
    area = SubAreaFactory(hub=hub, name="Pandino e Adda")
    lead = UserFactory(email="lead@example.org", first_name="Sara", last_name="Neri")
    client.force_login(lead)
    data = {
        "sub_area": area.pk,
        "title": "Adda in movimento",
        "group_name": "Ragazze e ragazzi dell'Adda",
        "idea": "Percorsi in bici lungo l'Adda.",
        "objectives": "",
        "actions_proposed": "",
    }
    proposer = {"name": "Sara Neri", "birth_date": "2005-06-01", "gender": "female"}
    response = client.post(pub("proposal_create", hub), data | proposer)
    pact = Pact.objects.get(title="Adda in movimento")
    assert response.url == pub("proposal_update", hub, pk=pact.pk)
    response = client.post(pub("proposal_update", hub, pk=pact.pk), data | {"submit": "1"})
    page = response.content.decode()
    assert 'id="id_objectives-error"' in page and 'id="id_actions_proposed-error"' in page
    assert Pact.objects.get(pk=pact.pk).state == Pact.State.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pub("member_invite", hub, pk=pact.pk), {"email": "coautore@example.org"})
    accept = _link("/patti/invito/")
    coauthor = UserFactory(email="coautore@example.org")
    client.force_login(coauthor)
    response = client.post(accept, {"name": "Tommaso Riva", "birth_date": "2004-02-03", "gender": "male"})
    assert response.url == pub("proposal_update", hub, pk=pact.pk)
    data |= {"objectives": "Conoscere il fiume", "actions_proposed": "Tre uscite in bici\nUna mappa"}
    response = client.post(pub("proposal_update", hub, pk=pact.pk), data | {"submit": "1"})
    assert Pact.objects.get(pk=pact.pk).state == Pact.State.IN_REVIEW

    staff = world.a.users[Role.OPERATOR]
    client.force_login(staff)
    client.post(bo("note_create", hub, pk=pact.pk), {"text": "Chiedere il percorso."})
    client.post(bo("additions", hub, pk=pact.pk), {"text": "Il percorso delle uscite."})
    assert Pact.objects.get(pk=pact.pk).state == Pact.State.ADDITIONS
    client.force_login(lead)
    page = client.get(pub("proposal_update", hub, pk=pact.pk)).content.decode()
    assert "Il percorso delle uscite." in page and "Chiedere il percorso." not in page  # notes are private
    client.post(pub("proposal_update", hub, pk=pact.pk), data | {"timeline": "Maggio", "submit": "1"})
    client.force_login(staff)
    response = client.post(bo("decision", hub, pk=pact.pk), {"decision": "reject", "motivation": ""})
    assert 'id="id_motivation-error"' in response.content.decode()
    client.post(
        bo("decision", hub, pk=pact.pk),
        {"decision": "approve", "motivation": "Bella idea.", "partners": [world.a.cooperative.pk]},
    )
    for party, name in (("hub", "Anna"), ("group", "Sara Neri")):
        client.post(
            bo("signature", hub, pk=pact.pk),
            {"party": party, "name": name, "role": "Firmataria", "signed_on": date.today().isoformat()},
        )
    pact.refresh_from_db()
    assert pact.state == Pact.State.SIGNED
    public = client.get(pub("public_pact", hub, pk=pact.pk)).content.decode()
    assert "Adda in movimento" in public and "Bella idea." in public
    assert 'data-figure="young-people">2<' in public
    assert "Tommaso" not in public and "Sara Neri" not in public


def test_the_public_page_shows_the_back_offices_numbers_and_never_a_minors_name(client, world):
    hub, pact = world.a.hub, world.a.pact
    minor = UserFactory(email="minore@example.org")
    member = services.member_invite(pact=proposal(hub), email="x@example.org", by=minor)  # another pact
    assert member.pact_id != pact.pk
    pact.members.create(
        hub=hub,
        email="minore@example.org",
        user=minor,
        name="Piccolo Rossi",
        birth_date=date.today() - timedelta(days=365 * 12),
        accepted_at="2023-01-01T10:00Z",
        guardian_name="Mamma Rossi",
        guardian_email="mamma@example.org",
    )
    figures = selectors.figures_for([pact.pk])[pact.pk]
    client.force_login(world.a.users[Role.OPERATOR])
    back = client.get(bo("pact_detail", hub, pk=pact.pk)).content.decode()
    client.logout()
    public = client.get(pub("public_pact", hub, pk=pact.pk)).content.decode()
    for page in (back, public):
        assert f'data-figure="young-people">{figures.young_people}<' in page
        assert f'data-figure="progress">{figures.progress}%<' in page
        assert "Piccolo" not in page  # not without the guardian's consent, never in public
    board = client.get(pub("public_board", hub)).content.decode()
    assert pact.title in board
    draft = proposal(hub)
    assert client.get(pub("public_pact", hub, pk=draft.pk)).status_code == 404


def test_an_expense_with_its_receipt_is_approved_and_the_ledger_and_zip_match(client, world):
    hub, pact = world.a.hub, world.a.pact
    client.force_login(world.a.users[Role.PARTNER])
    line = pact.budget_lines.order_by("pk").last()
    response = client.post(
        bo("expense_create", hub, pk=pact.pk),
        {
            "line": line.pk,
            "date": date.today().isoformat(),
            "description": "Casse",
            "amount": "120,50",
            "receipt": receipt("casse.pdf", b"not a pdf"),
        },
    )
    assert 'id="id_receipt-error"' in response.content.decode()
    assert not Expense.objects.filter(description="Casse").exists()
    client.post(
        bo("expense_create", hub, pk=pact.pk),
        {
            "line": line.pk,
            "date": date.today().isoformat(),
            "description": "Casse",
            "amount": "120,50",
            "receipt": receipt("casse.png", PNG_BYTES, "image/png"),
        },
    )
    expense = Expense.objects.get(description="Casse")
    assert expense.amount == Decimal("120.50") and expense.status == Expense.Status.PENDING
    assert client.get(bo("expense_decide", hub, pk=expense.pk)).status_code == 403  # the hub approves
    client.force_login(world.a.users[Role.OPERATOR])
    client.post(bo("expense_decide", hub, pk=expense.pk), {"decision": "approve"})
    client.post(bo("expense_decide", hub, pk=world.a.pact_expense.pk), {"decision": "approve"})
    rows = list(
        csv.reader(
            io.StringIO(client.get(bo("ledger", hub, pk=pact.pk)).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    approved = Expense.objects.filter(pact=pact, status=Expense.Status.APPROVED)
    assert len(rows) == 1 + approved.count() + 1
    assert Decimal(rows[-1][5].replace(",", ".")) == sum(e.amount for e in approved) == Decimal("170.50")
    archive = zipfile.ZipFile(io.BytesIO(client.get(bo("receipts_zip", hub, pk=pact.pk)).content))
    assert sorted(archive.namelist()) == sorted(row[6] for row in rows[1:-1])
    receipt_response = client.get(bo("receipt", hub, pk=expense.pk))
    assert b"".join(receipt_response.streaming_content) == PNG_BYTES


def test_the_pact_pdf_names_the_parties_the_actions_and_the_signatures(client, world):
    hub, pact = world.a.hub, world.a.pact
    client.force_login(world.a.users[Role.PARTNER])
    response = client.get(bo("pact_pdf", hub, pk=pact.pk))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        hub.name,
        pact.group_name,
        world.a.cooperative.name,
        "Pulizia della piazza",
        "Anna Coordinatrice",
    ):
        assert expected in text, expected


def test_a_proposal_of_another_group_leads_back_to_my_proposals(client, world):
    hub = world.a.hub
    client.force_login(UserFactory())
    response = client.get(pub("proposal_update", hub, pk=world.a.pact.pk))
    assert response.url == pub("my_proposals", hub)
