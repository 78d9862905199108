"""
Issue 19's other actions, for bench/run.py: the job fair, the job club register, the pacts'
public page and the REST API's booking POST. Fixtures are made here with the ORM (small: a fair,
a path, 8 pacts, a few thousand registrations and people), on top of what generate.py loaded,
and removed again at the start of every run (`clean`).

Measured with wrk beside hello world (`endpoints`, `lua`), then, once each:
- fair_burst: N concurrent POSTs "a place at this workshop" (the ticket page) on a 50-place
  workshop: confirmed, waiting, lost, over capacity;
- quota_burst: 1,000 concurrent visitor registrations on a fair with fewer places: registered,
  "full" answers, lost, over capacity;
- offline_sync: one device's queue of 500 scans sent to the check-in sync at once.
"""

import html
import json
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from datetime import time as dtime

BENCH_TITLE = "Bench fair"
BENCH_PACT_GROUP = "Bench group"
BENCH_AREA_PREFIX = "Bench area"
BENCH_SCHOOL = "Bench school"


def clean():
    """What earlier runs added here (before run.clean_previous_runs removes the bench people)."""
    from hubs.models import Organization, SubArea
    from jobclub.models import Path
    from jobfair.models import CheckIn, Fair, Seat, Workshop
    from pacts.models import Pact

    fairs = Fair.objects.filter(title__startswith=BENCH_TITLE)
    CheckIn.objects.filter(fair__in=fairs).delete()
    Seat.objects.filter(workshop__fair__in=fairs).delete()
    Workshop.objects.filter(fair__in=fairs).delete()
    fairs.delete()
    Pact.objects.filter(group_name=BENCH_PACT_GROUP).delete()
    SubArea.objects.filter(name__startswith=BENCH_AREA_PREFIX).delete()
    Path.objects.filter(school__name=BENCH_SCHOOL).delete()
    Organization.objects.filter(name=BENCH_SCHOOL).delete()


