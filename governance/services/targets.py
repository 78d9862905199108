"""
The hub's monitoring plan (project timeline) and the project's targets loaded into it.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hubs.models import Hub

from ..models import MonitoringPlan, Target


def plan_get(*, hub) -> MonitoringPlan:
    """
    The hub's project timeline, created with the project's dates (April 2022 – October 2023)
    the first time it is asked for. For the network (hub=None) an unsaved plan with those
    default dates.
    """
    if hub is None:
        return MonitoringPlan()
    plan, _created = MonitoringPlan.objects.get_or_create(hub=hub)
    return plan


# The targets of the project plan: (key, part, action, title, target, notes). Titles and notes are
# stored in the portal's language when a hub's targets are loaded.
PLAN_TARGETS = (
    (
        "hubs.antennas_active",
        "",
        2,
        gettext_noop("Antennas and local points active"),
        8,
        gettext_noop("Antennas, local points and local centres of the online desk IG 4.0."),
    ),
    (
        "pacts.pacts",
        "",
        3,
        gettext_noop("Youth pacts signed"),
        8,
        gettext_noop("One youth pact per sub-area of the Piano di Zona."),
    ),
    (
        "jobclub.paths_technical",
        "",
        4,
        gettext_noop("Job Club paths in technical and vocational schools"),
        12,
        gettext_noop("12 paths of 20 hours each."),
    ),
    (
        "jobclub.paths_licei",
        "",
        4,
        gettext_noop("Job Club paths for mixed licei groups"),
        3,
        gettext_noop("3 paths of 20 hours each."),
    ),
    (
        "placements.paths_completed",
        "",
        5,
        gettext_noop("Together We Work paths completed"),
        10,
        gettext_noop("At least 10 personalised paths of 3 to 24 hours."),
    ),
    (
        "jobfair.fairs",
        "",
        6,
        gettext_noop("Job fairs held"),
        1,
        gettext_noop("Il futuro è oggi — Job Fair del Cremasco."),
    ),
    (
        "jobfair.focus_areas",
        "",
        6,
        gettext_noop("Focus areas of the job fair"),
        4,
        gettext_noop(
            "Care professions, cosmetics supply chain, smart jobs, youth unlock after the pandemic."
        ),
    ),
)


def load_targets(hub: Hub) -> int:
    """
    Give the hub the targets of the project plan (and its timeline). Idempotent: a target that
    exists (same indicator and part) is left as the hub set it. Returns how many were created.
    """
    plan_get(hub=hub)
    existing = set(Target.objects.for_hub(hub).values_list("indicator_key", "part"))
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for position, (key, part, action, title, value, notes) in enumerate(PLAN_TARGETS):
            if (key, part) in existing:
                continue
            Target.objects.create(
                hub=hub,
                indicator_key=key,
                part=part,
                action=action,
                title=_(title),
                value=Decimal(value),
                notes=_(notes),
                position=position,
            )
            created += 1
    return created


def target_save(*, target: Target) -> Target:
    """Save a target's value and notes (the form checked them)."""
    target.save()
    return target


def plan_save(*, plan: MonitoringPlan) -> MonitoringPlan:
    """Save the hub's project timeline; the expected values follow it at the next read."""
    plan.save()
    return plan
