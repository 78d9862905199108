"""
Demo content of governance, loaded by `manage.py seed_demo` (idempotent): each hub's timeline
and the targets of the project plan, two meetings of the Cabina di Regia with their decisions
(one due within the week), and the monthly snapshots of the last months, for the hubs and the
network, so that the trend charts have points. Past values are computed as of each month's
end from whatever the other apps' demo data holds.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import services
from .models import Decision, Meeting, Snapshot

PAST_MONTHS = 6

# (days ago, place, agenda, minutes, [(decision, due in days, done?)])
MEETINGS = [
    (
        75,
        "Sala riunioni dell'Orientagiovani",
        "1. Avvio del monitoraggio: obiettivi del progetto e indicatori.\n"
        "2. Calendario degli incontri della Cabina di Regia.\n"
        "3. Varie ed eventuali.",
        "La Cabina di Regia approva gli obiettivi del piano di progetto e il calendario "
        "degli incontri. Si concorda di ricevere il rapporto di monitoraggio ogni mese.",
        [
            ("Condividere con i partner il piano degli indicatori e le scadenze.", -45, True),
            ("Avviare i contatti con gli istituti tecnici e professionali per il Job Club.", -10, False),
        ],
    ),
    (
        20,
        "Videoconferenza",
        "1. Rapporto di monitoraggio del mese.\n"
        "2. Percorsi Together We Work: stato di avanzamento.\n"
        "3. Organizzazione della Job Fair del Cremasco.",
        "Il rapporto mostra i percorsi in linea con il cronoprogramma. Si decide di anticipare "
        "la scelta delle quattro aree tematiche della Job Fair.",
        [
            ("Proporre le quattro aree tematiche della Job Fair con le aziende aderenti.", 5, False),
            ("Verificare con le cooperative il calendario dei prossimi percorsi.", 30, False),
            ("Aggiornare la mappa delle antenne attive sul sito.", 45, False),
        ],
    ),
]


def _month_ends(today: date, months: int) -> list[date]:
    ends, first = [], today.replace(day=1)
    for _ in range(months):
        last = first - timedelta(days=1)
        ends.append(last)
        first = last.replace(day=1)
    return ends[::-1]


def seed(*, hubs: dict, count, pdf: bool = True) -> None:
    """
    `count(label, created)` tallies what was created, as seed_demo reports it. `pdf=False`
    (`seed_demo --no-pdf`, for tests) leaves out last month's reports, whose PDFs take seconds
    each to render; the snapshots are taken all the same.
    """
    today = timezone.localdate()
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith=".demo")}
    for slug, hub in hubs.items():
        created = services.load_targets(hub)
        for _ in range(created):
            count("targets", True)
        if not created:
            count("targets", False)
        owner = users.get(f"hub_admin@{slug}.demo")
        for days_ago, place, agenda, minutes, decisions in MEETINGS:
            meeting = Meeting.objects.for_hub(hub).filter(agenda=agenda).first()
            count("meetings", meeting is None)
            if meeting is not None:
                continue
            meeting = Meeting.objects.create(
                hub=hub,
                date=today - timedelta(days=days_ago),
                place=place,
                agenda=agenda,
                minutes=minutes,
                attendees="Coordinatrice dell'Orientagiovani\nComune capofila\n"
                "Cooperative partner\nUfficio di Piano\nRappresentante delle scuole",
            )
            for text, due_in, done in decisions:
                Decision.objects.create(
                    hub=hub,
                    meeting=meeting,
                    text=text,
                    owner=owner,
                    owner_name="" if owner else "Coordinamento del polo",
                    due_on=today + timedelta(days=due_in),
                    status=Decision.Status.DONE if done else Decision.Status.OPEN,
                )
    for as_of in _month_ends(today, PAST_MONTHS):
        for hub in [*hubs.values(), None]:
            exists = Snapshot.objects.filter(
                hub=hub, kind=Snapshot.Kind.MONTHLY, month=as_of.replace(day=1)
            ).exists()
            if not exists:
                services.snapshot_take(hub=hub, kind=Snapshot.Kind.MONTHLY, as_of=as_of)
            count("monthly snapshots", not exists)
    if not pdf:
        return
    # Last month's reports, as the beat makes them on the 1st: the committee's list is not empty.
    done = services.reports_monthly(today=today)
    for _ in range(done["reports"]):
        count("monitoring reports", True)
