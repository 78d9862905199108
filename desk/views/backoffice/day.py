"""
The operator's day: "today" (where signing in lands), the calendar's day and week time grid, the
roll call of a session, and the printable agenda of a day.

The calendar's rows are prepared here once per request from plain rows (selectors.calendar_rows:
two queries, no model built): times, labels, status words and links are computed in Python, so
the template only prints them and the page costs the same number of queries for 10 or 1,000
bookings (desk/tests/test_day.py; bench/run.py measures the day and week views).

The grid's cells are written here too (`SlotCells`), as escaped HTML strings, and the template
prints them: issue 19's profile of the week view found template rendering most of the time
(23,000 `localize` calls and 31,000 variable lookups for ~230 sessions), and a cell written by
an f-string costs a fraction of one rendered node by node. Every value that comes from data
goes through `escape`; the markup is the one calendar.html had.
"""

from collections import defaultdict
from datetime import date, timedelta
from html import escape

from django.contrib import messages
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView

from hubs.navigation import due_today
from people.models import RecordAccess

from ... import selectors, services
from ...calendar import time_grid
from ...forms_backoffice import CalendarFilterForm, RollCallForm
from ...models import Booking, Channel, Slot
from .base import DeskMixin, SyncPostMixin

MARKABLE = frozenset({Booking.Status.CONFIRMED, Booking.Status.ATTENDED, Booking.Status.NO_SHOW})
HOLDING = frozenset(Booking.HOLDING_STATUSES)


def _person_name(first: str, last: str) -> str:
    return f"{first} {last}".strip() or _("(erased)")


def _operator_name(row: dict, prefix: str = "operator__") -> str:
    name = f"{row[prefix + 'first_name']} {row[prefix + 'last_name']}".strip()
    return name or row[prefix + "email"]


class _Links:
    """The page's links to one object, reversed once per request and filled by id."""

    SENTINEL = 987654321

    def __init__(self, view, name: str, kwarg: str):
        self.head, self.tail = view.hub_url(name, **{kwarg: self.SENTINEL}).split(str(self.SENTINEL))

    def __call__(self, pk: int) -> str:
        return f"{self.head}{pk}{self.tail}"


class SlotCells:
    """The HTML of one session's cell on the grid, its words translated once per request."""

    def __init__(self, csrf_token: str):
        self.csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        self.booked = _("%(booked)s of %(capacity)s booked")
        self.roll_call = _("Roll call %(time)s %(service)s")
        self.attended, self.no_show = escape(_("Attended")), escape(_("Did not come"))
        self.save = escape(_("Save the roll call"))
        self.others = escape(_("Cancelled or expired:"))
        self.book = escape(_("Book on behalf"))

    @staticmethod
    def person(b: dict) -> str:
        return (
            f'<a href="{escape(b["url"])}">{escape(b["name"])}</a> <span class="status-badge '
            f'status-{b["status"]}" data-status="{b["status"]}">{escape(b["status_label"])}</span>'
        )

    def __call__(self, row: dict) -> str:
        time_label, service = row["time_label"], escape(row["service"])
        booked = escape(self.booked % {"booked": row["booked"], "capacity": row["capacity"]})
        out = [
            f'<div class="desk-slot slot-{row["state"]} r-{row["row"]} rs-{row["span"]} c-{row["col"]}" '
            f'data-slot="{row["pk"]}">'
            f'<p class="desk-slot-title mb-1"><span class="fw-bold">{time_label}</span> {service} '
            f'<span class="slot-state">{escape(row["state_label"])}</span></p>'
            f'<p class="small mb-1">{escape(row["place"])} · {escape(row["operator"])} · '
            f'<span class="text-nowrap">{booked}</span></p>'
        ]
        if row.get("roll_call"):
            label = escape(self.roll_call % {"time": time_label, "service": row["service"]})
            out.append(
                f'<form method="post" action="{escape(row["roll_call_url"])}" class="desk-roll-call" '
                f'aria-label="{label}">{self.csrf}<input type="hidden" name="back" value="day">'
            )
            for b in row["roll_call"]:
                pk, no_show = b["pk"], b["no_show"]
                out.append(
                    f'<fieldset class="desk-roll-row">'
                    f'<legend class="desk-roll-name">{self.person(b)}</legend>'
                    f'<div class="form-check form-check-inline"><input class="form-check-input" type="radio" '
                    f'name="booking-{pk}" id="rc-{pk}-a" value="attended"{"" if no_show else " checked"}>'
                    f'<label class="form-check-label" for="rc-{pk}-a">{self.attended}</label></div>'
                    f'<div class="form-check form-check-inline"><input class="form-check-input" type="radio" '
                    f'name="booking-{pk}" id="rc-{pk}-n" value="no_show"{" checked" if no_show else ""}>'
                    f'<label class="form-check-label" for="rc-{pk}-n">{self.no_show}</label></div></fieldset>'
                )
            out.append(
                f'<button type="submit" class="btn btn-primary btn-xs px-2 py-1">{self.save}</button></form>'
            )
            out += [f'<p class="mb-1">{self.person(b)}</p>' for b in row["active"] if not b["markable"]]
        elif row["active"]:
            out.append('<ul class="list-unstyled mb-1">')
            out += [f"<li>{self.person(b)}</li>" for b in row["active"]]
            out.append("</ul>")
            if row.get("roll_call_note"):
                out.append(f'<p class="small mb-1">{escape(row["roll_call_note"])}</p>')
        if row["other"]:
            names = ", ".join(f'<a href="{escape(b["url"])}">{escape(b["name"])}</a>' for b in row["other"])
            out.append(f'<p class="small mb-1">{self.others} {names}</p>')
        if row["book_url"]:
            day = formats.date_format(row["day"], "j F")
            out.append(
                f'<a class="btn btn-outline-primary btn-xs px-2 py-1" href="{escape(row["book_url"])}">'
                f"{self.book}"
                f'<span class="visually-hidden"> · {escape(day)} {time_label} {service}</span></a>'
            )
        out.append("</div>")
        return "".join(out)


