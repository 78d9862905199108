"""
Writes of the job club. Each service is one transaction.

Rules (the project plan's and the schools'):
- a path has a school (an organization of kind school working with the hub); the school's group
  gets a django-guardian grant on it, so the school's referents see it and nothing else;
- a class never has two sessions at the same time, nor a young worker or a trainer: the check
  runs with the school's and the young worker's rows locked, so two people planning at once
  cannot both pass it;
- a roster is imported whole or not at all, its bad rows reported by line;
- a register is taken by the trainer ("all present", then the exceptions), signed, then
  validated by the school's referent, after which it is locked: a change needs a reason and is
  written to the register's change log (who, when, what);
- a path closes when its signed sessions reach the planned hours, or with a written reason;
- a certificate goes to each student whose attended minutes reach the path's threshold.
"""

import io
import secrets
from datetime import date, datetime, timedelta

import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.models import Hub, Organization
from hubs.permissions import grant, organization_group, revoke

from . import selectors
from .models import (
    Attendance,
    Certificate,
    Path,
    RegisterChange,
    RegisterStatus,
    SchoolExport,
    SelfAssessment,
    SelfAssessmentDone,
    Session,
    Student,
    YoungWorker,
    hours_text,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def new_code(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(length))


# --- Paths ----------------------------------------------------------------------------------------


def _check_school(hub: Hub, school: Organization) -> None:
    if not selectors.schools_for(hub).filter(pk=school.pk).exists():
        raise ValidationError({"school": _("Choose a school that works with this hub.")})


@transaction.atomic
def path_create(*, hub: Hub, by, school: Organization, trainers=(), **fields) -> Path:
    """A new path of a school; the school's group gets its grant at once."""
    _check_school(hub, school)
    path = Path(hub=hub, school=school, created_by=by, **fields)
    path.full_clean(exclude=["school", "created_by", "trainers"])
    path.save()
    path.trainers.set(trainers)
    grant(organization_group(school), selectors.VIEW, path)
    return path


@transaction.atomic
def path_update(*, path: Path, trainers=None, **fields) -> Path:
    """Correct a path's facts (not its school)."""
    path = Path.objects.select_for_update().get(pk=path.pk)
    for name, value in fields.items():
        setattr(path, name, value)
    path.full_clean(exclude=["school", "created_by", "trainers"])
    path.save()
    if trainers is not None:
        path.trainers.set(trainers)
    return path


@transaction.atomic
def path_close(*, path: Path, closed_on: date, reason: str = "") -> Path:
    """Close when the signed sessions reach the planned hours, or with a written reason."""
    path = Path.objects.select_for_update().get(pk=path.pk)
    if not path.is_open:
        raise ValidationError(_("This path is closed already."))
    delivered = selectors.delivered_minutes(path)
    reason = reason.strip()
    if delivered < path.planned_minutes and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The signed sessions add up to %(delivered)s of the %(planned)s planned: "
                    "write why the path closes earlier."
                )
                % {"delivered": hours_text(delivered), "planned": hours_text(path.planned_minutes)}
            }
        )
    path.status, path.closed_on, path.close_reason = Path.Status.CLOSED, closed_on, reason
    path.save(update_fields=["status", "closed_on", "close_reason"])
    return path


# --- Sessions -------------------------------------------------------------------------------------


def _clashes(session: Session, path: Path) -> dict:
    """What the session would collide with: the same class, young worker or trainer elsewhere."""
    errors = {}
    others = Session.objects.for_hub(path.hub).overlapping(session.starts_at, session.ends_at)
    if session.pk:
        others = others.exclude(pk=session.pk)
    classes = set(path.class_list)
    for other in others.filter(path__school=path.school).select_related("path"):
        shared = classes & set(other.path.class_list)
        if shared:
            errors["starts_at"] = _("Class %(classes)s already has a session then: %(other)s.") % {
                "classes": ", ".join(sorted(shared)),
                "other": other,
            }
            break
    if session.young_worker_id and others.filter(young_worker_id=session.young_worker_id).exists():
        errors["young_worker"] = _("This young worker is expected at another session at that time.")
    if session.trainer_id and others.filter(trainer_id=session.trainer_id).exists():
        errors["trainer"] = _("This trainer has another session at that time.")
    return errors


