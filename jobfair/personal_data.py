"""
The job fair's declarations in the personal-data registry (hubs/personal_data.py). The fair's
own schedule (services.fair_shred, beat) shreds visitors' data after the fair; these make a
young person's export and erasure reach their fair data before that.
"""

from django.db.models import QuerySet
from django.utils import timezone

from hubs.personal_data import register

from .models import CheckIn, HelpRequest, LeadShare, Registration, Seat, SurveyInvite

register(Registration, person="person", blank=())  # the ticket stays as a fact (counts)
register(Seat, person="registration__person")  # places at workshops: facts
register(CheckIn, person="registration__person", blank=("device",))


def leads_withdraw(rows: QuerySet) -> None:
    """Erasure withdraws every contact the person shared: no exhibitor's export holds them again."""
    rows.update(message="", revoked_at=timezone.now())


register(LeadShare, person="registration__person", erase=leads_withdraw)  # the share stays counted
register(HelpRequest, person="registration__person")  # PERSONAL_FIELDS: the message
register(SurveyInvite, person="registration__person")  # PERSONAL_FIELDS: the comment
