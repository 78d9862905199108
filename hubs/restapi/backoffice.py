"""
The hub coordinator's pages of the API.

Webhooks (capability "hubs.manage_webhooks"): the list of hooks, a form that makes one and
shows its secret once (as the tokens' form does), editing and disabling, a test ping, and the
delivery log of the last 30 days (status, attempts, the receiver's answer).

API tokens: the hub coordinator's page of API tokens (capability "hubs.manage_api_tokens"): the list with
each token's role, expiry and last use, a form that makes one and shows its secret once (in
the answer to the POST itself, never stored, never in a message or a redirect), and revocation.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, UpdateView

from hubs.events import EVENTS
from hubs.forms import RoleOrganizationMixin, add_service_error
from hubs.links import absolute_url
from hubs.mixins import HubMixin

from . import services, webhooks
from .models import ApiToken, Webhook, WebhookDelivery

VALIDITY = [(30, gettext_lazy("30 days")), (90, gettext_lazy("90 days")), (365, gettext_lazy("one year"))]


class TokenForm(RoleOrganizationMixin, forms.ModelForm):
    valid_days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"), choices=VALIDITY, coerce=int, initial=365
    )

    class Meta:
        model = ApiToken
        fields = ["name", "role", "organization"]

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organization(hub)


class TokenListView(HubMixin, ListView):
    permission = "hubs.manage_api_tokens"
    page_title = gettext_lazy("API tokens")
    template_name = "restapi/token_list.html"
    context_object_name = "tokens"
    paginate_by = 50

    def get_queryset(self):
        return ApiToken.objects.for_hub(self.hub).select_related("organization", "created_by")


class TokenCreateView(HubMixin, FormView):
    permission = "hubs.manage_api_tokens"
    page_title = gettext_lazy("New API token")
    form_class = TokenForm
    template_name = "hubs/object_form.html"
    cancel_url_name = "apibo:token_list"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        try:
            token, secret = services.token_create(
                hub=self.hub,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                organization=form.cleaned_data["organization"],
                valid_days=form.cleaned_data["valid_days"],
                by=self.request.user,
            )
        except forms.ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        self.template_name = "restapi/token_created.html"
        self.page_title = _("Copy the token now")
        example = absolute_url("api:hubs-detail", hub=self.hub.slug)
        response = self.render_to_response(self.get_context_data(token=token, secret=secret, example=example))
        add_never_cache_headers(response)
        return response


class TokenRevokeView(HubMixin, DetailView):
    permission = "hubs.manage_api_tokens"
    page_title = gettext_lazy("Revoke the API token")
    template_name = "restapi/token_revoke.html"
    context_object_name = "token"

    def get_queryset(self):
        return ApiToken.objects.for_hub(self.hub).filter(revoked_at__isnull=True)

    def post(self, request, *args, **kwargs):
        services.token_revoke(token=self.get_object())
        messages.success(request, _("Token revoked: its next call gets 401."))
        return redirect("apibo:token_list", hub_slug=self.hub.slug)


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"), choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["url", "description", "events", "is_active"]

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.url_check(url)
        return url


class WebhookMixin(HubMixin):
    permission = "hubs.manage_webhooks"
    cancel_url_name = "apibo:webhook_list"

    def get_queryset(self):
        return Webhook.objects.for_hub(self.hub)


class WebhookListView(WebhookMixin, ListView):
    page_title = gettext_lazy("Webhooks")
    template_name = "restapi/webhook_list.html"
    context_object_name = "hooks"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"events": EVENTS}


class WebhookCreateView(WebhookMixin, FormView):
    page_title = gettext_lazy("New webhook")
    form_class = WebhookForm
    template_name = "restapi/webhook_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"creating": True}

    def form_valid(self, form):
        try:
            hook, secret = webhooks.webhook_create(
                hub=self.hub,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                by=self.request.user,
            )
        except forms.ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        self.template_name = "restapi/webhook_created.html"
        self.page_title = _("Copy the secret now")
        response = self.render_to_response(self.get_context_data(hook=hook, secret=secret))
        add_never_cache_headers(response)
        return response


class WebhookUpdateView(WebhookMixin, UpdateView):
    page_title = gettext_lazy("Edit the webhook")
    form_class = WebhookForm
    template_name = "restapi/webhook_form.html"
    context_object_name = "hook"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            webhooks.webhook_update(
                hook=Webhook.objects.for_hub(self.hub).get(pk=self.object.pk),
                url=data["url"],
                events=data["events"],
                description=data["description"],
                is_active=data["is_active"],
            )
        except forms.ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Webhook saved."))
        return redirect("apibo:webhook_list", hub_slug=self.hub.slug)


class WebhookPingView(WebhookMixin, DetailView):
    page_title = gettext_lazy("Send a test event")
    template_name = "restapi/webhook_ping.html"
    context_object_name = "hook"

    def post(self, request, *args, **kwargs):
        delivery = webhooks.webhook_ping(hook=self.get_object())
        messages.info(request, _("Test event queued: its result is in the delivery log."))
        log = reverse("apibo:webhook_deliveries", kwargs={"hub_slug": self.hub.slug})
        return redirect(f"{log}?webhook={delivery.webhook_id}")


class WebhookDeliveryListView(WebhookMixin, ListView):
    page_title = gettext_lazy("Webhook deliveries")
    template_name = "restapi/webhook_deliveries.html"
    context_object_name = "deliveries"
    paginate_by = 50

    def get_queryset(self):
        deliveries = WebhookDelivery.objects.for_hub(self.hub).select_related("webhook")
        self.hook = None
        hook_id = self.request.GET.get("webhook", "")
        if hook_id.isdigit():
            self.hook = Webhook.objects.for_hub(self.hub).filter(pk=hook_id).first()
            deliveries = deliveries.filter(webhook=self.hook)
        return deliveries

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"hook": self.hook}


urlpatterns = [
    path("webhook/", WebhookListView.as_view(), name="webhook_list"),
    path("webhook/nuovo/", WebhookCreateView.as_view(), name="webhook_create"),
    path("webhook/consegne/", WebhookDeliveryListView.as_view(), name="webhook_deliveries"),
    path("webhook/<int:pk>/modifica/", WebhookUpdateView.as_view(), name="webhook_update"),
    path("webhook/<int:pk>/prova/", WebhookPingView.as_view(), name="webhook_ping"),
    path("token/", TokenListView.as_view(), name="token_list"),
    path("token/nuovo/", TokenCreateView.as_view(), name="token_create"),
    path("token/<int:pk>/revoca/", TokenRevokeView.as_view(), name="token_revoke"),
]
