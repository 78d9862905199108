"""The job club's rules, through its services."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from hubs.models import Role
from hubs.tests.factories import HubFactory
from jobclub import selectors, services
from jobclub.models import Attendance, Certificate, PathKind, RegisterChange, Student
from people.tests.factories import UserFactory

from .factories import ROSTER, make_path, make_session, make_young_worker, school_for, take_register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English here (msgids); the pages' Italian is tested by the catalogue."""
    with translation.override("en"):
        yield


LATE, ABSENT, LEFT = Attendance.Status.LATE, Attendance.Status.ABSENT, Attendance.Status.LEFT_EARLY


@pytest.fixture
def hub():
    return HubFactory()


@pytest.fixture
def path(hub):
    path = make_path(hub)
    services.roster_import(path=path, content=ROSTER)
    return path


def student(path, first_name):
    return path.students.get(first_name=first_name)


# --- sessions ------------------------------------------------------------------------------


def test_a_class_never_has_two_sessions_at_once_even_across_paths(hub, path):
    make_session(path, hour=9, minutes=120)
    other = make_path(hub, path.school, classes="4B, 5A", title="Altro percorso")
    with pytest.raises(ValidationError) as error:
        make_session(other, hour=10, minutes=60)  # 4B is busy 9–11
    assert "4B" in str(error.value)
    make_session(other, hour=11, minutes=60)  # right after: fine
    another_school = make_path(hub, classes="4B")  # a 4B of another school is another class
    make_session(another_school, hour=9, minutes=60)


def test_a_young_worker_is_never_in_two_places(hub, path):
    worker = make_young_worker(hub)
    make_session(path, hour=9, young_worker=worker)
    elsewhere = make_path(hub, classes="3C")
    with pytest.raises(ValidationError) as error:
        make_session(elsewhere, hour=10, young_worker=worker)
    assert "young_worker" in error.value.error_dict
    make_session(elsewhere, hour=14, young_worker=worker)


# --- roster --------------------------------------------------------------------------------


def test_a_roster_imports_in_one_step_with_personal_codes(path):
    assert path.students.count() == 3
    codes = set(path.students.values_list("access_code", flat=True))
    assert len(codes) == 3 and all(len(code) == 10 for code in codes)
    # importing the same file again adds nobody twice
    assert services.roster_import(path=path, content=ROSTER) == 0


def test_a_roster_with_bad_rows_saves_nothing_and_says_which_lines(hub):
    path = make_path(hub, classes="4A")
    content = (
        "cognome;nome;classe;anno di nascita\n"  # Italian Excel: semicolons, any column order
        "Rossi;Anna;4A;2009\n"
        ";Marco;4A;2009\n"
        "Verdi;Paolo;5C;2009\n"
        "Neri;Ida;4A;duemila\n"
    ).encode("cp1252")
    with pytest.raises(services.RosterError) as error:
        services.roster_import(path=path, content=content)
    lines = dict(error.value.lines)
    assert set(lines) == {3, 4, 5}
    assert "last name" in lines[3] and "5C" in lines[4] and "duemila" in lines[5]
    assert path.students.count() == 0


def test_a_25_row_roster_imports(hub):
    path = make_path(hub, classes="4A")
    rows = "".join(f"Nome{n},Cognome{n},4a,2009\n" for n in range(25))
    assert (
        services.roster_import(path=path, content=f"nome,cognome,classe,anno di nascita\n{rows}".encode())
        == 25
    )


# --- registers -----------------------------------------------------------------------------


def test_hours_are_the_minutes_attended(path):
    trainer = UserFactory()
    giulia, luca, sara = student(path, "Giulia"), student(path, "Luca"), student(path, "Sara")
    first = make_session(path, days_ago=2, minutes=120)
    take_register(first, trainer, {giulia.pk: (LATE, 15), luca.pk: (ABSENT, 0)})
    second = make_session(path, days_ago=1, minutes=60)
    take_register(second, trainer, {sara.pk: (LEFT, 20)})
    assert selectors.student_minutes(path) == {giulia.pk: 105 + 60, luca.pk: 60, sara.pk: 120 + 40}
    assert selectors.delivered_minutes(path) == 180