@transaction.atomic
def session_save(*, path: Path, session: Session | None = None, **fields) -> Session:
    """
    Plan a session of the path, or move one: refused when the class, the young worker or the
    trainer is busy then. The school's row (and the young worker's) is locked meanwhile.
    """
    Organization.objects.select_for_update().filter(pk=path.school_id).first()
    session = session or Session(hub=path.hub, path=path)
    if session.pk and session.is_locked:
        raise ValidationError(_("The school validated this session's register: it can no longer move."))
    if not path.is_open:
        raise ValidationError(_("This path is closed: its sessions can no longer change."))
    for name, value in fields.items():
        setattr(session, name, value)
    if session.young_worker_id:
        YoungWorker.objects.select_for_update().filter(pk=session.young_worker_id).first()
    session.ends_at = session.starts_at + timedelta(minutes=session.duration_minutes or 0)
    errors = _clashes(session, path)
    if errors:
        raise ValidationError(errors)
    session.full_clean(exclude=["path", "young_worker", "trainer", "ends_at"])
    before = Session.objects.filter(pk=session.pk) if session.pk else Session.objects.none()
    previous_trainer_id = before.values_list("trainer_id", flat=True).first()
    session.save()
    _trainer_grant(session, previous_trainer_id)
    return session


def _trainer_grant(session: Session, previous_trainer_id: int | None) -> None:
    """The session's trainer holds its grant (selectors.TRAIN); a trainer replaced loses it."""
    if previous_trainer_id and previous_trainer_id != session.trainer_id:
        revoke(get_user_model().objects.get(pk=previous_trainer_id), selectors.TRAIN, session)
    if session.trainer_id:
        grant(session.trainer, selectors.TRAIN, session)


# --- Roster ---------------------------------------------------------------------------------------

# The column names a school's CSV may use for each field (compared without case or spaces).
COLUMNS = {
    "first_name": {"nome", "name", "firstname", "first_name"},
    "last_name": {"cognome", "surname", "lastname", "last_name"},
    "class_name": {"classe", "class", "class_name"},
    "birth_year": {
        "annodinascita",
        "anno",
        "yearofbirth",
        "birthyear",
        "birth_year",
        "anno_nascita",
        "annonascita",
    },
    "gender": {"genere", "sesso", "gender"},
}
GENDERS = {
    "f": Student.Gender.FEMALE,
    "female": Student.Gender.FEMALE,
    "femmina": Student.Gender.FEMALE,
    "m": Student.Gender.MALE,
    "male": Student.Gender.MALE,
    "maschio": Student.Gender.MALE,
    "": "",
}
MAX_ROSTER_ROWS = 500


class RosterError(ValidationError):
    """Bad rows of a roster: `lines` is a list of (line number, message)."""

    def __init__(self, lines: list[tuple[int, str]]):
        self.lines = lines
        super().__init__([f"{number}: {message}" for number, message in lines])


def _read_csv(content: bytes) -> tablib.Dataset:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # Excel's "CSV" on Windows in Italy
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Italian Excel writes ";"
    try:
        return tablib.Dataset().load(io.StringIO(text), format="csv", delimiter=delimiter)
    except Exception as error:  # tablib raises several kinds on a broken file
        raise RosterError([(1, _("The file is not a readable CSV file."))]) from error


def _header_map(headers) -> dict[str, int]:
    found = {}
    for index, header in enumerate(headers or []):
        key = str(header or "").strip().lower().replace(" ", "").replace("_", "")
        for field, names in COLUMNS.items():
            if key in {name.replace("_", "") for name in names}:
                found[field] = index
    return found


