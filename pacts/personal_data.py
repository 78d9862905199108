"""The youth pacts' declarations in the personal-data registry (hubs/personal_data.py)."""

from django.db.models import Q

from hubs.personal_data import register

from .models import MeetingAttendance, PactMember


def _members(subject):
    return PactMember._base_manager.filter(Q(user__in=subject.users) | Q(email__in=subject.emails))


# A group member is found by their account or their e-mail; erasure blanks PERSONAL_FIELDS and
# keeps the facts the indicators count (year of birth, gender, that they took part).
register(PactMember, find=_members)

# The meetings a member registered for or attended: exported with them; erasure keeps the rows
# (they name no one once the member is blanked, and "meetings held" and the once-per-pact count
# still hold).
register(
    MeetingAttendance,
    find=lambda subject: MeetingAttendance._base_manager.filter(member__in=_members(subject)),
    blank=(),
)
