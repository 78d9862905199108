"""
The desk's services in the regional catalogue (hubs/catalogue_registry.py): each bookable
service of an approved hub, with its channels and places from the active availability, booked
on that hub's own booking page (desk:book_slots), under that hub's desk rules.
"""

from django.urls import reverse

from hubs.catalogue_registry import Entry, provider

from .models import AvailabilityRule, Channel, Service


@provider("desk")
def desk_entries(hubs) -> list[Entry]:
    services = Service.objects.filter(hub__in=hubs, is_active=True).select_related("hub")
    rules = AvailabilityRule.objects.filter(
        hub__in=hubs, is_active=True, service__is_active=True
    ).select_related("antenna", "hub")
    offered: dict[int, dict] = {}
    for rule in rules:
        found = offered.setdefault(
            rule.service_id, {"channels": set(), "places": set(), "municipalities": set()}
        )
        found["channels"].add(rule.channel)
        if rule.channel == Channel.ANTENNA and rule.antenna:
            found["places"].add(f"{rule.antenna.name}, {rule.antenna.address}")
            found["municipalities"].add(rule.antenna.municipality_id)
        elif rule.channel == Channel.HUB:
            found["places"].add(f"{rule.hub.name}, {rule.hub.address}".rstrip(", "))
            found["municipalities"].add(rule.hub.municipality_id)
    entries = []
    for service in services:
        found = offered.get(service.pk)
        if not found:  # nothing to book: no availability
            continue
        entries.append(
            Entry(
                hub=service.hub,
                key=f"desk-{service.pk}",
                title=service.name,
                description=service.description,
                channels=tuple(str(Channel(c).label) for c in sorted(found["channels"])),
                places=tuple(sorted(found["places"])),
                online=Channel.ONLINE in found["channels"],
                municipality_ids=frozenset(found["municipalities"]),
                book_url=reverse(
                    "desk:book_slots", kwargs={"hub_slug": service.hub.slug, "service_id": service.pk}
                ),
            )
        )
    return entries
