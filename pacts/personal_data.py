"""The youth pacts' declarations in the personal-data registry (hubs/personal_data.py)."""

from django.db.models import Q

from hubs.personal_data import register

from .models import MeetingAttendance, PactMember


def _members(subject):
    return PactMember._base_manager.filter(
        Q(user__in=subject.users) | Q(email__in=subject.emails) | Q(person__in=subject.people)
    )


# A group member is found by their account, their e-mail or their record; erasure blanks
# PERSONAL_FIELDS and keeps the facts the indicators count (year of birth, gender, that they
# took part).
register(PactMember, find=_members)

# The meetings someone registered for or attended: a group member's rows (through the member)
# and a young person's own registrations (name, e-mail, date of birth, guardian). Erasure blanks
# the registration's PERSONAL_FIELDS and keeps the rows, so "meetings held" and the
# once-per-pact count still hold.
register(
    MeetingAttendance,
    find=lambda subject: MeetingAttendance._base_manager.filter(
        Q(member__in=_members(subject)) | Q(email__in=subject.emails) | Q(person__in=subject.people)
    ),
)
