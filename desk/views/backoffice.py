"""
The hub staff's back office of the online desk: calendar, bookings, availability, services,
settings, people's records, enquiries, waiting list and export.

Every view is `HubMixin` + a generic view: the hub comes from the URL, the capability the view
names is checked before anything runs, and objects are looked up through `for_hub(self.hub)`,
so another hub's id is a 404. Writes go through desk/services/; a BookingError becomes a message.
Changes of availability end with `slots_sync`, whose report (slots created, removed, and booked
slots that no longer match — kept, never deleted) is shown as messages.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)

from hubs import exports
from hubs.forms import add_service_error
from hubs.mixins import HubMixin
from hubs.navigation import section_tabs
from people.models import CaseNote
from people.services import person_find_or_create, record_access_log

from .. import selectors, services
from ..forms_backoffice import (
    BookingActionForm,
    BookingOnBehalfForm,
    CalendarFilterForm,
    CaseNoteForm,
    ClosureForm,
    DeskSettingsForm,
    EnquiryReplyForm,
    ExportForm,
    RuleForm,
    ServiceForm,
)
from ..models import AvailabilityRule, Booking, Channel, Closure, Enquiry, Service, Slot, WaitlistEntry

# The desk's own tabs (key, title, URL name), each shown to whoever may open its page.
TABS = (
    ("calendar", gettext_lazy("Calendar"), "deskbo:calendar"),
    ("availability", gettext_lazy("Availability"), "deskbo:rule_list"),
    ("people", gettext_lazy("People"), "deskbo:person_list"),
    ("enquiries", gettext_lazy("Enquiries"), "deskbo:enquiry_list"),
    ("waitlist", gettext_lazy("Waiting list"), "deskbo:waitlist"),
    ("services", gettext_lazy("Services"), "deskbo:service_list"),
    ("export", gettext_lazy("Export"), "deskbo:export"),
    ("settings", gettext_lazy("Settings"), "deskbo:settings"),
)


class DeskMixin(HubMixin):
    """HubMixin for the desk: the hub's staff ("desk.manage") by default, the desk's tabs."""

    permission = "desk.manage"
    cancel_url_name = "deskbo:calendar"
    desk_tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.desk_tab)
        return context


def slot_label(slot: Slot) -> str:
    start = timezone.localtime(slot.starts_at)
    operator = slot.operator.get_full_name() or slot.operator.email
    return f"{formats.date_format(start, 'D j/n')} {start:%H:%M} · {slot.service.name} · {operator}"


def report_sync(request, hub, result: dict) -> None:
    """Tell the staff what slots_sync did; booked slots that no longer fit are listed, kept."""
    messages.info(
        request,
        _("Sessions updated: %(created)s added, %(removed)s removed.")
        % {"created": result["created"], "removed": result["removed"]},
    )
    conflicts = result["conflicts"]
    if not conflicts:
        return
    calendar = reverse("deskbo:calendar", kwargs={"hub_slug": hub.slug})
    items = format_html_join(
        "",
        '<li><a href="{}?view=day&amp;date={}">{}</a> ({})</li>',
        (
            (
                calendar,
                timezone.localdate(slot.starts_at).isoformat(),
                slot_label(slot),
                ngettext("%(n)s booked", "%(n)s booked", slot.booked) % {"n": slot.booked},
            )
            for slot in conflicts
        ),
    )
    messages.warning(
        request,
        format_html(
            '<strong>{}</strong> {}<ul class="mb-0 mt-2">{}</ul>',
            ngettext(
                "%(n)s booked session no longer matches the availability.",
                "%(n)s booked sessions no longer match the availability.",
                len(conflicts),
            )
            % {"n": len(conflicts)},
            _("They are kept with their bookings: call the people booked, then cancel or hold each session."),
            items,
        ),
    )


class SyncPostMixin:
    """A POST runs slots_sync for the hub (the "Generate sessions" button) and comes back."""

    def post(self, request, *args, **kwargs):
        report_sync(request, self.hub, services.slots_sync(hub=self.hub))
        return HttpResponseRedirect(request.get_full_path())


# --- Calendar and bookings ---------------------------------------------------------------------


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
                services.booking_cancel(booking=booking, by_hub=request.user)
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


# --- Availability ------------------------------------------------------------------------------


class RuleListView(DeskMixin, SyncPostMixin, ListView):
    """The hub's weekly availability and its closures to come."""

    template_name = "desk/backoffice/rule_list.html"
    context_object_name = "rules"
    page_title = gettext_lazy("Availability")
    desk_tab = "availability"

    def get_queryset(self):
        return AvailabilityRule.objects.for_hub(self.hub).select_related("service", "operator", "antenna")

    def get_context_data(self, **kwargs):
        closures = (
            Closure.objects.for_hub(self.hub)
            .filter(ends_on__gte=timezone.localdate())
            .select_related("antenna", "operator")
        )
        return super().get_context_data(closures=closures, **kwargs)


