"""
`make run` (settings/local.py) signs sessions with a key of its own checkout: random, made on
the first run in var/secret_key with mode 600, never a key committed to the repository.
"""

import os
import stat
import subprocess
import sys

from tests.test_deploy import ROOT
from young_in_progress.secret_key import local_secret_key

PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def local_key(key_file, **extra) -> str:
    """SECRET_KEY as `make run`'s processes see it, with no DJANGO_SECRET_KEY set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="young_in_progress.settings.local",
        DJANGO_SECRET_KEY="",  # wins over a developer's .env, as if unset
        DJANGO_SECRET_KEY_FILE=str(key_file),
    )
    env.update(extra)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRINT_KEY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_the_first_run_makes_a_random_private_key_and_later_runs_reuse_it(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    first = local_key(key_file)
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 60  # token_urlsafe(50): 50 random bytes
    assert local_key(key_file) == first  # sessions survive a restart
    other_checkout = local_key(tmp_path / "other" / "secret_key")
    assert other_checkout != first  # nothing shared, nothing committed


def test_an_explicit_key_still_wins(tmp_path):
    assert local_key(tmp_path / "secret_key", DJANGO_SECRET_KEY="chosen-by-the-developer") == (
        "chosen-by-the-developer"
    )
    assert not (tmp_path / "secret_key").exists()


def test_every_process_reads_the_same_key_and_no_draft_is_left(tmp_path):
    key_file = tmp_path / "secret_key"
    keys = {local_secret_key(key_file) for _ in range(3)}
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind
