from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with our AdminSite (allauth login, MFA required)."""

    default_site = "young_in_progress.admin.PortalAdminSite"