def roster_parse(*, path: Path, content: bytes, today: date | None = None) -> list[dict]:
    """
    The roster's rows as Student fields, or a RosterError with every bad row by its line (the
    header is line 1). Nothing is saved here.
    """
    today = today or timezone.localdate()
    data = _read_csv(content)
    columns = _header_map(data.headers)
    missing = [f for f in ("first_name", "last_name", "class_name", "birth_year") if f not in columns]
    if missing:
        raise RosterError(
            [
                (
                    1,
                    _(
                        "The first line must name the columns: nome, cognome, classe, anno di nascita "
                        "(genere optional)."
                    ),
                )
            ]
        )
    if not len(data):
        raise RosterError([(2, _("The file has no students."))])
    if len(data) > MAX_ROSTER_ROWS:
        raise RosterError([(2, _("At most %(n)s students per file.") % {"n": MAX_ROSTER_ROWS})])
    classes = set(path.class_list)
    rows, errors, seen = [], [], set()
    for offset, raw in enumerate(data):
        line = offset + 2

        def cell(field, raw=raw):
            index = columns.get(field)
            return str(raw[index] or "").strip() if index is not None and index < len(raw) else ""

        row = {field: cell(field) for field in COLUMNS}
        problems = []
        if not row["first_name"]:
            problems.append(_("the first name is missing"))
        if not row["last_name"]:
            problems.append(_("the last name is missing"))
        row["class_name"] = row["class_name"].upper()
        if not row["class_name"]:
            problems.append(_("the class is missing"))
        elif path.kind == "technical" and classes and row["class_name"] not in classes:
            problems.append(
                _("class %(class)s is not one of the path's (%(classes)s)")
                % {"class": row["class_name"], "classes": ", ".join(path.class_list)}
            )
        year = row["birth_year"]
        if not year.isdigit() or not today.year - 25 <= int(year) <= today.year - 10:
            problems.append(_("the year of birth “%(year)s” is not a plausible year") % {"year": year[:10]})
        else:
            row["birth_year"] = int(year)
        gender = GENDERS.get(row["gender"].lower())
        if gender is None:
            problems.append(_("the gender must be F, M or empty"))
        else:
            row["gender"] = gender or ""
        if len(row["first_name"]) > 100 or len(row["last_name"]) > 100 or len(row["class_name"]) > 20:
            problems.append(_("a value is too long"))
        key = (row["first_name"].lower(), row["last_name"].lower(), row["class_name"], row["birth_year"])
        if not problems and key in seen:
            problems.append(_("the same student appears twice"))
        seen.add(key)
        if problems:
            errors.append((line, "; ".join(problems)))
        else:
            rows.append(row)
    if errors:
        raise RosterError(errors)
    return rows


@transaction.atomic
def roster_import(*, path: Path, content: bytes) -> int:
    """Add the roster's students to the path, all or none; each gets a personal code."""
    path = Path.objects.select_for_update().get(pk=path.pk)
    rows = roster_parse(path=path, content=content)
    existing = {
        (s.first_name.lower(), s.last_name.lower(), s.class_name, s.birth_year) for s in path.students.all()
    }
    added = [
        Student(hub=path.hub, path=path, access_code=new_code(), **row)
        for row in rows
        if (row["first_name"].lower(), row["last_name"].lower(), row["class_name"], row["birth_year"])
        not in existing
    ]
    Student.objects.bulk_create(added)
    return len(added)


# --- Registers ------------------------------------------------------------------------------------


def _minutes(session: Session, status: str, missed: int) -> tuple[int, int]:
    if status == Attendance.Status.PRESENT:
        return 0, session.duration_minutes
    if status == Attendance.Status.ABSENT:
        return 0, 0
    if not 1 <= missed < session.duration_minutes:
        raise ValidationError(
            _("Late or left early: give the minutes missed, between 1 and %(n)s.")
            % {"n": session.duration_minutes - 1}
        )
    return missed, session.duration_minutes - missed


