"""
A request for a path handed over by another action (hubs/help_registry.py: the job fair's
"Vorrei un aiuto"): who asked, from where, their message; staff open a path for them, or close
the request. Opening it is logged (the young person's data).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from people.services import record_access_log

from ... import services
from ...models import PathRequest
from .base import PlacementsMixin


class PathRequestView(PlacementsMixin, TemplateView):
    permission = "placements.manage_paths"
    template_name = "placements/backoffice/path_request.html"
    page_title = gettext_lazy("Request for a path")

    def load(self, **kwargs):
        self.path_request = get_object_or_404(
            PathRequest.objects.for_hub(self.hub).select_related("person", "path"), pk=kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        record_access_log(
            hub=self.hub, person=self.path_request.person, user=request.user, what="placements.path_request"
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        open_url = reverse("placementsbo:path_create", kwargs={"hub_slug": self.hub.slug})
        return super().get_context_data(
            item=self.path_request, open_url=f"{open_url}?person={self.path_request.person_id}", **kwargs
        )

    def post(self, request, *args, **kwargs):
        services.path_request_close(request=self.path_request)
        messages.success(request, _("Request closed."))
        return redirect("placementsbo:path_list", hub_slug=self.hub.slug)