class CalendarFilterMixin:
    """The calendar's GET filters (view, date, antenna, operator, channel), read once."""

    default_view = "day"

    def read_filters(self) -> dict:
        self.form = CalendarFilterForm(self.request.GET or None, hub=self.hub)
        self.form.is_valid()  # invalid values are ignored (and flagged); valid ones apply
        data = self.form.cleaned_data if self.form.is_bound else {}
        return {
            "view": data.get("view") or self.default_view,
            "day": data.get("date") or timezone.localdate(),
            "antenna_id": data["antenna"].pk if data.get("antenna") else None,
            "operator_id": data["operator"].pk if data.get("operator") else None,
            "channel": data.get("channel") or None,
        }


class CalendarView(CalendarFilterMixin, DeskMixin, SyncPostMixin, TemplateView):
    """
    A day (the default: the calendar opens on today) or a week of sessions on a time grid,
    coloured by the session's state with its words beside; filters by antenna, operator,
    channel. The day view carries the roll call of each session that has started.
    """

    template_name = "desk/backoffice/calendar.html"
    page_title = gettext_lazy("Desk calendar")
    desk_tab = "calendar"

    def get_context_data(self, **kwargs):
        filters = self.read_filters()
        view, day = filters["view"], filters["day"]
        today = timezone.localdate()
        start, days = (day - timedelta(days=day.weekday()), 7) if view == "week" else (day, 1)
        slots, bookings = selectors.calendar_rows(
            hub=self.hub,
            start=start,
            days=days,
            antenna_id=filters["antenna_id"],
            operator_id=filters["operator_id"],
            channel=filters["channel"],
        )
        rows = self.prepare(slots, bookings, with_roll_call=view == "day")
        day_list = [start + timedelta(days=i) for i in range(days)]
        grid = time_grid(rows, day_list)
        cells = SlotCells(get_token(self.request))  # after time_grid: the cells know their place
        by_day = defaultdict(list)
        for row in rows:
            by_day[row["day"]].append(row)
        for column in grid["columns"]:
            column["slots"] = by_day.get(column["day"], [])
            column["html"] = mark_safe("".join(cells(row) for row in column["slots"]))  # noqa: S308 (escaped)
            column["is_today"] = column["day"] == today
            column["id"] = f"day-{column['day']:%Y%m%d}"
        step = timedelta(days=days)
        return super().get_context_data(
            form=self.form,
            view=view,
            start=start,
            end=start + timedelta(days=days - 1),
            slots=rows,
            grid=grid,
            slot_count=len(rows),
            filters_on=any(filters[name] for name in ("antenna_id", "operator_id", "channel")),
            prev_url=self._url(view, start - step),
            next_url=self._url(view, start + step),
            today_url=self._url(view, today),
            day_view_url=self._url("day", day),
            week_view_url=self._url("week", day),
            agenda_url=self._url("day", day, name="deskbo:agenda"),
            **kwargs,
        )

    def prepare(self, slots: list[dict], bookings: list[dict], *, with_roll_call: bool) -> list[dict]:
        """Each slot's words, times, state and links, computed once (the template only prints)."""
        tz = timezone.get_current_timezone()
        now = timezone.now()
        status_words = {value: str(label) for value, label in Booking.Status.choices}
        place_words = {Channel.ONLINE: str(Channel.ONLINE.label), Channel.HUB: self.hub.name}
        antenna_word = _("Antenna")
        state_words = {
            "cancelled": _("cancelled"),
            "done": _("held"),
            "running": _("in progress"),
            "full": _("full"),
            "free": _("places free"),
        }
        detail, behalf, roll_call = (
            _Links(self, "deskbo:booking_detail", "pk"),
            _Links(self, "deskbo:booking_on_behalf", "slot_id"),
            _Links(self, "deskbo:roll_call", "slot_id"),
        )
        roll_call_from = _("Roll call from %(time)s")
        by_slot = defaultdict(list)
        for booking in bookings:
            by_slot[booking["slot_id"]].append(booking)
        operators: dict[int, str] = {}
        rows = []
        for slot in slots:
            start, end = slot["starts_at"].astimezone(tz), slot["ends_at"].astimezone(tz)
            active, other = [], []
            for booking in by_slot.get(slot["pk"], ()):
                status = booking["status"]
                entry = {
                    "pk": booking["pk"],
                    "name": _person_name(booking["person__first_name"], booking["person__last_name"]),
                    "status": status,
                    "status_label": status_words[status],
                    "url": detail(booking["pk"]),
                    "markable": status in MARKABLE,
                    "no_show": status == Booking.Status.NO_SHOW,
                }
                (active if status in HOLDING else other).append(entry)
            booked, capacity = len(active), slot["capacity"]
            started = slot["starts_at"] <= now
            if slot["is_cancelled"]:
                state = "cancelled"
            elif slot["ends_at"] <= now:
                state = "done"
            elif started:
                state = "running"
            else:
                state = "full" if booked >= capacity else "free"
            if slot["operator_id"] not in operators:
                operators[slot["operator_id"]] = _operator_name(slot)
            if slot["channel"] == Channel.ANTENNA:
                place = slot["antenna__name"] or antenna_word
            else:
                place = place_words.get(slot["channel"], "")
            time_label = f"{start:%H:%M}–{end:%H:%M}"
            row = {
                "pk": slot["pk"],
                "day": start.date(),
                "start": start,
                "end": end,
                "time_label": time_label,
                "service": slot["service__name"],
                "place": place,
                "operator": operators[slot["operator_id"]],
                "booked": booked,
                "capacity": capacity,
                "state": state,
                "state_label": state_words[state],
                "active": active,
                "other": other,
                "book_url": behalf(slot["pk"]) if state in ("free",) else "",
            }
            if with_roll_call and not slot["is_cancelled"]:
                markable = [entry for entry in active if entry["markable"]]
                if markable and started:
                    row["roll_call"] = markable
                    row["roll_call_url"] = roll_call(slot["pk"])
                elif markable:
                    row["roll_call_note"] = roll_call_from % {"time": f"{start:%H:%M}"}
            rows.append(row)
        return rows

    def _url(self, view: str, day: date, name: str = "") -> str:
        params = self.request.GET.copy()
        params["view"], params["date"] = view, day.isoformat()
        path = self.hub_url(name) if name else self.request.path
        return f"{path}?{params.urlencode()}"