def test_late_needs_the_minutes_missed(path):
    session = make_session(path)
    with pytest.raises(ValidationError):
        services.register_save(session=session, by=UserFactory(), lines={student(path, "Luca").pk: (LATE, 0)})
    assert not session.attendances.exists()


def test_the_register_is_signed_validated_then_changes_need_a_reason_and_are_audited(path):
    trainer, referent = UserFactory(), UserFactory()
    session = make_session(path)
    with pytest.raises(ValidationError):
        services.register_validate(session=session, by=referent)  # not signed yet
    take_register(session, trainer, validate_by=referent)
    assert session.is_locked and session.validated_by == referent
    luca = student(path, "Luca")
    with pytest.raises(ValidationError) as error:
        services.register_save(session=session, by=trainer, lines={luca.pk: (ABSENT, 0)})
    assert "reason" in error.value.error_dict
    assert session.attendances.get(student=luca).status == Attendance.Status.PRESENT
    services.register_save(session=session, by=trainer, lines={luca.pk: (ABSENT, 0)}, reason="Era in gita")
    change = RegisterChange.objects.get(session=session)
    assert change.by == trainer and change.reason == "Era in gita"
    assert "Ferrari Luca" in change.what and "Absent" in change.what
    assert selectors.student_minutes(path)[luca.pk] == 0


def test_no_register_before_the_session_starts(path):
    session = make_session(path, days_ago=-1)
    with pytest.raises(ValidationError):
        services.register_save(session=session, by=UserFactory(), lines={})


# --- closing and certificates -----------------------------------------------------------------


def test_a_path_closes_at_its_planned_hours_or_with_a_reason(hub):
    path = make_path(hub, planned_minutes=120)
    session = make_session(path, minutes=60)
    take_register(session, UserFactory())
    with pytest.raises(ValidationError) as error:
        services.path_close(path=path, closed_on=timezone.localdate())
    assert "reason" in error.value.error_dict
    services.path_close(path=path, closed_on=timezone.localdate(), reason="La scuola ha sospeso le attività")
    other = make_path(hub, planned_minutes=60)
    take_register(make_session(other, minutes=60), UserFactory())
    assert services.path_close(path=other, closed_on=timezone.localdate()).status == "closed"


def test_certificates_go_to_those_who_reached_the_threshold_once(hub):
    """80 % of 20 hours: 15 hours attended get no certificate, 16 hours get one."""
    path = make_path(hub, classes="4A", threshold_percent=80)
    services.roster_import(
        path=path, content=b"nome,cognome,classe,anno di nascita\nA,Uno,4A,2009\nB,Due,4A,2009\n"
    )
    one, two = path.students.order_by("last_name")  # Due, Uno
    trainer = UserFactory()
    for day in range(8):  # 16 hours of sessions; Uno misses one hour: 15 h
        lines = {two.pk: (LEFT, 60)} if day == 0 else {}
        take_register(make_session(path, days_ago=day + 1, minutes=120), trainer, lines)
    minutes = selectors.student_minutes(path)
    assert minutes == {one.pk: 16 * 60, two.pk: 15 * 60}
    assert services.certificates_issue(path=path, by=trainer) == 1
    assert services.certificates_issue(path=path, by=trainer) == 0
    certificate = one.certificate
    assert (
        certificate.minutes == 16 * 60
        and selectors.certificate_by_code(certificate.code.lower()) == certificate
    )
    assert not Certificate.objects.filter(student=two).exists()
    assert selectors.certificate_by_code("NOTACODE") is None


# --- the student's own access, erasure, the school's export ------------------------------------------


def test_a_student_claims_their_record_from_14_only(hub, path):
    today = timezone.localdate()
    older = student(path, "Giulia")
    Student.objects.filter(pk=older.pk).update(birth_year=today.year - 16)
    younger = student(path, "Sara")
    Student.objects.filter(pk=younger.pk).update(birth_year=today.year - 13)
    user = UserFactory()
    assert services.student_claim(user=user, code=older.access_code.lower()).user == user
    with pytest.raises(ValidationError):
        services.student_claim(user=UserFactory(), code=younger.access_code)
    with pytest.raises(ValidationError):
        services.student_claim(user=UserFactory(), code=older.access_code)  # taken by another account
    with pytest.raises(ValidationError):
        services.student_claim(user=user, code="WRONGCODE1")


