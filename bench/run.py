#!/usr/bin/env python
"""
Load-test the online desk against a database made by bench/generate.py.

    python bench/run.py --scale demo
    python bench/run.py --scale lombardy --repeat 3 --wait-quiet 10
    python bench/run.py --scale lombardy --proposed    # with the indexes and setting proposed
    python bench/run.py --scale lombardy --queries-only  # SQL of each page, EXPLAIN ANALYZE
    python bench/run.py --scale lombardy --report      # the tables of the last saved run

Starts gunicorn (2 sync workers, production settings through bench/settings.py: DEBUG off,
plain HTTP on 127.0.0.1) and measures, in one run, with `wrk -t2 -c32 -d10s --latency`:

  hello      GET  /bench/hello/                           bare view, the yardstick
  hub        GET  /<hub>/                                 the hub's public page
  slots      GET  /<hub>/prenota/<service>/?channel=hub   the sessions of a service
  form       GET  /<hub>/prenota/sessione/<slot>/         the booking form (extra)
  book       POST /<hub2>/prenota/sessione/<slot>/        a guest's booking (valid form)
  calendar   GET  /backoffice/<hub>/sportello/?view=week  week calendar, signed-in operator
  day        GET  /backoffice/<hub>/sportello/            day calendar (the calendar's default), same operator
  (and the speed branch's catalogue and API list; bench/actions.py's job fair check-in scan,
  job club register save, pacts public page and REST API booking POST)

then a burst of 1,000 booking POSTs (32 at a time) on 200 slots of 3 places (600 places), and
counts in the database what became of every request; then bench/actions.py's workshop burst,
fair quota burst and 500-scan offline sync. Results go to bench/out/.
"""

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import actions  # noqa: E402
from bench.common import (  # noqa: E402
    OUT_DIR,
    PROJECT_DIR,
    SCALES,
    database_url,
    ensure_venv,
    portal_env,
)

ensure_venv()

BENCH_DOMAIN = "bench.invalid"  # every user and person the benchmark makes has it
# Issue 19's targets (ratio to hello world in the same run); the calendar's is the week view's.
TARGETS = {
    "hello": None,
    "hub": 0.5,
    "slots": 0.15,
    "form": 0.15,
    "book": 0.06,
    "calendar": 0.015,
    "day": 0.05,
    "catalogue": None,
    "api": None,
    "scan": 0.06,
    "register": 0.06,
    "pacts": None,
    "api_book": None,
}
LABELS = {
    "hello": "hello world (bare view)",
    "hub": "hub public page",
    "slots": "slot list (service, channel=hub)",
    "form": "booking form GET (extra)",
    "book": "booking POST (guest form)",
    "calendar": "back-office week calendar",
    "day": "back-office day calendar (default)",
    "catalogue": "network catalogue search (?q=lavoro)",
    "api": "REST API list (bookings of a hub, token)",
    "scan": "job fair check-in scan POST (sync, 1 scan)",
    "register": "job club register save POST (25 students)",
    "pacts": "pacts public page (the 8 pacts)",
    "api_book": "REST API booking POST (Idempotency-Key)",
}
ACTIONS = ("scan", "register", "pacts", "api_book")  # bench/actions.py


# --- Django, in this process (fixtures and counts; the server is gunicorn) ----------------------


def django_setup(url):
    os.environ.update(portal_env(url, "bench.settings"))
    import django

    django.setup()


def bench_user(email, hub, role="operator", totp=False):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    from hubs.models import Membership

    user, _ = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": "Bench", "last_name": email.split("@")[0]}
    )
    if not user.has_usable_password() and user.password == "":
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(hub=hub, user=user, defaults={"role": role})
    if totp and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


# What bench/run.py --proposed tries (the changes this benchmark recommends, see README.md):
# created in the bench database only, and removed again by every run without --proposed.
PROPOSED = [
    # selectors.calendar_slots filters hub + starts_at range: with only (starts_at) it reads the
    # week of every hub and throws away 99 % of it.
    (
        "index",
        "bench_proposed_slot_hub_starts",
        "CREATE INDEX bench_proposed_slot_hub_starts ON desk_slot (hub_id, starts_at)",
    ),
    # Parallel query on a 2-core web server: a worker launch costs ~15 ms (the calendar's
    # booking prefetch) and a seq scan takes 3 processes. For the portal's own connections.
    ("setting", "max_parallel_workers_per_gather", "0"),
]


