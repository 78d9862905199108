"""The job club's pages: what each member sees and may do, PDFs, calendars, the public check."""

import io
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from hubs.models import Role
from jobclub import services
from jobclub.models import RegisterStatus, Student
from people.tests.factories import UserFactory
from tests.test_url_access import OBJECTS, URLS, build_url

from .factories import ROSTER, make_path, make_session, school_for, take_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def bo(name, hub, **kwargs):
    return reverse(f"jobclubbo:{name}", kwargs={"hub_slug": hub.slug, **kwargs})


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_referent_of_school_a_gets_404_on_everything_of_school_b(client, world):
    """Every job club URL naming an object, with school B's object, for school A's referent."""
    hub = world.a.hub
    other = school_for(hub)
    operator = world.a.users[Role.OPERATOR]
    path = make_path(
        hub, other, by=operator, classes="4A", title="Percorso della scuola B", planned_minutes=120
    )
    services.roster_import(path=path, content=b"nome,cognome,classe,anno di nascita\nIda,Neri,4A,2009\n")
    session = take_register(make_session(path, hour=15), operator)
    services.certificates_issue(path=path, by=operator)
    objects = {"jobclub_path": path, "jobclub_session": session, "student": path.students.get()}
    theirs = type("Hub", (), {**vars(world.a), **objects})
    client.force_login(world.a.users[Role.SCHOOL])
    checked = 0
    for name, kwargs in URLS:
        if not name.startswith("jobclubbo:") or "pk" not in kwargs or name == "jobclubbo:young_worker_update":
            continue
        url = build_url(name, kwargs, theirs)
        status = client.get(url).status_code
        assert status in {404, 403}, (name, status)  # 403: a page the role never opens
        if status == 403:
            assert OBJECTS[name](world.a) is not None and name in {
                "jobclubbo:path_update",
                "jobclubbo:path_close",
                "jobclubbo:session_create",
                "jobclubbo:roster_import",
                "jobclubbo:certificates_issue",
                "jobclubbo:session_update",
                "jobclubbo:register_take",
                "jobclubbo:register_sign",
                "jobclubbo:student_erase",
            }
        else:
            checked += 1
        # ...while the same page of their own school opens
        own = build_url(name, kwargs, world.a)
        assert client.get(own).status_code in {200, 302, 403}
    assert checked == 8  # every page a referent opens: detail, sessions, register, PDFs, ZIP, hours, .ics
    assert path.title.encode() not in client.get(bo("home", hub)).content


def test_the_action_page_shows_the_plan_to_the_steering_committee_without_students(client, world):
    client.force_login(world.a.users[Role.STEERING])
    response = client.get(bo("home", world.a.hub))
    assert response.status_code == 200
    assert b'data-kind-count="1/12"' in response.content and b'data-kind-count="0/3"' in response.content
    assert world.a.jobclub_path.title.encode() not in response.content


