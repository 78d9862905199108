"""
The public side of the online desk "IG 4.0": choose a service, a place and a session, book it
(guests confirm by e-mail), manage it through the signed link, join a waiting list, ask the desk.

Every view but "My bookings" is public (`login_not_required`); the hub comes from the URL and
every object is looked up through it, so another hub's id is a 404. Links sent by e-mail carry
a signed token (desk/tokens.py): tampered, expired or of another hub, they get a friendly page
with status 404. Writes go through desk/services/; a BookingError becomes a message.
Every POST counts against its rate limit first (hubs.ratelimit, YIP_RATE_LIMITS): past it, the
"too many attempts" page (429).
"""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from hubs.catalogue_registry import came_from_catalogue
from hubs.forms import add_service_error
from hubs.mixins import PublicHubMixin
from hubs.models import Antenna
from hubs.pagecache import PublicPageCacheMixin
from hubs.ratelimit import RateLimitMixin, client_network, rate_limit_hit

from .. import selectors, services, tokens
from ..calendar import booking_ics, calendar_links
from ..forms_public import (
    BookingForm,
    ClaimNameForm,
    EnquiryForm,
    LinksResendForm,
    WaitlistForm,
    place_value,
)
from ..models import Booking, Channel, Slot, WaitlistEntry

VERIFY_MAX_AGE = timedelta(days=2).total_seconds()
# A manage link works until its session ends; the token itself is only a ceiling.
MANAGE_MAX_AGE = timedelta(days=120).total_seconds()
CLAIM_MAX_AGE = timedelta(days=7).total_seconds()  # the offer's own expiry is checked too
GUARDIAN_MAX_AGE = timedelta(days=8).total_seconds()
LEAVE_MAX_AGE = timedelta(
    days=365
).total_seconds()  # a place on the list has no end date  # the hold's own expiry is checked too

CHANNEL_ORDER = list(Channel.values)


# --- Shared helpers ------------------------------------------------------------------------


class _InvalidLink:
    def invalid_link(self, reason: str = "invalid"):
        """The friendly "link not valid" page (status 404), for a `load()` to return."""
        return TemplateResponse(
            self.request,
            "desk/public/link_invalid.html",
            {"hub": self.hub, "reason": reason},
            status=404,
        )


class DeskPublicView(PublicHubMixin, RateLimitMixin, _InvalidLink):
    """
    Base of the desk's public views: the hub (404 if unknown or inactive), `load()` (the
    hub-mixin hook), then a POST's rate limit (the view's `ratelimit_group`).
    """


def is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def slots_by_day(slots) -> list[tuple]:
    """[(local date, [slots])], in time order; each slot knows its free places."""
    days = []
    for day, group in groupby(slots, key=lambda slot: timezone.localdate(slot.starts_at)):
        group = list(group)
        for slot in group:
            slot.free = slot.capacity - slot.booked
        days.append((day, group))
    return days


