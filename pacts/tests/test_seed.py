"""The demo's youth pacts: the Cremasco's 8 sub-areas with a pact at every stage of the path."""

from io import StringIO

import pytest
from django.core.management import call_command

from hubs.models import Hub
from pacts import selectors
from pacts.models import Expense, Pact

pytestmark = pytest.mark.django_db


def test_the_cremasco_has_a_pact_at_every_stage_and_one_sub_area_without(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-pdf", stdout=StringIO(), stderr=StringIO())
    crema = Hub.objects.get(slug="crema")
    rows = selectors.board(hub=crema)
    assert len(rows) == 8
    states = {row["pact"].state for row in rows if row["pact"]}
    assert states == {"completed", "signed", "approved", "in_review", "additions"}
    assert sum(1 for row in rows if row["pact"] is None) == 1  # its pact is a draft
    assert any(row["pact"].is_review_overdue for row in rows if row["pact"])
    assert Pact.objects.for_hub(crema).filter(state="draft").count() == 1
    signed = [row for row in rows if row["pact"] and row["pact"].is_signed]
    assert all(row["figures"].spent > 0 and row["figures"].young_people == 3 for row in signed)
    assert Expense.objects.for_hub(crema).filter(status="pending").exists()
    for row in signed:  # a meeting held with its minutes, and the next one of a pact under way
        assert row["pact"].meetings.filter(closed_at__isnull=False).exclude(minutes="").count() == 1
        assert (selectors.next_meeting(row["pact"]) is None) == (row["pact"].state == "completed")
    call_command("seed_demo", "--no-pdf", stdout=StringIO(), stderr=StringIO())  # idempotent
    assert Pact.objects.for_hub(crema).count() == 8
