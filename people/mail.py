"""
The one way the portal sends e-mail, and the outbox it goes into.

- `mail_send` renders OUR templates once, with the data as their context, and hands the
  outbox the finished text: `<name>_subject.txt` and `<name>_message.txt` (and, when asked,
  `<name>_message.html`), plus reply-to, headers and attachments such as a booking's .ics.
  Plain text is rendered without HTML escaping (an apostrophe in a name stays an apostrophe).
- `OutboxBackend` (settings.EMAIL_BACKEND) stores every message that goes through Django's
  mail API — ours, allauth's, the admin's — in django-post-office's outbox exactly as it is.
  post_office's own backend passes the stored subject and body through `Template(...).render()`
  a second time, so a name typed as `{{7*7}}` broke the mail and `{% debug %}` leaked the
  server's modules; here nothing stored is ever rendered, so text that people typed is never
  code. The queued rows are sent after commit by people/tasks.py, as before.
"""

from collections import OrderedDict
from collections.abc import Iterable
from contextlib import nullcontext
from email.mime.base import MIMEBase
from email.utils import make_msgid

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import translation
from post_office.backends import EmailBackend

# A subject is one line, and short: post_office's column holds 989 characters, and a subject
# made of a long typed value is cut, not refused (the body still says it all).
SUBJECT_MAX = 300


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template of the project's Django engine, rendered with autoescaping off."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def mail_send(
    *,
    to: Iterable[str],
    template: str,
    context: dict,
    language: str | None = None,
    reply_to: str = "",
    headers: dict | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    html: bool = False,
) -> None:
    """
    Render `template` + "_subject.txt" / "_message.txt" (and "_message.html" if `html`) with
    `context`, in `language` if given, and store the message in the outbox. The typed data is
    only ever context: it reaches the recipient as written. Inside a transaction the message
    is stored with it and sent after commit, so a rolled-back change sends nothing.
    """
    with translation.override(language) if language else nullcontext():
        subject = render_text(f"{template}_subject.txt", context)
        body = render_text(f"{template}_message.txt", context)
        html_body = render_to_string(f"{template}_message.html", context) if html else ""
    message = EmailMultiAlternatives(
        subject=subject.strip(),
        body=body,
        to=list(to),
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def one_line(subject: str) -> str:
    """A subject as one line of at most SUBJECT_MAX characters (a header cannot hold newlines)."""
    subject = " ".join(str(subject).splitlines()).strip()
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    return subject


class OutboxBackend(EmailBackend):
    """
    Store each message in the outbox as finished text and announce it (post_office's
    `email_queued` signal: people/tasks.py sends the queue after commit). Replaces
    post_office.EmailBackend, whose `mail.create()` renders subject and body as templates.
    """

    def send_messages(self, email_messages) -> int:
        from post_office.models import Email
        from post_office.signals import email_queued

        emails = [self._store(message) for message in email_messages or ()]
        if emails:
            email_queued.send(sender=Email, emails=emails)
        return len(emails)

    def _store(self, message):
        from post_office.models import STATUS, Email
        from post_office.settings import get_message_id_enabled, get_message_id_fqdn
        from post_office.utils import create_attachments, parse_priority

        headers = dict(message.extra_headers)
        if message.reply_to:
            headers.setdefault("Reply-To", ", ".join(str(address) for address in message.reply_to))
        text, html = message.body, ""
        for content, mimetype in getattr(message, "alternatives", ()):
            if mimetype == "text/html":
                html = content
        if message.content_subtype == "html":  # an HTML-only message
            text, html = "", message.body
        email = Email(
            from_email=message.from_email,
            to=message.to,
            cc=message.cc,
            bcc=message.bcc,
            subject=one_line(message.subject),
            message=text,
            html_message=html,
            headers=headers,
            priority=parse_priority(None),
            status=STATUS.queued,
            message_id=make_msgid(domain=get_message_id_fqdn()) if get_message_id_enabled() else None,
        )
        email.save()
        files = {}
        for attachment in message.attachments:
            if isinstance(attachment, MIMEBase):
                files[attachment.get_filename()] = {
                    "file": ContentFile(attachment.get_payload()),
                    "mimetype": attachment.get_content_type(),
                    "headers": OrderedDict(attachment.items()),
                }
            else:
                name, content, mimetype = attachment
                files[name or "attachment"] = {"file": ContentFile(content), "mimetype": mimetype}
        if files:
            email.attachments.add(*create_attachments(files))
        return email