def apply_proposed(on: bool):
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cur:
        for kind, ident, sql in PROPOSED:
            if kind == "index":
                cur.execute(
                    sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS")
                    if on
                    else f"DROP INDEX IF EXISTS {ident}"
                )
            elif on:
                cur.execute(f'ALTER DATABASE "{name}" SET {ident} = {sql}')
            else:
                cur.execute(f'ALTER DATABASE "{name}" RESET {ident}')
        if on:
            cur.execute("ANALYZE people_person")
            cur.execute("ANALYZE desk_slot")
    connection.close()  # the database settings apply to new connections


def clean_previous_runs():
    """Remove what earlier runs added: bench people, their bookings, bench slots."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"""
            CREATE TEMP TABLE bench_slots AS
            SELECT s.id FROM desk_slot s JOIN people_user u ON u.id = s.operator_id
            WHERE u.email LIKE '%%@{BENCH_DOMAIN}';
            CREATE TEMP TABLE bench_people AS
            SELECT id FROM people_person WHERE email LIKE '%%@{BENCH_DOMAIN}';
            DELETE FROM desk_notice WHERE booking_id IN (
                SELECT id FROM desk_booking WHERE slot_id IN (SELECT id FROM bench_slots)
                   OR person_id IN (SELECT id FROM bench_people));
            UPDATE desk_waitlistentry SET booking_id = NULL, offered_slot_id = NULL
                WHERE offered_slot_id IN (SELECT id FROM bench_slots)
                   OR booking_id IN (SELECT id FROM desk_booking
                                     WHERE slot_id IN (SELECT id FROM bench_slots));
            DELETE FROM desk_booking WHERE slot_id IN (SELECT id FROM bench_slots)
                OR person_id IN (SELECT id FROM bench_people);
            DELETE FROM desk_waitlistentry WHERE person_id IN (SELECT id FROM bench_people);
            DELETE FROM people_personhub WHERE person_id IN (SELECT id FROM bench_people);
            DELETE FROM people_person WHERE id IN (SELECT id FROM bench_people);
            DELETE FROM desk_slot WHERE id IN (SELECT id FROM bench_slots);
            DROP TABLE bench_slots; DROP TABLE bench_people;
        """)


def make_slots(hub, service, operators, count, capacity, first_day=1):
    """`count` future slots of the service at the hub, 12 a day per operator, from tomorrow."""
    from django.utils import timezone

    from desk.models import Channel, Slot

    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    per_operator = (len(range(first_day, 36))) * 12
    rows = []
    for n in range(count):
        operator = operators[n // per_operator]
        k = n % per_operator
        day = today + timedelta(days=first_day + k // 12)
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()), tz) + timedelta(
            hours=8, minutes=45 * (k % 12)
        )
        rows.append(
            Slot(
                hub=hub,
                service=service,
                operator=operator,
                channel=Channel.HUB,
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                capacity=capacity,
            )
        )
    return [slot.pk for slot in Slot.objects.bulk_create(rows)]


def prepare(args):
    """Hubs, slots for the POSTs, a signed-in operator; returns what the load needs."""
    from django.test import Client
    from django.utils.crypto import get_random_string
    from django.utils.translation import gettext, override

    from desk.models import Channel, Service, Slot
    from hubs.models import Hub

    actions.clean()
    clean_previous_runs()
    hubs = list(Hub.objects.order_by("pk")[:2])
    if not hubs:
        sys.exit("No hub in the database: run bench/generate.py first.")
    page_hub, post_hub = hubs[0], hubs[-1]
    service = Service.objects.filter(hub=page_hub, is_active=True).order_by("position").first()
    post_service = Service.objects.filter(hub=post_hub, is_active=True).order_by("position").first()
    per_operator = 35 * 12
    post_ops = [
        bench_user(f"post{i}@{BENCH_DOMAIN}", post_hub) for i in range(-(-args.post_slots // per_operator))
    ]
    burst_ops = [
        bench_user(f"burst{i}@{BENCH_DOMAIN}", post_hub) for i in range(-(-args.burst_slots // per_operator))
    ]
    post_slots = make_slots(post_hub, post_service, post_ops, args.post_slots, args.post_capacity)
    burst_slots = make_slots(post_hub, post_service, burst_ops, args.burst_slots, args.burst_capacity)
    operator = bench_user(f"calendar@{BENCH_DOMAIN}", page_hub, totp=True)
    client = Client()
    client.force_login(operator)
    from django.conf import settings

    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    from hubs.restapi.models import ApiToken
    from hubs.restapi.services import token_create

    ApiToken.objects.filter(name="bench").delete()
    _token, api_token = token_create(hub=page_hub, name="bench", role="hub_admin", valid_days=1)
    # A "full" answer: the service's BookingError, or the form page of a slot with no place left
    # (booking_form.html), in Italian or — if the catalogue is not compiled yet — in English.
    answers = [
        "This session is full: choose another one or join the waiting list.",
        "This session is no longer available: choose another one.",
        "This session is no longer available",
        "Someone took the last place, or the session has started or was cancelled.",
    ]
    with override("it"):
        markers = {html.escape(text.split(":")[0]) for msgid in answers for text in (msgid, gettext(msgid))}
    upcoming = Slot.objects.filter(
        hub=page_hub, service=service, channel=Channel.HUB, is_cancelled=False
    ).count()
    form_slot = (
        Slot.objects.filter(hub=page_hub, service=service, channel=Channel.HUB)
        .bookable()
        .order_by("-starts_at")
        .first()
    )
    fx = {
        "page_hub": page_hub.slug,
        "post_hub": post_hub.slug,
        "service": service.pk,
        "service_slots": upcoming,
        "form_slot": form_slot.pk if form_slot else 0,
        "post_slots": post_slots,
        "burst_slots": burst_slots,
        "session": session,
        "api_token": api_token,
        "csrf": get_random_string(32),
        # The seat of the POST hub: always in its territory (the form lists only the hub's comuni).
        "municipality": post_hub.municipality_id,
        "full_markers": sorted(markers),
    }
    actions.prepare(fx, args, bench_user=bench_user, make_slots=make_slots, domain=BENCH_DOMAIN)
    return fx


def form_fields(fx):
    """A guest's valid booking form (desk/forms_public.py BookingForm), all but the e-mail."""
    return {
        "csrfmiddlewaretoken": fx["csrf"],
        "first_name": "Giulia",
        "last_name": "Bench",
        "phone": "3331234567",
        "birth_date": "2005-03-15",
        "gender": "female",
        "municipality": fx["municipality"],
        "status": "student",
        "education": "upper_secondary",
        "reason": "Vorrei capire che università scegliere.",
        "language": "it",
        "privacy": "on",
    }