def test_the_path_list_makes_the_same_queries_for_1_and_12_paths(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hub = world.a.hub
    client.force_login(world.a.users[Role.OPERATOR])
    with CaptureQueriesContext(connection) as few:
        client.get(bo("home", hub))
    for n in range(11):
        path = make_path(hub, world.a.school, classes=f"{n}Z")
        take_register(make_session(path, hour=8), world.a.users[Role.OPERATOR])
    with CaptureQueriesContext(connection) as many:
        response = client.get(bo("home", hub))
    assert response.content.count(b"data-path=") == 12
    assert len(many) == len(few)


def test_a_school_referent_validates_a_signed_register_and_it_locks(client, world):
    hub, operator = world.a.hub, world.a.users[Role.OPERATOR]
    path = world.a.jobclub_path
    session = make_session(path, days_ago=3)
    client.force_login(operator)
    giulia = path.students.get()
    response = client.post(
        bo("register_take", hub, pk=session.pk), {f"status_{giulia.pk}": "late", f"missed_{giulia.pk}": "15"}
    )
    assert response.status_code == 302
    assert client.post(bo("register_sign", hub, pk=session.pk)).status_code == 302
    client.force_login(world.a.users[Role.SCHOOL])
    page = client.get(bo("session_detail", hub, pk=session.pk)).content.decode()
    assert bo("register_validate", hub, pk=session.pk) in page
    client.post(bo("register_validate", hub, pk=session.pk))
    session.refresh_from_db()
    assert session.register_status == RegisterStatus.VALIDATED
    # a later change without a reason is refused, with one it is shown to the school
    client.force_login(operator)
    refused = client.post(bo("register_take", hub, pk=session.pk), {f"status_{giulia.pk}": "present"})
    assert refused.status_code == 200 and b"say why it changes" in refused.content
    client.post(
        bo("register_take", hub, pk=session.pk),
        {f"status_{giulia.pk}": "present", "reason": "Ritardo giustificato"},
    )
    client.force_login(world.a.users[Role.SCHOOL])
    page = client.get(bo("session_detail", hub, pk=session.pk)).content.decode()
    assert "Ritardo giustificato" in page and operator.get_full_name() in page


def test_the_roster_import_page_reports_bad_lines(client, world):
    hub = world.a.hub
    client.force_login(world.a.users[Role.OPERATOR])
    path = make_path(hub, world.a.school, classes="4A, 4B")
    bad = io.BytesIO(ROSTER + b"Ugo,,4A,2009\n")
    bad.name = "elenco.csv"
    response = client.post(bo("roster_import", hub, pk=path.pk), {"file": bad})
    assert response.status_code == 200 and b'data-line="5"' in response.content
    assert not path.students.exists()
    good = io.BytesIO(ROSTER)
    good.name = "elenco.csv"
    assert client.post(bo("roster_import", hub, pk=path.pk), {"file": good}).status_code == 302
    assert path.students.count() == 3


def test_the_register_pdf_and_the_certificate(client, world):
    hub = world.a.hub
    client.force_login(world.a.users[Role.SCHOOL])
    register = client.get(bo("register_pdf", hub, pk=world.a.jobclub_session.pk))
    assert register["Content-Type"] == "application/pdf"
    text = pdf_text(register.content)  # PDFs are in Italian, the portal's language
    assert "Registro presenze" in text and "Bianchi" in text and "Presente" in text
    certificate = client.get(bo("certificate_pdf", hub, pk=world.a.student.pk))
    text = pdf_text(certificate.content)
    assert "Giulia Bianchi" in text and world.a.certificate.code in text
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(bo("certificates_zip", hub, pk=world.a.jobclub_path.pk) + "?classe=4A").content)
    )
    assert len(archive.namelist()) == 1


def test_calendars_per_class_and_per_trainer(client, world):
    hub = world.a.hub
    client.force_login(world.a.users[Role.OPERATOR])
    feed = Calendar.from_ical(client.get(bo("class_calendar", hub, pk=world.a.jobclub_path.pk)).content)
    assert [str(event["summary"]) for event in feed.walk("VEVENT")] == [
        f"Job Club · {world.a.jobclub_session.topic}"
    ]
    assert not Calendar.from_ical(client.get(bo("trainer_calendar", hub)).content).walk("VEVENT")
    client.force_login(world.a.users[Role.PARTNER])  # the world's session is the partner trainer's
    mine = Calendar.from_ical(client.get(bo("trainer_calendar", hub)).content)
    assert len(mine.walk("VEVENT")) == 1


def test_the_public_check_says_valid_or_not_and_nothing_more(client, world):
    code = world.a.certificate.code
    valid = client.get(reverse("jobclub:verify_code", args=[world.a.hub.slug, code]))
    assert valid.status_code == 200 and b'data-verdict="valid"' in valid.content
    assert b"Bianchi" in valid.content and world.a.jobclub_path.title.encode() in valid.content
    wrong = client.post(reverse("jobclub:verify", args=[world.a.hub.slug]), {"code": "NOT-A-CODE"})
    assert wrong.status_code == 404 and b'data-verdict="invalid"' in wrong.content
    other_hub = client.get(reverse("jobclub:verify_code", args=[world.b.hub.slug, code]))
    assert other_hub.status_code == 404


