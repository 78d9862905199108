"""
Demo paths of Together We Work, loaded by `manage.py seed_demo` (idempotent: a hub that has
paths already gets none). Each hub gets a dozen paths across the cooperatives it works with —
open ones at different stages, completed ones with outcomes and due follow-ups — so the path
list, the indicators and the monitoring report have something true to show.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from hubs.models import Membership, Role
from hubs.selectors import municipalities_for_hub
from people.models import Person
from people.services import person_find_or_create

from . import selectors, services
from .models import ActivityKind, FollowUp, Path, Situation

FIRST = [
    "Giulia",
    "Luca",
    "Sara",
    "Matteo",
    "Aisha",
    "Davide",
    "Chiara",
    "Omar",
    "Elena",
    "Marco",
    "Fatima",
    "Andrea",
    "Martina",
    "Youssef",
]
LAST = [
    "Bianchi",
    "Ferrari",
    "Rossi",
    "Galli",
    "Benali",
    "Conti",
    "Marchi",
    "Diallo",
    "Riva",
    "Bosio",
    "El Amrani",
    "Pagliari",
    "Zanoni",
    "Kaur",
]

# days since the start, hours logged, outcome when closed (None: still open)
PLAN = [
    (20, ["1", "2"], None),
    (35, ["1", "2", "1.5", "2"], None),
    (60, ["1", "3", "2", "4"], None),
    (90, ["1", "2", "3", "3", "2"], Situation.EMPLOYED),
    (120, ["1", "2", "2", "4"], Situation.INTERNSHIP),
    (150, ["1", "4", "4", "4", "3", "2"], Situation.EDUCATION),
    (200, ["1", "2"], Situation.DROPPED_OUT),
    (230, ["1", "3", "3", "2", "3"], Situation.EMPLOYED),
    (260, ["2", "4", "4"], Situation.SEARCHING),
    (300, ["1", "2", "4", "4", "4", "4", "3"], Situation.EMPLOYED),
    (330, ["1", "3", "2", "2"], Situation.INTERNSHIP),
    (45, ["1.5"], None),
]
KINDS = [
    ActivityKind.INTAKE,
    ActivityKind.ASSESSMENT,
    ActivityKind.COACHING,
    ActivityKind.CV,
    ActivityKind.WORKSHOP,
    ActivityKind.VISIT,
    ActivityKind.INTERNSHIP,
]


def seed(*, hubs: dict, count, pdf: bool = True) -> None:
    """`count(label, created)` tallies what was created, as seed_demo reports it (no PDF here)."""
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith=".demo")}
    for slug, hub in hubs.items():
        cooperatives = list(selectors.cooperatives_for(hub).order_by("name"))
        if not cooperatives or Path.objects.for_hub(hub).exists():
            continue
        partner = Membership.objects.for_hub(hub).filter(role=Role.PARTNER).first()
        if partner and partner.organization in cooperatives:  # the demo partner sees some
            cooperatives.remove(partner.organization)
            cooperatives.insert(0, partner.organization)
        operator = users.get(f"operator@{slug}.demo")
        if operator is None:  # no demo accounts (--no-accounts): nobody to deliver the paths
            continue
        rng = random.Random(slug)
        today = timezone.localdate()
        comuni = list(municipalities_for_hub(hub=hub).filter(sub_areas__hub=hub))
        for number, (days, hours, outcome) in enumerate(PLAN):
            _seed_path(hub, number, days, hours, outcome, cooperatives, operator, rng, today, comuni)
            count("placement paths", True)
        services.follow_ups_create()
        for follow_up in FollowUp.objects.for_hub(hub).filter(recorded_on__isnull=True)[::2]:
            services.follow_up_record(
                follow_up=follow_up,
                situation=rng.choice([Situation.EMPLOYED, Situation.SEARCHING]),
                contract_kind="fixed_term",
                recorded_on=today,
                by=operator,
            )


def _seed_path(hub, number, days, hours, outcome, cooperatives, operator, rng, today, comuni):
    born = today - timedelta(days=365 * rng.randint(17, 28) + rng.randint(0, 364))
    person = person_find_or_create(
        hub=hub,
        data={
            "first_name": FIRST[number % len(FIRST)],
            "last_name": LAST[(number * 5) % len(LAST)],
            "email": f"percorso{number}.{hub.slug}@example.org",
            "birth_date": born,
            "gender": rng.choice([Person.Gender.FEMALE, Person.Gender.MALE]),
            "status": Person.Status.NEET,
            "education": Person.Education.LOWER_SECONDARY,
            "municipality": rng.choice(comuni) if comuni else None,
        },
    )
    starts_on = today - timedelta(days=days)
    path = services.path_open(
        hub=hub,
        person=person,
        by=operator,
        cooperative=cooperatives[number % len(cooperatives)],
        operator=operator,
        is_neet=number % 3 != 2,
        is_low_schooling=number % 2 == 0,
        is_pandemic_unemployed=number % 3 == 2,
        age_at_intake=person.age_on(starts_on),
        education=person.education,
        months_out=rng.randint(3, 30),
        starts_on=starts_on,
    )
    planned = sum(Decimal(h) for h in hours) + 2
    services.plan_save(
        path=path,
        goals="Costruire un progetto professionale e trovare lavoro.",
        lines=[
            {"kind": ActivityKind.INTAKE, "hours": 1, "description": ""},
            {"kind": ActivityKind.COACHING, "hours": min(planned, 23), "description": ""},
        ],
    )
    step = max(1, (days - 10) // (len(hours) + 1)) if outcome else max(1, days // (len(hours) + 1))
    for index, h in enumerate(hours):
        kind = ActivityKind.INTAKE if index == 0 else rng.choice(KINDS[1:])
        activity = services.activity_log(
            path=path,
            by=operator,
            operator=operator,
            kind=kind,
            hours=Decimal(h),
            date=starts_on + timedelta(days=index * step),
            note="",
        )
        if rng.random() < 0.7:
            services.activity_confirm(activity=activity)
    if outcome:
        last_day = starts_on + timedelta(days=(len(hours) - 1) * step)
        services.path_close(
            path=path,
            outcome=outcome,
            closed_on=min(today, last_day + timedelta(days=3)),
            contract_kind="apprenticeship" if outcome == Situation.EMPLOYED else "",
        )