def _describe(student: Student, line: Attendance | None, status: str, missed: int) -> str:
    def text(status, missed):
        label = str(Attendance.Status(status).label)
        return f"{label} {missed}'" if missed else label

    before = text(line.status, line.minutes_missed) if line else "—"
    return f"{student}: {before} → {text(status, missed)}"


@transaction.atomic
def register_save(*, session: Session, by, lines: dict[int, tuple[str, int]], reason: str = "") -> int:
    """
    Save the register's lines ({student id: (status, minutes missed)}); students left out are
    present. Once the school validated the register, a change needs a reason and is logged.
    Returns how many lines changed.
    """
    session = Session.objects.select_for_update(of=("self",)).select_related("path", "hub").get(pk=session.pk)
    if session.starts_at > timezone.now():
        raise ValidationError(_("The register is taken once the session has started."))
    students = list(session.path.students.filter(erased_at__isnull=True))
    current = {line.student_id: line for line in session.attendances.all()}
    changes, changed = [], 0
    for student in students:
        status, missed = lines.get(student.pk, (Attendance.Status.PRESENT, 0))
        missed, minutes = _minutes(session, status, missed or 0)
        line = current.get(student.pk)
        if line and (line.status, line.minutes_missed) == (status, missed):
            continue
        changes.append(_describe(student, line, status, missed))
        changed += 1
        if line:
            line.student = student  # the audit log names the line by its student: no query per line
            line.status, line.minutes_missed, line.minutes = status, missed, minutes
            line.save(update_fields=["status", "minutes_missed", "minutes"])
        else:
            Attendance.objects.create(
                hub=session.hub,
                session=session,
                student=student,
                status=status,
                minutes_missed=missed,
                minutes=minutes,
            )
    if session.is_locked and changed:
        if not reason.strip():
            raise ValidationError({"reason": _("The school validated this register: say why it changes.")})
        RegisterChange.objects.create(
            hub=session.hub, session=session, by=by, reason=reason.strip(), what="\n".join(changes)
        )
    return changed


@transaction.atomic
def register_sign(*, session: Session, by) -> Session:
    """The trainer signs the register: every student of the roster has a line."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.register_status != RegisterStatus.OPEN:
        raise ValidationError(_("This register is signed already."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("The register is taken once the session has started."))
    missing = session.path.students.filter(erased_at__isnull=True).exclude(attendances__session=session)
    if missing.exists():
        raise ValidationError(_("Take the attendance of every student before signing."))
    session.register_status, session.signed_by, session.signed_at = RegisterStatus.SIGNED, by, timezone.now()
    session.save(update_fields=["register_status", "signed_by", "signed_at"])
    return session


@transaction.atomic
def register_validate(*, session: Session, by) -> Session:
    """The school's referent validates a signed register; it is locked from then on."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.register_status == RegisterStatus.VALIDATED:
        raise ValidationError(_("This register is validated already."))
    if session.register_status != RegisterStatus.SIGNED:
        raise ValidationError(_("The trainer signs the register first."))
    session.register_status, session.validated_by, session.validated_at = (
        RegisterStatus.VALIDATED,
        by,
        timezone.now(),
    )
    session.save(update_fields=["register_status", "validated_by", "validated_at"])
    return session


# --- Certificates ---------------------------------------------------------------------------------


@transaction.atomic
def certificates_issue(*, path: Path, by) -> int:
    """A certificate for each student who reached the threshold and has none yet."""
    path = Path.objects.select_for_update().get(pk=path.pk)
    issued = 0
    for student in selectors.students_with_minutes(path):
        if student.erased_at or not student.eligible or student.certificate_code:
            continue
        Certificate.objects.create(
            hub=path.hub, student=student, code=new_code(12), minutes=student.minutes, issued_by=by
        )
        issued += 1
    return issued


# --- Students' own access -------------------------------------------------------------------------


def surely_of_consent_age(birth_year: int, today: date | None = None) -> bool:
    """
    With the year of birth only, a student is surely of the consent age (settings.YIP_CONSENT_AGE)
    when they were that old already on 1 January: the cautious reading for minors' data.
    """
    today = today or timezone.localdate()
    return today.year - birth_year - 1 >= settings.YIP_CONSENT_AGE


