#!/usr/bin/env python
"""
Generate the online desk's benchmark database, set-based (INSERT … SELECT generate_series).

    python bench/generate.py --scale demo       # 2 hubs, 2,000 young people, ~10,000 bookings
    python bench/generate.py --scale lombardy   # 100 hubs, 1,000,000 people, ~5,000,000 bookings

The database (default postgres://postgres@127.0.0.1:5432/yip_bench_<scale>, or
BENCH_DATABASE_URL / --database-url) is DROPPED, created and migrated with
`manage.py migrate` under the production settings, then filled:

- a network, 15 municipalities per hub, the hubs (slugs hub-001, hub-002, …), their desk
  settings, 3 antennas, 5 services (4 one-to-one of 45 minutes, 1 group workshop of 90 minutes
  for 8), a coordinator and 6 operators each (people.User + hubs.Membership);
- weekly availability rules per operator (mornings at the hub, afternoons at the hub, at an
  antenna, online or the group workshop) and the slots they generate, from as many past weeks
  as the booking target needs up to the 42-day horizon;
- young people (people.Person), each linked to their hub (people.PersonHub), 5 % also to the
  next hub, whose slots they sometimes book;
- bookings: past sessions mostly attended, future ones filling less the further they are;
  every slot holds at most `capacity` bookings in a holding status (pending, confirmed,
  attended, no_show), plus some cancelled / expired ones that do not count.

Every page shows the same amount of data per hub at every scale: only the history (number of
past weeks) and the number of hubs grow, so the tables do.

Constraints: the big tables are loaded without their secondary indexes and foreign keys, which
are then re-created by PostgreSQL itself (ALTER TABLE … ADD CONSTRAINT validates every row), so
the result is checked by the database, not just by construction. The capacity rule (not a
database constraint) is checked by a query at the end.
"""

import argparse
import random
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ANTENNAS_PER_HUB,
    FUTURE_WEEKS,
    MUNICIPALITIES_PER_HUB,
    OPERATORS_PER_HUB,
    PROJECT_DIR,
    SCALES,
    SUB_AREAS_PER_HUB,
    admin_url,
    database_url,
    db_name,
    ensure_venv,
    portal_env,
)

ensure_venv()

import subprocess  # noqa: E402

import psycopg2  # noqa: E402

LOMBARDY_MUNICIPALITIES = 1502
HOLDING = ("pending", "confirmed", "attended", "no_show")
BIG_TABLES = ("people_person", "people_personhub", "desk_slot", "desk_booking")

# (name, description, duration in minutes, group?)
SERVICES = [
    ("Orientamento scolastico", "Scegliere la scuola superiore, l'università o un corso.", 45, False),
    ("Orientamento al lavoro", "Capire che lavoro cercare e come cercarlo.", 45, False),
    ("Curriculum e colloqui", "Scrivere il curriculum e prepararsi ai colloqui.", 45, False),
    ("Servizio civile, volontariato e mobilità", "Esperienze in Italia e all'estero.", 45, False),
    ("Laboratorio di gruppo: cercare lavoro", "Due ore in gruppo, fino a 8 persone.", 90, True),
]
GROUP_CAPACITY = 8
P_PAST = 0.85  # share of places taken in past sessions
EXTRA_ONE = 0.15  # chance of one more, non-holding (cancelled/expired) booking on a 1-place slot
EXTRA_GROUP = 3  # extra non-holding bookings on a group slot: floor(3 * U), i.e. 1 on average


def rule_pattern():
    """The weekly rules of operator `o` (0-based), the same in every hub."""
    rules = []  # (operator, weekday, start, end, service index, channel, antenna index, capacity)
    for o in range(OPERATORS_PER_HUB):
        for d in range(5):
            rules.append((o, d, "09:00", "12:45", (o + d) % 4, "hub", None, 1))
            if d == (o + 3) % 5:
                continue  # a free afternoon
            if d == (o + 4) % 5:
                rules.append((o, d, "14:30", "17:30", 4, "hub", None, GROUP_CAPACITY))
            elif d == o % 5:
                rules.append((o, d, "14:30", "17:30", (o + d + 1) % 4, "antenna", o % ANTENNAS_PER_HUB, 1))
            elif d == (o + 2) % 5:
                rules.append((o, d, "14:30", "17:30", (o + d + 1) % 4, "online", None, 1))
            else:
                rules.append((o, d, "14:30", "17:30", (o + d + 1) % 4, "hub", None, 1))
    return rules


def future_p_sql(starts_at: str) -> str:
    """How full a future slot is, by weeks ahead: 90 %, 77 %, … 25 % (SQL)."""
    return f"GREATEST(0.1, 0.9 - 0.13 * floor(extract(epoch FROM {starts_at} - now()) / 604800))"


def expected_per_slot(capacity: int, p: float, samples: int = 20000) -> float:
    """Expected bookings (holding + extra) of one slot, with the SQL's formulas."""
    rnd = random.Random(1)
    if capacity == 1:
        return p + EXTRA_ONE
    total = 0
    for _ in range(samples):
        k = min(capacity, int(capacity * p * (0.75 + 0.5 * rnd.random()) + rnd.random()))
        total += k + int(EXTRA_GROUP * rnd.random())
    return total / samples


