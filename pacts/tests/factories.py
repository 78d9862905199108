"""Youth pacts built through the services, at any stage: draft, submitted, approved, signed."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from hubs.tests.factories import SubAreaFactory
from pacts import services
from pacts.models import BudgetLine, Pact, PactMeeting, Signature, TimelineEntry, Tranche
from people.tests.factories import UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def receipt(name="scontrino.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def proposal(hub, *, sub_area=None, user=None, proposer=None, **fields) -> Pact:
    data = {
        "title": "Piazza viva",
        "group_name": "Giovani di piazza",
        "idea": "Riaprire la piazza ai giovani con eventi e un orto condiviso.",
        "motivations": "Non ci sono spazi per noi.",
        "objectives": "Uno spazio aperto il sabato\nUn orto condiviso",
        "actions_proposed": "Pulizia della piazza\nTre serate di musica\nOrto",
    } | fields
    return services.proposal_create(
        hub=hub,
        user=user or UserFactory(),
        sub_area=sub_area or SubAreaFactory(hub=hub),
        proposer=proposer,
        **data,
    )


def submitted(hub, **kwargs) -> Pact:
    return services.proposal_submit(pact=proposal(hub, **kwargs))


def approved(hub, *, partners=(), **kwargs) -> Pact:
    pact = services.decide(
        pact=submitted(hub, **kwargs), approve=True, motivation="Ben fatto.", partners=partners
    )
    services.budget_line_add(
        pact=pact, category=BudgetLine.Category.MATERIALS, description="Attrezzi", planned=Decimal("500")
    )
    services.budget_line_add(
        pact=pact, category=BudgetLine.Category.EVENTS, description="Serate", planned=Decimal("1000")
    )
    return pact


def signed(hub, *, by=None, **kwargs) -> Pact:
    pact = approved(hub, **kwargs)
    by = by or UserFactory()
    day = date.today()
    services.signature_add(
        pact=pact,
        party=Signature.Party.HUB,
        name="Anna Coordinatrice",
        role="Coordinatrice",
        signed_on=day,
        by=by,
    )
    services.signature_add(
        pact=pact,
        party=Signature.Party.GROUP,
        name="Luca Referente",
        role="Referente del gruppo",
        signed_on=day,
        by=by,
    )
    pact.refresh_from_db()
    return pact


def photo(name="piazza.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def meeting(pact, **fields) -> PactMeeting:
    data = {"date": date.today(), "place": "Biblioteca", "agenda": "Il calendario delle serate"} | fields
    return services.meeting_add(pact=pact, **data)


def sweep_meeting(h) -> PactMeeting:
    """An open co-design meeting of a world's signed pact (made once, found after)."""
    return h.pact.meetings.filter(place="Sweep").first() or meeting(h.pact, place="Sweep")


def sweep_entry(h) -> TimelineEntry:
    """A timeline entry with a photo of a world's signed pact (made once, found after)."""
    entry = h.pact.entries.filter(text="Sweep").first()
    return entry or services.timeline_add(pact=h.pact, date=date.today(), text="Sweep", photo=photo())


def sweep_tranche(h) -> Tranche:
    """A planned payment tranche of a world's signed pact (made once, found after)."""
    return h.pact.tranches.first() or services.tranche_add(
        pact=h.pact, milestone=h.pact.actions.first(), amount=Decimal("10")
    )
