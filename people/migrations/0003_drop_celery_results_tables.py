"""
The portal no longer keeps Celery task results (no result backend; django_celery_results left
INSTALLED_APPS). Its tables could still hold old task arguments and tracebacks naming a person,
which erasure and retention no longer walk: drop them, and forget that app's migrations so that
installing it again would create them afresh.
"""

from django.db import migrations

TABLES = (
    "django_celery_results_chordcounter",
    "django_celery_results_groupresult",
    "django_celery_results_taskresult",
)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_casenote_personhub_recordaccess_and_more"),
    ]

    operations = [
        migrations.RunSQL(
            [f"DROP TABLE IF EXISTS {table}" for table in TABLES]
            + ["DELETE FROM django_migrations WHERE app = 'django_celery_results'"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
