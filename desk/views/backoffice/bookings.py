"""
The calendar of sessions and bookings, one booking, and booking on someone's behalf.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    DetailView,
    FormView,
    TemplateView,
)

from hubs.forms import add_service_error
from people.services import person_find_or_create

from ... import selectors, services
from ...forms_backoffice import (
    BookingActionForm,
    BookingOnBehalfForm,
    CalendarFilterForm,
)
from ...models import Booking, Slot
from .base import DeskMixin, SyncPostMixin


class CalendarView(DeskMixin, SyncPostMixin, TemplateView):
    """A day or a week of sessions with their bookings; filters by antenna, operator, channel."""

    template_name = "desk/backoffice/calendar.html"
    page_title = gettext_lazy("Desk calendar")
    desk_tab = "calendar"

    def get_context_data(self, **kwargs):
        form = CalendarFilterForm(self.request.GET or None, hub=self.hub)
        form.is_valid()  # invalid values are ignored (and flagged); valid ones apply
        data = form.cleaned_data if form.is_bound else {}
        view = data.get("view") or "week"
        today = timezone.localdate()
        day = data.get("date") or today
        start, days = (day - timedelta(days=day.weekday()), 7) if view == "week" else (day, 1)
        slots = list(
            selectors.calendar_slots(
                hub=self.hub,
                start=start,
                days=days,
                antenna_id=data["antenna"].pk if data.get("antenna") else None,
                operator_id=data["operator"].pk if data.get("operator") else None,
                channel=data.get("channel") or None,
            )
        )
        now = timezone.now()
        by_day: dict[date, list] = {}
        for slot in slots:
            bookings = list(slot.bookings.all())
            slot.active_bookings = [b for b in bookings if b.status in Booking.HOLDING_STATUSES]
            slot.other_bookings = [b for b in bookings if b.status not in Booking.HOLDING_STATUSES]
            slot.can_book = not slot.is_cancelled and slot.starts_at > now and slot.booked < slot.capacity
            slot.is_past = slot.ends_at <= now
            by_day.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
        calendar_days = [
            {"date": d, "slots": by_day.get(d, []), "is_today": d == today}
            for d in (start + timedelta(days=i) for i in range(days))
        ]
        step = timedelta(days=days)
        filters_on = any(data.get(name) for name in ("antenna", "operator", "channel"))
        return super().get_context_data(
            form=form,
            view=view,
            start=start,
            end=start + timedelta(days=days - 1),
            calendar_days=calendar_days,
            slot_count=len(slots),
            filters_on=filters_on,
            prev_url=self._url(view, start - step),
            next_url=self._url(view, start + step),
            today_url=self._url(view, today),
            day_view_url=self._url("day", day),
            week_view_url=self._url("week", day),
            **kwargs,
        )

    def _url(self, view: str, day: date) -> str:
        params = self.request.GET.copy()
        params["view"], params["date"] = view, day.isoformat()
        return f"{self.request.path}?{params.urlencode()}"


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
                and timezone.localdate(booking.slot.starts_at) <= timezone.localdate()
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
