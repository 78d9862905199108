"""WSGI entry point (gunicorn young_in_progress.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "young_in_progress.settings.production")

application = get_wsgi_application()
