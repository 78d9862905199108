"""
One booking, and booking on someone's behalf (the calendar and the day are in day.py).
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    DetailView,
    FormView,
)

from hubs.forms import add_service_error
from people.services import person_find_or_create

from ... import services
from ...forms_backoffice import (
    BookingActionForm,
    BookingOnBehalfForm,
)
from ...models import Booking, Slot
from .base import DeskMixin


class BookingDetailView(DeskMixin, DetailView):
    """One booking, its history and the hub's actions on it (attended, no-show, cancel)."""

    template_name = "desk/backoffice/booking_detail.html"
    context_object_name = "booking"
    desk_tab = "calendar"

    def get_queryset(self):
        return Booking.objects.for_hub(self.hub).select_related(
            "slot__operator", "service", "antenna", "person", "created_by", "marked_by"
        )

    def get_page_title(self):
        return _("Booking of %(name)s") % {"name": self.object.person}

    def get_context_data(self, **kwargs):
        booking = self.object
        now = timezone.now()
        return super().get_context_data(
            notices=booking.notices.order_by("sent_at"),
            moves=booking.moves.select_related("moved_by"),
            can_mark=(
                booking.status in (Booking.Status.CONFIRMED, Booking.Status.ATTENDED, Booking.Status.NO_SHOW)
                and booking.slot.starts_at <= now
            ),
            can_cancel=booking.status in Booking.UPCOMING_STATUSES and booking.slot.starts_at > now,
            calendar_url=self.hub_url("deskbo:calendar")
            + "?view=day&date="
            + timezone.localdate(booking.slot.starts_at).isoformat(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = booking = self.get_object()
        form = BookingActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the actions."))
            return redirect(request.path)
        action = form.cleaned_data["action"]
        try:
            if action == form.CANCEL:
                services.booking_cancel(
                    booking=booking, by_hub=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("Booking cancelled: %(name)s is told by e-mail.") % {"name": booking.person}
                )
            else:
                booking = services.booking_mark(booking=booking, status=action, by=request.user)
                messages.success(
                    request, _("Recorded: %(status)s.") % {"status": booking.get_status_display()}
                )
        except services.BookingError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.path)


class BookingOnBehalfView(DeskMixin, FormView):
    """A booking taken by phone or at the desk, for someone the hub knows or a new person."""

    template_name = "desk/backoffice/booking_form.html"
    form_class = BookingOnBehalfForm
    page_title = gettext_lazy("Book on someone's behalf")
    desk_tab = "calendar"

    def get(self, request, *args, **kwargs):
        self.slot = self.get_slot()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.slot = self.get_slot()
        return super().post(request, *args, **kwargs)

    def get_slot(self) -> Slot:
        return get_object_or_404(
            Slot.objects.for_hub(self.hub).with_booked().select_related("service", "antenna", "operator"),
            pk=self.kwargs["slot_id"],
        )

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "hub": self.hub,
            "slot": self.slot,
            "query": self.request.GET.get("q", "")[:100],
        }

    def get_context_data(self, **kwargs):
        slot = self.slot
        return super().get_context_data(
            slot=slot,
            query=self.request.GET.get("q", "")[:100],
            bookable=(
                not slot.is_cancelled and slot.starts_at > timezone.now() and slot.booked < slot.capacity
            ),
            cancel_url=self.hub_url("deskbo:calendar")
            + "?view=day&date="
            + timezone.localdate(slot.starts_at).isoformat(),
            **kwargs,
        )

    def form_valid(self, form):
        person = form.cleaned_data["person"]
        try:
            with transaction.atomic():  # a refused booking leaves no new record behind
                if person is None:  # someone this hub knows by e-mail and birth date, or a new record
                    person = person_find_or_create(hub=self.hub, data=form.person_data())
                booking = services.booking_create(
                    slot=self.slot,
                    person=person,
                    reason=form.cleaned_data["reason"],
                    language=person.language or "it",
                    source=Booking.Source.STAFF,
                    by=self.request.user,
                    verified=True,
                    # the staff heard the guardian say yes (the form asks), or they did before
                    guardian_consented=bool(
                        form.cleaned_data.get("guardian_consent") or person.guardian_consent_at
                    ),
                )
        except services.BookingError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Booked for %(name)s: the confirmation goes to %(email)s.")
            % {"name": person, "email": person.email},
        )
        return redirect("deskbo:booking_detail", hub_slug=self.hub.slug, pk=booking.pk)