class TodayView(DeskMixin, TemplateView):
    """
    Where signing in lands for the desk's staff: the member's own sessions of the day, the open
    enquiries, what other apps have due today (hubs.navigation.due_source: Together We Work's
    follow-ups) and the waiting list's offers still unanswered.
    """

    template_name = "desk/backoffice/today.html"
    page_title = gettext_lazy("Today")
    desk_tab = "today"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        now = timezone.now()
        day = selectors.today_for_operator(hub=self.hub, user=self.request.user, day=today)
        roll_call = _Links(self, "deskbo:roll_call", "slot_id")
        enquiry = _Links(self, "deskbo:enquiry_detail", "pk")
        for session in day["sessions"]:
            start, end = session["starts_at"].astimezone(tz), session["ends_at"].astimezone(tz)
            session["time_label"] = f"{start:%H:%M}–{end:%H:%M}"
            session["started"] = session["starts_at"] <= now
            session["roll_call_url"] = roll_call(session["pk"])
        for row in day["enquiries"]:
            row["url"] = enquiry(row["pk"])
        for row in day["offers"]:
            row["name"] = _person_name(row["person__first_name"], row["person__last_name"])
        calendar = self.hub_url("deskbo:calendar")
        return super().get_context_data(
            today=today,
            day=day,
            due=due_today(self.hub, self.membership, today),
            my_day_url=f"{calendar}?view=day&date={today.isoformat()}&operator={self.request.user.pk}",
            calendar_url=f"{calendar}?view=day&date={today.isoformat()}",
            **kwargs,
        )


