"""TEMPORARY skeleton: being written. Every class here is replaced by its real view."""
from django.views.generic import View


class CalendarView(View):
    pass


class BookingDetailView(View):
    pass


class BookingOnBehalfView(View):
    pass


class RuleListView(View):
    pass


class RuleCreateView(View):
    pass


class RuleUpdateView(View):
    pass


class ClosureCreateView(View):
    pass


class ClosureDeleteView(View):
    pass


class ServiceListView(View):
    pass


class ServiceCreateView(View):
    pass


class ServiceUpdateView(View):
    pass


class DeskSettingsView(View):
    pass


class PersonListView(View):
    pass


class PersonRecordView(View):
    pass


class EnquiryListView(View):
    pass


class EnquiryDetailView(View):
    pass


class WaitlistView(View):
    pass


class ExportView(View):
    pass

