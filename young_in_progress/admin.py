"""
The Django admin behind the same door as the back office: allauth's login (rate limits, MFA
challenge) and, when STAFF_MFA_REQUIRED, a TOTP authenticator before any admin page.
"""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class PortalAdminSite(admin.AdminSite):
    site_header = "Young in Progress"
    site_title = "Young in Progress"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        if settings.STAFF_MFA_REQUIRED and request.session.get("eid_level", 2) < 2:
            return False  # a SPID level 1 session (spid.views) is one factor: never the admin
        return not settings.STAFF_MFA_REQUIRED or _has_totp(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_staff and not self.has_permission(request):
            # Signed in, staff, but no authenticator yet: set one up, then come back.
            return redirect(f"{reverse('mfa_activate_totp')}?next={reverse('admin:index')}")
        return secure_admin_login(super().login)(request, extra_context)