class RollCallView(DeskMixin, FormView):
    """
    The roll call of one session: every booking that holds a place, attended or did not come,
    saved at once through the booking service (the indicators count the marks as before).
    Refused, with a message, before the session starts. The day view shows the same form.
    """

    template_name = "desk/backoffice/roll_call.html"
    form_class = RollCallForm
    desk_tab = "calendar"

    def load(self, **kwargs):
        self.slot = get_object_or_404(
            Slot.objects.for_hub(self.hub).select_related("service", "antenna", "operator"),
            pk=kwargs["slot_id"],
        )
        self.bookings = list(selectors.roll_call_bookings(slot=self.slot))

    def get_page_title(self):
        start = timezone.localtime(self.slot.starts_at)
        return _("Roll call: %(service)s, %(day)s at %(time)s") % {
            "service": self.slot.service.name,
            "day": f"{start:%d/%m/%Y}",
            "time": f"{start:%H:%M}",
        }

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"bookings": self.bookings}

    def day_url(self) -> str:
        day = timezone.localdate(self.slot.starts_at)
        return f"{self.hub_url('deskbo:calendar')}?view=day&date={day.isoformat()}"

    def get_context_data(self, **kwargs):
        form = kwargs["form"] = kwargs.get("form") or self.get_form()
        rows = [
            {
                "booking": booking,
                "field": form[f"booking-{booking.pk}"],
                "checked": booking.status if booking.status != Booking.Status.CONFIRMED else "attended",
            }
            for booking in self.bookings
        ]
        return super().get_context_data(
            slot=self.slot,
            rows=rows,
            started=self.slot.starts_at <= timezone.now(),
            day_url=self.day_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            changed = services.slot_roll_call(slot=self.slot, marks=form.marks(), by=self.request.user)
        except services.BookingError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.day_url() if self.request.POST.get("back") == "day" else self.request.path)
        messages.success(
            self.request,
            ngettext(
                "Roll call saved: %(count)s booking recorded.",
                "Roll call saved: %(count)s bookings recorded.",
                changed,
            )
            % {"count": changed},
        )
        return redirect(self.day_url())

    def form_invalid(self, form):
        messages.error(self.request, _("Choose attended or did not come for each person."))
        return super().form_invalid(form)


class AgendaView(CalendarFilterMixin, DeskMixin, TemplateView):
    """
    The printable agenda of a day (name, phone, reason of each booking, no navigation when
    printed: desk/backoffice.css's print rules). It shows contact details, so opening it is
    logged for each person listed (RecordAccess, as a record's page is).
    """

    template_name = "desk/backoffice/agenda.html"
    desk_tab = "calendar"

    def get_page_title(self):
        return _("Agenda of %(day)s") % {"day": f"{self.day:%d/%m/%Y}"}

    def get_context_data(self, **kwargs):
        filters = self.read_filters()
        self.day = filters["day"]
        rows = selectors.agenda_rows(
            hub=self.hub,
            day=self.day,
            antenna_id=filters["antenna_id"],
            operator_id=filters["operator_id"],
            channel=filters["channel"],
        )
        RecordAccess.objects.bulk_create(
            RecordAccess(hub=self.hub, person_id=person_id, user=self.request.user, what="desk.agenda")
            for person_id in dict.fromkeys(row["person_id"] for row in rows)
        )
        tz = timezone.get_current_timezone()
        status_words = {value: str(label) for value, label in Booking.Status.choices}
        sessions: dict[int, dict] = {}
        for row in rows:
            session = sessions.get(row["slot_id"])
            if session is None:
                start = row["slot__starts_at"].astimezone(tz)
                end = row["slot__ends_at"].astimezone(tz)
                if row["slot__channel"] == Channel.ANTENNA:
                    place = row["slot__antenna__name"] or _("Antenna")
                elif row["slot__channel"] == Channel.ONLINE:
                    place = str(Channel.ONLINE.label)
                else:
                    place = self.hub.name
                session = sessions[row["slot_id"]] = {
                    "time_label": f"{start:%H:%M}–{end:%H:%M}",
                    "service": row["service__name"],
                    "place": place,
                    "operator": _operator_name(row, "slot__operator__"),
                    "people": [],
                }
            session["people"].append(
                {
                    "name": _person_name(row["person__first_name"], row["person__last_name"]),
                    "phone": row["person__phone"],
                    "reason": row["reason"],
                    "status_label": status_words[row["status"]],
                }
            )
        calendar = self.hub_url("deskbo:calendar")
        return super().get_context_data(
            day=self.day,
            sessions=list(sessions.values()),
            calendar_url=f"{calendar}?view=day&date={self.day.isoformat()}",
            **kwargs,
        )
