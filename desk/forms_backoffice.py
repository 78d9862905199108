"""
Forms of the desk's back office. The hub is never a form field: views take it from the URL and
pass it in, and every choice of a related row (service, operator, antenna, person) is limited to
that hub's rows, so another hub's id is simply "not one of the available choices".
"""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.forms import DateField, FieldGroup
from hubs.search_registry import Query
from hubs.selectors import antennas_for_hub
from people.forms import StaffPersonForm

from . import selectors
from .models import AvailabilityRule, Channel, Closure, DeskSettings, Service
from .search import people_matching
from .services.availability import overlap_message


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OperatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


# --- Calendar ------------------------------------------------------------------------------------


class CalendarFilterForm(forms.Form):
    """The calendar's GET parameters; anything invalid falls back to the default."""

    VIEWS = [("week", _("Week")), ("day", _("Day"))]

    view = forms.ChoiceField(label=_("Show"), choices=VIEWS, required=False)
    date = DateField(label=_("Date"), required=False)
    antenna = forms.ModelChoiceField(label=_("Antenna"), queryset=None, required=False, empty_label=_("All"))
    operator = OperatorChoiceField(label=_("Operator"), queryset=None, required=False, empty_label=_("All"))
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False
    )

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["antenna"].queryset = antennas_for_hub(hub=hub).select_related(None)
        self.fields["operator"].queryset = selectors.staff_for_hub(hub=hub)


class RollCallForm(forms.Form):
    """
    The roll call of one session: for each booking it marks (roll_call_bookings), attended or
    did not come, one field `booking-<id>` each, all saved at once.
    """

    ATTENDED, NO_SHOW = "attended", "no_show"
    CHOICES = [(ATTENDED, _("Attended")), (NO_SHOW, _("Did not come"))]

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = list(bookings)
        for booking in self.bookings:
            self.fields[f"booking-{booking.pk}"] = forms.ChoiceField(
                label=str(booking.person), choices=self.CHOICES, widget=forms.RadioSelect
            )

    def marks(self) -> dict[int, str]:
        return {booking.pk: self.cleaned_data[f"booking-{booking.pk}"] for booking in self.bookings}


class BookingActionForm(forms.Form):
    """One button of the booking page: what the hub records about the booking."""

    ATTENDED, NO_SHOW, CANCEL = "attended", "no_show", "cancel"
    action = forms.ChoiceField(
        choices=[
            (ATTENDED, _("Attended")),
            (NO_SHOW, _("Did not come")),
            (CANCEL, _("Cancel")),
        ]
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


# --- Booking on someone's behalf --------------------------------------------------------------------


def person_label(person) -> str:
    """How staff tell the hub's people apart in a choice: name, date of birth, e-mail."""
    born = f" · {person.birth_date:%d/%m/%Y}" if person.birth_date else ""
    return f"{person.last_name} {person.first_name}{born} · {person.email}"


class BookingOnBehalfForm(StaffPersonForm):
    """
    A booking taken by phone or at the desk: an existing person of the hub, or a new one with the
    same details the public booking form asks for (a parent or guardian's under the consent age
    on the session's day).
    """

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What they would like to talk about"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["person"]
    MATCHES_SHOWN = 20

    def __init__(self, *args, hub, slot, query: str = "", **kwargs):
        super().__init__(*args, hub=hub, **kwargs)
        self.slot = slot
        # A new person needs what the public form requires; someone the hub knows needs none of it.
        self.required_for_new = [name for name in self.PERSON_FIELDS if self.fields[name].required]
        for name in self.required_for_new:
            self.fields[name].required = False
        people = self.fields["person"]
        people.queryset = selectors.people_for_hub(hub=hub).filter(erased_at__isnull=True)
        people.label_from_instance = person_label
        # Validation accepts any person of the hub; the choice shows only the search's matches
        # (name, e-mail or phone; none before a search), and the one already chosen.
        chosen = str(self.data.get(self.add_prefix("person"), "")) if self.is_bound else ""
        query = Query.parse(query)
        shown = people_matching(hub, query) if query.words or query.digits else people.queryset.none()
        self.matches = list(
            shown.order_by("last_name", "first_name", "pk").distinct()[: self.MATCHES_SHOWN + 1]
        )
        listed = self.matches[: self.MATCHES_SHOWN]
        if chosen.isdigit() and int(chosen) not in {p.pk for p in listed}:
            listed = [*people.queryset.filter(pk=int(chosen)), *listed]  # the chosen one stays, first
        people.widget.choices = [
            ("", _("A new person (fill in the details below)")),
            *((p.pk, person_label(p)) for p in listed),
        ]
        self.more_matches = len(self.matches) > self.MATCHES_SHOWN

    def groups(self) -> list[FieldGroup]:
        return [
            FieldGroup(self, ["person"], legend=_("Someone the hub already knows")),
            self.person_group(_("Or a new person")),
            self.guardian_group(),
            FieldGroup(self, ["reason"], legend=_("The session")),
        ]

    def age_day(self) -> date:
        return timezone.localdate(self.slot.starts_at)

    def is_new_person(self) -> bool:
        return not self.cleaned_data.get("person") and "person" not in self.errors

    def needs_guardian(self) -> bool:
        # Someone the hub knows keeps their record's details: nothing typed below is used.
        return self.is_new_person() and super().needs_guardian()

    def clean(self):
        cleaned = super().clean()
        if not self.is_new_person():
            return cleaned
        if not any(cleaned.get(name) for name in self.PERSON_FIELDS):
            self.add_error(None, _("Choose someone the hub already knows, or enter a new person's details."))
        missing = _("Needed for a new person.")
        for name in self.required_for_new:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, missing)
        return cleaned