class DeskFormMixin(DeskMixin):
    """
    Create/update of a desk row of this hub. Each subclass defines `save(obj) -> dict`, which
    calls the row's service and returns what slots_sync did, for the message.
    """

    template_name = "desk/backoffice/object_form.html"
    success_url_name = "deskbo:rule_list"
    success_message = ""
    intro = ""

    def get_queryset(self):
        return self.model.objects.for_hub(self.hub)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=self.intro, **kwargs)

    def form_valid(self, form):
        obj = form.save(commit=False)
        obj.hub = self.hub
        result = self.save(obj)
        messages.success(self.request, self.success_message)
        report_sync(self.request, self.hub, result)
        return redirect(self.success_url_name, hub_slug=self.hub.slug)


class RuleFormMixin(DeskFormMixin):
    model = AvailabilityRule
    form_class = RuleForm
    cancel_url_name = "deskbo:rule_list"
    desk_tab = "availability"
    success_message = gettext_lazy("Availability saved.")
    intro = gettext_lazy(
        "Sessions are generated from it for the booking horizon. Booked sessions that "
        "no longer fit are kept and listed, never deleted."
    )

    def save(self, obj):
        return services.availability_rule_save(rule=obj)


class RuleCreateView(RuleFormMixin, CreateView):
    page_title = gettext_lazy("New weekly availability")


class RuleUpdateView(RuleFormMixin, UpdateView):
    pass


class ClosureCreateView(DeskFormMixin, CreateView):
    model = Closure
    form_class = ClosureForm
    cancel_url_name = "deskbo:rule_list"
    desk_tab = "availability"
    page_title = gettext_lazy("New closure")
    success_message = gettext_lazy("Closure saved.")
    intro = gettext_lazy(
        "On these days no session is offered (the whole hub, one antenna or one "
        "operator). Sessions already booked are kept and listed."
    )

    def save(self, obj):
        return services.closure_create(closure=obj)


class ClosureDeleteView(DeskMixin, DeleteView):
    template_name = "desk/backoffice/closure_confirm_delete.html"
    context_object_name = "closure"
    cancel_url_name = "deskbo:rule_list"
    desk_tab = "availability"
    page_title = gettext_lazy("Remove the closure")

    def get_queryset(self):
        return Closure.objects.for_hub(self.hub).select_related("antenna", "operator")

    def form_valid(self, form):
        result = services.closure_delete(closure=self.object)
        messages.success(self.request, _("Closure removed: its days are open again."))
        report_sync(self.request, self.hub, result)
        return redirect("deskbo:rule_list", hub_slug=self.hub.slug)


# --- Services and settings ---------------------------------------------------------------------


class ServiceListView(DeskMixin, ListView):
    template_name = "desk/backoffice/service_list.html"
    context_object_name = "services"
    page_title = gettext_lazy("Services of the desk")
    desk_tab = "services"

    def get_queryset(self):
        return Service.objects.for_hub(self.hub)


class ServiceFormMixin(DeskFormMixin):
    permission = "desk.configure"
    model = Service
    form_class = ServiceForm
    cancel_url_name = "deskbo:service_list"
    success_url_name = "deskbo:service_list"
    desk_tab = "services"
    success_message = gettext_lazy("Service saved.")

    def save(self, obj):
        return services.service_save(service=obj)


