"""Job club test data, made through the services (so grants, clash checks and minutes hold)."""

from datetime import timedelta

from django.utils import timezone

from hubs.models import Organization
from hubs.tests.factories import SchoolFactory
from jobclub import services
from jobclub.models import Attendance, PathKind, Sector, YoungWorker

ROSTER = (
    b"nome,cognome,classe,anno di nascita,genere\n"
    b"Giulia,Bianchi,4A,2009,F\nLuca,Ferrari,4A,2009,M\nSara,Rossi,4B,2010,F\n"
)


def school_for(hub, **kwargs) -> Organization:
    return SchoolFactory(hubs=[hub], **kwargs)


def make_path(hub, school=None, *, by=None, kind=PathKind.TECHNICAL, classes="4A, 4B", **fields):
    return services.path_create(
        hub=hub,
        by=by,
        school=school or school_for(hub),
        kind=kind,
        title=fields.pop("title", "Conoscere il lavoro"),
        classes=classes,
        **fields,
    )


def make_young_worker(hub, **fields) -> YoungWorker:
    defaults = {
        "first_name": "Marta",
        "last_name": "Galli",
        "sector": Sector.HEALTH,
        "job": "Infermiera",
        "employer": "ASST Crema",
    }
    return services.young_worker_save(hub=hub, **(defaults | fields))


def make_session(path, *, days_ago=1, hour=9, minutes=120, **fields):
    day = timezone.localdate() - timedelta(days=days_ago)
    return services.session_save(
        path=path,
        starts_at=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
        + timedelta(hours=hour),
        duration_minutes=minutes,
        topic=fields.pop("topic", "Il mercato del lavoro del Cremasco"),
        sector=fields.pop("sector", Sector.HEALTH),
        **fields,
    )


def take_register(session, by, lines=None, *, sign=True, validate_by=None):
    services.register_save(session=session, by=by, lines=lines or {})
    if sign:
        services.register_sign(session=session, by=by)
    if validate_by is not None:
        services.register_validate(session=session, by=validate_by)
    session.refresh_from_db()
    return session


def build_jobclub(hub, school, *, operator, referent, trainer=None):
    """
    The job club part of conftest's world: one of everything, reachable by the hub's school; the
    session's trainer (a partner organization's, in the world) reaches that session alone.
    """
    young_worker = make_young_worker(hub)
    path = make_path(hub, school, by=operator, classes="4A", planned_minutes=120, threshold_percent=50)
    services.roster_import(
        path=path, content=b"nome,cognome,classe,anno di nascita\nGiulia,Bianchi,4A,2009\n"
    )
    session = make_session(path, young_worker=young_worker, trainer=trainer or operator)
    take_register(session, operator, validate_by=referent)
    services.certificates_issue(path=path, by=operator)
    student = path.students.get()
    return {
        "jobclub_path": path,
        "jobclub_session": session,
        "student": student,
        "certificate": student.certificate,
        "young_worker": young_worker,
    }


LATE = Attendance.Status.LATE
ABSENT = Attendance.Status.ABSENT
LEFT_EARLY = Attendance.Status.LEFT_EARLY
