"""
The Celery application. Settings come from Django's, under the CELERY_ namespace. Every task is
a `hubs.tasks.PortalTask` (queued after commit, never failing its caller when the broker is down).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "young_in_progress.settings.local")

app = Celery("young_in_progress", task_cls="hubs.tasks:PortalTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