def _parse_day(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _parse_month(value) -> date | None:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def month_calendar(*, free_days: dict, month: date, chosen: date | None, link) -> list[list[dict]]:
    """
    The weeks (Monday first) of `month` as rows of seven cells: each day with its free
    sessions, whether it is in the month, chosen, today, and its link (`link(day)`) if it has any.
    """
    today = timezone.localdate()
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        row = []
        for day in week:
            in_month = day.month == month.month
            count = free_days.get(day, 0) if in_month else 0
            row.append(
                {
                    "day": day,
                    "in_month": in_month,
                    "count": count,
                    "chosen": in_month and day == chosen,
                    "today": day == today,
                    "url": link(day) if count else "",
                }
            )
        weeks.append(row)
    return weeks


def slot_list_context(request, *, hub, service, place, exclude_slot_id=None) -> dict:
    """
    The free sessions at the chosen place up to the hub's horizon, as a month calendar (days
    with free sessions are links: `?day=2026-12-07`, `?month=2026-12`) and the times of the
    chosen day below it. Two queries whatever the number of sessions: the start times of the
    free sessions (to mark the days), and the chosen day's sessions.
    """
    horizon_days = selectors.desk_settings_read(hub=hub).horizon_days
    context = {
        "place": place,
        "days": [],
        "weeks": [],
        "slot_count": 0,
        "horizon_days": horizon_days,
        "is_htmx": is_htmx(request),
        "chooser_url": request.path,
    }
    if not place.channel:
        return context
    slots = selectors.slots_bookable(
        hub=hub,
        service=service,
        channel=place.channel,
        antenna_id=place.antenna_id,
        until=timezone.now() + timedelta(days=horizon_days),
    )
    if exclude_slot_id:
        slots = slots.exclude(pk=exclude_slot_id)
    free_days: dict[date, int] = {}
    for starts_at in slots.values_list("starts_at", flat=True):
        day = timezone.localdate(starts_at)
        free_days[day] = free_days.get(day, 0) + 1
    context["slot_count"] = sum(free_days.values())
    if not free_days:
        return context
    first, last = min(free_days), max(free_days)
    chosen = _parse_day(request.GET.get("day"))
    month = _parse_month(request.GET.get("month"))
    if chosen not in free_days:
        chosen = None
    if month is None or not first.replace(day=1) <= month <= last.replace(day=1):
        month = (chosen or first).replace(day=1)
    if chosen is None or chosen.replace(day=1) != month:
        in_month = [day for day in free_days if day.replace(day=1) == month]
        chosen = min(in_month) if in_month else None
    base = f"{request.path}?{place.querystring()}"
    tz = timezone.get_current_timezone()
    if chosen:
        begin = timezone.make_aware(datetime.combine(chosen, time.min), tz)
        context["days"] = slots_by_day(
            slots.filter(starts_at__gte=begin, starts_at__lt=begin + timedelta(days=1))
        )
    previous_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    context |= {
        "month": month,
        "chosen_day": chosen,
        "weeks": month_calendar(
            free_days=free_days,
            month=month,
            chosen=chosen,
            link=lambda day: f"{base}&day={day.isoformat()}#times",
        ),
        "previous_month_url": f"{base}&month={previous_month:%Y-%m}#calendar"
        if previous_month >= first.replace(day=1)
        else "",
        "next_month_url": f"{base}&month={next_month:%Y-%m}#calendar" if next_month <= last else "",
        "previous_month": previous_month,
        "next_month": next_month,
    }
    return context


class PlaceChoice:
    """The channels (and antennas) a service is offered in, and the one the visitor chose."""

    def __init__(self, *, hub, service, params):
        rows = selectors.channels_offered(hub=hub, service=service)
        self.channels = sorted({row["channel"] for row in rows}, key=CHANNEL_ORDER.index)
        self.antennas = [
            {"id": row["antenna"], "name": row["antenna__name"]}
            for row in rows
            if row["channel"] == Channel.ANTENNA and row["antenna"]
        ]
        channel = params.get("channel")
        try:
            antenna_id = int(params.get("antenna") or 0)
        except ValueError:
            antenna_id = 0
        if channel not in self.channels:
            has_antenna = antenna_id and Channel.ANTENNA in self.channels
            channel = Channel.ANTENNA if has_antenna else (self.channels or [None])[0]
        antenna_ids = [antenna["id"] for antenna in self.antennas]
        if channel == Channel.ANTENNA and antenna_id not in antenna_ids:
            antenna_id = antenna_ids[0] if antenna_ids else None
        self.channel = channel
        self.antenna_id = antenna_id if channel == Channel.ANTENNA else None
        self.options = [
            {"value": value, "label": Channel(value).label, "checked": value == self.channel}
            for value in self.channels
        ]

    @property
    def antenna_name(self) -> str:
        return next((a["name"] for a in self.antennas if a["id"] == self.antenna_id), "")

    def querystring(self) -> str:
        if self.channel is None:
            return ""
        query = f"channel={self.channel}"
        return query + (f"&antenna={self.antenna_id}" if self.antenna_id else "")


def manage_url(booking) -> str:
    return reverse(
        "desk:booking_manage",
        kwargs={"hub_slug": booking.hub.slug, "token": tokens.make(tokens.MANAGE, booking.pk)},
    )


def booking_for_hub(hub, pk):
    return (
        Booking.objects.for_hub(hub)
        .select_related("slot__service", "slot__antenna", "slot__hub", "service", "person", "hub")
        .filter(pk=pk)
        .first()
    )


# --- Choose a service, a place and a session -------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class ServiceChoiceView(PublicHubMixin, ListView):
    """The hub's bookable services, each leading to its sessions."""

    template_name = "desk/public/service_choice.html"
    context_object_name = "services"

    def get_queryset(self):
        return selectors.services_with_dates(hub=self.hub)


class SlotListFragmentMixin:
    """An htmx request (a change of channel or antenna) gets only the slot list back."""

    def get(self, request, *args, **kwargs):
        if is_htmx(request):
            self.template_name = "desk/public/_slot_list.html"
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response


@method_decorator(login_not_required, name="dispatch")
class SlotChoiceView(PublicPageCacheMixin, SlotListFragmentMixin, DeskPublicView, TemplateView):
    """
    The sessions of one service in the next weeks, at the place chosen (`?channel=antenna&
    antenna=3`). htmx refreshes only the list; without JavaScript the form's button does it.
    Cached for anonymous visitors until a slot, booking or the hub changes, at most a minute
    (a session that starts leaves the list): hubs/pagecache.py.
    """

    template_name = "desk/public/slot_choice.html"
    page_cache_timeout = 60
    page_cache_params = ("channel", "antenna", "day", "month")

    def page_cache_scopes(self, **kwargs):
        return [*super().page_cache_scopes(**kwargs), f"desk:{kwargs['hub_slug']}"]

    def load(self, **kwargs):
        self.service = get_object_or_404(selectors.services_bookable(hub=self.hub), pk=kwargs["service_id"])

    def get_context_data(self, **kwargs):
        place = PlaceChoice(hub=self.hub, service=self.service, params=self.request.GET)
        return super().get_context_data(
            service=self.service,
            **slot_list_context(self.request, hub=self.hub, service=self.service, place=place),
            **kwargs,
        )


# --- Book -----------------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class BookingFormView(PublicPageCacheMixin, DeskPublicView, FormView):
    """
    The booking form of one session. An account holder's booking is confirmed at once; a guest
    gets an e-mail to confirm it, and this page (after redirect) says only that a message left.
    The empty form is cached for anonymous visitors like the slot list, each visitor getting
    their own CSRF token in it (hubs/pagecache.py).
    """

    template_name = "desk/public/booking_form.html"
    form_class = BookingForm
    ratelimit_group = "desk_booking"
    page_cache_timeout = 60
    page_cache_csrf = True

    def page_cache_scopes(self, **kwargs):
        return [*super().page_cache_scopes(**kwargs), f"desk:{kwargs['hub_slug']}"]

    def load(self, **kwargs):
        self.slot = get_object_or_404(
            Slot.objects.for_hub(self.hub)
            .with_booked()
            .select_related("service", "antenna", "hub")
            .filter(service__is_active=True),
            pk=kwargs["slot_id"],
        )

    @property
    def available(self) -> bool:
        slot = self.slot
        return not slot.is_cancelled and slot.starts_at > timezone.now() and slot.booked < slot.capacity

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "slot_day": timezone.localdate(self.slot.starts_at),
            "user": self.request.user,
            "hub": self.hub,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            slot=self.slot,
            service=self.slot.service,
            available=self.available,
            sent=False,
            back_url=self.back_url(),
            **kwargs,
        )

    def back_url(self) -> str:
        url = reverse(
            "desk:book_slots", kwargs={"hub_slug": self.hub.slug, "service_id": self.slot.service_id}
        )
        query = f"channel={self.slot.channel}"
        if self.slot.antenna_id:
            query += f"&antenna={self.slot.antenna_id}"
        return f"{url}?{query}"

    def post(self, request, *args, **kwargs):
        if not self.available:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user if self.request.user.is_authenticated else None
        try:
            with transaction.atomic():  # no stray Person when the booking is refused
                person = services.person_for_booking(hub=self.hub, data=form.person_data(), user=user)
                booking = services.booking_create(
                    slot=self.slot,
                    person=person,
                    reason=form.cleaned_data["reason"],
                    language=form.cleaned_data["language"],
                    by=user,
                    verified=user is not None,
                    client_ip=client_network(self.request),
                    origin=Booking.Origin.CATALOGUE
                    if came_from_catalogue(self.request, self.hub)
                    else Booking.Origin.DIRECT,
                    person_linked=True,  # person_for_booking links the person to the hub
                )
        except services.BookingError as error:
            add_service_error(form, error)
            return self.render_to_response(self.get_context_data(form=form, refused=True))
        came_from_catalogue(self.request, self.hub, consume=True)  # one booking per hand-off
        if user is not None:
            messages.success(
                self.request, _("Your booking is confirmed: the details are also in your e-mail.")
            )
            return redirect(manage_url(booking))
        # "Check your e-mail": a page of this booking (signed link), with the address and a resend.
        return redirect(
            "desk:booking_sent", hub_slug=self.hub.slug, token=tokens.make(tokens.SENT, booking.pk)
        )


