"""Demo content of the online desk, loaded by `manage.py seed_demo` (idempotent)."""

from datetime import time

from django.contrib.auth import get_user_model
from django.utils import timezone

from hubs.models import Antenna

from . import services
from .models import AvailabilityRule, Channel, Service

SERVICES = [
    # name, description, minutes
    ("Orientamento scolastico", "Scegliere la scuola superiore, l'università o un corso.", 45),
    ("Orientamento al lavoro", "Capire cosa ti piace fare e come arrivarci.", 45),
    ("Curriculum e lettera di presentazione", "Scriviamo insieme il tuo CV.", 45),
    ("Ricerca attiva del lavoro", "Piccolo gruppo: dove cercare, come candidarsi.", 60),
    ("Informazioni", "Corsi, bandi, servizio civile, opportunità all'estero.", 20),
]

# hub, operator e-mail, service, channel, antenna name, weekday, from, to, places, video link
RULES = [
    ("crema", "operator@crema.demo", "Orientamento scolastico", Channel.HUB, None, 1, 14, 17, 1, ""),
    ("crema", "operator@crema.demo", "Orientamento al lavoro", Channel.HUB, None, 3, 9, 12, 1, ""),
    (
        "crema",
        "hub_admin@crema.demo",
        "Curriculum e lettera di presentazione",
        Channel.ANTENNA,
        "Antenna di Castelleone",
        2,
        15,
        17,
        1,
        "",
    ),
    (
        "crema",
        "hub_admin@crema.demo",
        "Orientamento al lavoro",
        Channel.ONLINE,
        None,
        4,
        10,
        12,
        1,
        "https://meet.jit.si",
    ),
    ("crema", "operator@crema.demo", "Ricerca attiva del lavoro", Channel.HUB, None, 0, 17, 18, 6, ""),
    ("cremona", "operator@cremona.demo", "Orientamento al lavoro", Channel.HUB, None, 1, 10, 12, 1, ""),
    (
        "cremona",
        "operator@cremona.demo",
        "Informazioni",
        Channel.ONLINE,
        None,
        3,
        15,
        16,
        1,
        "https://meet.jit.si",
    ),
]


def seed(*, hubs: dict, count, pdf: bool = True) -> None:
    """`count(label, created)` tallies what was created, as seed_demo reports it (no PDF here)."""
    for hub in hubs.values():
        services.desk_settings_get(hub=hub)
        for position, (name, description, minutes) in enumerate(SERVICES):
            _service, created = Service.objects.get_or_create(
                hub=hub,
                name=name,
                defaults={"description": description, "duration_minutes": minutes, "position": position},
            )
            count("desk services", created)
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith=".demo")}
    for slug, email, service_name, channel, antenna_name, weekday, start, end, places, video in RULES:
        hub, operator = hubs.get(slug), users.get(email)
        if hub is None or operator is None:  # no demo accounts (--no-accounts)
            continue
        _rule, created = AvailabilityRule.objects.get_or_create(
            hub=hub,
            service=Service.objects.for_hub(hub).get(name=service_name),
            operator=operator,
            weekday=weekday,
            start_time=time(start),
            defaults={
                "channel": channel,
                "end_time": time(end),
                "capacity": places,
                "video_url": video,
                "valid_from": timezone.localdate(),
                "antenna": Antenna.objects.for_hub(hub).filter(name=antenna_name).first(),
            },
        )
        count("desk availability", created)
    for hub in hubs.values():
        created = services.slots_sync(hub=hub)["created"]
        for _ in range(created):
            count("desk slots", True)
