"""TEMPORARY skeleton: being written. Every class here is replaced by its real view."""
from django.views.generic import View


class ServiceChoiceView(View):
    pass


class SlotChoiceView(View):
    pass


class BookingFormView(View):
    pass


class BookingVerifyView(View):
    pass


class BookingManageView(View):
    pass


class BookingRescheduleView(View):
    pass


class WaitlistJoinView(View):
    pass


class WaitlistClaimView(View):
    pass


class EnquiryCreateView(View):
    pass


class MyBookingsView(View):
    pass

