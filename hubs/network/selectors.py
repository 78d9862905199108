"""Reads of the network level (action 1): every function names the hub or network it reads for."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hubs.catalogue_registry import Entry, entries_for
from hubs.indicator_registry import REGISTRY, collect
from hubs.masking import SMALL, mask, mask_breakdown
from hubs.models import Hub, Municipality, SubArea
from hubs.navigation import ACTIONS_BY_NUMBER

from .models import (
    Adoption,
    LibraryTool,
    NetworkMembership,
    QualityAssessment,
    QualityCriterion,
    Referral,
    TerritoryFigure,
)


def network_members(*, network) -> QuerySet[NetworkMembership]:
    """The approved hubs of a network (None: of every network): the only ones network pages show."""
    members = NetworkMembership.objects.approved().select_related("hub")
    return members if network is None else members.filter(hub__network=network)


def network_hubs(*, network) -> QuerySet[Hub]:
    return Hub.objects.filter(pk__in=network_members(network=network).values("hub")).order_by("name")


def is_approved(hub: Hub) -> bool:
    return NetworkMembership.objects.approved().filter(hub=hub).exists()


def labels_of(hubs) -> dict[int, QualityAssessment]:
    """Each hub's latest self-assessment, by hub id (one query)."""
    latest = {}
    for row in QualityAssessment.objects.filter(hub__in=hubs).order_by("hub", "-submitted_at"):
        latest.setdefault(row.hub_id, row)
    return latest


def criteria_for(*, network) -> QuerySet[QualityCriterion]:
    return QualityCriterion.objects.filter(network=network, is_active=True)


# --- The catalogue --------------------------------------------------------------------------


def catalogue_search(*, network, query: str = "", municipality: Municipality | None = None) -> list[Entry]:
    """
    The services of every approved hub that match `query` (in name or description). With a
    municipality: online services and those offered in person there first, then those of hubs
    whose territory covers it, then the rest; within each, by hub and name.
    """
    entries = entries_for(network_hubs(network=network))
    words = query.lower().split()
    if words:
        entries = [e for e in entries if all(w in f"{e.title} {e.description}".lower() for w in words)]
    covering = set()
    if municipality is not None:
        covering = set(SubArea.objects.filter(municipalities=municipality).values_list("hub_id", flat=True))
        covering |= set(Hub.objects.filter(municipality=municipality).values_list("pk", flat=True))

    def rank(entry: Entry):
        if municipality is None:
            near = 0
        elif entry.online or municipality.pk in entry.municipality_ids:
            near = 0
        elif entry.hub.pk in covering:
            near = 1
        else:
            near = 2
        return (near, entry.hub.name, entry.title)

    return sorted(entries, key=rank)


def catalogue_entry(*, hub: Hub, key: str) -> Entry | None:
    if not is_approved(hub):
        return None
    return next((e for e in entries_for([hub]) if e.key == key), None)


# --- Referrals ------------------------------------------------------------------------------


def referrals_sent(*, hub: Hub) -> QuerySet[Referral]:
    return Referral.objects.for_hub(hub).select_related("to_hub", "person")


def referrals_received(*, hub: Hub) -> QuerySet[Referral]:
    """What the receiving hub may see: consented and not revoked, within the consent's term."""
    return Referral.objects.filter(
        to_hub=hub, status__in=Referral.VISIBLE_TO_RECEIVER, expires_on__gte=timezone.localdate()
    ).select_related("hub", "person")


def referral_for(*, hub: Hub, pk: int) -> tuple[Referral, bool] | None:
    """The referral as `hub` may see it, and whether `hub` is its sender; None: not theirs to see."""
    referral = (
        Referral.objects.filter(pk=pk)
        .filter(Q(hub=hub) | Q(pk__in=referrals_received(hub=hub).values("pk")))
        .select_related("hub", "to_hub", "person", "person__municipality")
        .first()
    )
    if referral is None:
        return None
    return referral, referral.hub_id == hub.pk


def shared_items(referral: Referral) -> list[tuple[str, str]]:
    """The consented items of the person, as the receiving hub sees them: nothing else."""
    person, values = referral.person, []
    today = timezone.localdate()
    for item in referral.items:
        value = {
            Referral.Item.NAME: str(person),
            Referral.Item.EMAIL: person.email,
            Referral.Item.PHONE: person.phone,
            Referral.Item.AGE: person.age_on(today),
            Referral.Item.MUNICIPALITY: person.municipality.name if person.municipality else "",
            Referral.Item.STATUS: person.get_status_display(),
            Referral.Item.EDUCATION: person.get_education_display(),
        }.get(item)
        values.append((str(Referral.Item(item).label), "" if value is None else str(value)))
    return values


# --- Comparing hubs -------------------------------------------------------------------------


def _total(value):
    if isinstance(value, dict):
        return sum(v for v in value.values() if isinstance(v, int | float))
    return value