@transaction.atomic
def student_claim(*, user, code: str) -> Student:
    """A student links their account to their roster record with the school's personal code."""
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    student = (
        Student.objects.select_for_update().filter(access_code=code, erased_at__isnull=True).first()
        if code
        else None
    )
    if student is None or (student.user_id and student.user_id != user.pk):
        raise ValidationError({"code": _("This code is not valid. Check it with your school.")})
    if not surely_of_consent_age(student.birth_year):
        raise ValidationError(
            {"code": _("Students sign in from the age of %(age)s.") % {"age": settings.YIP_CONSENT_AGE}}
        )
    student.user = user
    student.save(update_fields=["user"])
    return student


@transaction.atomic
def student_erase(*, student: Student) -> Student:
    """Blank the student's names and code; year of birth, class, gender and hours stay."""
    student = Student.objects.select_for_update().get(pk=student.pk)
    student.first_name = student.last_name = student.access_code = ""
    student.user = None
    student.erased_at = timezone.now()
    student.save(update_fields=["first_name", "last_name", "access_code", "user", "erased_at"])
    return student


# --- The school's accounting ----------------------------------------------------------------------


def school_rows(path: Path) -> tuple[list[dict], SchoolExport | None]:
    """Per student: minutes now, and as last handed to the school (None: never handed)."""
    last = path.exports.order_by("-handed_at", "-pk").first()
    before = last.minutes if last else {}
    rows = []
    for student in selectors.students_with_minutes(path):
        was = before.get(str(student.pk))
        rows.append(
            {
                "student": student,
                "minutes": student.minutes,
                "before": was,
                "changed": was is not None and was != student.minutes,
            }
        )
    return rows, last


@transaction.atomic
def school_export_mark(*, path: Path, by) -> SchoolExport:
    """Record that the hours as they stand now were handed to the school (date, user)."""
    minutes = {str(pk): total for pk, total in selectors.student_minutes(path).items()}
    for pk in path.students.values_list("pk", flat=True):
        minutes.setdefault(str(pk), 0)
    return SchoolExport.objects.create(hub=path.hub, path=path, handed_by=by, minutes=minutes)


# --- Young workers --------------------------------------------------------------------------------


def young_worker_save(*, hub: Hub, young_worker: YoungWorker | None = None, **fields) -> YoungWorker:
    young_worker = young_worker or YoungWorker(hub=hub)
    for name, value in fields.items():
        setattr(young_worker, name, value)
    young_worker.full_clean()
    young_worker.save()
    return young_worker


def session_datetime(day: date, start) -> datetime:
    return timezone.make_aware(datetime.combine(day, start))


# --- Self-assessment ------------------------------------------------------------------------------

MIN_ANSWERS = 5  # results are shown only from this many answers per phase


def self_assessment_phase(student: Student) -> str | None:
    """The phase the student may answer now: before first, after once a register was signed."""
    done = set(SelfAssessmentDone.objects.filter(student=student).values_list("phase", flat=True))
    if SelfAssessment.Phase.BEFORE not in done:
        return SelfAssessment.Phase.BEFORE
    if SelfAssessment.Phase.AFTER not in done and selectors.delivered_minutes(student.path) > 0:
        return SelfAssessment.Phase.AFTER
    return None


@transaction.atomic
def self_assessment_answer(
    *, student: Student, knowledge: int, readiness: int, anonymous: bool
) -> SelfAssessment:
    student = Student.objects.select_for_update().select_related("path").get(pk=student.pk)
    phase = self_assessment_phase(student)
    if phase is None:
        raise ValidationError(_("You have answered already."))
    SelfAssessmentDone.objects.create(hub=student.hub, student=student, phase=phase)
    return SelfAssessment.objects.create(
        hub=student.hub,
        path=student.path,
        student=None if anonymous else student,
        phase=phase,
        knowledge=knowledge,
        readiness=readiness,
    )