class ServiceCreateView(ServiceFormMixin, CreateView):
    page_title = gettext_lazy("New service")


class ServiceUpdateView(ServiceFormMixin, UpdateView):
    pass


class DeskSettingsView(DeskFormMixin, UpdateView):
    permission = "desk.configure"
    form_class = DeskSettingsForm
    page_title = gettext_lazy("Desk settings")
    desk_tab = "settings"
    success_url_name = "deskbo:settings"
    success_message = gettext_lazy("Desk settings saved.")
    intro = gettext_lazy("The rules young people book by. Changing the horizon adds or removes sessions.")

    def get_object(self, queryset=None):
        return services.desk_settings_get(hub=self.hub)

    def save(self, obj):
        return services.desk_settings_save(row=obj)


# --- People --------------------------------------------------------------------------------------


class PersonListView(DeskMixin, ListView):
    """The people this hub deals with (and only them), by name or e-mail."""

    template_name = "desk/backoffice/person_list.html"
    context_object_name = "people"
    paginate_by = 25
    page_title = gettext_lazy("People")
    desk_tab = "people"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:100]
        return selectors.people_search(hub=self.hub, query=self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class PersonRecordView(DeskMixin, DetailView):
    """
    A person's record as this hub knows it: their details, this hub's bookings, waiting-list
    entries, enquiries and private notes — never another hub's. Every opening is logged.
    """

    template_name = "desk/backoffice/person_record.html"
    context_object_name = "person"
    desk_tab = "people"
    cancel_url_name = "deskbo:person_list"

    def get_queryset(self):
        return selectors.people_for_hub(hub=self.hub).select_related("municipality")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_record(CaseNoteForm())

    def post(self, request, *args, **kwargs):
        self.object = person = self.get_object()
        form = CaseNoteForm(request.POST)
        if not form.is_valid():
            return self.render_record(form)
        services.case_note_create(
            hub=self.hub, person=person, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Note saved."))
        return redirect(request.path)

    def render_record(self, note_form):
        record_access_log(hub=self.hub, person=self.object, user=self.request.user, what="desk.record")
        return self.render_to_response(self.get_context_data(note_form=note_form))

    def get_context_data(self, **kwargs):
        person = self.object
        today = timezone.localdate()
        return super().get_context_data(
            age=person.age_on(today),
            bookings=selectors.bookings_of_person_in_hub(hub=self.hub, person=person),
            waitlist=selectors.waitlist_for_hub(hub=self.hub)
            .filter(person=person)
            .select_related("offered_slot")
            .order_by("-created_at"),
            enquiries=selectors.enquiries_for_hub(hub=self.hub).filter(person=person),
            notes=CaseNote.objects.for_hub(self.hub).filter(person=person).select_related("author"),
            **kwargs,
        )


# --- Enquiries and waiting list ------------------------------------------------------------------


class EnquiryListView(DeskMixin, ListView):
    template_name = "desk/backoffice/enquiry_list.html"
    context_object_name = "enquiries"
    paginate_by = 25
    page_title = gettext_lazy("Enquiries")
    desk_tab = "enquiries"
    STATUSES = (*Enquiry.Status.values, "all")

    def get_queryset(self):
        status = self.request.GET.get("status")
        self.status = status if status in self.STATUSES else Enquiry.Status.OPEN
        return selectors.enquiries_for_hub(hub=self.hub, status=None if self.status == "all" else self.status)

    def get_context_data(self, **kwargs):
        counts = selectors.enquiry_counts(hub=self.hub)
        counts["all"] = sum(counts.values())
        labels = {**dict(Enquiry.Status.choices), "all": _("All")}
        tabs = [
            {"status": s, "label": labels[s], "count": counts[s], "active": s == self.status}
            for s in self.STATUSES
        ]
        return super().get_context_data(tabs=tabs, status=self.status, **kwargs)


class EnquiryDetailView(DeskMixin, DetailView):
    template_name = "desk/backoffice/enquiry_detail.html"
    context_object_name = "enquiry"
    desk_tab = "enquiries"
    cancel_url_name = "deskbo:enquiry_list"

    def get_queryset(self):
        return Enquiry.objects.for_hub(self.hub).select_related("replied_by", "person")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("reply_form", EnquiryReplyForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = enquiry = self.get_object()
        if request.POST.get("action") == "close":
            services.enquiry_close(enquiry=enquiry)
            messages.success(request, _("Enquiry closed."))
            return redirect(request.path)
        form = EnquiryReplyForm(request.POST)
        if enquiry.status != Enquiry.Status.OPEN:
            messages.error(request, _("This enquiry has been dealt with already."))
            return redirect(request.path)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reply_form=form))
        services.enquiry_reply(enquiry=enquiry, reply=form.cleaned_data["reply"], by=request.user)
        messages.success(request, _("Reply sent to %(email)s.") % {"email": enquiry.email})
        return redirect(request.path)


class WaitlistView(DeskMixin, ListView):
    template_name = "desk/backoffice/waitlist.html"
    context_object_name = "entries"
    paginate_by = 50
    page_title = gettext_lazy("Waiting list")
    desk_tab = "waitlist"
    ACTIVE = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)

    def get_queryset(self):
        self.show_all = self.request.GET.get("show") == "all"
        qs = selectors.waitlist_for_hub(hub=self.hub).select_related("offered_slot")
        return qs if self.show_all else qs.filter(status__in=self.ACTIVE)

    def get_context_data(self, **kwargs):
        return super().get_context_data(show_all=self.show_all, **kwargs)