def comparison(*, network, start: date, end: date) -> dict:
    """
    Every hub of the network side by side on every registered indicator, each computed by the
    same code (the indicator registry) for each hub: a breakdown as its total; counts of people
    masked ("< 5"); counts of people also per 1,000 young residents where the hub's territory
    says how many there are (never for a masked count). Aggregates only: nothing links to a person.
    """
    members = list(network_members(network=network))
    hubs = [m.hub for m in members]
    values = {m.hub_id: collect(hub=m.hub, start=start, end=end) for m in members}
    rows = []
    for key, item in sorted(REGISTRY.items(), key=lambda kv: (kv[1].action, kv[0])):
        if key in NETWORK_ONLY:
            continue
        cells = []
        for m in members:
            raw = _total(values[m.hub_id][key])
            shown = mask(raw, personal=item.personal)
            per_1000 = None
            if m.young_residents and item.personal and isinstance(shown, int | float) and raw:
                per_1000 = round(raw * 1000 / m.young_residents, 2)
            cells.append({"value": shown, "per_1000": per_1000})
        rows.append(
            {
                "key": key,
                "title": item.title,
                "action": item.action,
                "action_title": getattr(ACTIONS_BY_NUMBER.get(item.action), "title", ""),
                "personal": item.personal,
                "cells": cells,
            }
        )
    return {"hubs": hubs, "members": members, "rows": rows, "start": start, "end": end}


# Indicators that describe the network as a whole: the same for every hub, so not compared.
NETWORK_ONLY = {"hubs.hubs_in_network", "hubs.hubs_approved", "hubs.catalogue_services"}


# --- The shared library ---------------------------------------------------------------------


def library_for(*, hub: Hub) -> list[dict]:
    """The network's tools with their latest version, and this hub's copy of each (if any)."""
    tools = LibraryTool.objects.filter(network_id=hub.network_id).prefetch_related("versions")
    adoptions = {a.tool_id: a for a in Adoption.objects.for_hub(hub)}
    rows = []
    for tool in tools:
        versions = list(tool.versions.all())
        latest = versions[0] if versions else None
        adoption = adoptions.get(tool.pk)
        newer = [v for v in versions if adoption and v.number > adoption.version_number]
        rows.append({"tool": tool, "latest": latest, "adoption": adoption, "newer": newer})
    return rows


def adoptions_for(*, hub: Hub) -> QuerySet[Adoption]:
    return Adoption.objects.for_hub(hub)


# --- Equity: who the hub reaches, beside its territory --------------------------------------

LOW_SCHOOLING = ("primary", "lower_secondary")  # people.Person.Education: at most the licenza media


def _share(part: int, whole: int):
    """A share in whole percent, shown only when neither count gives a small number away."""
    if whole < SMALL or 0 < part < SMALL or 0 < whole - part < SMALL:
        return None
    return round(part * 100 / whole)


def equity(*, hub: Hub, start: date, end: date) -> list[dict]:
    """
    Per sub-area of the hub (then "outside the sub-areas"), the young people the hub reached in
    the period (their first dealing with it: PersonHub.since) and the share of them NEET and with
    low schooling, beside the territory's figures where the coordinator entered them (else the
    hub's whole territory's). Counts of 1 to 4 read "< 5", and a count that the total and the other
    lines would give away reads "*" (hubs/masking.py's primary and secondary suppression); a share
    is left out when a count it rests on is hidden, or it or its complement rests on 1 to 4 people.
    Three queries, whatever the number of people.
    """
    from people.models import Person

    areas = list(SubArea.objects.for_hub(hub).order_by("name"))
    area_of = {}
    for municipality_id, area_id in SubArea.objects.for_hub(hub).values_list("municipalities", "pk"):
        if municipality_id is not None:
            area_of.setdefault(municipality_id, area_id)
    counts: dict[int | None, dict[str, int]] = {}
    rows = (
        Person.objects.filter(hub_links__hub=hub, hub_links__since__date__range=(start, end))
        .values("municipality_id")
        .annotate(
            reached=Count("pk"),
            neet=Count("pk", filter=Q(status="neet")),
            low=Count("pk", filter=Q(education__in=LOW_SCHOOLING)),
        )
        .order_by()
    )
    for row in rows:
        tally = counts.setdefault(area_of.get(row["municipality_id"]), {"reached": 0, "neet": 0, "low": 0})
        for key in tally:
            tally[key] += row[key]
    figures = {(f.sub_area_id, f.measure): f for f in TerritoryFigure.objects.for_hub(hub)}

    empty = {"reached": 0, "neet": 0, "low": 0}
    keys = [area.pk for area in areas] + ([None] if counts.get(None) else [])
    # Beside the whole territory's total, a small count in one line could be worked out from the
    # others: each breakdown is masked as a whole (primary and secondary suppression).
    masked = {
        measure: mask_breakdown({key: counts.get(key, empty)[measure] for key in keys})
        for measure in ("reached", "neet", "low")
    }

    def line(area, key, figures_key, *, whole=False):
        tally = counts.get(key, empty) if not whole else total
        shown = {m: (tally[m] if whole else masked[m][key]) for m in empty}

        def share(measure):
            if not all(isinstance(shown[m], int) for m in ("reached", measure)):
                return None
            return _share(tally[measure], tally["reached"])

        return {
            "area": area,
            "whole": whole,
            "reached": mask(tally["reached"], personal=True) if whole else shown["reached"],
            "neet_share": share("neet"),
            "low_share": share("low"),
            "neet_territory": figures.get((figures_key, TerritoryFigure.Measure.NEET)),
            "low_territory": figures.get((figures_key, TerritoryFigure.Measure.LOW_SCHOOLING)),
        }

    total = {key: sum(tally[key] for tally in counts.values()) for key in empty}
    lines = [line(None, None, None, whole=True)]  # the whole territory, beside its own figures
    lines += [line(area, area.pk, area.pk) for area in areas]
    if counts.get(None):  # people of no sub-area's municipality (or none recorded): no figure
        lines.append(line(None, None, "-"))
    return lines