def slots_per_rule(start: str, end: str, duration: int) -> int:
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return ((h2 * 60 + m2) - (h1 * 60 + m1)) // duration


def closed(day: date) -> bool:
    """The hubs' holidays (desk.Closure rows, and no slots): Christmas and mid-August."""
    return (
        (day.month == 12 and day.day >= 24)
        or (day.month == 1 and day.day <= 6)
        or (day.month == 8 and 10 <= day.day <= 23)
    )


CLOSED_SQL = """NOT ((extract(month FROM d) = 12 AND extract(day FROM d) >= 24)
                  OR (extract(month FROM d) = 1 AND extract(day FROM d) <= 6)
                  OR (extract(month FROM d) = 8 AND extract(day FROM d) BETWEEN 10 AND 23))"""


@cache
def expected_per_hub_day(weekday: int, p: float) -> float:
    total = 0.0
    for _o, d, start, end, s, _ch, _a, cap in rule_pattern():
        if d == weekday:
            total += slots_per_rule(start, end, SERVICES[s][2]) * expected_per_slot(cap, p)
    return total


def expected_per_hub(past_weeks: int, today: date) -> float:
    monday = today - timedelta(days=today.weekday())
    day, last = monday - timedelta(weeks=past_weeks), today + timedelta(days=FUTURE_WEEKS * 7)
    total = 0.0
    while day <= last:
        if day.weekday() < 5 and not closed(day):
            ahead = (day - today).days
            p = P_PAST if ahead < 0 else round(max(0.1, 0.9 - 0.13 * (ahead // 7)), 2)
            total += expected_per_hub_day(day.weekday(), p)
        day += timedelta(days=1)
    return total


def past_weeks_for(bookings_per_hub: int) -> int:
    """The number of past weeks whose sessions hold about `bookings_per_hub` bookings."""
    today = date.today()
    weeks = 1
    while expected_per_hub(weeks + 1, today) <= bookings_per_hub and weeks < 2000:
        weeks += 1
    below, above = expected_per_hub(weeks, today), expected_per_hub(weeks + 1, today)
    return weeks if bookings_per_hub - below <= above - bookings_per_hub else weeks + 1


# --- Database plumbing --------------------------------------------------------------------


class Timer:
    def __init__(self):
        self.rows = []
        self.lock = threading.Lock()

    @contextmanager
    def step(self, label):
        t0 = time.perf_counter()
        yield
        elapsed = time.perf_counter() - t0
        with self.lock:
            self.rows.append((label, elapsed))
        print(f"  {elapsed:7.1f} s  {label}", flush=True)


def connect(url):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET work_mem = '256MB'")
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        cur.execute("SET TIME ZONE 'Europe/Rome'")
    return conn


def run(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def scalar(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def parallel(*jobs):
    """Run callables in threads (each uses its own connection); re-raise the first error."""
    errors = []

    def wrap(job):
        try:
            job()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def recreate_database(url, timer):
    name = db_name(url)
    with timer.step(f"drop and create database {name}"):
        conn = psycopg2.connect(admin_url(url))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
    with timer.step("manage.py migrate (production settings)"):
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=PROJECT_DIR,
            env=portal_env(url),
            check=True,
        )


def take_off_indexes(conn):
    """Drop the big tables' secondary indexes, unique and foreign-key constraints; return them."""
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
            FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
            ORDER BY contype, conname
            """,
            (list(BIG_TABLES),),
        )
        constraints = cur.fetchall()
        cur.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), i.indrelid::regclass::text
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                              AND c.contype IN ('p', 'u', 'x'))
            """,
            (list(BIG_TABLES),),
        )
        indexes = cur.fetchall()
        for table, name, _definition, _kind in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition, _table in indexes:
            cur.execute(f"DROP INDEX {name}")
    return constraints, indexes


def put_back_indexes(url, constraints, indexes, timer):
    """Re-create unique constraints and indexes (two connections), then the foreign keys."""
    work = [(f"index {name}", definition, table) for name, definition, table in indexes]
    work += [
        (f"unique {name}", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}', table)
        for table, name, definition, kind in constraints
        if kind == "u"
    ]
    # Biggest tables first, spread over two sessions.
    order = {t: i for i, t in enumerate(("desk_booking", "desk_slot", "people_person", "people_personhub"))}
    work.sort(key=lambda item: order.get(item[2], 9))
    queues = [work[0::2], work[1::2]]

    def worker(queue):
        conn = connect(url)
        for label, sql, _table in queue:
            with timer.step(label):
                run(conn, sql)
        conn.close()

    with timer.step("indexes and unique constraints (2 sessions)"):
        parallel(*(lambda q=q: worker(q) for q in queues))
    conn = connect(url)
    with timer.step("foreign keys (validated by PostgreSQL)"):
        for table, name, definition, kind in constraints:
            if kind == "f":
                run(conn, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    conn.close()


# --- The data -----------------------------------------------------------------------------

FIRST_NAMES = [
    "Giulia",
    "Francesca",
    "Sara",
    "Martina",
    "Chiara",
    "Alessia",
    "Aurora",
    "Sofia",
    "Giorgia",
    "Elisa",
    "Beatrice",
    "Anna",
    "Elena",
    "Noemi",
    "Alice",
    "Greta",
    "Ludovica",
    "Fatima",
    "Amira",
    "Ioana",
    "Marco",
    "Luca",
    "Matteo",
    "Andrea",
    "Alessandro",
    "Lorenzo",
    "Davide",
    "Simone",
    "Federico",
    "Gabriele",
    "Riccardo",
    "Tommaso",
    "Nicola",
    "Pietro",
    "Filippo",
    "Samuele",
    "Edoardo",
    "Mohamed",
    "Youssef",
    "Omar",
    "Andrei",
    "Kevin",
]
LAST_NAMES = [
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferrara",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Martinelli",
    "Vitale",
    "Lombardo",
    "Serra",
    "Coppola",
    "De Santis",
    "Marchetti",
    "Parisi",
    "Villa",
    "Conte",
    "Ferri",
    "Fabbri",
    "Bianco",
    "Marini",
    "Grasso",
    "Valentini",
    "Messina",
    "Sala",
    "Pellegrini",
    "Cattaneo",
    "Brambilla",
    "Bassi",
    "Riva",
    "Monti",
    "Mazza",
    "Testa",
    "El Amrani",
    "Popescu",
]
DOMAINS = ["gmail.com", "libero.it", "hotmail.it", "outlook.it", "yahoo.it", "icloud.com", "alice.it"]
PLACE_PREFIXES = [
    "San Martino",
    "Castel",
    "Villa",
    "Borgo",
    "Monte",
    "Ponte",
    "Torre",
    "Santa Maria",
    "Casal",
    "Rivolta",
    "Cassano",
    "Pieve",
    "Ospitale",
]
PLACE_SUFFIXES = [
    "d'Adda",
    "al Serio",
    "sul Naviglio",
    "Cremasco",
    "Lodigiano",
    "in Brianza",
    "Oglio",
    "di Sopra",
    "di Sotto",
    "Po",
    "Ticino",
    "Olona",
    "Lambro",
    "Mella",
]
PROVINCES = ["MI", "BG", "BS", "CO", "CR", "LC", "LO", "MN", "MB", "PV", "SO", "VA"]
REASONS = [
    "Non so che scuola scegliere dopo la terza media.",
    "Vorrei capire se iscrivermi all'università o cercare lavoro.",
    "Mi serve aiuto per il curriculum.",
    "Ho un colloquio la settimana prossima.",
    "Cerco informazioni sul servizio civile.",
    "Vorrei fare un'esperienza all'estero.",
]


def sql_array(values):
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def load_territory(conn, hubs, past_weeks, timer):
    # Reference data shared by every hub: as many as Lombardy's comuni at every scale (the
    # booking form lists them all); each hub's territory is 15 of them.
    m_count = max(LOMBARDY_MUNICIPALITIES, hubs * MUNICIPALITIES_PER_HUB)
    with timer.step(
        f"territory: network, {m_count} municipalities, {hubs} hubs, settings, sub-areas, antennas"
    ):
        run(
            conn,
            "INSERT INTO hubs_network (id, name, slug) VALUES (1, 'Lombardia – Rete regionale "
            "dei servizi di orientamento', 'lombardia')",
        )
        p, s = len(PLACE_PREFIXES), len(PLACE_SUFFIXES)
        run(
            conn,
            f"""
            INSERT INTO hubs_municipality (id, name, province)
            SELECT g,
                   ({sql_array(PLACE_PREFIXES)})[1 + (g - 1) % {p}] || ' '
                   || ({sql_array(PLACE_SUFFIXES)})[1 + ((g - 1) / {p}) % {s}]
                   || CASE WHEN (g - 1) / ({p * s * len(PROVINCES)}) > 0
                           THEN ' ' || ((g - 1) / ({p * s * len(PROVINCES)}) + 1)::text ELSE '' END,
                   ({sql_array(PROVINCES)})[1 + ((g - 1) / {p * s}) % {len(PROVINCES)}]
            FROM generate_series(1, {m_count}) g""",
        )
        services_text = "\n".join(name for name, *_ in SERVICES)
        run(
            conn,
            f"""
            INSERT INTO hubs_hub (id, name, slug, is_lead, description, services, address,
                                  opening_hours, email, phone, website, is_active, created_at,
                                  municipality_id, network_id)
            SELECT h, 'Informagiovani ' || m.name, 'hub-' || lpad(h::text, 3, '0'), h = 1,
                   'Lo sportello per i giovani di ' || m.name || ' e dei comuni vicini: '
                   || 'orientamento a scuola e lavoro, in sede, nelle antenne e online.',
                   %s, 'Via Roma ' || h || ', ' || m.name,
                   E'Lunedì–Venerdì 9:00–13:00\\nMartedì e Giovedì 14:30–17:30',
                   'hub' || h || '@younginprogress.example.org', '02 000 ' || lpad(h::text, 4, '0'),
                   '', true, now() - interval '2 years', m.id, 1
            FROM generate_series(1, {hubs}) h
            JOIN hubs_municipality m ON m.id = (h - 1) * {MUNICIPALITIES_PER_HUB} + 1""",
            (services_text,),
        )
        run(
            conn,
            f"""
            INSERT INTO desk_desksettings (id, min_notice_hours, hold_minutes, offer_hours,
                                           horizon_days, guardian_hold_hours, open_on_holidays, hub_id)
            SELECT h, 24, 30, 12, {FUTURE_WEEKS * 7}, 48, false, h FROM generate_series(1, {hubs}) h""",
        )
        # The hub's territory: its 15 comuni in 3 sub-areas (what the booking form lists);
        # antenna a sits in sub-area a.
        per_area = MUNICIPALITIES_PER_HUB // SUB_AREAS_PER_HUB
        run(
            conn,
            f"""
            INSERT INTO hubs_subarea (id, name, description, hub_id)
            SELECT (h - 1) * {SUB_AREAS_PER_HUB} + s,
                   (ARRAY['Ambito nord', 'Ambito centro', 'Ambito sud', 'Ambito est', 'Ambito ovest'])[s],
                   'I comuni del sub-ambito.', h
            FROM generate_series(1, {hubs}) h CROSS JOIN generate_series(1, {SUB_AREAS_PER_HUB}) s""",
        )
        run(
            conn,
            f"""
            INSERT INTO hubs_subarea_municipalities (subarea_id, municipality_id)
            SELECT (h - 1) * {SUB_AREAS_PER_HUB} + 1 + LEAST(k / {per_area}, {SUB_AREAS_PER_HUB - 1}),
                   (h - 1) * {MUNICIPALITIES_PER_HUB} + 1 + k
            FROM generate_series(1, {hubs}) h
            CROSS JOIN generate_series(0, {MUNICIPALITIES_PER_HUB - 1}) k""",
        )
        run(
            conn,
            f"""
            INSERT INTO hubs_antenna (id, name, kind, address, opening_hours, email, phone,
                                      is_active, hub_id, municipality_id, sub_area_id)
            SELECT (h - 1) * {ANTENNAS_PER_HUB} + a,
                   (ARRAY['Centro giovani', 'Antenna', 'Punto giovani'])[a] || ' di ' || m.name,
                   (ARRAY['centre', 'antenna', 'local_point'])[a],
                   'Piazza Garibaldi ' || a || ', ' || m.name,
                   'Su appuntamento', '', '', true, h, m.id,
                   (h - 1) * {SUB_AREAS_PER_HUB} + 1 + (a - 1) % {SUB_AREAS_PER_HUB}
            FROM generate_series(1, {hubs}) h CROSS JOIN generate_series(1, {ANTENNAS_PER_HUB}) a
            JOIN hubs_municipality m
              ON m.id = (h - 1) * {MUNICIPALITIES_PER_HUB} + 2
                        + ((a - 1) % {SUB_AREAS_PER_HUB}) * {per_area}""",
        )

    n_services = len(SERVICES)
    staff = OPERATORS_PER_HUB + 1
    with timer.step(f"{hubs * n_services} services, {hubs * staff} staff users and memberships"):
        values = ", ".join(
            run_values(i + 1, name, description, duration)
            for i, (name, description, duration, _group) in enumerate(SERVICES)
        )
        run(
            conn,
            f"""
            INSERT INTO desk_service (id, name, description, duration_minutes, is_active, position, hub_id)
            SELECT (h - 1) * {n_services} + v.pos, v.name, v.description, v.duration, true, v.pos, h
            FROM generate_series(1, {hubs}) h
            CROSS JOIN (VALUES {values}) AS v(pos, name, description, duration)""",
        )
        # u = 0 is the hub's coordinator, 1…6 its operators. Unusable passwords ("!…"):
        # run.py signs its operator in with force_login.
        run(
            conn,
            f"""
            INSERT INTO people_user (id, password, last_login, is_superuser, first_name, last_name,
                                     is_staff, is_active, date_joined, email, language)
            SELECT (h - 1) * {staff} + u + 1, '!' || md5(h::text || '-' || u::text),
                   NULL, false,
                   ({sql_array(FIRST_NAMES)})[1 + (h * 7 + u * 13) % {len(FIRST_NAMES)}],
                   ({sql_array(LAST_NAMES)})[1 + (h * 11 + u * 5) % {len(LAST_NAMES)}],
                   false, true, now() - interval '2 years',
                   CASE WHEN u = 0 THEN 'coordinatore' ELSE 'operatore' || u END
                   || '.hub' || lpad(h::text, 3, '0') || '@younginprogress.example.org', 'it'
            FROM generate_series(1, {hubs}) h CROSS JOIN generate_series(0, {OPERATORS_PER_HUB}) u""",
        )
        run(
            conn,
            f"""
            INSERT INTO hubs_membership (id, role, is_active, created_at, hub_id, user_id, organization_id)
            SELECT (h - 1) * {staff} + u + 1, CASE WHEN u = 0 THEN 'hub_admin' ELSE 'operator' END,
                   true, now() - interval '2 years', h, (h - 1) * {staff} + u + 1, NULL
            FROM generate_series(1, {hubs}) h CROSS JOIN generate_series(0, {OPERATORS_PER_HUB}) u""",
        )

    with timer.step("closures: Christmas and mid-August, every year of the history"):
        run(
            conn,
            f"""
            INSERT INTO desk_closure (starts_on, ends_on, reason, antenna_id, hub_id, operator_id)
            SELECT make_date(y, 8, 10), make_date(y, 8, 23), 'Chiusura estiva', NULL::bigint, h, NULL::bigint
            FROM generate_series(1, {hubs}) h,
                 generate_series(extract(year FROM now() - interval '{past_weeks + 1} weeks')::int,
                                 extract(year FROM now() + interval '{FUTURE_WEEKS + 1} weeks')::int) y
            UNION ALL
            SELECT make_date(y, 12, 24), make_date(y + 1, 1, 6), 'Chiusura natalizia',
                   NULL::bigint, h, NULL::bigint
            FROM generate_series(1, {hubs}) h,
                 generate_series(extract(year FROM now() - interval '{past_weeks + 1} weeks')::int - 1,
                                 extract(year FROM now() + interval '{FUTURE_WEEKS + 1} weeks')::int) y
            ORDER BY 1, 5""",
        )

    pattern = rule_pattern()
    with timer.step(f"{hubs * len(pattern)} availability rules"):
        values = ", ".join(
            f"({i + 1}, {o}, {d}, '{start}'::time, '{end}'::time, {s + 1}, '{ch}', "
            f"{'NULL' if a is None else a + 1}, {cap})"
            for i, (o, d, start, end, s, ch, a, cap) in enumerate(pattern)
        )
        run(
            conn,
            f"""
            INSERT INTO desk_availabilityrule (id, channel, weekday, start_time, end_time, capacity,
                video_url, valid_from, valid_until, is_active, antenna_id, hub_id, operator_id, service_id)
            SELECT (h - 1) * {len(pattern)} + v.n, v.channel, v.weekday, v.start_time, v.end_time,
                   v.capacity,
                   CASE WHEN v.channel = 'online'
                        THEN 'https://meet.example.org/hub-' || h || '-op' || (v.op + 1) ELSE '' END,
                   date_trunc('week', now())::date - {past_weeks * 7}, NULL, true,
                   CASE WHEN v.antenna IS NULL THEN NULL ELSE (h - 1) * {ANTENNAS_PER_HUB} + v.antenna END,
                   h, (h - 1) * {staff} + v.op + 2, (h - 1) * {n_services} + v.service
            FROM generate_series(1, {hubs}) h
            CROSS JOIN (VALUES {values}) AS v(n, op, weekday, start_time, end_time, service,
                                              channel, antenna, capacity)""",
        )


def run_values(pos, name, description, duration):
    def q(text):
        return "'" + text.replace("'", "''") + "'"

    return f"({pos}, {q(name)}, {q(description)}, {duration})"


def load_people(url, hubs, people, timer):
    """Young people in hub blocks: hub h (1-based) owns ids (h-1)*B+1 … h*B."""
    block = people // hubs
    conn = connect(url)
    with timer.step(f"{block * hubs:,} young people (people.Person)"):
        run(conn, "SELECT setseed(0.11)")
        run(
            conn,
            f"""
            INSERT INTO people_person (id, first_name, last_name, email, phone, birth_date, birth_year,
                gender, status, education, guardian_name, guardian_email, guardian_consent_at,
                language, created_at, erased_at, municipality_id, user_id)
            SELECT id, fn, ln,
                   lower(replace(fn || '.' || ln, ' ', '')) || id || '@' || dom,
                   '3' || lpad((floor(u1 * 1e9))::bigint::text, 9, '0'),
                   bd, extract(year FROM bd)::int,
                   CASE WHEN u2 < 0.48 THEN 'female' WHEN u2 < 0.96 THEN 'male'
                        WHEN u2 < 0.97 THEN 'non_binary' ELSE 'unsaid' END,
                   CASE WHEN age < 19 OR u3 < 0.30 THEN 'student' WHEN u3 < 0.50 THEN 'employed'
                        WHEN u3 < 0.75 THEN 'unemployed' WHEN u3 < 0.95 THEN 'neet' ELSE 'other' END,
                   CASE WHEN age < 14 THEN 'primary' WHEN age < 19 THEN 'lower_secondary'
                        WHEN u4 < 0.15 THEN 'vocational' WHEN u4 < 0.70 THEN 'upper_secondary'
                        WHEN u4 < 0.95 THEN 'degree' ELSE 'other' END,
                   CASE WHEN age < 14 THEN 'Genitore di ' || fn ELSE '' END,
                   CASE WHEN age < 14 THEN 'genitore' || id || '@' || dom ELSE '' END,
                   CASE WHEN age < 14 THEN created END,
                   CASE WHEN u5 < 0.05 THEN 'en' ELSE 'it' END,
                   created, NULL,
                   hidx * {MUNICIPALITIES_PER_HUB} + 1 + floor(u5 * {MUNICIPALITIES_PER_HUB})::int,
                   NULL
            FROM (
                SELECT id, hidx, u1, u2, u3, u4, u5, fn, ln, dom, created,
                       (current_date - (age * 365.25 + u1 * 300)::int) AS bd, age
                FROM (
                    SELECT g AS id, (g - 1) / {block} AS hidx,
                           random() AS u1, random() AS u2, random() AS u3, random() AS u4,
                           random() AS u5,
                           ({sql_array(FIRST_NAMES)})[1 + floor(random() * {len(FIRST_NAMES)})::int] AS fn,
                           ({sql_array(LAST_NAMES)})[1 + floor(random() * {len(LAST_NAMES)})::int] AS ln,
                           ({sql_array(DOMAINS)})[1 + floor(random() * {len(DOMAINS)})::int] AS dom,
                           now() - random() * interval '3 years' AS created,
                           CASE WHEN random() < 0.05 THEN 11 + floor(random() * 3)::int
                                ELSE 14 + floor(random() * 21)::int END AS age
                    FROM generate_series(1, {block * hubs}) g
                    OFFSET 0
                ) r
            ) p""",
        )
    with timer.step("person–hub links (people.PersonHub)"):
        run(
            conn,
            f"""
            INSERT INTO people_personhub (since, hub_id, person_id)
            SELECT created_at, (id - 1) / {block} + 1, id FROM people_person ORDER BY id""",
        )
        if hubs > 1:
            # Every 20th person of a hub also deals with the next hub (and books there).
            run(
                conn,
                f"""
                INSERT INTO people_personhub (since, hub_id, person_id)
                SELECT created_at + interval '30 days', ((id - 1) / {block} + 1) % {hubs} + 1, id
                FROM people_person WHERE ((id - 1) % {block}) % 20 = 0 ORDER BY id""",
            )
    conn.close()


def load_slots(url, past_weeks, timer):
    conn = connect(url)
    with timer.step(f"slots of {past_weeks} past weeks + the {FUTURE_WEEKS * 7}-day horizon"):
        run(conn, "SELECT setseed(0.22)")
        run(
            conn,
            f"""
            INSERT INTO desk_slot (channel, starts_at, ends_at, capacity, video_url, is_cancelled,
                                   antenna_id, hub_id, operator_id, rule_id, service_id)
            SELECT channel, starts_at, starts_at + make_interval(mins => duration), capacity,
                   video_url, random() < 0.01, antenna_id, hub_id, operator_id, rule_id, service_id
            FROM (
                SELECT r.channel, r.capacity, r.video_url, r.antenna_id, r.hub_id, r.operator_id,
                       r.id AS rule_id, r.service_id, sv.duration_minutes AS duration,
                       (d + r.start_time + make_interval(mins => i * sv.duration_minutes))
                       AT TIME ZONE 'Europe/Rome' AS starts_at
                FROM generate_series(-{past_weeks}, {FUTURE_WEEKS}) w
                CROSS JOIN desk_availabilityrule r
                JOIN desk_service sv ON sv.id = r.service_id
                CROSS JOIN LATERAL (SELECT date_trunc('week', now())::date + w * 7 + r.weekday AS d) day
                CROSS JOIN LATERAL generate_series(
                    0, (extract(epoch FROM r.end_time - r.start_time) / 60)::int
                       / sv.duration_minutes - 1) i
                WHERE {CLOSED_SQL}
            ) s
            WHERE starts_at < current_date + {FUTURE_WEEKS * 7 + 1}
            ORDER BY starts_at, rule_id""",
        )
    conn.close()


def load_bookings(url, hubs, people, timer):
    block = people // hubs
    stride = 997 if block % 997 else 991
    c = connect(url)
    lo, hi = scalar(c, "SELECT min(id) FROM desk_slot"), scalar(c, "SELECT max(id) FROM desk_slot")
    c.close()
    mid = (lo + hi) // 2
    p_future = future_p_sql("s.starts_at")
    sql = f"""
        INSERT INTO desk_booking (channel, status, source, reason, language, created_at,
            hold_expires_at, confirmed_at, cancelled_at, marked_at, antenna_id, created_by_id,
            hub_id, marked_by_id, person_id, service_id, slot_id, cancel_reason, sequence, video_url)
        SELECT channel, status, source,
               CASE WHEN u5 < 0.7 THEN ''
                    ELSE ({sql_array(REASONS)})[1 + floor(u4 * {len(REASONS)})::int] END,
               CASE WHEN u3 < 0.05 THEN 'en' ELSE 'it' END,
               created_at,
               CASE WHEN status IN ('pending', 'expired') THEN created_at + interval '30 minutes' END,
               CASE WHEN status IN ('confirmed', 'attended', 'no_show')
                         OR (status IN ('cancelled', 'cancelled_by_hub') AND (source <> 'online' OR u4 < 0.8))
                    THEN CASE WHEN source = 'online'
                              THEN LEAST(now(), created_at + u4 * interval '3 hours') ELSE created_at END
               END,
               cancelled_at,
               CASE WHEN status IN ('attended', 'no_show') THEN starts_at + interval '1 hour'
                    WHEN status = 'cancelled_by_hub' THEN cancelled_at END,
               antenna_id,
               CASE WHEN source = 'staff' THEN operator_id END,
               hub_id,
               CASE WHEN status IN ('attended', 'no_show', 'cancelled_by_hub') THEN operator_id END,
               person_id, service_id, slot_id, '', 0, ''
        FROM (
            SELECT b.*,
                   CASE WHEN status IN ('cancelled', 'cancelled_by_hub')
                        THEN created_at + u5 * (GREATEST(LEAST(starts_at, now()), created_at) - created_at)
                   END AS cancelled_at
            FROM (
                SELECT a.*,
                       CASE WHEN status = 'pending' THEN now() - u3 * interval '25 minutes'
                            ELSE LEAST(starts_at - (1 + u3 * 20) * interval '1 day',
                                       now() - (0.05 + u3 * 3) * interval '1 day') END AS created_at
                FROM (
                    SELECT x.*, j, u3, u4, u5, source,
                           CASE WHEN j <= k THEN
                                    CASE WHEN past THEN CASE WHEN u2 < 0.86 THEN 'attended' ELSE 'no_show' END
                                         WHEN source = 'online' AND u2 < 0.07 THEN 'pending'
                                         ELSE 'confirmed' END
                                WHEN is_cancelled THEN 'cancelled_by_hub'
                                WHEN source = 'online' AND u2 < 0.25 THEN 'expired'
                                WHEN u2 < 0.9 THEN 'cancelled'
                                ELSE 'cancelled_by_hub' END AS status,
                           CASE WHEN {hubs} > 1 AND (x.slot_id + j) % 25 = 0
                                THEN ((x.hidx + {hubs} - 1) % {hubs}) * {block}
                                     + 20 * ((x.r + j) % GREATEST(1, {block} / 20)) + 1
                                ELSE x.hidx * {block} + (x.r + j * {stride}) % {block} + 1
                           END AS person_id
                    FROM (
                        SELECT s.id AS slot_id, s.hub_id, s.hub_id - 1 AS hidx, s.service_id, s.channel,
                               s.antenna_id, s.operator_id, s.starts_at, s.capacity, s.is_cancelled,
                               s.starts_at < now() AS past,
                               floor(random() * 1e9)::bigint AS r,
                               CASE WHEN s.is_cancelled THEN 0
                                    WHEN s.capacity = 1 THEN
                                        (random() < CASE WHEN s.starts_at < now() THEN {P_PAST}
                                                         ELSE {p_future} END)::int
                                    ELSE LEAST(s.capacity, floor(
                                        s.capacity * CASE WHEN s.starts_at < now() THEN {P_PAST}
                                                          ELSE {p_future} END
                                        * (0.75 + 0.5 * random()) + random()))::int
                               END AS k,
                               CASE WHEN s.is_cancelled THEN s.capacity
                                    WHEN s.capacity = 1 THEN (random() < {EXTRA_ONE})::int
                                    ELSE floor(random() * {EXTRA_GROUP})::int END AS e
                        FROM desk_slot s
                        WHERE s.id BETWEEN :first AND :last
                        OFFSET 0
                    ) x
                    CROSS JOIN LATERAL generate_series(1, x.k + x.e) j
                    CROSS JOIN LATERAL (
                        SELECT random() AS u2, random() AS u3, random() AS u4, random() AS u5,
                               CASE WHEN random() < 0.80 THEN 'online'
                                    WHEN random() < 0.75 THEN 'staff' ELSE 'waitlist' END AS source
                        WHERE j > 0
                    ) rnd
                ) a
            ) b
        ) c"""

    def half(seed, first, last):
        conn = connect(url)
        run(conn, f"SELECT setseed({seed})")
        with timer.step(f"bookings of slots {first:,}–{last:,}"):
            run(conn, sql.replace(":first", str(first)).replace(":last", str(last)))
        conn.close()

    with timer.step("bookings (desk.Booking, 2 sessions)"):
        parallel(lambda: half(0.33, lo, mid), lambda: half(0.44, mid + 1, hi))


def finish(url, timer):
    conn = connect(url)
    with timer.step("identity sequences"):
        with conn.cursor() as cur:
            cur.execute("""
                SELECT c.table_name FROM information_schema.columns c
                WHERE c.table_schema = 'public' AND c.column_name = 'id' AND c.is_identity = 'YES'""")
            for (table,) in cur.fetchall():
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
    conn.close()

    def vacuum(tables):
        c = connect(url)
        for t in tables:
            with timer.step(f"VACUUM ANALYZE {t}"):
                run(c, f"VACUUM (ANALYZE) {t}")
        c.close()

    with timer.step("VACUUM ANALYZE (2 sessions)"):
        parallel(
            lambda: vacuum(["desk_booking"]),
            lambda: vacuum(["desk_slot", "people_person", "people_personhub"]),
        )
    conn = connect(url)
    run(conn, "ANALYZE")
    conn.close()


def check(url, timer):
    conn = connect(url)
    holding = ", ".join(f"'{s}'" for s in HOLDING)
    checks = {
        "slots over capacity": f"""
            SELECT count(*) FROM (
                SELECT b.slot_id FROM desk_booking b JOIN desk_slot s ON s.id = b.slot_id
                WHERE b.status IN ({holding}) GROUP BY b.slot_id, s.capacity
                HAVING count(*) > s.capacity) t""",
        "people holding the same slot twice": f"""
            SELECT count(*) FROM (SELECT 1 FROM desk_booking WHERE status IN ({holding})
                                  GROUP BY slot_id, person_id HAVING count(*) > 1) t""",
        "bookings whose person is not linked to the hub": """
            SELECT count(*) FROM desk_booking b WHERE NOT EXISTS (
                SELECT 1 FROM people_personhub l WHERE l.person_id = b.person_id AND l.hub_id = b.hub_id)""",
        "bookings not matching their slot (hub, service, channel, antenna)": """
            SELECT count(*) FROM desk_booking b JOIN desk_slot s ON s.id = b.slot_id
            WHERE (b.hub_id, b.service_id, b.channel) IS DISTINCT FROM (s.hub_id, s.service_id, s.channel)
               OR b.antenna_id IS DISTINCT FROM s.antenna_id""",
        "holding bookings on cancelled slots": f"""
            SELECT count(*) FROM desk_booking b JOIN desk_slot s ON s.id = b.slot_id
            WHERE s.is_cancelled AND b.status IN ({holding})""",
    }
    problems = 0
    with timer.step("checks"):
        for label, sql in checks.items():
            n = scalar(conn, sql)
            problems += n
            print(f"           {label}: {n}")
    conn.close()
    return problems


def report(url):
    conn = connect(url)
    print("\nRows:")
    for table in (
        "hubs_hub",
        "hubs_municipality",
        "hubs_subarea",
        "hubs_antenna",
        "desk_closure",
        "desk_service",
        "people_user",
        "hubs_membership",
        "desk_availabilityrule",
        "people_person",
        "people_personhub",
        "desk_slot",
        "desk_booking",
    ):
        print(f"  {table:24} {scalar(conn, f'SELECT count(*) FROM {table}'):>12,}")
    print("\nBookings by status:")
    with conn.cursor() as cur:
        cur.execute("SELECT status, count(*) FROM desk_booking GROUP BY 1 ORDER BY 2 DESC")
        for status, n in cur.fetchall():
            print(f"  {status:24} {n:>12,}")
        cur.execute("""SELECT count(*), count(*) FILTER (WHERE starts_at > now()),
                              min(starts_at)::date, max(starts_at)::date FROM desk_slot""")
        total, future, first, last = cur.fetchone()
        print(f"\nSlots: {total:,} from {first} to {last}, {future:,} in the future")
        size = scalar(conn, "SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"Database size: {size}")
    conn.close()


EMPTY = {"character varying": "''", "text": "''", "integer": "0", "smallint": "0", "boolean": "false"}


def columns_without_default(conn) -> list[tuple[str, str, str]]:
    """NOT NULL columns with no database default (Django keeps its defaults in Python)."""
    with conn.cursor() as cur:
        cur.execute(
            """SELECT table_name, column_name, data_type FROM information_schema.columns
               WHERE table_schema = 'public' AND is_nullable = 'NO' AND column_default IS NULL
                 AND is_identity = 'NO'
                 AND data_type = ANY(%s)""",
            [list(EMPTY)],
        )
        return cur.fetchall()


def set_plain_defaults(conn, columns, *, on: bool) -> None:
    """
    Columns the project added after this script was written get an empty default while the
    INSERT … SELECTs run (so the load does not break on each new field), dropped again after.
    """
    with conn.cursor() as cur:
        for table, column, kind in columns:
            action = f"SET DEFAULT {EMPTY[kind]}" if on else "DROP DEFAULT"
            cur.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" {action}')


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=SCALES, default="demo")
    parser.add_argument("--database-url", help="default: BENCH_DATABASE_URL or …/yip_bench_<scale>")
    parser.add_argument("--hubs", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--bookings", type=int)
    args = parser.parse_args()

    hubs, people, bookings = SCALES[args.scale]
    hubs, people, bookings = args.hubs or hubs, args.people or people, args.bookings or bookings
    if people // hubs < 40:
        parser.error("at least 40 young people per hub")
    url = database_url(args.scale, args.database_url)
    past_weeks = past_weeks_for(bookings // hubs)
    print(
        f"Scale {args.scale}: {hubs} hubs, {people:,} young people, ~{bookings:,} bookings "
        f"({past_weeks} past weeks) → {url}"
    )

    timer = Timer()
    t0 = time.perf_counter()
    recreate_database(url, timer)
    conn = connect(url)
    added_defaults = columns_without_default(conn)
    set_plain_defaults(conn, added_defaults, on=True)
    constraints, indexes = take_off_indexes(conn)
    load_territory(conn, hubs, past_weeks, timer)
    conn.close()
    with timer.step("people and slots (2 sessions)"):
        parallel(lambda: load_people(url, hubs, people, timer), lambda: load_slots(url, past_weeks, timer))
    load_bookings(url, hubs, people, timer)
    conn = connect(url)
    set_plain_defaults(conn, added_defaults, on=False)
    conn.close()
    put_back_indexes(url, constraints, indexes, timer)
    finish(url, timer)
    problems = check(url, timer)
    elapsed = time.perf_counter() - t0
    report(url)
    print(f"\nTotal: {elapsed:.1f} s. Constraint and capacity problems: {problems}.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
