"""Production's static files: collectstatic with the manifest storage succeeds, pages render."""

import subprocess
import sys

from tests.test_deploy import ROOT, production_env


def test_collectstatic_and_a_page_work_with_production_storage(tmp_path):
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="0")
    code = (
        f"from django.conf import settings; settings.STATIC_ROOT = {str(tmp_path)!r};"
        "from django.core.management import call_command;"
        "call_command('collectstatic', interactive=False, verbosity=0);"
        "from django.template.loader import render_to_string;"
        "from django.test import RequestFactory;"
        "html = render_to_string('pages/privacy.html', request=RequestFactory().get('/privacy/'));"
        "print('bootstrap-italia.min.' in html and '.css' in html)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("True")