# --- Availability -----------------------------------------------------------------------------------


def clean_place(form, cleaned: dict) -> None:
    """Where the sessions take place: an antenna only for the antenna channel, a video link only online."""
    channel = cleaned.get("channel")
    if channel == Channel.ANTENNA:
        if not cleaned.get("antenna") and "antenna" not in form.errors:
            form.add_error("antenna", _("Choose the antenna where the sessions take place."))
    else:
        cleaned["antenna"] = None
    if channel and channel != Channel.ONLINE:
        cleaned["video_url"] = ""


class RuleForm(forms.ModelForm):
    """
    A weekly block of an operator's time. The operator is a coordinator or operator of this hub;
    an antenna is needed for the antenna channel (and only there), a video link for online.
    """

    operator = OperatorChoiceField(label=_("Operator"), queryset=None)
    capacity = forms.IntegerField(
        label=_("Places per session"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("1 for one-to-one, more for groups."),
    )

    class Meta:
        model = AvailabilityRule
        fields = [
            "service",
            "operator",
            "channel",
            "antenna",
            "weekday",
            "start_time",
            "end_time",
            "capacity",
            "video_url",
            "valid_from",
            "valid_until",
            "is_active",
        ]
        field_classes = {"valid_from": DateField, "valid_until": DateField}
        widgets = {
            "start_time": time_input(),
            "end_time": time_input(),
        }
        help_texts = {
            "antenna": _("Only for sessions at an antenna."),
            "video_url": _(
                "Online sessions only: the address of the video service (Jitsi Meet). Each session "
                "gets its own room there, with a name nobody can guess. Empty: the portal's service."
            ),
            "valid_until": _("Leave empty to repeat every week."),
        }

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.hub = hub
        self.fields["service"].queryset = Service.objects.for_hub(hub)
        self.fields["operator"].queryset = selectors.staff_for_hub(hub=hub)
        self.fields["antenna"].queryset = antennas_for_hub(hub=hub).select_related(None)
        if not self.instance.pk:
            self.initial.setdefault("valid_from", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        clean_place(self, cleaned)
        start, end, service = cleaned.get("start_time"), cleaned.get("end_time"), cleaned.get("service")
        if start and end:
            if end <= start:
                self.add_error("end_time", _("The end must come after the start."))
            elif service:
                minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
                if minutes < service.duration_minutes:
                    self.add_error(
                        "end_time",
                        _("The time is shorter than one session of this service (%(minutes)s minutes).")
                        % {"minutes": service.duration_minutes},
                    )
        valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The end date cannot come before the start date."))
        operator, weekday = cleaned.get("operator"), cleaned.get("weekday")
        if not self.errors and cleaned.get("is_active") and operator and weekday is not None:
            # an operator holds one session at a time (the weekly form checks the same)
            for rule in selectors.availability_overlaps(
                hub=self.hub,
                operator=operator,
                weekdays=[weekday],
                start_time=start,
                end_time=end,
                valid_from=valid_from,
                valid_until=valid_until,
                exclude=self.instance if self.instance.pk else None,
            ):
                self.add_error(None, overlap_message(rule))
        return cleaned


class WeeklyAvailabilityForm(forms.Form):
    """
    Weekly availability entered once: one operator, the same hours on several weekdays and for
    one or more services; one rule is made per weekday and service (desk.services). An operator
    holds one session at a time, so hours that overlap another rule of theirs are refused.
    """

    operator = OperatorChoiceField(label=_("Operator"), queryset=None)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=AvailabilityRule.Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    antenna = forms.ModelChoiceField(
        label=_("Antenna"), queryset=None, required=False, help_text=_("Only for sessions at an antenna.")
    )
    start_time = forms.TimeField(label=_("From"), widget=time_input())
    end_time = forms.TimeField(label=_("To"), widget=time_input())
    capacity = forms.IntegerField(
        label=_("Places per session"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("1 for one-to-one, more for groups."),
    )
    video_url = forms.URLField(
        label=_("Video service"),
        required=False,
        assume_scheme="https",
        help_text=_("Online sessions only. Empty: the portal's service."),
    )
    valid_from = DateField(label=_("Valid from"))
    valid_until = DateField(
        label=_("Valid until"), required=False, help_text=_("Leave empty to repeat every week.")
    )

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.hub = hub
        self.fields["operator"].queryset = selectors.staff_for_hub(hub=hub)
        self.fields["services"].queryset = Service.objects.for_hub(hub).filter(is_active=True)
        self.fields["antenna"].queryset = antennas_for_hub(hub=hub).select_related(None)
        self.initial.setdefault("valid_from", timezone.localdate())

    def groups(self) -> list[FieldGroup]:
        return [
            FieldGroup(self, ["operator", "channel", "antenna", "video_url"], legend=_("Who and where")),
            FieldGroup(
                self, ["start_time", "end_time", "capacity", "valid_from", "valid_until"], legend=_("Hours")
            ),
        ]

    def clean(self):
        cleaned = super().clean()
        clean_place(self, cleaned)
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end:
            if end <= start:
                self.add_error("end_time", _("The end must come after the start."))
            else:
                minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
                short = [s.name for s in cleaned.get("services") or [] if s.duration_minutes > minutes]
                if short:
                    self.add_error(
                        "end_time",
                        _("The time is shorter than one session of: %(services)s.")
                        % {"services": ", ".join(short)},
                    )
        valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The end date cannot come before the start date."))
        return cleaned


class ClosureForm(forms.ModelForm):
    operator = OperatorChoiceField(
        label=_("Operator"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to close for every operator."),
    )

    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "antenna", "operator", "reason"]
        field_classes = {"starts_on": DateField, "ends_on": DateField}

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["antenna"].queryset = antennas_for_hub(hub=hub).select_related(None)
        self.fields["operator"].queryset = selectors.staff_for_hub(hub=hub)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot come before the first."))
        if ends and ends < timezone.localdate():
            self.add_error("ends_on", _("This closure would be over already."))
        return cleaned


# --- Services and settings ----------------------------------------------------------------------


class ServiceForm(forms.ModelForm):
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=10, max_value=240, initial=45
    )
    position = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=999,
        initial=0,
        help_text=_("Services are listed from the lowest number."),
    )

    class Meta:
        model = Service
        fields = ["name", "description", "duration_minutes", "is_active", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"is_active": None}

    def __init__(self, *args, hub, **kwargs):
        self.hub = hub
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Service.objects.for_hub(self.hub).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The hub already has a service with this name."))
        return name


class DeskSettingsForm(forms.ModelForm):
    min_notice_hours = forms.IntegerField(
        label=_("Minimum notice to cancel or reschedule (hours)"), min_value=0, max_value=168
    )
    hold_minutes = forms.IntegerField(
        label=_("How long an unconfirmed guest booking holds the place (minutes)"),
        min_value=5,
        max_value=1440,
    )
    offer_hours = forms.IntegerField(
        label=_("How long a waiting-list offer stays valid (hours)"), min_value=1, max_value=168
    )
    horizon_days = forms.IntegerField(
        label=_("How far ahead young people can book (days)"), min_value=7, max_value=180
    )
    guardian_hold_hours = forms.IntegerField(
        label=_("How long a booking under 14 waits for the guardian's consent (hours)"),
        min_value=1,
        max_value=168,
    )

    class Meta:
        model = DeskSettings
        fields = [
            "min_notice_hours",
            "hold_minutes",
            "offer_hours",
            "horizon_days",
            "guardian_hold_hours",
            "patron_saint_day",
            "open_on_holidays",
        ]
        field_classes = {"patron_saint_day": DateField}

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)  # the row is the hub's own: nothing to limit


