"""
The desk's export.
"""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    FormView,
)

from hubs import exports

from ... import selectors
from ...forms_backoffice import (
    ExportForm,
    month_bounds,
)
from ...models import Booking, Channel
from .base import DeskMixin


def moved_from(booking):
    """The first time a moved booking had (None if never moved): the export says it was moved."""
    moves = list(booking.moves.all())
    return timezone.localtime(moves[0].from_starts_at) if moves else None


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
        if not {"period", "starts_on", "ends_on", "format"} & set(request.GET):
            return super().get(request, *args, **kwargs)
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.form_invalid(form)
        return self.download(**form.cleaned_data)

    def get_initial(self):
        first, last = month_bounds(timezone.localdate())
        return {"starts_on": first, "ends_on": last, "format": ExportForm.XLSX}

    def download(self, *, starts_on: date, ends_on: date, format: str, period: str = "") -> HttpResponse:
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
                _("Moved from"),
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
                    start.date(),
                    start.time().replace(second=0, microsecond=0),
                    booking.service.name,
                    str(channels.get(booking.channel, booking.channel)),
                    booking.antenna.name if booking.antenna else "",
                    operator.get_full_name() or operator.email,
                    str(statuses.get(booking.status, booking.status)),
                    moved_from(booking),
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
