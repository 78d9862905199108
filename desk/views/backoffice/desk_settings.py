"""
The desk's services and settings.
"""

from django.utils.translation import gettext_lazy
from django.views.generic import (
    CreateView,
    ListView,
    UpdateView,
)

from ... import services
from ...forms_backoffice import (
    DeskSettingsForm,
    ServiceForm,
)
from ...models import Service
from .base import DeskFormMixin, DeskMixin


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