def form_body(fx, email):
    return urllib.parse.urlencode({**form_fields(fx), "email": email})


# --- gunicorn ---------------------------------------------------------------------------------


class Server:
    def __init__(self, url, port, workers):
        self.port, self.url, self.workers = port, url, workers
        self.log = OUT_DIR / "gunicorn.log"

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.logfile = open(self.log, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                "young_in_progress.wsgi:application",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--error-logfile",
                "-",
            ],
            cwd=PROJECT_DIR,
            env=portal_env(self.url, "bench.settings"),
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 120  # a loaded machine imports slowly
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/bench/hello/", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit(f"gunicorn did not answer; see {self.log}")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        import signal

        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own process group only
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.logfile.close()

    def errors(self, since=0) -> str:
        text = self.log.read_text(errors="replace")[since:]
        return text

    def log_size(self) -> int:
        return self.log.stat().st_size


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, *, data=None, headers=None):
    """(status, body) without following redirects."""
    request = urllib.request.Request(url, data=data.encode() if data else None, headers=headers or {})
    try:
        with OPENER.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


# --- wrk ---------------------------------------------------------------------------------------

DONE_LUA = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function done(summary, latency, requests)
  local codes = {}
  for _, t in ipairs(threads) do
    for _, k in ipairs({"s2", "s3", "s4", "s5"}) do
      codes[k] = (codes[k] or 0) + (tonumber(t:get(k)) or 0)
    end
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, "p50_us": %d, ' ..
    '"p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "s2": %d, "s3": %d, "s4": %d, "s5": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, codes.s2, codes.s3, codes.s4, codes.s5))
end
"""

GET_LUA = (
    DONE_LUA
    + r"""
s2, s3, s4, s5 = 0, 0, 0, 0
function response(status, headers, body)
  if status < 300 then s2 = s2 + 1 elseif status < 400 then s3 = s3 + 1
  elseif status < 500 then s4 = s4 + 1 else s5 = s5 + 1 end
