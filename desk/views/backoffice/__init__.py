"""
The hub staff's back office of the online desk: today, calendar (day and week), roll call,
printable agenda, bookings, availability, services,
settings, people's records, enquiries, waiting list and export.

Every view is `HubMixin` + a generic view: the hub comes from the URL, the capability the view
names is checked before anything runs, and objects are looked up through `for_hub(self.hub)`,
so another hub's id is a 404. Writes go through desk/services/; a BookingError becomes a message.
Changes of availability end with `slots_sync`, whose report (slots created, removed, and booked
slots that no longer match — kept, never deleted) is shown as messages.

One module per seam: base (tabs, mixins), day (today, calendar, roll call, agenda), bookings,
availability, desk_settings (services and settings), people, enquiries (with the waiting list),
export; desk/urls.py reads the views here.
"""

from .availability import (
    ClosureCreateView,
    ClosureDeleteView,
    RuleCreateView,
    RuleListView,
    RuleUpdateView,
    WeeklyAvailabilityView,
)
from .base import TABS, DeskMixin
from .bookings import BookingDetailView, BookingOnBehalfView
from .day import AgendaView, CalendarView, RollCallView, TodayView
from .desk_settings import DeskSettingsView, ServiceCreateView, ServiceListView, ServiceUpdateView
from .enquiries import EnquiryDetailView, EnquiryListView, WaitlistView
from .export import ExportView
from .feed import CalendarFeedView, OperatorFeedView
from .merge import PersonDuplicatesView, PersonMergeView
from .people import PersonListView, PersonRecordView

__all__ = [
    "AgendaView",
    "BookingDetailView",
    "BookingOnBehalfView",
    "CalendarFeedView",
    "CalendarView",
    "ClosureCreateView",
    "ClosureDeleteView",
    "DeskMixin",
    "DeskSettingsView",
    "EnquiryDetailView",
    "EnquiryListView",
    "ExportView",
    "OperatorFeedView",
    "PersonDuplicatesView",
    "PersonListView",
    "PersonMergeView",
    "PersonRecordView",
    "RollCallView",
    "RuleCreateView",
    "RuleListView",
    "RuleUpdateView",
    "ServiceCreateView",
    "ServiceListView",
    "ServiceUpdateView",
    "TABS",
    "TodayView",
    "WaitlistView",
    "WeeklyAvailabilityView",
]
