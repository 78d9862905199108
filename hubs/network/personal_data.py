"""The network's declarations in the personal-data registry (hubs/personal_data.py)."""

from hubs.personal_data import register

from .models import Referral

# PERSONAL_FIELDS: the purpose, the decline note and the outcome; the referral stays as a fact.
# The export leaves out the consent link's hash (a secret of the link, not data about the person).
register(
    Referral,
    person="person",
    export=(
        "hub",
        "to_hub",
        "service",
        "purpose",
        "items",
        "expires_on",
        "status",
        "created_at",
        "consented_at",
        "revoked_at",
        "decline_reason",
        "outcome",
    ),
)
