"""
Demo content of the job club, loaded by `manage.py seed_demo` (idempotent: a hub that has job
club paths already gets none). The schools of the Cremasco get paths at every stage — closed
with certificates, running with registers signed and validated (and one waiting for the
school's validation), just planned — and a registry of young workers of the sectors in demand.
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import selectors, services
from .models import Attendance, Path, PathKind, Sector

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
    "Zanoni",
    "Kaur",
]
TOPICS = [
    "Il mercato del lavoro del Cremasco",
    "Le professioni della cura",
    "La filiera della cosmesi",
    "Lavori digitali e smart working",
    "Il curriculum e il colloquio",
    "Diritti e contratti dei giovani lavoratori",
    "Visita in azienda",
    "Il mio progetto dopo il diploma",
    "Simulazione di colloquio",
    "Bilancio del percorso",
]
WORKERS = [
    ("Marta", "Galli", Sector.HEALTH, "Infermiera", "ASST Crema"),
    ("Samuele", "Pavesi", Sector.CARE, "Educatore", "Cooperativa Igea"),
    ("Ilaria", "Doldi", Sector.COSMETICS, "Tecnica di laboratorio", "Ancorotti Cosmetics"),
    ("Tommaso", "Bettoni", Sector.DIGITAL, "Sviluppatore web", "Reindustria Innovazione"),
]
SECTORS = [Sector.HEALTH, Sector.CARE, Sector.COSMETICS, Sector.DIGITAL]

# (school name, type, title, classes, sessions held, sessions to come, closed, students)
PATHS = [
    ("IIS Galileo Galilei", PathKind.TECHNICAL, "Conoscere il lavoro", "4A, 4B", 10, 0, True, 12),
    ("IIS Galileo Galilei", PathKind.TECHNICAL, "Professioni del futuro", "5A", 6, 4, False, 10),
    ("IIS Luca Pacioli", PathKind.TECHNICAL, "Orientarsi al lavoro", "4C", 3, 7, False, 10),
    ("IIS Piero Sraffa", PathKind.TECHNICAL, "Mestieri della cura", "3B, 4B", 0, 10, False, 0),
    (
        "Liceo Racchetti-da Vinci",
        PathKind.LICEI,
        "Dal liceo al lavoro",
        "Gruppo misto licei",
        4,
        6,
        False,
        12,
    ),
    ("IIS Janello Torriani", PathKind.TECHNICAL, "Conoscere il lavoro", "4A", 5, 5, False, 10),
]


def seed(*, hubs: dict, count, pdf: bool = True) -> None:
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith=".demo")}
    for slug, hub in hubs.items():
        if Path.objects.for_hub(hub).exists():
            continue
        operator = users.get(f"operator@{slug}.demo")
        referent = users.get(f"school@{slug}.demo")
        trainer = users.get(f"partner@{slug}.demo")  # a cooperative's trainer leads the second path
        if operator is None:  # no demo accounts (--no-accounts): nobody to run the sessions
            continue
        schools = {school.name: school for school in selectors.schools_for(hub)}
        workers = [
            services.young_worker_save(
                hub=hub,
                first_name=first,
                last_name=last,
                sector=sector,
                job=job,
                employer=employer,
                availability="Mattina",
            )
            for first, last, sector, job, employer in WORKERS
        ]
        rng = random.Random(slug)
        for number, row in enumerate(PATHS):
            if row[0] in schools:
                lead = trainer if (trainer is not None and number == 1) else operator
                _seed_path(hub, schools[row[0]], number, row, operator, referent, workers, rng, lead)
                count("job club paths", True)


def _seed_path(hub, school, number, row, operator, referent, workers, rng, trainer):
    _school, kind, title, classes, held, to_come, closed, students = row
    path = services.path_create(
        hub=hub, by=operator, school=school, kind=kind, title=title, classes=classes, trainers=[trainer]
    )
    labels = path.class_list
    school_referent = (
        referent if referent is not None and school.memberships.filter(user=referent).exists() else None
    )
    if students:
        lines = ["nome,cognome,classe,anno di nascita,genere"]
        for n in range(students):
            class_name = (
                labels[n % len(labels)] if kind == PathKind.TECHNICAL else rng.choice(["4A", "4B", "5C"])
            )
            lines.append(
                f"{FIRST[(n + number) % len(FIRST)]},{LAST[(n * 5 + number) % len(LAST)]},{class_name},"
                f"{timezone.localdate().year - 17 - (n % 2)},{'F' if n % 2 else 'M'}"
            )
        services.roster_import(path=path, content="\n".join(lines).encode())
    today = timezone.localdate()
    first_day = today - timedelta(days=7 * held)
    for index in range(held + to_come):
        day = first_day + timedelta(days=7 * index + (0 if index < held else 7))
        starts_at = timezone.make_aware(datetime.combine(day, time(8 + 2 * (number % 5), 0)))
        sector = SECTORS[index % len(SECTORS)]
        worker = workers[(index + number) % len(workers)] if index % 3 == 1 else None
        session = services.session_save(
            path=path,
            starts_at=starts_at,
            duration_minutes=120,
            topic=TOPICS[index % len(TOPICS)],
            sector=sector,
            young_worker=worker,
            trainer=trainer,
        )
        if index >= held or not students:
            continue
        exceptions = {}
        for student in path.students.all():
            roll = rng.random()
            if roll < 0.06:
                exceptions[student.pk] = (Attendance.Status.ABSENT, 0)
            elif roll < 0.12:
                exceptions[student.pk] = (Attendance.Status.LATE, rng.choice([10, 15, 20]))
            elif roll < 0.15:
                exceptions[student.pk] = (Attendance.Status.LEFT_EARLY, 30)
        services.register_save(session=session, by=trainer, lines=exceptions)
        services.register_sign(session=session, by=trainer)
        if index < held - 1 or closed:  # the last one held waits for the school's validation
            services.register_validate(session=session, by=school_referent or operator)
    if closed:
        services.path_close(path=path, closed_on=today)
        services.certificates_issue(path=path, by=operator)
        services.school_export_mark(path=path, by=operator)
