"""The export of paths and activities (CSV/XLSX, no names or contacts)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from hubs import exports as hub_exports

from ... import exports
from ...forms import (
    ExportForm,
)
from .base import PlacementsMixin

# --- Export ----------------------------------------------------------------------------------------


class ExportView(PlacementsMixin, FormView):
    """
    Paths or activities as CSV or XLSX: facts and statistical fields only (no names, e-mails,
    phones, notes or goals). A partner operator exports their cooperative's paths only.
    """

    template_name = "placements/backoffice/export_form.html"
    form_class = ExportForm
    page_title = gettext_lazy("Export paths and activities")
    tab = "export"

    def get(self, request, *args, **kwargs):
        if not {"what", "format"} & set(request.GET):
            return super().get(request, *args, **kwargs)
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.form_invalid(form)
        what, format = form.cleaned_data["what"], form.cleaned_data["format"]
        dataset = (exports.paths_dataset if what == ExportForm.PATHS else exports.activities_dataset)(
            hub=self.hub, paths=self.paths()
        )
        return hub_exports.response(
            dataset,
            format=format,
            filename=f"{exports.FILE_NAMES[what]}_{self.hub.slug}_{timezone.localdate().isoformat()}",
        )