def test_a_student_of_14_sees_only_their_own_hours_and_certificate(client, world):
    student = world.a.student
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("jobclub:my_hours"))
    assert b"Bianchi" not in page.content
    assert client.post(reverse("jobclub:my_hours"), {"code": student.access_code}).status_code == 302
    page = client.get(reverse("jobclub:my_hours")).content.decode()
    assert "2 h" in page and reverse("jobclub:my_certificate", args=[student.pk]) in page
    download = client.get(reverse("jobclub:my_certificate", args=[student.pk]))
    assert download["Content-Type"] == "application/pdf"
    # another account gets nothing of hers
    client.force_login(UserFactory())
    assert client.get(reverse("jobclub:my_certificate", args=[student.pk])).status_code == 302
    assert b"Bianchi" not in client.get(reverse("jobclub:my_hours")).content
    assert Student.objects.get(pk=student.pk).user == user


def test_the_school_csv_matches_the_registers_and_marks_what_changed(client, world):
    import csv

    hub, path, student = world.a.hub, world.a.jobclub_path, world.a.student
    client.force_login(world.a.users[Role.OPERATOR])
    assert client.post(bo("school_hours", hub, pk=path.pk)).status_code == 302  # handed today
    session = world.a.jobclub_session
    services.register_save(
        session=session, by=world.a.users[Role.OPERATOR], lines={student.pk: ("late", 30)}, reason="Ritardo"
    )
    response = client.get(bo("school_hours", hub, pk=path.pk) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Last name", "First name"]
    assert rows[1][:6] == ["Bianchi", "Giulia", "4A", path.title, "1 h 30'", "90"]
    assert rows[1][6:] == ["2 h", "yes", student.access_code]
    page = client.get(bo("school_hours", hub, pk=path.pk)).content.decode()
    assert "1 student&#x27;s hours changed since." in page or "1 student's hours changed since." in page


# --- Partner trainers -------------------------------------------------------------------------


def test_a_partner_trainer_takes_the_register_of_their_own_sessions_and_nothing_else(client, world):
    hub, path = world.a.hub, world.a.jobclub_path
    operator, trainer = world.a.users[Role.OPERATOR], world.a.users[Role.PARTNER]
    student = world.a.student
    mine = make_session(path, days_ago=3, hour=11, trainer=trainer, topic="Colloquio di lavoro")
    theirs = make_session(path, days_ago=4, hour=11, trainer=operator, topic="Curriculum")
    client.force_login(trainer)

    home = client.get(bo("home", hub)).content.decode()
    assert "Colloquio di lavoro" in home and "Curriculum" not in home
    assert f'href="{bo("path_detail", hub, pk=path.pk)}"' not in home

    assert client.get(bo("session_detail", hub, pk=mine.pk)).status_code == 200
    response = client.post(
        bo("register_take", hub, pk=mine.pk), {f"status_{student.pk}": "late", f"missed_{student.pk}": "10"}
    )
    assert response.status_code == 302
    assert client.post(bo("register_sign", hub, pk=mine.pk)).status_code == 302
    mine.refresh_from_db()
    assert mine.register_status == RegisterStatus.SIGNED and mine.signed_by == trainer
    assert mine.attendances.get(student=student).minutes_missed == 10

    # another trainer's session: as if it did not exist; the path's pages: never theirs
    for name in ("session_detail", "register_take", "register_sign"):
        assert client.get(bo(name, hub, pk=theirs.pk)).status_code == 404, name
    assert client.post(bo("register_take", hub, pk=theirs.pk), {}).status_code == 404
    for name in ("path_detail", "roster_import", "school_hours", "certificates_issue"):
        assert client.get(bo(name, hub, pk=path.pk)).status_code == 403, name
    for name in ("register_pdf", "register_validate", "session_update"):
        assert client.get(bo(name, hub, pk=mine.pk)).status_code == 403, name

    # the session given to another trainer: the partner loses it at once
    services.session_save(path=path, session=mine, trainer=operator)
    assert client.get(bo("session_detail", hub, pk=mine.pk)).status_code == 404


def test_staff_may_name_a_partner_trainer_on_a_session(client, world):
    from jobclub.forms import trainers_for

    assert world.a.users[Role.PARTNER] in trainers_for(world.a.hub)
    assert world.b.users[Role.PARTNER] not in trainers_for(world.a.hub)
    assert world.a.users[Role.SCHOOL] not in trainers_for(world.a.hub)
