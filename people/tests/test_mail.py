"""The one sending function and the outbox backend: finished text, stored and sent as it is."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage, send_mail
from post_office.models import Email

from people.mail import SUBJECT_MAX, mail_send
from people.tasks import outbox_flush

pytestmark = pytest.mark.django_db

TYPED = "{{7*7}} {% debug %} <script>alert('x')</script> & D'Angelo"


@pytest.fixture
def templates(settings, tmp_path):
    """A mail template of each kind, as an app would ship them."""
    folder = tmp_path / "test" / "email"
    folder.mkdir(parents=True)
    (folder / "note_subject.txt").write_text("{% load i18n %}{% translate 'Note' %}: {{ title }}\n")
    (folder / "note_message.txt").write_text(
        "{% load i18n %}{% translate 'Good morning,' %} {{ name }}\n{{ text }}\n"
    )
    (folder / "note_message.html").write_text("<p>{{ name }}</p><p>{{ text }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def test_mail_send_renders_once_and_the_text_arrives_as_typed(templates):
    mail_send(
        to=["giovane@example.org"],
        template="test/email/note",
        context={"title": TYPED, "name": TYPED, "text": TYPED},
        language="it",
        reply_to="info@hub.example.org",
        headers={"X-Hub": "alpha"},
        attachments=[("invito.ics", "BEGIN:VCALENDAR", "text/calendar")],
        html=True,
    )
    outbox_flush()
    [message] = mail.outbox
    assert message.subject == f"Nota: {TYPED}"  # rendered in the reader's language, once
    assert message.body == f"Buongiorno, {TYPED}\n{TYPED}\n"  # plain text is not HTML-escaped
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "&lt;script&gt;" in html and "<script>" not in html
    assert message.extra_headers["Reply-To"] == "info@hub.example.org"
    assert message.extra_headers["X-Hub"] == "alpha"
    [(name, content, mimetype)] = message.attachments
    assert (name, content, mimetype) == ("invito.ics", "BEGIN:VCALENDAR", "text/calendar")


def test_whatever_goes_through_djangos_mail_api_is_stored_as_it_is():
    send_mail(TYPED, TYPED, None, ["giovane@example.org"])
    html_only = EmailMessage("Avviso", f"<p>{TYPED}</p>", to=["staff@example.org"])
    html_only.content_subtype = "html"
    html_only.send()
    assert list(Email.objects.order_by("pk").values_list("subject", "message", "html_message")) == [
        (TYPED, TYPED, ""),
        ("Avviso", "", f"<p>{TYPED}</p>"),
    ]
    outbox_flush()
    assert (mail.outbox[0].subject, mail.outbox[0].body) == (TYPED, TYPED)
    assert mail.outbox[1].body == f"<p>{TYPED}</p>" and mail.outbox[1].content_subtype == "html"


def test_a_subject_is_one_bounded_line():
    send_mail("Re: riga uno\nBcc: tutti@example.org\r\n" + "x" * 5000, "Ciao", None, ["giovane@example.org"])
    outbox_flush()
    [message] = mail.outbox
    assert message.subject.startswith("Re: riga uno Bcc: tutti@example.org x")
    assert len(message.subject) == SUBJECT_MAX and message.subject.endswith("…")
    assert message.message()["Bcc"] is None
