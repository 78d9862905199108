from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import (
    Antenna,
    Hub,
    Invitation,
    Membership,
    Municipality,
    Network,
    Organization,
    SubArea,
)


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]


class AntennaInline(admin.TabularInline):
    model = Antenna
    extra = 0
    fields = ["name", "kind", "municipality", "address", "is_active"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "network", "municipality", "is_lead", "is_active"]
    list_filter = ["network", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AntennaInline]


@admin.register(SubArea)
class SubAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "hub"]
    list_filter = ["hub"]
    filter_horizontal = ["municipalities"]


@admin.register(Antenna)
class AntennaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "hub", "municipality", "is_active"]
    list_filter = ["hub", "kind", "is_active"]
    search_fields = ["name", "address"]


@admin.register(Organization)
class OrganizationAdmin(GuardedModelAdmin):
    list_display = ["name", "kind", "school_type", "is_project_partner"]
    list_filter = ["kind", "school_type", "hubs", "is_project_partner"]
    search_fields = ["name"]
    filter_horizontal = ["hubs"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "hub", "role", "organization", "is_active", "created_at"]
    list_filter = ["hub", "role", "is_active"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "hub", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["hub", "role"]
    search_fields = ["email"]
    readonly_fields = ["token_hash", "invited_by", "created_at", "accepted_at"]