# --- People, enquiries, export --------------------------------------------------------------------


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=_("New note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by this hub's staff, and by the person in their data export (GDPR)."),
    )


class EnquiryReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent by e-mail; the person can answer the hub's address."),
    )


class ExportForm(forms.Form):
    """
    A period to export: a preset (last month, this month) or two dates. A preset wins over the
    dates, so "last month" is one choice and one click whatever the dates say.
    """

    CSV, XLSX = "csv", "xlsx"
    MAX_DAYS = 3 * 366
    LAST_MONTH, THIS_MONTH = "last_month", "this_month"

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("", _("The dates below")), (LAST_MONTH, _("Last month")), (THIS_MONTH, _("This month"))],
        required=False,
    )
    starts_on = DateField(label=_("From"), required=False)
    ends_on = DateField(label=_("To"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=[(XLSX, _("Excel (.xlsx)")), (CSV, _("CSV (.csv)"))]
    )

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period:
            cleaned["starts_on"], cleaned["ends_on"] = month_bounds(
                timezone.localdate(), previous=period == self.LAST_MONTH
            )
            return cleaned
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        for name in ("starts_on", "ends_on"):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Enter a date, or choose a period above."))
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("The end date cannot come before the start date."))
            elif ends - starts > timedelta(days=self.MAX_DAYS):
                self.add_error("ends_on", _("Export at most three years at a time."))
        return cleaned


def month_bounds(day: date, *, previous: bool = False) -> tuple[date, date]:
    """The first and last day of `day`'s month, or of the month before it."""
    first = day.replace(day=1)
    if previous:
        first = (first - timedelta(days=1)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last
