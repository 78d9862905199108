"""
The hub coordinator's page of API tokens (capability "hubs.manage_api_tokens"): the list with
each token's role, expiry and last use, a form that makes one and shows its secret once (in
the answer to the POST itself, never stored, never in a message or a redirect), and revocation.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from hubs.forms import RoleOrganizationMixin, add_service_error
from hubs.links import absolute_url
from hubs.mixins import HubMixin

from . import services
from .models import ApiToken

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


urlpatterns = [
    path("token/", TokenListView.as_view(), name="token_list"),
    path("token/nuovo/", TokenCreateView.as_view(), name="token_create"),
    path("token/<int:pk>/revoca/", TokenRevokeView.as_view(), name="token_revoke"),
]