@method_decorator(login_not_required, name="dispatch")
class BookingSentView(DeskPublicView, TemplateView):
    """
    "Check your e-mail", after a guest books: the address the confirmation link went to, and a
    button to send it again while the booking waits: rate-limited per client (the 429 page) and
    per address (this page, saying when to try again); and one verification e-mail per address
    per YIP_VERIFY_MAIL_INTERVAL, so a second click sends nothing. The page is the booking's
    own (a signed link only the browser that booked got).
    """

    template_name = "desk/public/booking_sent.html"
    ratelimit_group = "desk_booking_resend"

    def load(self, **kwargs):
        pk = tokens.read(tokens.SENT, kwargs["token"], max_age_seconds=VERIFY_MAX_AGE)
        self.booking = booking_for_hub(self.hub, pk) if pk else None
        if self.booking is None:
            return self.invalid_link()

    def get_context_data(self, **kwargs):
        booking = self.booking
        waiting = booking.status == Booking.Status.PENDING and booking.hold_expires_at > timezone.now()
        return super().get_context_data(
            booking=booking,
            slot=booking.slot,
            service=booking.service,
            email=booking.person.email,
            waiting=waiting,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        # Past the client's limit the mixin answered already (429 page); here, the address's own.
        wait = rate_limit_hit(request, "desk_booking_resend_email", email=self.booking.person.email)
        if wait is not None:
            minutes = max(1, -(-wait // 60))
            error = ngettext(
                "You have asked for the link many times: try again in %(minutes)s minute.",
                "You have asked for the link many times: try again in %(minutes)s minutes.",
                minutes,
            ) % {"minutes": minutes}
            return self.render_to_response(self.get_context_data(error=error), status=429)
        if services.booking_verify_resend(booking=self.booking):
            messages.success(
                request, _("We sent the link again to %(email)s.") % {"email": self.booking.person.email}
            )
        else:
            messages.info(
                request,
                _(
                    "An e-mail went to this address a moment ago: wait a few minutes, and look in the "
                    "spam folder too."
                ),
            )
        return redirect(request.path)


@method_decorator(login_not_required, name="dispatch")
class BookingVerifyView(DeskPublicView, TemplateView):
    """
    The guest's e-mail link. GET only shows a button (mail scanners open links); the POST
    confirms, then the page shows the session and the link to manage it.
    """

    template_name = "desk/public/booking_verify.html"
    ratelimit_group = "desk_booking_verify"

    def load(self, **kwargs):
        pk = tokens.read(tokens.VERIFY, kwargs["token"], max_age_seconds=VERIFY_MAX_AGE)
        self.booking = booking_for_hub(self.hub, pk) if pk else None
        if self.booking is None:
            return self.invalid_link()

    def get_context_data(self, **kwargs):
        booking = self.booking
        confirmed = booking.status == Booking.Status.CONFIRMED
        manage_token = tokens.make(tokens.MANAGE, booking.pk)
        manage = reverse("desk:booking_manage", kwargs={"hub_slug": self.hub.slug, "token": manage_token})
        return super().get_context_data(
            booking=booking,
            slot=booking.slot,
            confirmed=confirmed,
            calendar=calendar_links(booking, manage_url=services.absolute(manage)) if confirmed else None,
            ics_url=reverse(
                "desk:booking_calendar", kwargs={"hub_slug": self.hub.slug, "token": manage_token}
            ),
            waiting_guardian=booking.status == Booking.Status.GUARDIAN,
            confirmable=booking.status in (Booking.Status.PENDING, Booking.Status.EXPIRED),
            manage_url=manage_url(booking),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.booking_verify(booking=self.booking)
        except services.BookingError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        return redirect(request.path)


@method_decorator(login_not_required, name="dispatch")
class BookingGuardianView(DeskPublicView, TemplateView):
    """
    The parent or guardian's e-mail link for a booking under 14 (double opt-in). GET shows the
    booking and a button (mail scanners open links); the POST gives the consent and confirms.
    """

    template_name = "desk/public/booking_guardian.html"
    ratelimit_group = "desk_booking_verify"

    def load(self, **kwargs):
        pk = tokens.read(tokens.GUARDIAN, kwargs["token"], max_age_seconds=GUARDIAN_MAX_AGE)
        self.booking = booking_for_hub(self.hub, pk) if pk else None
        if self.booking is None:
            return self.invalid_link()

    def get_context_data(self, **kwargs):
        booking = self.booking
        return super().get_context_data(
            booking=booking,
            slot=booking.slot,
            person=booking.person,
            consented=booking.status == Booking.Status.CONFIRMED and booking.guardian_consent_at is not None,
            consentable=booking.status in (Booking.Status.GUARDIAN, Booking.Status.EXPIRED),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.booking_guardian_consent(booking=self.booking)
        except services.BookingError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        return redirect(request.path)


# --- Manage a booking (the signed link of the confirmation e-mail) ----------------------------


class ManageTokenMixin:
    """The booking a manage link names: of this hub, its session not over yet."""

    def load(self, **kwargs):
        pk = tokens.read(tokens.MANAGE, kwargs["token"], max_age_seconds=MANAGE_MAX_AGE)
        self.booking = booking_for_hub(self.hub, pk) if pk else None
        if self.booking is None:
            return self.invalid_link()
        if self.booking.slot.ends_at <= timezone.now():
            return self.invalid_link("over")

    def notice_problem(self) -> str:
        """Why the booking can no longer be changed online, or ""."""
        try:
            services.check_notice(self.booking)
        except services.BookingError as error:
            return " ".join(error.messages)
        return ""


@method_decorator(login_not_required, name="dispatch")
class BookingManageView(ManageTokenMixin, DeskPublicView, TemplateView):
    """The booking, and while it is upcoming: cancel it (with a confirm step) or move it."""

    template_name = "desk/public/booking_manage.html"
    ratelimit_group = "desk_booking_manage"

    def get_context_data(self, **kwargs):
        booking = self.booking
        upcoming = booking.is_upcoming
        manage = services.absolute(self.request.path)
        return super().get_context_data(
            booking=booking,
            slot=booking.slot,
            moves=list(booking.moves.all()),
            calendar=calendar_links(booking, manage_url=manage)
            if booking.status == Booking.Status.CONFIRMED
            else None,
            ics_url=reverse(
                "desk:booking_calendar", kwargs={"hub_slug": self.hub.slug, "token": self.kwargs["token"]}
            ),
            upcoming=upcoming,
            cancelled=booking.status in (Booking.Status.CANCELLED, Booking.Status.CANCELLED_BY_HUB),
            notice_problem=self.notice_problem() if upcoming else "",
            confirm_cancel=bool(self.request.GET.get("cancel")),
            reschedule_url=reverse(
                "desk:booking_reschedule", kwargs={"hub_slug": self.hub.slug, "token": self.kwargs["token"]}
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.booking_cancel(booking=self.booking, reason=request.POST.get("reason", ""))
        except services.BookingError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        messages.success(request, _("Your booking is cancelled. Thank you for letting us know."))
        return redirect(request.path)


@method_decorator(login_not_required, name="dispatch")
class BookingCalendarView(ManageTokenMixin, DeskPublicView, View):
    """The booking's .ics (same UID and SEQUENCE as the e-mailed one): "Add to calendar", Apple and others."""

    ratelimit_group = "desk_booking_manage"

    def get(self, request, *args, **kwargs):
        booking = self.booking
        if booking.status not in Booking.UPCOMING_STATUSES:
            raise Http404
        manage = services.absolute(
            reverse("desk:booking_manage", kwargs={"hub_slug": self.hub.slug, "token": kwargs["token"]})
        )
        response = HttpResponse(
            booking_ics(booking, manage_url=manage), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="appuntamento.ics"'
        return response


@method_decorator(login_not_required, name="dispatch")
class BookingRescheduleView(SlotListFragmentMixin, ManageTokenMixin, DeskPublicView, TemplateView):
    """Another free session of the same service, at any place: the booking moves there."""

    template_name = "desk/public/booking_reschedule.html"
    ratelimit_group = "desk_booking_manage"

    def place(self):
        params = self.request.GET
        if "channel" not in params:
            params = {"channel": self.booking.channel, "antenna": self.booking.antenna_id}
        return PlaceChoice(hub=self.hub, service=self.booking.service, params=params)

    def get_context_data(self, **kwargs):
        service = self.booking.service
        return super().get_context_data(
            booking=self.booking,
            slot=self.booking.slot,
            service=service,
            pick=True,
            **slot_list_context(
                self.request,
                hub=self.hub,
                service=service,
                place=self.place(),
                exclude_slot_id=self.booking.slot_id,
            ),
            upcoming=self.booking.is_upcoming,
            notice_problem=self.notice_problem() if self.booking.is_upcoming else "",
            manage_url=reverse(
                "desk:booking_manage", kwargs={"hub_slug": self.hub.slug, "token": self.kwargs["token"]}
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            slot_id = int(request.POST.get("slot", ""))
        except ValueError:
            return self.render_to_response(self.get_context_data(error=_("Choose one of the sessions.")))
        slot = Slot.objects.for_hub(self.hub).filter(pk=slot_id, service_id=self.booking.service_id).first()
        if slot is None:
            raise Http404
        try:
            services.booking_reschedule(booking=self.booking, slot=slot)
        except services.BookingError as error:
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        messages.success(request, _("Your booking is moved. We sent you an e-mail with the new details."))
        # The same booking, so the same link: the one in the first e-mail shows the new time too.
        return redirect("desk:booking_manage", hub_slug=self.hub.slug, token=self.kwargs["token"])


# --- Waiting list -----------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class WaitlistJoinView(DeskPublicView, FormView):
    """A place on the waiting list of a service at one place; we write when a place frees up."""

    template_name = "desk/public/waitlist_join.html"
    form_class = WaitlistForm
    ratelimit_group = "desk_waitlist_join"

    def load(self, **kwargs):
        self.service = get_object_or_404(selectors.services_bookable(hub=self.hub), pk=kwargs["service_id"])
        self.place = PlaceChoice(hub=self.hub, service=self.service, params=self.request.GET)
        self.places = []
        for channel in self.place.channels:
            if channel == Channel.ANTENNA:
                self.places += [
                    (place_value(channel, a["id"]), f"{Channel(channel).label}: {a['name']}")
                    for a in self.place.antennas
                ]
            else:
                self.places.append((channel, Channel(channel).label))

    def get_initial(self):
        return {"place": place_value(self.place.channel, self.place.antenna_id)}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"places": self.places, "user": self.request.user, "hub": self.hub}

    def get_context_data(self, **kwargs):
        return super().get_context_data(service=self.service, places=self.places, joined=False, **kwargs)

    def form_valid(self, form):
        channel, _sep, antenna_id = form.cleaned_data["place"].partition(":")
        antenna = None
        if channel == Channel.ANTENNA:
            antenna = get_object_or_404(Antenna.objects.for_hub(self.hub), pk=antenna_id)
        user = self.request.user if self.request.user.is_authenticated else None
        with transaction.atomic():
            person = services.person_for_booking(hub=self.hub, data=form.person_data(), user=user)
            entry = services.waitlist_join(
                hub=self.hub, service=self.service, channel=channel, antenna=antenna, person=person
            )
        messages.success(
            self.request,
            _("You are on the waiting list: we sent you an e-mail with your position."),
        )
        # The place's own page (signed link): its position in line, and the way out.
        return redirect(
            "desk:waitlist_leave", hub_slug=self.hub.slug, token=tokens.make(tokens.LEAVE, entry.pk)
        )


@method_decorator(login_not_required, name="dispatch")
class WaitlistClaimView(DeskPublicView, TemplateView):
    """The link of a waiting-list offer: GET shows the session, the POST takes the place."""

    template_name = "desk/public/waitlist_claim.html"
    ratelimit_group = "desk_waitlist_claim"

    def load(self, **kwargs):
        pk = tokens.read(tokens.CLAIM, kwargs["token"], max_age_seconds=CLAIM_MAX_AGE)
        self.entry = (
            (
                WaitlistEntry.objects.for_hub(self.hub)
                .select_related(
                    "person",
                    "offered_slot__service",
                    "offered_slot__antenna",
                    "offered_slot__hub",
                    "booking__hub",
                    "service",
                )
                .filter(pk=pk)
                .first()
            )
            if pk
            else None
        )
        if self.entry is None or self.entry.offered_slot is None:
            return self.invalid_link()

    def open(self) -> bool:
        entry = self.entry
        return (
            entry.status == WaitlistEntry.Status.OFFERED
            and entry.offer_expires_at is not None
            and entry.offer_expires_at > timezone.now()
        )

    def get_context_data(self, **kwargs):
        entry = self.entry
        claimed = entry.status == WaitlistEntry.Status.CLAIMED and entry.booking_id
        if "name_form" not in kwargs and not entry.person.first_name:
            kwargs["name_form"] = ClaimNameForm()
        return super().get_context_data(
            entry=entry,
            slot=entry.offered_slot,
            service=entry.service,
            open=self.open(),
            booking_url=manage_url(entry.booking) if claimed else "",
            book_url=reverse("desk:book_service", kwargs={"hub_slug": self.hub.slug}),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        names = {}
        if not self.entry.person.first_name:  # joined with the e-mail only: the name now
            form = ClaimNameForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(name_form=form))
            names = form.cleaned_data
        try:
            booking = services.waitlist_claim(entry=self.entry, **names)
        except services.BookingError as error:
            self.entry.refresh_from_db()
            return self.render_to_response(self.get_context_data(error=" ".join(error.messages)))
        messages.success(request, _("The place is yours: we sent you an e-mail with the details."))
        return redirect(manage_url(booking))


@method_decorator(login_not_required, name="dispatch")
class WaitlistLeaveView(DeskPublicView, TemplateView):
    """The leave link of the "you are on the list" e-mail: GET shows the place in line, POST leaves."""

    template_name = "desk/public/waitlist_leave.html"
    ratelimit_group = "desk_waitlist_claim"

    def load(self, **kwargs):
        pk = tokens.read(tokens.LEAVE, kwargs["token"], max_age_seconds=LEAVE_MAX_AGE)
        self.entry = (
            WaitlistEntry.objects.for_hub(self.hub).select_related("service", "antenna").filter(pk=pk).first()
            if pk
            else None
        )
        if self.entry is None:
            return self.invalid_link()

    def get_context_data(self, **kwargs):
        entry = self.entry
        waiting = entry.status == WaitlistEntry.Status.WAITING
        return super().get_context_data(
            entry=entry,
            service=entry.service,
            waiting=waiting,
            on_list=entry.status in (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED),
            position=selectors.waitlist_position(entry) if waiting else None,
            book_url=reverse("desk:book_service", kwargs={"hub_slug": self.hub.slug}),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        services.waitlist_leave(entry=self.entry)
        messages.success(request, _("You have left the waiting list."))
        return redirect(request.path)


# --- Ask the desk -----------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class EnquiryCreateView(PublicHubMixin, RateLimitMixin, FormView):
    """A question that needs no appointment; the desk answers by e-mail."""

    template_name = "desk/public/enquiry_form.html"
    form_class = EnquiryForm
    ratelimit_group = "desk_enquiry"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get(self, request, *args, **kwargs):
        if request.GET.get("sent"):
            return self.render_to_response({"hub": self.hub, "sent": True})
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        services.enquiry_create(hub=self.hub, data=form.cleaned_data, user=self.request.user)
        return redirect(f"{self.request.path}?sent=1")


@method_decorator(login_not_required, name="dispatch")
class LinksResendView(PublicHubMixin, RateLimitMixin, FormView):
    """
    "Resend my booking links": the links of one's upcoming bookings at this hub, by e-mail. The
    page answers the same whatever the address (it never tells whether it has bookings here);
    the e-mail goes only to that address, and only if it has some.
    """

    template_name = "desk/public/links_resend.html"
    form_class = LinksResendForm
    ratelimit_group = "desk_links_resend"

    def get(self, request, *args, **kwargs):
        if request.GET.get("sent"):
            return self.render_to_response({"hub": self.hub, "sent": True})
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        services.booking_links_send(
            hub=self.hub, email=form.cleaned_data["email"], language=(get_language() or "it")[:2]
        )
        return redirect(f"{self.request.path}?sent=1")


# --- My bookings (account holders) -----------------------------------------------------------


class MyBookingsView(TemplateView):
    """The signed-in person's bookings in every hub: upcoming first, then the others."""

    template_name = "desk/public/my_bookings.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        upcoming, past = [], []
        for booking in selectors.bookings_of_user(user=self.request.user):
            if booking.status in Booking.UPCOMING_STATUSES and booking.slot.starts_at > now:
                booking.manage_url = manage_url(booking)
                upcoming.append(booking)
            else:
                past.append(booking)
        upcoming.sort(key=lambda booking: booking.slot.starts_at)
        return super().get_context_data(upcoming=upcoming, past=past, **kwargs)
