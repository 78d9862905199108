"""
The rules of the youth pacts, through their services: one active pact per sub-area, what a
proposal needs, the review's 30 days and their pauses, the day-31 e-mail sent once, co-authors
and the minors' rule, the signature and its variations, weighted progress, money that never
passes its line, and the indicators that count young people once per pact.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from hubs.models import Role
from hubs.tests.factories import HubFactory, SubAreaFactory
from pacts import indicators, selectors, services
from pacts.models import Expense, Pact, PactAction, Signature
from pacts.tests.factories import PDF_BYTES, approved, proposal, receipt, signed, submitted
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    return HubFactory()


def test_a_second_active_pact_in_a_sub_area_is_refused_with_the_name_of_the_first(hub):
    area = SubAreaFactory(hub=hub)
    submitted(hub, sub_area=area, title="Piazza viva")
    second = proposal(hub, sub_area=area, title="Un altro patto")  # a draft is allowed
    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(pact=second)
    assert "Piazza viva" in str(refused.value.message_dict["sub_area"])
    second.refresh_from_db()
    assert second.state == Pact.State.DRAFT
    other_cycle = proposal(hub, sub_area=area)
    other_cycle.cycle = "2024-2025"
    other_cycle.save()
    assert services.proposal_submit(pact=other_cycle).state == Pact.State.IN_REVIEW


def test_a_rejected_pact_frees_its_sub_area(hub):
    area = SubAreaFactory(hub=hub)
    first = submitted(hub, sub_area=area)
    services.decide(pact=first, approve=False, motivation="Manca il budget.")
    assert services.proposal_submit(pact=proposal(hub, sub_area=area)).state == Pact.State.IN_REVIEW


def test_a_proposal_needs_an_objective_and_an_action_to_be_submitted(hub):
    pact = proposal(hub, objectives="  \n", actions_proposed="")
    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(pact=pact)
    assert set(refused.value.message_dict) == {"objectives", "actions_proposed"}


def test_additions_pause_the_review_clock_and_day_31_is_mailed_to_the_coordinators_once(
    hub, django_capture_on_commit_callbacks
):
    admin = UserFactory(email="coordinatrice@hub.test")
    from hubs import services as hub_services

    hub_services.membership_create(hub=hub, user=admin, role=Role.HUB_ADMIN, organization=None)
    hub_services.membership_create(hub=hub, user=UserFactory(), role=Role.OPERATOR, organization=None)
    with time_machine.travel(date(2023, 3, 1), tick=False):
        pact = submitted(hub)
        assert pact.review_due_on == date(2023, 3, 31)
    with time_machine.travel(date(2023, 3, 11), tick=False):
        services.additions_request(pact=pact, text="Dite chi vi aiuta.")
    with time_machine.travel(date(2023, 3, 21), tick=False):
        pact.refresh_from_db()
        assert pact.review_due_on == date(2023, 4, 10)  # paused: the days pass, the due day moves
        services.proposal_submit(pact=pact)
        pact.refresh_from_db()
        assert pact.paused_days == 10 and pact.review_due_on == date(2023, 4, 10)
    with time_machine.travel(date(2023, 4, 10), tick=False):
        assert not pact.is_review_overdue
        mail.outbox.clear()
        assert services.reviews_overdue(hub=hub)["notified"] == 0
    with time_machine.travel(date(2023, 4, 11), tick=False):  # day 31 without a decision
        assert pact.is_review_overdue
        with django_capture_on_commit_callbacks(execute=True):
            assert services.reviews_overdue(hub=hub)["notified"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert services.reviews_overdue(hub=hub)["notified"] == 0  # the next run sends nothing
    overdue = [message for message in mail.outbox if message.to == ["coordinatrice@hub.test"]]
    assert len(overdue) == 1 and pact.title in overdue[0].subject


def test_a_rejection_needs_a_public_motivation(hub):
    pact = submitted(hub)
    with pytest.raises(ValidationError) as refused:
        services.decide(pact=pact, approve=False, motivation="  ")
    assert "motivation" in refused.value.message_dict
    assert services.decide(pact=pact, approve=False, motivation="Fuori tema.").state == Pact.State.REJECTED


def test_co_authors_count_once_they_accept_and_a_minor_is_named_only_with_consent(
    hub, settings, django_capture_on_commit_callbacks
):
    pact = proposal(hub)
    proposer = pact.members.get()
    adult_user, minor_user = UserFactory(email="adulta@example.org"), UserFactory(email="minore@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        adult = services.member_invite(pact=pact, email="Adulta@example.org", by=proposer.user)
        minor = services.member_invite(pact=pact, email="minore@example.org", by=proposer.user)
    assert len(mail.outbox) == 2
    assert selectors.figures_for([pact.pk])[pact.pk].young_people == 1
    assert str(adult) == gettext("Invited co-author")  # not named before accepting
    with pytest.raises(ValidationError):  # signed in with another address
        services.member_accept(member=adult, user=minor_user, name="X", birth_date=date(2000, 1, 1))
    services.member_accept(member=adult, user=adult_user, name="Giulia Verdi", birth_date=date(2000, 5, 1))
    born = date.today() - timedelta(days=365 * (settings.YIP_CONSENT_AGE - 1))
    with pytest.raises(ValidationError) as refused:
        services.member_accept(member=minor, user=minor_user, name="Marco Bianchi", birth_date=born)
    assert "guardian_name" in refused.value.message_dict
    minor = services.member_accept(
        member=minor,
        user=minor_user,
        name="Marco Bianchi",
        birth_date=born,
        guardian_name="Paola Bianchi",
        guardian_email="paola@example.org",
    )
    assert selectors.figures_for([pact.pk])[pact.pk].young_people == 3
    adult.refresh_from_db()
    assert adult.shown_name == "Giulia Verdi"
    assert "Marco" not in minor.shown_name
    services.member_guardian_consent(member=minor)
    assert minor.shown_name == "Marco Bianchi"


def test_the_pact_is_signed_by_the_hub_and_the_group_and_then_changes_only_by_variation(hub):
    pact = approved(hub)
    assert [a.title for a in pact.actions.all()] == ["Pulizia della piazza", "Tre serate di musica", "Orto"]
    services.pact_terms_set(pact=pact, responsibilities="Il gruppo cura l'orto.")
    by = UserFactory()
    services.signature_add(
        pact=pact, party=Signature.Party.GROUP, name="Luca", role="Referente", signed_on=date.today(), by=by
    )
    pact.refresh_from_db()
    assert pact.state == Pact.State.APPROVED  # the group alone does not make a pact
    services.signature_add(
        pact=pact,
        party=Signature.Party.MUNICIPALITY,
        name="Sindaca",
        role="Sindaca",
        signed_on=date.today(),
        by=by,
    )
    pact.refresh_from_db()
    assert pact.state == Pact.State.SIGNED and pact.signed_on == date.today()
    with pytest.raises(ValidationError):
        services.pact_terms_set(pact=pact, responsibilities="Tutto cambiato")
    with pytest.raises(ValidationError):
        services.variation_create(pact=pact, reason="", by=by, idea="Nuova idea")
    variation = services.variation_create(
        pact=pact, reason="Il Comune offre una sala.", by=by, idea="Nuova idea"
    )
    pact.refresh_from_db()
    assert (variation.number, pact.version, pact.idea) == (1, 2, "Nuova idea")
    assert variation.changes["idea"][1] == "Nuova idea"
    assert pact.entries.filter(text__contains="Il Comune offre una sala.").exists()


def test_progress_rolls_up_weighted_and_done_counts_as_100(hub):
    pact = signed(hub)
    pact.actions.all().delete()
    one = services.action_add(pact=pact, title="Uno", weight=1)
    services.action_add(pact=pact, title="Due", weight=2, progress=50)
    services.action_update(action=one, status=PactAction.Status.DONE)
    assert PactAction.objects.get(pk=one.pk).progress == 100
    assert selectors.figures_for([pact.pk])[pact.pk].progress == 67  # (100 × 1 + 50 × 2) / 3
    assert indicators.actions_done(hub, date(2020, 1, 1), date.today()) == pytest.approx(66.7)


def test_an_overdue_action_tells_its_owner_once(hub, django_capture_on_commit_callbacks):
    pact = signed(hub)
    action = pact.actions.first()
    services.action_update(
        action=action, owner="Luca", owner_email="luca@example.org", due_on=date.today() - timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.actions_overdue(hub=hub)["notified"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.actions_overdue(hub=hub)["notified"] == 0
    assert [m.to for m in mail.outbox if "luca@example.org" in m.to] == [["luca@example.org"]]


def test_an_expense_needs_a_true_receipt_and_never_passes_its_line_without_a_variation(hub):
    pact = signed(hub)
    tools, evenings = pact.budget_lines.order_by("pk")
    by = UserFactory()

    def spend(amount, line=tools, file=None):
        return services.expense_add(
            pact=pact,
            line=line,
            date=date.today(),
            description="Vernice",
            amount=Decimal(amount),
            receipt=file or receipt(),
            by=by,
        )

    with pytest.raises(ValidationError) as refused:
        spend("10", file=receipt("finto.pdf", b"MZ not a pdf"))
    assert "receipt" in refused.value.message_dict
    with pytest.raises(ValidationError):
        spend("10", file=receipt("virus.exe", PDF_BYTES))
    with pytest.raises(ValidationError):
        spend("10", file=receipt("enorme.pdf", PDF_BYTES + b"0" * services.RECEIPT_MAX_BYTES))
    first = spend("400")
    with pytest.raises(ValidationError) as refused:
        spend("150")  # 400 + 150 > 500
    assert "€ 100,00" in refused.value.message_dict["amount"][0]
    services.budget_move(
        pact=pact, source=evenings, target=tools, amount=Decimal("50"), reason="Più attrezzi", by=by
    )
    second = spend("150")
    tools.refresh_from_db()
    assert tools.planned == Decimal("550")
    assert Pact.objects.get(pk=pact.pk).version == 2
    services.expense_decide(expense=first, approve=True, by=by)
    services.expense_decide(expense=second, approve=False, by=by)
    figures = selectors.figures_for([pact.pk])[pact.pk]
    assert (figures.spent, figures.planned, figures.spent_pct) == (Decimal("400"), Decimal("1500"), 27)
    assert Expense.objects.get(pk=second.pk).status == Expense.Status.REJECTED


def test_indicators_count_signed_pacts_and_young_people_once_per_pact(hub):
    pact = signed(hub)
    member = services.member_invite(pact=proposal(hub), email="x@example.org", by=UserFactory())
    assert member.pact != pact
    today = date.today()
    period = (date(2020, 1, 1), today)
    assert indicators.pacts_signed(hub, *period) == 1
    assert indicators.pacts_signed(None, *period) >= 1
    assert indicators.young_people(hub, *period) == 1  # the draft's members do not count
    assert indicators.pacts_by_sub_area(hub, *period) == {pact.sub_area.name: 1}
    assert indicators.budget_spent(hub, *period) == 0
    assert indicators.young_people_by_gender(hub, *period) == {"-": 1}  # the proposer gave none
    assert indicators.young_people_by_age(hub, *period) == {"-": 1}
    proposer = pact.members.get()
    proposer.birth_date, proposer.gender = date(today.year - 20, 1, 1), "female"
    proposer.save()
    assert indicators.young_people_by_age(hub, *period) == {"18-24": 1}
    assert indicators.young_people_by_gender(hub, *period) == {"female": 1}
