"""The network's declarations in the personal-data registry (hubs/personal_data.py)."""

from hubs.personal_data import register

from .models import Referral

# PERSONAL_FIELDS: the purpose, the decline note and the outcome; the referral stays as a fact.
register(Referral, person="person")
