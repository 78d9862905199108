"""
Payment tranches tied to milestones: planned within the pact's budget (an Italian message says
by how much it would pass), due once the milestone is done, paid by the hub (who and when kept);
shown in the back office, the ledger export and, as totals only, on the public page.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from hubs.models import Role
from pacts import selectors, services
from pacts.models import PactAction, Tranche
from pacts.tests.factories import signed
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bo(name, hub, **kwargs):
    return reverse(f"pactsbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


@pytest.fixture
def hub(module_world):
    return module_world.a.hub


@pytest.fixture
def pact(hub):
    return signed(hub)  # budget: 500 + 1000 = 1500


def test_tranches_cannot_pass_the_budget_and_the_message_says_so_in_italian(pact):
    first, second = pact.actions.all()[:2]
    services.tranche_add(pact=pact, milestone=first, amount=Decimal("1000"))
    with translation.override("it"), pytest.raises(ValidationError) as error:
        services.tranche_add(pact=pact, milestone=second, amount=Decimal("600"))
    message = error.value.message_dict["amount"][0]
    assert "1.600,00" in message and "1.500,00" in message and "budget del patto" in message
    services.tranche_add(pact=pact, milestone=second, amount=Decimal("500"))  # exactly the budget
    assert pact.tranches.count() == 2


def test_a_tranche_of_another_pacts_milestone_is_refused(hub, pact):
    other = signed(hub).actions.first()
    with pytest.raises(ValidationError):
        services.tranche_add(pact=pact, milestone=other, amount=Decimal("10"))


def test_a_tranche_falls_due_when_its_milestone_is_done_and_is_paid_once_by_the_hub(pact):
    action = pact.actions.first()
    tranche = services.tranche_add(
        pact=pact, milestone=action, amount=Decimal("300"), planned_on=date.today()
    )
    assert tranche.status == Tranche.Status.PLANNED
    staff = UserFactory()
    with pytest.raises(ValidationError):  # not before the milestone is done
        services.tranche_pay(tranche=tranche, by=staff)
    services.action_update(action=action, progress=60)
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PLANNED
    services.action_update(action=action, status=PactAction.Status.DONE)
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.DUE and tranche.due_since == date.today()
    services.tranche_pay(tranche=tranche, by=staff, paid_on=date(2023, 5, 2))
    tranche.refresh_from_db()
    assert (tranche.status, tranche.paid_by, tranche.paid_on) == (
        Tranche.Status.PAID,
        staff,
        date(2023, 5, 2),
    )
    assert tranche.paid_recorded_at is not None
    with pytest.raises(ValidationError):
        services.tranche_pay(tranche=tranche, by=staff)
    # a tranche on a milestone already done is due at once
    late = services.tranche_add(pact=pact, milestone=action, amount=Decimal("100"))
    assert late.status == Tranche.Status.DUE
    figures = selectors.figures_for([pact.pk])[pact.pk]
    assert (figures.tranches_paid, figures.tranches_planned) == (Decimal("300"), Decimal("400"))


def test_staff_plan_and_pay_a_tranche_and_the_ledger_and_public_page_show_it(client, module_world, hub, pact):
    action = pact.actions.first()
    client.force_login(module_world.a.users[Role.OPERATOR])
    response = client.post(
        bo("tranche_create", hub, pk=pact.pk), {"milestone": action.pk, "amount": "2000", "planned_on": ""}
    )
    assert response.status_code == 200 and "amount" in response.context["form"].errors
    response = client.post(
        bo("tranche_create", hub, pk=pact.pk), {"milestone": action.pk, "amount": "250,50", "planned_on": ""}
    )
    assert response.status_code == 302
    tranche = pact.tranches.get()
    assert client.get(bo("tranche_pay", hub, pk=tranche.pk)).context["applicable"] is False  # not due yet
    services.action_update(action=action, status=PactAction.Status.DONE)
    page = client.get(bo("pact_detail", hub, pk=pact.pk)).content.decode()
    assert f'data-tranche="{tranche.pk}"' in page and bo("tranche_pay", hub, pk=tranche.pk) in page
    response = client.post(bo("tranche_pay", hub, pk=tranche.pk), {"paid_on": "02/05/2023"})
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PAID and tranche.paid_by == module_world.a.users[Role.OPERATOR]
    ledger = client.get(bo("ledger", hub, pk=pact.pk) + "?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(ledger), delimiter=";"))  # as Italian Excel reads it
    tranche_rows = [row for row in rows if action.title in row]
    assert tranche_rows and "02/05/2023" in tranche_rows[0] and "250,50" in tranche_rows[0]
    # the expenses' total still equals the approved expenses (none here)
    total_row = next(row for row in rows if row[3] in ("Totale", "Total"))
    assert total_row[5] in ("0", "")
    client.logout()
    public_url = reverse("pacts:public_pact", kwargs={"hub_slug": hub.slug, "pk": pact.pk})
    public = client.get(public_url).content.decode()
    assert 'data-paid="250.50"' in public and 'data-planned="250.50"' in public
    assert module_world.a.users[Role.OPERATOR].email not in public


def test_a_partner_cannot_plan_or_pay_tranches(client, module_world, hub):
    pact = signed(hub, partners=[module_world.a.cooperative])
    tranche = services.tranche_add(pact=pact, milestone=pact.actions.first(), amount=Decimal("10"))
    client.force_login(module_world.a.users[Role.PARTNER])
    assert client.get(bo("tranche_create", hub, pk=pact.pk)).status_code == 403
    assert client.post(bo("tranche_pay", hub, pk=tranche.pk), {"paid_on": "02/05/2023"}).status_code == 403