def test_erasure_keeps_the_statistical_facts(path):
    trainer = UserFactory()
    giulia = student(path, "Giulia")
    take_register(make_session(path), trainer)
    services.student_erase(student=giulia)
    giulia.refresh_from_db()
    assert (giulia.first_name, giulia.last_name, giulia.access_code) == ("", "", "")
    assert (giulia.birth_year, giulia.class_name, giulia.gender) == (2009, "4A", "female")
    assert selectors.student_minutes(path)[giulia.pk] == 120


def test_the_school_export_shows_what_changed_since_it_was_handed(path):
    trainer = UserFactory()
    session = make_session(path)
    take_register(session, trainer)
    services.school_export_mark(path=path, by=trainer)
    rows, last = services.school_rows(path)
    assert last.handed_by == trainer and not any(row["changed"] for row in rows)
    assert sum(row["minutes"] for row in rows) == sum(selectors.student_minutes(path).values())
    luca = student(path, "Luca")
    services.register_save(session=session, by=trainer, lines={luca.pk: (LATE, 30)})
    rows, _last = services.school_rows(path)
    changed = [row for row in rows if row["changed"]]
    assert [(row["student"].pk, row["before"], row["minutes"]) for row in changed] == [(luca.pk, 120, 90)]


def test_a_school_referent_reaches_only_their_schools_paths(hub):
    from hubs import services as hub_services

    school_a, school_b = school_for(hub), school_for(hub)
    mine, theirs = make_path(hub, school_a), make_path(hub, school_b)
    referent = hub_services.membership_create(
        hub=hub, user=UserFactory(), role=Role.SCHOOL, organization=school_a
    )
    assert list(selectors.paths_for(hub=hub, membership=referent)) == [mine]
    operator = hub_services.membership_create(hub=hub, user=UserFactory(), role=Role.OPERATOR)
    assert set(selectors.paths_for(hub=hub, membership=operator)) == {mine, theirs}
    steering = hub_services.membership_create(hub=hub, user=UserFactory(), role=Role.STEERING)
    assert not selectors.paths_for(hub=hub, membership=steering).exists()


def test_paths_by_type_against_the_plan(hub):
    for _n in range(2):
        make_path(hub)
    make_path(hub, kind=PathKind.LICEI, classes="Gruppo licei")
    make_path(HubFactory())
    assert selectors.paths_by_kind(hub) == {"technical": 2, "licei": 1}


def test_the_self_assessment_is_anonymous_by_choice_and_shown_from_5_answers(hub):
    path = make_path(hub, classes="4A")
    rows = "".join(f"N{n},C{n},4A,2009\n" for n in range(6))
    services.roster_import(path=path, content=f"nome,cognome,classe,anno di nascita\n{rows}".encode())
    students = list(path.students.all())
    for index, one in enumerate(students[:4]):
        services.self_assessment_answer(student=one, knowledge=2, readiness=2, anonymous=index > 0)
    assert services.self_assessment_phase(students[0]) is None  # "after" waits for a signed register
    with pytest.raises(ValidationError):
        services.self_assessment_answer(student=students[0], knowledge=5, readiness=5, anonymous=True)
    assert path.self_assessments.filter(student__isnull=False).count() == 1  # the named one
    take_register(make_session(path), UserFactory())
    for one in students[:4]:
        services.self_assessment_answer(student=one, knowledge=4, readiness=3, anonymous=True)
    assert selectors.self_assessment_results([path]) is None  # 4 answers each: not shown
    services.self_assessment_answer(student=students[4], knowledge=2, readiness=2, anonymous=True)
    services.self_assessment_answer(student=students[4], knowledge=4, readiness=3, anonymous=True)
    results = selectors.self_assessment_results([path])
    assert (results["knowledge_change"], results["readiness_change"]) == (2.0, 1.0)
