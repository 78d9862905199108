"""What generate.py and run.py share: scales, database URL, the environment of the portal."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"  # ignored by git (.gitignore: bench/out/)
VENV_PYTHON = PROJECT_DIR / ".venv" / "bin" / "python"

# Per hub, the same at every scale: what one page shows does not grow with the region, only
# the tables behind it do (so "demo" and "lombardy" pages can be compared).
OPERATORS_PER_HUB = 6
ANTENNAS_PER_HUB = 3
MUNICIPALITIES_PER_HUB = 15
SUB_AREAS_PER_HUB = 3
FUTURE_WEEKS = 6  # the booking horizon (DeskSettings.horizon_days = 42)

SCALES = {
    # name: (hubs, young people, bookings)
    "demo": (2, 2_000, 10_000),
    "small": (10, 100_000, 500_000),
    "lombardy": (100, 1_000_000, 5_000_000),
}


def ensure_venv() -> None:
    """Re-run this script with the project's virtualenv when started with another Python."""
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (PROJECT_DIR / ".venv").resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])


def database_url(scale: str, override: str | None = None) -> str:
    return (
        override
        or os.environ.get("BENCH_DATABASE_URL")
        or f"postgres://postgres@127.0.0.1:5432/yip_bench_{scale}"
    )


def admin_url(url: str) -> str:
    """The same server, database `postgres` (to drop and create the bench database)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def portal_env(url: str, settings: str = "young_in_progress.settings.production") -> dict:
    """Environment for manage.py / gunicorn: production settings, plain HTTP on 127.0.0.1."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=url,
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdef"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        BENCH_OUT_DIR=str(OUT_DIR),
    )
    # Without BENCH_REDIS_URL: locmem cache and a file broker under bench/out (bench/settings.py).
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    else:
        env.pop("REDIS_URL", None)
    env["PYTHONPATH"] = str(PROJECT_DIR) + os.pathsep + env.get("PYTHONPATH", "")
    return env