# --- Export ------------------------------------------------------------------------------------


class ExportView(DeskMixin, FormView):
    """
    The bookings of a period as CSV or XLSX for the hub's reporting: facts and statistical
    fields only (year of birth, gender, municipality, status, education) — no name, e-mail,
    phone or reason, so the file can travel to whoever compiles the reports.
    """

    template_name = "desk/backoffice/export_form.html"
    form_class = ExportForm
    page_title = gettext_lazy("Export bookings")
    desk_tab = "export"

    def get(self, request, *args, **kwargs):
        if not {"starts_on", "ends_on", "format"} & set(request.GET):
            return super().get(request, *args, **kwargs)
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.form_invalid(form)
        return self.download(**form.cleaned_data)

    def get_initial(self):
        today = timezone.localdate()
        first = today.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return {"starts_on": first, "ends_on": last, "format": ExportForm.XLSX}

    def download(self, *, starts_on: date, ends_on: date, format: str) -> HttpResponse:
        data = exports.dataset(
            [
                _("Booking"),
                _("Date"),
                _("Time"),
                _("Service"),
                _("Channel"),
                _("Antenna"),
                _("Operator"),
                _("Status"),
                _("Source"),
                _("Year of birth"),
                _("Gender"),
                _("Municipality"),
                _("Current status"),
                _("Education"),
            ],
            title=_("Bookings"),
        )
        channels, statuses = dict(Channel.choices), dict(Booking.Status.choices)
        sources = dict(Booking.Source.choices)
        for booking in selectors.bookings_for_export(hub=self.hub, start=starts_on, end=ends_on):
            start, person = timezone.localtime(booking.slot.starts_at), booking.person
            operator = booking.slot.operator
            data.append(
                [
                    booking.pk,
                    start.date().isoformat(),
                    f"{start:%H:%M}",
                    booking.service.name,
                    str(channels.get(booking.channel, booking.channel)),
                    booking.antenna.name if booking.antenna else "",
                    operator.get_full_name() or operator.email,
                    str(statuses.get(booking.status, booking.status)),
                    str(sources.get(booking.source, booking.source)),
                    person.birth_year or "",
                    person.get_gender_display(),
                    person.municipality.name if person.municipality else "",
                    person.get_status_display(),
                    person.get_education_display(),
                ]
            )
        return exports.response(
            data,
            format=format,
            filename=f"prenotazioni_{self.hub.slug}_{starts_on.isoformat()}_{ends_on.isoformat()}",
        )
