"""
Writes of the youth pacts. Each service is one transaction; the pact's row is locked where two
people could act at once (a submission and a decision, two expenses on one line).

Rules (the project's and the "patto di collaborazione"'s):
- one active pact per sub-area and cycle: a second is refused with the name of the first;
- a proposal is submitted only with at least one objective and one action;
- the review lasts 30 days from submission; a request for additions stops the clock until the
  group submits again; a rejection needs a public motivation; day 31 without a decision is
  flagged and mailed to the hub's coordinators once;
- once signed (the hub or the municipality and the group), the pact changes only through a
  numbered variation with a reason;
- an expense needs a receipt (PDF or image, at most RECEIPT_MAX_BYTES) and may not take its
  budget line past the planned amount; money moves between lines only by a variation.

The services are split by the pact's seams (one module each); import them from here.
"""

from ._base import (
    CONTENT_FIELDS,
    PROPOSAL_FIELDS,
    RECEIPT_MAX_BYTES,
    RECEIPT_TYPES,
    euro,
    people_opened,
    token_hash,
)
from .meetings import (
    MEETING_STATES,
    checkin_open,
    meeting_add,
    meeting_attendance_set,
    meeting_change_notify,
    meeting_checkin,
    meeting_close,
    meeting_from_qr,
    meeting_qr_svg,
    meeting_qr_url,
    meeting_update,
    registration_cancel,
    registration_create,
    registration_from_token,
    registration_open,
)
from .money import (
    TRANCHE_STATES,
    budget_line_add,
    budget_move,
    expense_add,
    expense_decide,
    tranche_add,
    tranche_pay,
    tranches_fall_due,
)
from .proposals import (
    member_accept,
    member_from_token,
    member_guardian_consent,
    member_invite,
    proposal_create,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from .review import (
    additions_request,
    decide,
    partners_set,
    review_note_add,
    reviews_overdue,
)
from .signed import (
    action_add,
    action_update,
    actions_overdue,
    pact_complete,
    pact_terms_set,
    signature_add,
    timeline_add,
    variation_create,
)

__all__ = [
    "TRANCHE_STATES",
    "checkin_open",
    "meeting_change_notify",
    "meeting_checkin",
    "meeting_from_qr",
    "meeting_qr_svg",
    "meeting_qr_url",
    "meeting_update",
    "registration_cancel",
    "registration_create",
    "registration_from_token",
    "registration_open",
    "tranche_add",
    "tranche_pay",
    "tranches_fall_due",
    "RECEIPT_TYPES",
    "RECEIPT_MAX_BYTES",
    "CONTENT_FIELDS",
    "PROPOSAL_FIELDS",
    "euro",
    "people_opened",
    "token_hash",
    "proposal_create",
    "proposal_update",
    "proposal_submit",
    "proposal_withdraw",
    "member_invite",
    "member_from_token",
    "member_accept",
    "member_guardian_consent",
    "review_note_add",
    "additions_request",
    "decide",
    "partners_set",
    "reviews_overdue",
    "signature_add",
    "pact_terms_set",
    "variation_create",
    "pact_complete",
    "action_update",
    "action_add",
    "timeline_add",
    "actions_overdue",
    "budget_line_add",
    "expense_add",
    "expense_decide",
    "budget_move",
    "MEETING_STATES",
    "meeting_add",
    "meeting_attendance_set",
    "meeting_close",
]
