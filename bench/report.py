#!/usr/bin/env python
"""
Benchmark of the monthly monitoring report (governance, action 7): how long the PDF of a hub
takes with a hub-year of demo-scale data, and with 10× the data.

    python bench/report.py                  # generate both scales, measure, print the table
    python bench/report.py --no-generate    # measure again on the databases already there
    python bench/report.py --scale 1x       # one scale only
    python bench/report.py --no-generate --proposed   # with the desk change proposed below

Each scale has its own PostgreSQL database, dropped and rebuilt (production settings):
`postgres://postgres@127.0.0.1:5432/yip_bench_report_<scale>`.

- 1x: one hub, a year of its online desk as `generate.py` makes it at demo scale (1,000 young
  people, ~16,000 bookings over 12,000 slots), 12 Together We Work paths with their activities,
  outcomes and follow-ups, the hub's targets, 12 monthly snapshots (hub and network).
- 10x: the same hub with ten times the data: 10,000 people, ~160,000 bookings (ten years of
  slots: the desk's slots are capped by capacity, so more bookings means a longer history), 120
  paths; the project timeline covers all of it, so every row counts in the report.
- 10x-hubs (extra): ten hubs with a year each; the report of hub-001 and of the network.

Timed (median of 3, after one warm-up that loads WeasyPrint and the fonts): `snapshot_take`
(every indicator's queries), `render_report` (HTML + WeasyPrint), and `report_generate` (render,
page count, file stored, status) on a fresh report each time. Figures are printed, not asserted.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT_DIR, PROJECT_DIR, ensure_venv, portal_env  # noqa: E402

ensure_venv()

# name: (hubs, young people, bookings, Together We Work paths per hub)
SCALES = {
    "1x": (1, 1_000, 16_000, 12),
    "10x": (1, 10_000, 160_000, 120),
    "10x-hubs": (10, 10_000, 160_000, 12),
}
DEFAULT_SCALES = ("1x", "10x")
REPEAT = 3
TARGET_SECONDS = 2.0
TARGET_RATIO = 1.5


def db_url(scale: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/yip_bench_report_{scale.replace('-', '_')}"


def generate(scale: str) -> None:
    hubs, people, bookings, _paths = SCALES[scale]
    url = db_url(scale)
    print(f"\n== {scale}: generating {url}", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "bench" / "generate.py"),
            "--database-url",
            url,
            "--hubs",
            str(hubs),
            "--people",
            str(people),
            "--bookings",
            str(bookings),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [sys.executable, __file__, "--inner", "fill", "--scale", scale],
        check=True,
        env=portal_env(url, settings="bench.settings"),
    )


def measure(scale: str, proposed: bool = False) -> dict:
    out = OUT_DIR / f"report-{scale}{'-proposed' if proposed else ''}.json"
    subprocess.run(
        [sys.executable, __file__, "--inner", "measure", "--scale", scale, "--out", str(out)]
        + (["--proposed"] if proposed else []),
        check=True,
        env=portal_env(db_url(scale), settings="bench.settings"),
    )
    return json.loads(out.read_text())


# --- Inside Django (a subprocess with the scale's database) ----------------------------------------


def setup_django():
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = OUT_DIR / "media"  # the PDFs, not into var/


def fill(scale: str) -> None:
    """Paths, activities, follow-ups, targets and 12 monthly snapshots (ORM, through the services)."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    setup_django()
    from django.db.models import Min
    from django.utils import timezone

    from desk.models import Slot
    from governance import services
    from governance.models import Snapshot
    from hubs.models import Hub, Organization
    from people.models import Person, PersonHub, User
    from placements import services as placements
    from placements.models import ActivityKind, FollowUp, Situation

    rnd = random.Random(7)
    today = timezone.localdate()
    started = time.perf_counter()
    _hubs, _people, _bookings, paths_per_hub = SCALES[scale]
    first_day = timezone.localtime(Slot.objects.aggregate(first=Min("starts_at"))["first"]).date()
    for hub in Hub.objects.order_by("pk"):
        plan = services.plan_get(hub=hub)
        plan.starts_on = first_day
        plan.ends_on = max(today + timedelta(days=180), first_day + timedelta(days=580))
        plan.save()
        services.load_targets(hub)
        coordinator = User.objects.filter(memberships__hub=hub, memberships__role="hub_admin").first()
        cooperative = Organization.objects.create(
            name=f"Cooperativa Lavoro {hub.slug}", kind=Organization.Kind.COOPERATIVE
        )
        cooperative.hubs.add(hub)
        people = list(
            Person.objects.filter(pk__in=PersonHub.objects.filter(hub=hub).values("person_id")).order_by(
                "pk"
            )[:paths_per_hub]
        )
        span = (today - first_day).days
        for number, person in enumerate(people):
            starts = first_day + timedelta(days=int(span * number / len(people)))
            path = placements.path_open(
                hub=hub,
                person=person,
                by=coordinator,
                cooperative=cooperative,
                is_neet=rnd.random() < 0.6,
                is_low_schooling=rnd.random() < 0.5,
                is_pandemic_unemployed=True,
                age_at_intake=rnd.randint(16, 29),
                education="lower_secondary",
                months_out=rnd.randint(0, 24),
                starts_on=starts,
                planned_hours=Decimal("20"),
            )
            hours_left, day = Decimal(rnd.choice([6, 10, 16, 20, 24])), starts
            kinds = list(ActivityKind)
            while hours_left > 0 and day < today:
                hours = min(hours_left, Decimal(rnd.choice(["2", "3", "4"])))
                placements.activity_log(
                    path=path, by=coordinator, kind=kinds[rnd.randrange(len(kinds))], date=day, hours=hours
                )
                hours_left -= hours
                day += timedelta(days=rnd.randint(3, 10))
            if day < today - timedelta(days=7) and path.pk % 6:
                outcome = rnd.choice(
                    [Situation.EMPLOYED, Situation.INTERNSHIP, Situation.EDUCATION, Situation.SEARCHING]
                )
                placements.path_close(
                    path=path,
                    outcome=outcome,
                    closed_on=min(day, today),
                    contract_kind="fixed_term" if outcome == Situation.EMPLOYED else "",
                )
        placements.follow_ups_create(today=today)
        for follow_up in FollowUp.objects.filter(hub=hub, due_on__lte=today).select_related("path"):
            placements.follow_up_record(
                follow_up=follow_up,
                situation=rnd.choice(list(Situation)[:4]),
                recorded_on=min(follow_up.due_on + timedelta(days=3), today),
                by=coordinator,
                contract_kind="fixed_term",
            )
    # 12 monthly snapshots, as beat would have taken them at the end of each month.
    first = today.replace(day=1)
    month_ends = []
    for _ in range(12):
        first = (first - timedelta(days=1)).replace(day=1)
        month_ends.append((first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
    for as_of in sorted(month_ends):
        for hub in [*Hub.objects.order_by("pk"), None]:
            services.snapshot_take(hub=hub, kind=Snapshot.Kind.MONTHLY, as_of=as_of)
    print(f"   filled in {time.perf_counter() - started:.1f} s", flush=True)


def _timed(function, **kwargs) -> float:
    started = time.perf_counter()
    function(**kwargs)
    return time.perf_counter() - started


def propose() -> None:
    """
    The change proposed to desk/indicators.py (`--proposed`): bookings by the slot's start as
    an aware datetime range, which PostgreSQL estimates well (a hash join, not a nested loop
    over every slot) and the (hub, starts_at) index can serve, instead of `starts_at__date`.
    """
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    import desk.indicators
    from desk.models import Booking

    def _bookings(hub, start, end):
        zone = timezone.get_current_timezone()
        bookings = Booking.objects.filter(
            slot__starts_at__gte=datetime.combine(start, time.min, zone),
            slot__starts_at__lt=datetime.combine(end + timedelta(days=1), time.min, zone),
        )
        return bookings.for_hub(hub) if hub is not None else bookings

    desk.indicators._bookings = _bookings


def measure_inner(scale: str, out: str, proposed: bool = False) -> None:
    setup_django()
    if proposed:
        propose()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from desk.models import Booking
    from governance import report as rendering
    from governance import services
    from governance.models import Report, Snapshot
    from hubs.models import Hub
    from placements.models import Activity
    from placements.models import Path as PlacementPath

    hub = Hub.objects.order_by("pk").first()
    results = {
        "scale": scale,
        "counts": {
            "hubs": Hub.objects.count(),
            "bookings (hub)": Booking.objects.filter(hub=hub).count(),
            "bookings (all)": Booking.objects.count(),
            "paths (hub)": PlacementPath.objects.filter(hub=hub).count(),
            "activities (hub)": Activity.objects.filter(hub=hub).count(),
            "monthly snapshots": Snapshot.objects.filter(kind=Snapshot.Kind.MONTHLY).count(),
        },
    }
    scopes = [("hub", hub)] + ([("network", None)] if scale == "10x-hubs" else [])
    for label, scope in scopes:
        # warm-up: imports, fonts, the connection, PostgreSQL's caches
        def new_report(scope=scope):
            """A report as report_request makes it, without queueing its task (no worker here)."""
            return Report.objects.create(snapshot=services.snapshot_take(hub=scope), hub=scope)

        warm = new_report()
        services.report_generate(report_id=warm.pk)
        snapshot_times, render_times, generate_times, pages = [], [], [], 0
        with CaptureQueriesContext(connection) as queries:
            services.snapshot_take(hub=scope)
        for _ in range(REPEAT):
            snapshot_times.append(_timed(services.snapshot_take, hub=scope))
            report = Report.objects.select_related("snapshot", "hub").get(pk=warm.pk)
            render_times.append(_timed(rendering.render_report, report=report))
            fresh = new_report()
            generate_times.append(_timed(services.report_generate, report_id=fresh.pk))
            pages = Report.objects.get(pk=fresh.pk).pages
        results[label] = {
            "snapshot_take": statistics.median(snapshot_times),
            "render_report": statistics.median(render_times),
            "report_generate": statistics.median(generate_times),
            "snapshot_plus_generate": statistics.median(
                s + g for s, g in zip(snapshot_times, generate_times, strict=True)
            ),
            "pages": pages,
            "snapshot_queries": len(queries.captured_queries),
            "pdf_kb": round(Report.objects.get(pk=warm.pk).file.size / 1024),
        }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as handle:
        json.dump(results, handle, indent=2)


# --- Output --------------------------------------------------------------------------------------


def table(results: dict) -> None:
    base = results.get("1x", {}).get("hub")
    print(
        "\n| scale | scope | data | snapshot_take | render_report | report_generate "
        "| snapshot + generate | × 1x | pages | PDF | queries |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale, result in results.items():
        counts = result["counts"]
        data = (
            f"{counts['hubs']} hub(s), {counts['bookings (hub)']:,} bookings of the hub"
            f" ({counts['bookings (all)']:,} in all), {counts['paths (hub)']} paths, "
            f"{counts['activities (hub)']} activities"
        )
        for scope in ("hub", "network"):
            if scope not in result:
                continue
            r = result[scope]
            ratio = f"{r['snapshot_plus_generate'] / base['snapshot_plus_generate']:.2f}×" if base else ""
            print(
                f"| {scale} | {scope} | {data} | {r['snapshot_take']:.2f} s | {r['render_report']:.2f} s "
                f"| {r['report_generate']:.2f} s | **{r['snapshot_plus_generate']:.2f} s** | {ratio} "
                f"| {r['pages']} | {r['pdf_kb']} KB | {r['snapshot_queries']} |"
            )
    if base:
        print(
            f"\nTargets: 1x under {TARGET_SECONDS:.0f} s (snapshot + generate: "
            f"{base['snapshot_plus_generate']:.2f} s), 10x under {TARGET_RATIO}× that."
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--scale", action="append", choices=SCALES)
    parser.add_argument("--no-generate", action="store_true")
    parser.add_argument(
        "--proposed",
        action="store_true",
        help="with the change to the desk's indicators proposed in bench/README.md",
    )
    parser.add_argument("--inner", choices=("fill", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner == "fill":
        return fill(args.scale[0])
    if args.inner == "measure":
        return measure_inner(args.scale[0], args.out, args.proposed)
    scales = args.scale or list(DEFAULT_SCALES)
    results = {}
    for scale in scales:
        if not args.no_generate:
            generate(scale)
        print(f"== {scale}: measuring", flush=True)
        results[scale] = measure(scale, args.proposed)
    table(results)


if __name__ == "__main__":
    main()
