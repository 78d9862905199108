"""
Writes of Together We Work. Each service is one transaction; the hours rules are checked
here, with the path's row locked, so two operators logging at once cannot pass 24 hours.

Rules (the project's): a path is planned and delivered in 3 to 24 hours, in quarter hours;
the log refuses what would pass 24 and says how many hours remain; a path is closed as
completed only from 3 delivered hours (a drop-out may close earlier).
"""

from ..selectors import CHANGE, VIEW, hours_by_kind, paths_for  # callers read them here too
from .activities import (
    activity_confirm,
    activity_delete,
    activity_from_token,
    activity_log,
    confirm_url,
    confirmation_request,
)
from .common import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    FOLLOW_UP_MONTHS,
    check_quarter_hours,
    grant_to,
    hours_text,
    revoke_from,
)
from .follow_ups import (
    add_months,
    follow_up_record,
    follow_up_remind,
    follow_ups_create,
    follow_ups_due,
    path_close,
)
from .paths import (
    INTAKE_FIELDS,
    path_assign,
    path_open,
    path_request_close,
    path_request_receive,
    path_update,
    plan_save,
)

__all__ = [
    "CHANGE",
    "CONFIRM_MAX_AGE",
    "CONFIRM_SALT",
    "FOLLOW_UP_MONTHS",
    "INTAKE_FIELDS",
    "VIEW",
    "activity_confirm",
    "activity_delete",
    "activity_from_token",
    "activity_log",
    "add_months",
    "check_quarter_hours",
    "confirm_url",
    "confirmation_request",
    "follow_up_record",
    "follow_up_remind",
    "follow_ups_create",
    "follow_ups_due",
    "grant_to",
    "hours_by_kind",
    "hours_text",
    "path_assign",
    "path_close",
    "path_open",
    "path_request_close",
    "path_request_receive",
    "path_update",
    "paths_for",
    "plan_save",
    "revoke_from",
]