def _session_of(user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def prepare(fx, args, *, bench_user, make_slots, domain):
    """Fixtures of the actions; adds what the load needs to `fx`."""
    from django.utils import timezone
    from django.utils.translation import gettext, override

    from desk.models import Service
    from hubs.models import Hub
    from hubs.restapi.services import token_create
    from jobfair.models import Fair, FocusArea, Registration, Workshop
    from people.models import Person, PersonHub

    clean()
    page_hub = Hub.objects.get(slug=fx["page_hub"])
    post_hub = Hub.objects.get(slug=fx["post_hub"])
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    # --- Job fair (on the hub that takes the writes): today's fair (check-in, workshops)
    # and a later fair whose quota the registration burst fills.
    def fair(title, day, capacity):
        made = Fair.objects.create(
            hub=post_hub,
            title=title,
            venue="Centro fieristico",
            date=day,
            opens_at=dtime(0, 0),
            closes_at=dtime(23, 59),
            exhibitors_from=today - timedelta(days=60),
            exhibitors_until=today - timedelta(days=1),
            visitors_from=today - timedelta(days=30),
            visitors_until=day,
            capacity=capacity,
            status=Fair.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        area = FocusArea.objects.create(hub=post_hub, fair=made, slug="lavoro", name="Lavoro", order=0)
        return made, area

    day_fair, area = fair(f"{BENCH_TITLE} (today)", today, 100_000)
    starts = timezone.make_aware(datetime.combine(today, dtime(23, 0)), tz)
    workshops = [
        Workshop.objects.create(
            hub=post_hub,
            fair=day_fair,
            area=area,
            title=f"Laboratorio bench {n}",
            starts_at=starts - timedelta(hours=n),
            ends_at=starts - timedelta(hours=n) + timedelta(minutes=50),
            capacity=args.workshop_places,
        )
        for n in range(1)
    ]
    # tickets: the workshop burst's, wrk's scans, the offline queues', and the smoke test's (last)
    needed = args.workshop_requests + args.scan_tokens + 500 * args.sync_rounds + 1
    registrations = Registration.objects.bulk_create(
        Registration(hub=post_hub, fair=day_fair, status=Registration.Status.CONFIRMED) for _ in range(needed)
    )
    tokens = [r.token for r in registrations]
    quota_fair, _area = fair(f"{BENCH_TITLE} (quota)", today + timedelta(days=30), args.quota_places)
    staff = bench_user(f"fair@{domain}", post_hub, totp=True)
    with override("it"):
        full = "The fair is full: no places are left for young people."
        full_markers = sorted({html.escape(t.split(":")[0]) for t in (full, gettext(full))})

    # --- Job club: a school, a path with 25 students and sessions already started.
    from hubs.models import Organization
    from jobclub.models import Path, PathKind, Session, Student

    school = Organization.objects.create(name=BENCH_SCHOOL, kind=Organization.Kind.SCHOOL)
    school.hubs.add(page_hub)
    trainer = bench_user(f"calendar@{domain}", page_hub, totp=True)
    path = Path.objects.create(
        hub=page_hub,
        school=school,
        kind=PathKind.values[0],
        title="Bench path",
        classes="4A",
        created_by=trainer,
    )
    path.trainers.set([trainer])
    Student.objects.bulk_create(
        Student(
            hub=page_hub,
            path=path,
            first_name=f"Studente{n:02d}",
            last_name="Bench",
            class_name="4A",
            birth_year=2008,
            access_code=f"BENCH{n:02d}",
        )
        for n in range(args.register_students)
    )
    students = list(path.students.order_by("pk").values_list("pk", flat=True))
    sessions = []
    for n in range(args.register_sessions):
        start = timezone.now() - timedelta(days=n + 1, hours=2)
        sessions.append(
            Session.objects.create(
                hub=page_hub,
                path=path,
                starts_at=start,
                duration_minutes=120,
                topic=f"Incontro {n}",
                trainer=trainer,
            ).pk
        )

    # --- Pacts: the page of the 8 pacts (one per sub-area) on the hub of the public pages.
    from hubs.models import SubArea
    from pacts.models import Pact

    areas = list(SubArea.objects.for_hub(page_hub).order_by("name"))
    for n in range(len(areas), 8):
        areas.append(SubArea.objects.create(hub=page_hub, name=f"{BENCH_AREA_PREFIX} {n}"))
    for n, sub_area in enumerate(areas[:8]):
        Pact.objects.create(
            hub=page_hub,
            sub_area=sub_area,
            state=Pact.State.SIGNED,
            title=f"Patto bench {n + 1}: uno spazio per i giovani",
            group_name=BENCH_PACT_GROUP,
            idea="Riaprire un locale del comune come spazio dei giovani, con attività ogni settimana.",
            objectives="Uno spazio aperto\nAttività settimanali\nNuovi volontari",
            actions_proposed="Pulizia e allestimento\nCalendario delle attività",
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=120),
            submitted_on=today - timedelta(days=100),
            decided_on=today - timedelta(days=80),
            signed_on=today - timedelta(days=70),
        )

    # --- API booking POST: fresh slots and people on the hub that takes the writes.
    post_service = Service.objects.filter(hub=post_hub, is_active=True).order_by("position").first()
    per_operator = 35 * 12
    api_ops = [bench_user(f"api{i}@{domain}", post_hub) for i in range(-(-args.api_slots // per_operator))]
    api_slots = make_slots(post_hub, post_service, api_ops, args.api_slots, 4)
    people = Person.objects.bulk_create(
        Person(
            first_name="Api",
            last_name=f"Bench{n}",
            email=f"api-{n}@{domain}",
            birth_date=datetime(2004, 1, 1).date() + timedelta(days=n % 900),
        )
        for n in range(args.api_people)
    )
    PersonHub.objects.bulk_create(PersonHub(person=p, hub=post_hub) for p in people)
    _t, api_post_token = token_create(hub=post_hub, name="bench", role="hub_admin", valid_days=1)

    fx.update(
        fair=day_fair.pk,
        workshop=workshops[0].pk,
        fair_tokens=tokens,
        quota_fair=quota_fair.pk,
        quota_places=quota_fair.capacity,
        fair_full_markers=full_markers,
        fair_session=_session_of(staff),
        register_sessions=sessions,
        register_students=students,
        api_slots=api_slots,
        api_people=[p.pk for p in people],
        api_post_token=api_post_token,
    )


def endpoints(fx):
    hub, hub2 = fx["page_hub"], fx["post_hub"]
    fair_cookie = f"Cookie: sessionid={fx['fair_session']}; csrftoken={fx['csrf']}"
    op_cookie = f"Cookie: sessionid={fx['session']}; csrftoken={fx['csrf']}"
    return {
        "scan": (
            "POST",
            f"/backoffice/{hub2}/fiera/{fx['fair']}/accoglienza/sync/",
            (fair_cookie, f"X-CSRFToken: {fx['csrf']}", "Content-Type: application/json"),
        ),
        "register": (
            "POST",
            f"/backoffice/{hub}/job-club/incontri/{fx['register_sessions'][0]}/registro/",
            (op_cookie, "Content-Type: application/x-www-form-urlencoded"),
        ),
        "pacts": ("GET", f"/{hub}/patti/", ()),
        "api_book": (
            "POST",
            f"/api/v1/hubs/{hub2}/bookings/",
            (f"Authorization: Bearer {fx['api_post_token']}", "Content-Type: application/json"),
        ),
    }


def _lua_list(values):
    return ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)


def lua(name, fx, args, round_):
    """The request() of each POST endpoint: every request a new scan / register / booking."""
    nonce = str(time.time_ns() % 10**9)
    common = f"""
local counter = 0
local nonce = "{nonce}"
function request()
  local n = counter * {args.threads} + id
  counter = counter + 1
"""
    if name == "scan":
        tokens = fx["fair_tokens"][args.workshop_requests : args.workshop_requests + args.scan_tokens]
        return (
            f"local tokens = {{{_lua_list(tokens)}}}\n"
            + common
            + """  local token = tokens[(n % #tokens) + 1]
  local body = '{"device": "wrk", "scans": [{"token": "' .. token .. '", "nonce": "wrk-' .. nonce
    .. '-' .. id .. '-' .. counter .. '", "scanned_at": ""}]}'
  return wrk.format("POST", nil, nil, body)
end
"""
        )
    if name == "register":
        sessions, students = fx["register_sessions"], fx["register_students"]
        prefix = endpoints(fx)["register"][1].rsplit("/", 3)[0] + "/"
        present = {"csrfmiddlewaretoken": fx["csrf"], "reason": ""}
        changed = dict(present)
        for i, pk in enumerate(students):
            present[f"status_{pk}"] = "present"
            present[f"missed_{pk}"] = ""
            # every 5th student late by 20 minutes: the other register of the pair
            changed[f"status_{pk}"] = "late" if i % 5 == 0 else "present"
            changed[f"missed_{pk}"] = "20" if i % 5 == 0 else ""
        return (
            f"local sessions = {{{_lua_list(sessions)}}}\n"
            f'local bodies = {{"{urllib.parse.urlencode(present)}", "{urllib.parse.urlencode(changed)}"}}\n'
            f'local prefix = "{prefix}"\n'
            + common
            + """  local s = (n % #sessions) + 1
  local body = bodies[(math.floor(n / #sessions) % 2) + 1]
  return wrk.format("POST", prefix .. sessions[s] .. "/registro/", nil, body)
end
"""
        )
    if name == "api_book":
        return (
            f"local slots = {{{_lua_list(fx['api_slots'])}}}\n"
            f"local people = {{{_lua_list(fx['api_people'])}}}\n"
            + common
            + f"""  local m = n + {round_ * 100_000}
  local body = '{{"slot": ' .. slots[(m % #slots) + 1] .. ', "person": ' .. people[(m % #people) + 1] .. '}}'
  wrk.headers["Idempotency-Key"] = "wrk-" .. nonce .. "-" .. id .. "-" .. counter
  return wrk.format("POST", nil, nil, body)
end
"""
        )
    return ""


def smoke(fetch, base, fx, name):
    """One request before the load: (ok, status, note)."""
    method, path, headers = endpoints(fx)[name]
    hdrs = dict(h.split(": ", 1) for h in headers)
    if name == "scan":
        token = fx["fair_tokens"][-1]
        body = json.dumps(
            {"device": "smoke", "scans": [{"token": token, "nonce": f"smoke-{time.time_ns()}"}]}
        )
        status, text = fetch(base + path, data=body, headers=hdrs)
        ok = status == 200 and '"results": [{' in text.replace('"results":[{', '"results": [{')
    elif name == "register":
        data = {"csrfmiddlewaretoken": fx["csrf"], "reason": ""}
        data |= {f"status_{pk}": "present" for pk in fx["register_students"]}
        status, text = fetch(base + path, data=urllib.parse.urlencode(data), headers=hdrs)
        ok = status == 302
    elif name == "api_book":
        body = json.dumps({"slot": fx["api_slots"][-1], "person": fx["api_people"][-1]})
        status, text = fetch(
            base + path, data=body, headers={**hdrs, "Idempotency-Key": f"smoke-{time.time_ns()}"}
        )
        ok = status == 201
    else:
        status, text = fetch(base + path, headers=hdrs)
        ok = status == 200
    return ok, status, "" if ok else f"HTTP {status}: {text[:200]}"


# --- Bursts and the offline sync --------------------------------------------------------------


def fair_burst(fetch, base, fx, args):
    """N concurrent "a place at this workshop" POSTs from N tickets on a 50-place workshop."""
    from jobfair.models import Seat

    tokens = fx["fair_tokens"][: args.workshop_requests]
    headers = {"Cookie": f"csrftoken={fx['csrf']}", "Content-Type": "application/x-www-form-urlencoded"}
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": fx["csrf"], "action": "seat", "workshop": fx["workshop"]}
    )
    statuses = {}

    def post(token):
        try:
            status, _text = fetch(
                f"{base}/{fx['post_hub']}/fiera/biglietto/{token}/", data=body, headers=headers
            )
        except OSError:
            status = 0
        statuses[token] = status

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.burst_concurrency) as pool:
        list(pool.map(post, tokens))
    elapsed = time.perf_counter() - t0
    seats = list(Seat.objects.filter(workshop_id=fx["workshop"]).values_list("registration__token", "status"))
    with_seat = {token for token, _s in seats}
    confirmed = sum(1 for _t, s in seats if s == Seat.Status.CONFIRMED)
    return {
        "requests": len(tokens),
        "places": args.workshop_places,
        "seconds": elapsed,
        "confirmed": confirmed,
        "waiting": sum(1 for _t, s in seats if s == Seat.Status.WAITING),
        "lost": sum(1 for t in tokens if t not in with_seat),
        "over_capacity": max(0, confirmed - args.workshop_places),
        "twice": len(seats) - len(with_seat),
        "http": {str(k): list(statuses.values()).count(k) for k in set(statuses.values())},
    }


def quota_burst(fetch, base, fx, args, form_fields):
    """1,000 concurrent visitor registrations on a fair with fewer places."""
    from jobfair.models import Registration

    nonce = time.time_ns() % 10**9
    emails = [f"fair-{i}-{nonce}@bench.invalid" for i in range(args.quota_requests)]
    fields = form_fields(fx) | {"notice_accepted": "on"}
    headers = {"Cookie": f"csrftoken={fx['csrf']}", "Content-Type": "application/x-www-form-urlencoded"}
    url = f"{base}/{fx['post_hub']}/fiera/{fx['quota_fair']}/iscrizione/"
    answers = {}

    def post(email):
        try:
            status, text = fetch(url, data=urllib.parse.urlencode(fields | {"email": email}), headers=headers)
        except OSError as error:
            status, text = 0, str(error)
        if status == 200 and any(m in text for m in fx["fair_full_markers"]):
            answers[email] = "full"
        else:
            answers[email] = f"HTTP {status}"

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.burst_concurrency) as pool:
        list(pool.map(post, emails))
    elapsed = time.perf_counter() - t0
    rows = list(
        Registration.objects.filter(fair_id=fx["quota_fair"])
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("person__email", flat=True)
    )
    registered = set(rows)
    return {
        "requests": len(emails),
        "places": fx["quota_places"],
        "seconds": elapsed,
        "registered": len(rows),
        "full": sum(1 for e, kind in answers.items() if kind == "full" and e not in registered),
        "lost": sum(1 for e, kind in answers.items() if kind != "full" and e not in registered),
        "over_capacity": max(0, len(rows) - fx["quota_places"]),
        "told_full_but_registered": sum(
            1 for e, kind in answers.items() if kind == "full" and e in registered
        ),
    }


