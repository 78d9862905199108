"""
Demo youth pacts, loaded by `manage.py seed_demo` (idempotent: a hub that has pacts already gets
none). A hub with sub-areas gets one pact per sub-area at every stage of the path — a draft (so
its sub-area still shows "no pact yet"), proposals under review (one past its 30 days), one
waiting for additions, one approved and waiting for signatures, signed pacts with actions,
budget, approved and pending expenses with receipts and a timeline, and a completed one — so
the board, the public pages and the indicators have something true to show. Everything goes
through the services, as a user's clicks would.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.models import Membership, Organization, Role, SubArea

from . import services
from .models import BudgetLine, Pact, PactAction, Signature

RECEIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (sub-area of the Cremasco, stage, title, group, idea, objectives, actions); another hub's
# sub-areas take them in order.
PACTS = [
    (
        "Crema",
        "completed",
        "Crema in musica",
        "Collettivo Sala Prove",
        "Una sala prove gestita da giovani musicisti nel centro di Crema, aperta a chi non ha spazi.",
        "Aprire una sala prove due sere a settimana\nOrganizzare un concerto finale",
        "Sistemare la sala\nCalendario delle prove\nConcerto in piazza",
    ),
    (
        "Crema Ovest",
        "signed",
        "Orti in comune",
        "Ragazzi dell'Ovest",
        "Un orto condiviso tra Bagnolo e Vaiano curato da ragazze e ragazzi con gli anziani del paese.",
        "Un orto condiviso tra generazioni\nUna festa del raccolto",
        "Preparare il terreno\nTurni di cura con gli anziani\nFesta del raccolto",
    ),
    (
        "Pandino e Adda",
        "signed",
        "Adda in bici",
        "Giovani dell'Adda",
        "Percorsi in bicicletta lungo l'Adda per scoprire il territorio e i suoi mestieri.",
        "Conoscere il fiume e le aziende agricole\nUna mappa dei percorsi",
        "Tre uscite guidate\nMappa dei percorsi\nIncontro con le aziende",
    ),
    (
        "Vailate e Pieranica",
        "approved",
        "Spazio compiti Vailate",
        "Studenti di Vailate",
        "Un doposcuola tra pari per le medie, tenuto da studenti delle superiori.",
        "Aiutare 20 ragazzi delle medie\nFormare i tutor",
        "Formazione dei tutor\nDoposcuola due pomeriggi a settimana",
    ),
    (
        "Sergnano e Serio Nord",
        "overdue",
        "Serio pulito",
        "Amici del Serio",
        "Giornate di pulizia delle rive del Serio con le scuole di Sergnano.",
        "Quattro giornate di pulizia\nUn laboratorio nelle scuole",
        "Giornate di pulizia\nLaboratorio nelle scuole",
    ),
    (
        "Soncino e Romanengo",
        "additions",
        "Soncino Lab",
        "Giovani della Rocca",
        "Un laboratorio di video sulla storia di Soncino raccontata dai giovani.",
        "Un documentario breve",
        "Interviste\nMontaggio\nProiezione",
    ),
    (
        "Castelleone",
        "in_review",
        "Castelleone si muove",
        "Sport di quartiere",
        "Tornei di sport di strada nei quartieri di Castelleone, organizzati dai ragazzi.",
        "Tre tornei nell'estate",
        "Tornei di basket 3x3\nTorneo di calcetto",
    ),
    (
        "Montodine e Basso Serio",
        "draft",
        "Radio Basso Serio",
        "Web radio Montodine",
        "Una web radio dei giovani del Basso Serio.",
        "",
        "",
    ),
]


def _user(email: str, first: str, last: str):
    """A young person's account of the demo: it cannot sign in (no password)."""
    users = get_user_model().objects
    return users.filter(email=email).first() or users.create_user(email, first_name=first, last_name=last)


def seed(*, hubs: dict, count, pdf: bool = True) -> None:
    """`count(label, created)` tallies what was created, as seed_demo reports it (no PDF here)."""
    for slug, hub in hubs.items():
        areas = list(SubArea.objects.for_hub(hub).order_by("name"))
        if len(areas) < 2 or Pact.objects.for_hub(hub).exists():
            continue
        staff = Membership.objects.for_hub(hub).filter(role__in=[Role.HUB_ADMIN, Role.OPERATOR]).first()
        if staff is None:  # no demo accounts (--no-accounts): nobody to review the pacts
            continue
        partner = (
            Membership.objects.for_hub(hub)
            .filter(role=Role.PARTNER)
            .values_list("organization", flat=True)
            .first()
        )
        partners = list(Organization.objects.filter(pk=partner)) if partner else []
        by_name = {area.name: area for area in areas}
        for number, (name, *plan) in enumerate(PACTS[: len(areas)]):
            area = by_name.get(name) or areas[number]
            _seed_pact(hub, slug, number, area, plan, staff.user, partners)
            count("youth pacts", True)


