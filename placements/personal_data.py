"""Together We Work's declarations in the personal-data registry (hubs/personal_data.py)."""

from hubs.personal_data import register

from .models import Activity, FollowUp, Path, PathRequest, PlannedActivity

# What erasure blanks is each model's PERSONAL_FIELDS; the hours and outcomes stay as facts.
register(Path, person="person")
register(PlannedActivity, person="path__person")
register(Activity, person="path__person")
register(FollowUp, person="path__person")
register(PathRequest, person="person")  # PERSONAL_FIELDS: the message; the request stays as a fact