end
"""
)

POST_LUA = r"""
local slots = {%(slots)s}
local prefix = "%(prefix)s"
local fixed = "%(fixed)s"
local nonce = "%(nonce)s"
local counter = 0
function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=%(csrf)s"
end
function request()
  local n = counter * %(threads)d + id
  counter = counter + 1
  local slot = slots[(n %% #slots) + 1]
  local body = fixed .. "&email=wrk-" .. nonce .. "-" .. id .. "-" .. counter .. "%%40%(domain)s"
  return wrk.format(nil, prefix .. slot .. "/", nil, body)
end
"""


def socket_errors(result) -> int:
    return sum(result[f"errors_{k}"] for k in ("connect", "read", "write", "timeout"))


def wrk(name, base, path, args, *, script, headers=()):
    script_path = OUT_DIR / f"wrk-{name}.lua"
    script_path.write_text(script)
    # --timeout 10s: wrk's default (2 s) drops the slowest answers from the percentiles.
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script_path),
    ]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run([*cmd, base + path], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH_JSON "))
    result = json.loads(line[len("BENCH_JSON ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["raw"] = out
    return result


# --- The run ----------------------------------------------------------------------------------


def endpoints(fx):
    hub, hub2 = fx["page_hub"], fx["post_hub"]
    return {
        "hello": ("GET", "/bench/hello/", ()),
        "hub": ("GET", f"/{hub}/", ()),
        "slots": ("GET", f"/{hub}/prenota/{fx['service']}/?channel=hub", ()),
        "form": ("GET", f"/{hub}/prenota/sessione/{fx['form_slot']}/", ()),
        "book": ("POST", f"/{hub2}/prenota/sessione/", ()),
        "calendar": (
            "GET",
            f"/backoffice/{hub}/sportello/?view=week",
            (f"Cookie: sessionid={fx['session']}",),
        ),
        "day": ("GET", f"/backoffice/{hub}/sportello/", (f"Cookie: sessionid={fx['session']}",)),
        "catalogue": ("GET", "/rete/catalogo/?q=lavoro", ()),
        "api": ("GET", f"/api/v1/hubs/{hub}/bookings/", (f"Authorization: Bearer {fx['api_token']}",)),
        **actions.endpoints(fx),
    }


def smoke(server, fx, name, method, path, headers):
    """One request before the load: is the page there? (status, note)"""
    if name in ACTIONS:
        return actions.smoke(fetch, server.base, fx, name)
    hdrs = dict(h.split(": ", 1) for h in headers)
    if method == "POST":
        status, body = fetch(
            server.base + path + f"{fx['post_slots'][-1]}/",
            data=form_body(fx, f"smoke-{time.time_ns()}@{BENCH_DOMAIN}"),
            headers={
                "Cookie": f"csrftoken={fx['csrf']}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        ok = status == 302
    else:
        status, body = fetch(server.base + path, headers=hdrs)
        ok = status == 200
    note = ""
    if not ok:
        title = re.search(r"<title>(.*?)</title>", body, re.S)
        note = f"HTTP {status}" + (f" ({title.group(1).strip()[:60]})" if title else "")
        if status == 200 and method == "POST":
            errors = re.findall(
                r'class="[^"]*(?:invalid-feedback|alert-danger)[^"]*"[^>]*>(.*?)<', body, re.S
            )
            note += " form refused: " + "; ".join(e.strip() for e in errors[:3])
    return ok, status, note


def run_load(server, fx, args):
    """wrk on every endpoint; with --repeat N, N rounds and the best round of each is kept
    (other sessions on the machine only ever slow a round down)."""
    results = {}
    todo = {name: spec for name, spec in endpoints(fx).items() if not args.only or name in args.only}
    for name, (method, path, headers) in todo.items():
        mark = server.log_size()
        ok, status, note = smoke(server, fx, name, method, path, headers)
        if not ok:
            results[name] = {"missing": note, "log": server.errors(mark)[-3000:]}
            print(f"  {name:9} not measured: {note}", flush=True)
    chunk = len(fx["post_slots"]) // args.repeat
    for round_ in range(args.repeat):
        for name, (method, path, headers) in todo.items():
            if "missing" in results.get(name, {}):
                continue
            mark = server.log_size()
            if name in ACTIONS and method == "POST":
                script = GET_LUA + actions.lua(name, fx, args, round_)
            elif method == "POST":
                # Each round books its own slots, so that every round finds free places.
                slots = fx["post_slots"][round_ * chunk : (round_ + 1) * chunk]
                script = GET_LUA + POST_LUA % {
                    "slots": ", ".join(map(str, slots)),
                    "prefix": path,
                    "fixed": urllib.parse.urlencode(form_fields(fx)),
                    "nonce": str(time.time_ns() % 10**9),
                    "csrf": fx["csrf"],
                    "threads": args.threads,
                    "domain": BENCH_DOMAIN,
                }
            else:
                script = GET_LUA
                # Warm up: every worker loads its templates and translations once.
                for _ in range(4):
                    fetch(server.base + path, headers=dict(h.split(": ", 1) for h in headers))
            result = wrk(name, server.base, path, args, script=script, headers=headers)
            result["log"] = server.errors(mark)[-3000:]
            best = results.get(name)
            result["all_rps"] = [*(best or {}).get("all_rps", []), round(result["rps"], 1)]
            if best is None or result["rps"] > best["rps"]:
                results[name] = result
            else:
                best["all_rps"] = result["all_rps"]
            print(
                f"  {name:9} {result['rps']:8.1f} req/s  p50 {result['p50_us'] / 1000:7.1f} ms  "
                f"p95 {result['p95_us'] / 1000:7.1f} ms  "
                f"(2xx {result['s2']}, 3xx {result['s3']}, 4xx {result['s4']}, 5xx {result['s5']}, "
                f"socket errors {socket_errors(result)})",
                flush=True,
            )
    if "book" in results and "rps" in results["book"]:
        results["book"]["db"] = post_outcome(fx["post_slots"])
    return results


def post_outcome(slot_ids):
    """What the wrk POSTs left in the database."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*) FILTER (WHERE b.status IN ('pending', 'confirmed', 'attended', 'no_show')),
                   count(DISTINCT b.slot_id)
            FROM desk_booking b WHERE b.slot_id = ANY(%s)""",
            (slot_ids,),
        )
        booked, slots = cur.fetchone()
        cur.execute(
            """
            SELECT count(*) FROM (
                SELECT s.id FROM desk_slot s JOIN desk_booking b ON b.slot_id = s.id
                WHERE s.id = ANY(%s) AND b.status IN ('pending', 'confirmed', 'attended', 'no_show')
                GROUP BY s.id, s.capacity HAVING count(*) > s.capacity) t""",
            (slot_ids,),
        )
        over = cur.fetchone()[0]
    return {"booked": booked, "slots_used": slots, "over_capacity": over}


def burst(server, fx, args):
    """1,000 booking POSTs, 32 at a time, on slots with 600 places: what became of each one."""
    from django.db import connection

    slots = fx["burst_slots"]
    per_slot = -(-args.burst_requests // len(slots))
    # Requests for the same slot are adjacent, so they run at the same time.
    jobs = [
        (slots[min(i // per_slot, len(slots) - 1)], f"burst-{i}-{time.time_ns() % 10**9}@{BENCH_DOMAIN}")
        for i in range(args.burst_requests)
    ]
    base = server.base + f"/{fx['post_hub']}/prenota/sessione/"
    headers = {"Cookie": f"csrftoken={fx['csrf']}", "Content-Type": "application/x-www-form-urlencoded"}
    answers = {}
    lock = threading.Lock()

    def post(job):
        slot, email = job
        try:
            status, body = fetch(f"{base}{slot}/", data=form_body(fx, email), headers=headers)
        except OSError as error:
            status, body = 0, str(error)
        if status == 302:
            kind = "booked"
        elif status == 200 and any(marker in body for marker in fx["full_markers"]):
            kind = "full"
        else:
            kind = f"other (HTTP {status})"
        with lock:
            answers[email] = kind

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.burst_concurrency) as pool:
        list(pool.map(post, jobs))
    elapsed = time.perf_counter() - t0

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT p.email, b.status FROM desk_booking b JOIN people_person p ON p.id = b.person_id
            WHERE b.slot_id = ANY(%s)""",
            (slots,),
        )
        in_db = {}
        for email, status in cur.fetchall():
            in_db.setdefault(email, []).append(status)
        cur.execute(
            """
            SELECT count(*) FROM (
                SELECT s.id FROM desk_slot s JOIN desk_booking b ON b.slot_id = s.id
                WHERE s.id = ANY(%s) AND b.status IN ('pending', 'confirmed', 'attended', 'no_show')
                GROUP BY s.id, s.capacity HAVING count(*) > s.capacity) t""",
            (slots,),
        )
        over = cur.fetchone()[0]
        cur.execute("SELECT coalesce(sum(capacity), 0) FROM desk_slot WHERE id = ANY(%s)", (slots,))
        places = cur.fetchone()[0]
    created = sum(len(v) for v in in_db.values())
    full = sum(1 for email, kind in answers.items() if kind == "full" and email not in in_db)
    lost = [email for email, kind in answers.items() if email not in in_db and kind != "full"]
    told_wrong = [email for email, kind in answers.items() if email in in_db and kind != "booked"]
    others = {}
    for email in lost:
        others[answers[email]] = others.get(answers[email], 0) + 1
    return {
        "requests": len(jobs),
        "slots": len(slots),
        "places": places,
        "seconds": elapsed,
        "created": created,
        "full": full,
        "lost": len(lost),
        "lost_kinds": others,
        "booked_but_not_told": len(told_wrong),
        "over_capacity": over,
        "duplicates": sum(1 for v in in_db.values() if len(v) > 1),
    }


# --- Query diagnostics -----------------------------------------------------------------------


def explain_pages(fx):
    """Each page once in-process: its queries, the slowest ones with EXPLAIN ANALYZE."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    report = {}
    for name, (method, path, headers) in endpoints(fx).items():
        if name == "hello":
            continue
        client = Client()  # a guest, or the signed-in operator for the back office
        client.cookies["csrftoken"] = fx["csrf"]
        if any(h.startswith("Cookie: sessionid=") for h in headers):
            client.cookies["sessionid"] = fx["session"]
        if method == "GET":
            client.get(path, HTTP_HOST="127.0.0.1")  # warm: templates, translations
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            if method == "POST":
                response = client.post(
                    path + f"{fx['post_slots'][-2]}/",
                    data=urllib.parse.parse_qs(form_body(fx, f"explain-{time.time_ns()}@{BENCH_DOMAIN}")),
                    HTTP_HOST="127.0.0.1",
                )
            else:
                response = client.get(path, HTTP_HOST="127.0.0.1")
            elapsed = time.perf_counter() - t0
        queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
        total = sum(float(q["time"]) for q in queries)
        print(
            f"\n=== {name} {path}: HTTP {response.status_code}, {len(queries)} queries, "
            f"{total * 1000:.1f} ms in SQL of {elapsed * 1000:.1f} ms"
        )
        entry = {
            "status": response.status_code,
            "queries": len(queries),
            "sql_ms": total * 1000,
            "total_ms": elapsed * 1000,
            "slowest": [],
        }
        for q in queries[:3]:
            sql = q["sql"]
            print(f"--- {float(q['time']) * 1000:.1f} ms: {sql[:600]}")
            plan = ""
            if sql.lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cur.fetchall())
                print(plan)
            entry["slowest"].append({"ms": float(q["time"]) * 1000, "sql": sql, "plan": plan})
        report[name] = entry
    return report


# --- Output -----------------------------------------------------------------------------------


def fmt_ratio(ratio) -> str:
    return f"{ratio:.3f}×" if ratio < 0.1 else f"{ratio:.2f}×"


def table(results, scale, args):
    hello = results.get("hello", {}).get("rps")
    best = f", best of {args.repeat} rounds" if args.repeat > 1 else ""
    lines = [
        f"Scale {scale} — gunicorn {args.workers} sync workers, wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s --latency --timeout 10s{best}",
        "",
        "| endpoint | req/s | p50 ms | p95 ms | × hello | target | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, target in TARGETS.items():
        r = results.get(name)
        if r is None:
            continue
        if "rps" not in r:
            lines.append(
                f"| {LABELS[name]} | — | — | — | — | {f'≥ {target:g}×' if target else ''} | "
                f"not measured: {r['missing']} |"
            )
            continue
        ratio = r["rps"] / hello if hello else None
        verdict = ""
        if target and ratio is not None:
            verdict = "ok" if ratio >= target else "BELOW TARGET"
        bad = r["s4"] + r["s5"] + r["errors_connect"] + r["errors_read"] + r["errors_timeout"]
        if bad:
            verdict += f" ({r['s4']} 4xx, {r['s5']} 5xx, {r['errors_timeout']} timeouts)"
        lines.append(
            f"| {LABELS[name]} | {r['rps']:.0f} | {r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} | "
            f"{fmt_ratio(ratio)} | {f'≥ {target:g}×' if target else ''} | {verdict} |"
        )
    return "\n".join(lines)


def burst_text(b):
    kinds = ", ".join(f"{k}: {v}" for k, v in b["lost_kinds"].items())
    return (
        f"Burst: {b['requests']} booking POSTs, 32 at a time, on {b['slots']} slots with "
        f"{b['places']} places, in {b['seconds']:.1f} s\n"
        f'  bookings created: {b["created"]}, answers "full": {b["full"]}, '
        f"lost: {b['lost']}{' (' + kinds + ')' if kinds else ''}, "
        f"over capacity: {b['over_capacity']}, booked but not told so: {b['booked_but_not_told']}, "
        f"same person twice: {b['duplicates']}"
    )


def comparison():
    """Demo against Lombardy (and Lombardy with the proposals), from bench/out/results-*.json."""
    runs = {}
    for key, name in (
        ("demo", "results-demo.json"),
        ("lombardy", "results-lombardy.json"),
        ("demo+", "results-demo-proposed.json"),
        ("lombardy+", "results-lombardy-proposed.json"),
    ):
        f = OUT_DIR / name
        if f.exists():
            runs[key] = json.loads(f.read_text())["load"]
    if "demo" not in runs or "lombardy" not in runs:
        return ""

    def cell(load, name):
        try:
            rps, hello = load[name]["rps"], load["hello"]["rps"]
        except KeyError:
            return None, "—"
        return rps / hello, f"{rps:.0f} ({fmt_ratio(rps / hello)})"

    extra = [k for k in ("demo+", "lombardy+") if k in runs]
    head = "| endpoint | demo req/s (× hello) | lombardy req/s (× hello) | demo → lombardy |"
    head += "".join(f" {k[:-1]} + proposals |" for k in extra)
    lines = [
        "Demo → Lombardy: each ratio is to the hello world of its own run; target: the "
        "ratio drops by 1.2× at most",
        "",
        head,
        "|---|---:|---:|---|" + "---:|" * len(extra),
    ]
    for name in TARGETS:
        if name == "hello":
            continue
        (d, dtext), (lo, lotext) = cell(runs["demo"], name), cell(runs["lombardy"], name)
        if d is None or lo is None:
            continue
        change = d / lo if lo else float("inf")
        row = (
            f"| {LABELS[name]} | {dtext} | {lotext} | {change:.2f}× "
            f"{'ok' if change <= 1.2 else 'SLOWER THAN 1.2×'} |"
        )
        row += "".join(f" {cell(runs[k], name)[1]} |" for k in extra)
        lines.append(row)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--scale", choices=SCALES, default="demo")
    parser.add_argument("--database-url")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--only", nargs="*", choices=list(TARGETS), help="some endpoints only")
    parser.add_argument(
        "--wait-quiet",
        type=int,
        default=0,
        metavar="MINUTES",
        help="first wait (up to MINUTES) until the 1-minute load average is below 1",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of wrk per endpoint; the best round is kept"
    )
    parser.add_argument("--post-slots", type=int, default=3000)
    parser.add_argument("--post-capacity", type=int, default=4)
    parser.add_argument("--burst-requests", type=int, default=1000)
    parser.add_argument("--burst-slots", type=int, default=200)
    parser.add_argument("--burst-capacity", type=int, default=3)
    parser.add_argument("--burst-concurrency", type=int, default=32)
    parser.add_argument("--no-burst", action="store_true")
    parser.add_argument("--workshop-places", type=int, default=50)
    parser.add_argument("--workshop-requests", type=int, default=200)
    parser.add_argument("--quota-places", type=int, default=500)
    parser.add_argument("--quota-requests", type=int, default=1000)
    parser.add_argument("--scan-tokens", type=int, default=3000)
    parser.add_argument("--sync-rounds", type=int, default=3)
    parser.add_argument("--register-students", type=int, default=25)
    parser.add_argument("--register-sessions", type=int, default=10)
    parser.add_argument("--api-slots", type=int, default=1500)
    parser.add_argument("--api-people", type=int, default=5000)
    parser.add_argument(
        "--queries",
        action="store_true",
        help="also run each page in-process and EXPLAIN ANALYZE its slowest queries",
    )
    parser.add_argument("--queries-only", action="store_true", help="--queries without the load")
    parser.add_argument(
        "--report",
        action="store_true",
        help="print the tables of the last saved run(s) of this scale, run nothing",
    )
    parser.add_argument(
        "--proposed",
        action="store_true",
        help="measure with the indexes and setting this benchmark proposes "
        "(bench database only; a run without it removes them)",
    )
    args = parser.parse_args()

    if args.report:
        return report(args)
    url = database_url(args.scale, args.database_url)
    OUT_DIR.mkdir(exist_ok=True)
    # The tasks queued by the last run's bookings (no worker consumes them): start empty.
    shutil.rmtree(OUT_DIR / "celery", ignore_errors=True)
    for sub in ("celery/broker", "celery/processed", "celery/control"):
        (OUT_DIR / sub).mkdir(parents=True, exist_ok=True)
    env = portal_env(url, "bench.settings")
    print(f"Scale {args.scale} → {url}")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )
    django_setup(url)
    apply_proposed(args.proposed)
    fx = prepare(args)
    print(
        f"Hub pages on /{fx['page_hub']}/, POSTs on /{fx['post_hub']}/ "
        f"({len(fx['post_slots'])} slots × {args.post_capacity} places for wrk)"
    )
    out = {
        "scale": args.scale,
        "proposed": args.proposed,
        "when": date.today().isoformat(),
        "fixtures": {
            k: v
            for k, v in fx.items()
            if k
            not in (
                "post_slots",
                "burst_slots",
                "session",
                "csrf",
                "api_token",
                "fair_tokens",
                "fair_session",
                "api_slots",
                "api_people",
                "api_post_token",
                "register_students",
            )
        },
    }
    if args.queries_only:
        explain_pages(fx)
        return 0
    deadline = time.time() + 60 * args.wait_quiet
    while os.getloadavg()[0] >= 1 and time.time() < deadline:
        print(f"  waiting for a quiet machine (load average {os.getloadavg()[0]:.1f})", flush=True)
        time.sleep(30)
    out["load_average_before"] = os.getloadavg()
    with Server(url, args.port, args.workers) as server:
        out["load"] = run_load(server, fx, args)
        if not args.no_burst and (not args.only or "book" in args.only):
            if out["load"].get("book", {}).get("rps") is not None or not args.only:
                ok, status, note = smoke(server, fx, "book", *endpoints(fx)["book"])
                if ok:
                    out["burst"] = burst(server, fx, args)
                else:
                    out["burst_missing"] = note
        if not args.no_burst and not args.only:
            out["fair_burst"] = actions.fair_burst(fetch, server.base, fx, args)
            out["quota_burst"] = actions.quota_burst(fetch, server.base, fx, args, form_fields)
            out["offline_sync"] = actions.offline_sync(fetch, server.base, fx, args)
    if args.queries:
        out["queries"] = explain_pages(fx)
    out["load_average_after"] = os.getloadavg()
    suffix = "-proposed" if args.proposed else ""
    if args.only or args.duration != 10 or args.connections != 32 or args.threads != 2:
        suffix += "-partial"  # not the standard run: kept out of the demo/Lombardy comparison
    (OUT_DIR / f"results-{args.scale}{suffix}.json").write_text(json.dumps(out, indent=2, default=str))

    print()
    print_results(out, args)
    return 0


def report(args):
    suffix = "-proposed" if args.proposed else ""
    path = OUT_DIR / f"results-{args.scale}{suffix}.json"
    if not path.exists():
        sys.exit(f"No {path}: run bench/run.py --scale {args.scale}{' --proposed' * args.proposed}")
    out = json.loads(path.read_text())
    args.repeat = len(next(iter(r for r in out["load"].values() if "all_rps" in r))["all_rps"])
    print_results(out, args)
    return 0


def print_results(out, args):
    title = args.scale + (" (with the proposed indexes and setting)" if args.proposed else "")
    print(table(out["load"], title, args))
    before, after = out["load_average_before"][0], out["load_average_after"][0]
    print(
        f"\nLoad average (1 min) before the run / after it: {before:.1f} / {after:.1f}"
        + ("  — other work was running on this 2-core machine: figures are noisy" if before > 1.5 else "")
    )
    if "book" in out["load"] and "db" in out["load"]["book"]:
        db = out["load"]["book"]["db"]
        print(
            f"\nwrk POSTs: {db['booked']} bookings made on {db['slots_used']} slots, "
            f"over capacity: {db['over_capacity']}"
        )
    if "burst" in out:
        print()
        print(burst_text(out["burst"]))
    elif "burst_missing" in out:
        print(f"\nBurst not run: the booking POST does not work yet ({out['burst_missing']})")
    more = actions.texts(out)
    if more:
        print()
        print(more)
    cmp = comparison()
    if cmp:
        print()
        print(cmp)


if __name__ == "__main__":
    sys.exit(main())
