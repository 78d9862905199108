from django.conf import settings


def portal(request):
    """What every page's header and footer need."""
    return {
        "portal_name": settings.PORTAL_NAME,
        "accessibility_feedback_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
    }