def _seed_pact(hub, slug, number, area, plan, staff, partners) -> None:
    stage, title, group, idea, objectives, actions = plan
    today = timezone.localdate()
    proposer = _user(f"giovane{number + 1}@{slug}.demo", "Giovane", f"Proponente {number + 1}")
    pact = services.proposal_create(
        hub=hub,
        user=proposer,
        proposer={
            "name": proposer.get_full_name(),
            "birth_date": date(today.year - 19, 3, 1),
            "gender": "female",
        },
        sub_area=area,
        title=title,
        group_name=group,
        idea=idea,
        motivations="Nel nostro territorio mancano spazi e occasioni pensati con i giovani.",
        objectives=objectives,
        actions_proposed=actions,
        timeline="Da marzo a ottobre.",
        partners_text="La parrocchia, l'associazione del paese",
        resources="Materiali, un piccolo budget per gli eventi",
    )
    for other in range(2):
        member = services.member_invite(pact=pact, email=f"coautore{number}-{other}@{slug}.demo", by=proposer)
        coauthor = _user(member.email, "Coautore", f"{number}-{other}")
        services.member_accept(
            member=member,
            user=coauthor,
            name=coauthor.get_full_name(),
            birth_date=date(today.year - 17 - other * 5, 6, 1),
            gender=["male", "female"][other],
        )
    if stage == "draft":
        return
    pact = services.proposal_submit(pact=pact)
    days_ago = {"overdue": 40, "additions": 15, "in_review": 5}.get(stage, 120)
    Pact.objects.filter(pk=pact.pk).update(submitted_on=today - timedelta(days=days_ago))
    pact.refresh_from_db()
    services.review_note_add(pact=pact, author=staff, text="Proposta chiara; verificare il budget.")
    if stage in ("overdue", "in_review"):
        return
    if stage == "additions":
        services.additions_request(
            pact=pact, text="Indicate chi vi aiuta con le riprese e quanto costa il materiale."
        )
        return
    pact = services.decide(
        pact=pact,
        approve=True,
        motivation="Un progetto utile al territorio e ben organizzato.",
        partners=partners,
    )
    pact = services.pact_terms_set(
        pact=pact,
        responsibilities="Il gruppo cura le attività; l'hub accompagna e rendiconta.",
        starts_on=today - timedelta(days=90),
        ends_on=today + timedelta(days=120),
    )
    services.budget_line_add(
        pact=pact, category=BudgetLine.Category.MATERIALS, description="Materiali", planned=Decimal("1200")
    )
    services.budget_line_add(
        pact=pact, category=BudgetLine.Category.EVENTS, description="Eventi", planned=Decimal("800")
    )
    if stage == "approved":
        return
    signed_on = today - timedelta(days=80)
    services.signature_add(
        pact=pact,
        party=Signature.Party.HUB,
        name="Coordinatrice dell'hub",
        role="Coordinatrice",
        signed_on=signed_on,
        by=staff,
    )
    services.signature_add(
        pact=pact,
        party=Signature.Party.GROUP,
        name=proposer.get_full_name(),
        role="Referente del gruppo",
        signed_on=signed_on,
        by=staff,
    )
    pact.refresh_from_db()
    done = 3 if stage == "completed" else number  # the first signed pact is further along
    for position, action in enumerate(pact.actions.order_by("pk")):
        status = PactAction.Status.DONE if position < done else PactAction.Status.UNDER_WAY
        services.action_update(
            action=action,
            due_on=today + timedelta(days=30 * (position - 1)),
            status=status,
            progress=100 if status == PactAction.Status.DONE else 40,
            weight=position + 1,
        )
    materials, events = pact.budget_lines.order_by("pk")
    for amount, line, approve in (
        (Decimal("350"), materials, True),
        (Decimal("220.50"), events, True),
        (Decimal("90"), materials, None),
    ):
        expense = services.expense_add(
            pact=pact,
            line=line,
            date=today - timedelta(days=20),
            description="Acquisto per le attività",
            supplier="Ferramenta del paese",
            amount=amount,
            receipt=SimpleUploadedFile("scontrino.pdf", RECEIPT, content_type="application/pdf"),
            by=staff,
        )
        if approve:
            services.expense_decide(expense=expense, approve=True, by=staff)
    # Payment tranches, one per milestone: a done milestone's tranche is due, the first one paid.
    for position, action in enumerate(pact.actions.order_by("pk")[:3]):
        tranche = services.tranche_add(
            pact=pact,
            milestone=action,
            amount=Decimal("500"),
            planned_on=today + timedelta(days=30 * position),
        )
        if position == 0 and tranche.status == tranche.Status.DUE:
            services.tranche_pay(tranche=tranche, by=staff, paid_on=today - timedelta(days=5))
    services.timeline_add(
        pact=pact, date=today - timedelta(days=45), text="Primo incontro di co-progettazione con il gruppo."
    )
    services.timeline_add(
        pact=pact, date=today - timedelta(days=10), text="Prima attività aperta al pubblico."
    )
    # Co-design meetings: one held (its list and minutes), and the next one, still to come.
    held = services.meeting_add(
        pact=pact,
        date=today - timedelta(days=45),
        place="Biblioteca comunale",
        agenda="Presentazione del patto\nCalendario delle attività",
    )
    services.meeting_attendance_set(
        meeting=held, attended=list(pact.members.filter(accepted_at__isnull=False))
    )
    services.meeting_close(
        meeting=held, minutes="Il gruppo ha scelto le date delle attività e chi se ne occupa."
    )
    if stage == "completed":
        services.pact_complete(pact=pact)
    else:
        coming = services.meeting_add(
            pact=pact,
            date=today + timedelta(days=10),
            place="Sala civica",
            agenda="Com'è andata la prima attività\nLe prossime serate",
        )
        services.registration_create(
            meeting=coming,
            person_data={
                "first_name": "Elisa",
                "last_name": f"Demo {slug}",
                "email": f"elisa.{slug}.{number}@example.org",
                "birth_date": date(2004, 9, 12),
            },
        )
    # The demo's story happened over months: the review's steps on the days they would have.
    decided = pact.submitted_on + timedelta(days=20)
    Pact.objects.filter(pk=pact.pk).update(decided_on=decided)
    pact.entries.filter(text=_("The group submitted its proposal.")).update(date=pact.submitted_on)
    pact.entries.filter(text=_("The hub approved the proposal.")).update(date=decided)
