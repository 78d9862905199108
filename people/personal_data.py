"""
People's declarations in the personal-data registry (hubs/personal_data.py), and those of the
third-party tables that keep copies of a person's data:

- django-auditlog's LogEntry copies the changes of registered models (a booking's reason, an
  enquiry's message, the person's name in the object's text): the entries about what the
  sources found, or with the person as actor, keep who did what and when, and lose the content;
- django-post-office's Email (with its Log and Attachment rows) keeps every message sent:
  those to or about the person's addresses are deleted;
- Django admin's LogEntry keeps an object's text and a change message: blanked, as above.

Person and User themselves are handled by people/services.py (blanked and deleted). Celery keeps
no task results (no result backend): a task's arguments and tracebacks are never stored; the
tables of the old django-celery-results backend are dropped (migration 0003).
"""

from datetime import datetime

from auditlog.models import LogEntry as AuditEntry
from django.contrib.admin.models import LogEntry as AdminEntry
from django.db.models import Q
from post_office.models import Attachment, Email, Log

from hubs.personal_data import found_objects, register, retention, text_matching

from .models import CaseNote, PersonHub, RecordAccess

register(PersonHub, person="person")  # which hubs deal with the person: exported, kept as facts
register(CaseNote, person="person")  # ERASE_DELETES
register(RecordAccess, person="person")  # who opened the record: exported; append-only, no text


# --- Audit log (django-auditlog) -------------------------------------------------------------

AUDIT_TEXT = ("object_repr", "changes_text", "changes", "serialized_data", "additional_data", "actor_email")


def audit_entries(subject):
    about = found_objects(subject, type_field="content_type", id_field="object_pk")
    by_them = Q(actor_id__in=subject.users) | Q(actor_email__in=subject.emails)
    return AuditEntry.objects.filter(about | by_them | text_matching(AuditEntry, AUDIT_TEXT, subject.needles))


register(
    AuditEntry,
    find=audit_entries,
    copy=True,
    export=False,  # copies of the rows exported from their own tables
    blank=(*AUDIT_TEXT, "remote_addr"),
)


def admin_entries(subject):
    about = found_objects(subject, type_field="content_type", id_field="object_id")
    return AdminEntry.objects.filter(
        about | text_matching(AdminEntry, ("object_repr", "change_message"), subject.needles)
    )


register(AdminEntry, find=admin_entries, copy=True, export=False, blank=("object_repr", "change_message"))


# --- Stored e-mails (django-post-office) -----------------------------------------------------

EMAIL_TEXT = ("to", "cc", "bcc", "subject", "message", "html_message", "headers", "context")


def emails(subject):
    return Email.objects.filter(text_matching(Email, EMAIL_TEXT, subject.needles))


def email_logs(subject):
    found = subject.found.get(Email._meta.label, [])
    return Log.objects.filter(Q(email__in=found) | text_matching(Log, ("message",), subject.needles))


def attachments(subject):
    """The files of the messages found, unless another message still uses them."""
    found = subject.found.get(Email._meta.label, [])
    return Attachment.objects.filter(emails__in=found).exclude(emails__in=Email.objects.exclude(pk__in=found))


def attachments_delete(queryset) -> None:
    for attachment in queryset:
        attachment.file.delete(save=False)
    queryset.delete()


register(
    Email,
    find=emails,
    copy=True,
    delete=True,
    export=("created", "to", "cc", "subject", "message", "status"),
)
register(Log, find=email_logs, copy=True, delete=True, export=False)
register(Attachment, find=attachments, copy=True, export=("name", "mimetype"), erase=attachments_delete)


# --- Retention ----------------------------------------------------------------------------------


@retention("sent_emails")
def sent_emails_purge(before: datetime) -> int:
    """Stored messages (with their logs and now unused attachments) older than `before`."""
    from post_office.utils import cleanup_expired_mails

    deleted, _attachments = cleanup_expired_mails(before, delete_attachments=True)
    return deleted