def offline_sync(fetch, base, fx, args):
    """A device's queue of 500 scans sent at once; `sync_rounds` queues of fresh tickets."""
    method, path, headers = endpoints(fx)["scan"]
    hdrs = dict(h.split(": ", 1) for h in headers)
    first = args.workshop_requests + args.scan_tokens
    rounds = []
    for r in range(args.sync_rounds):
        tokens = fx["fair_tokens"][first + 500 * r : first + 500 * (r + 1)]
        scans = [
            {"token": t, "nonce": f"sync-{time.time_ns()}-{r}-{i}", "scanned_at": datetime.now().isoformat()}
            for i, t in enumerate(tokens)
        ]
        t0 = time.perf_counter()
        status, text = fetch(
            base + path, data=json.dumps({"device": "offline", "scans": scans}), headers=hdrs
        )
        elapsed = time.perf_counter() - t0
        results = json.loads(text).get("results", []) if status == 200 else []
        valid = sum(1 for x in results if x.get("result") == "valid")
        rounds.append({"status": status, "seconds": elapsed, "answered": len(results), "valid": valid})
    best = min(rounds, key=lambda x: x["seconds"])
    return {"scans": 500, "rounds": rounds, "seconds": best["seconds"], "rate": 500 / best["seconds"]}


def texts(out):
    lines = []
    if b := out.get("fair_burst"):
        lines.append(
            f"Workshop burst: {b['requests']} concurrent POSTs (32 at a time) on a {b['places']}-place "
            f"workshop, in {b['seconds']:.1f} s — confirmed {b['confirmed']}, waiting {b['waiting']}, "
            f"**lost {b['lost']}, over capacity {b['over_capacity']}**, two seats for one ticket "
            f"{b['twice']} (HTTP {b['http']})"
        )
    if b := out.get("quota_burst"):
        lines.append(
            f"Fair quota burst: {b['requests']} concurrent registrations (32 at a time) for "
            f"{b['places']} places, in {b['seconds']:.1f} s — registered {b['registered']}, "
            f'"full" answers {b["full"]}, **lost {b["lost"]}, over capacity {b["over_capacity"]}**, '
            f"told full but registered {b['told_full_but_registered']}"
        )
    if s := out.get("offline_sync"):
        lines.append(
            f"Offline sync: a queue of {s['scans']} scans in one POST — {s['seconds']:.2f} s, "
            f"{s['rate']:.0f} scans/s (best of {len(s['rounds'])}; "
            + ", ".join(f"{r['seconds']:.2f} s HTTP {r['status']} {r['valid']} valid" for r in s["rounds"])
            + ")"
        )
    return "\n".join(lines)
