"""
Demo content of the network level (action 1), loaded by `manage.py seed_demo` (idempotent): the
hubs of Lodi and Mantova, every demo hub approved in the network with its young residents, the
quality checklist and each hub's self-assessment, and the shared library with one adoption.
"""

from decimal import Decimal

from django.utils import timezone

from . import demo
from .models import Hub, Municipality, Network, SubArea
from .network import services
from .network.models import (
    Adoption,
    LibraryTool,
    NetworkMembership,
    QualityAssessment,
    QualityCriterion,
    TerritoryFigure,
)


def seed(*, hubs: dict, count, pdf: bool = True) -> None:
    network = Network.objects.get(slug=demo.NETWORK["slug"])
    all_hubs = dict(hubs)
    for data in demo.NETWORK_HUBS:
        data = dict(data)
        slug = data.pop("slug")
        name, province = data.pop("municipality")
        municipality, _ = Municipality.objects.get_or_create(name=name, province=province)
        hub = Hub.objects.filter(slug=slug).first()
        count("hubs", hub is None)
        if hub is None:
            hub = Hub.objects.create(slug=slug, network=network, municipality=municipality, **data)
        all_hubs[slug] = hub

    today = timezone.localdate()
    for slug, hub in all_hubs.items():
        membership = NetworkMembership.objects.filter(hub=hub).first()
        count("network members", membership is None)
        if membership is None:
            membership = NetworkMembership.objects.create(
                hub=hub,
                joined_on=today.replace(month=1, day=15),
                charter_accepted=True,
                contact_name="Referente della rete",
                contact_email=hub.email or f"rete@{slug}.demo",
                young_residents=demo.YOUNG_RESIDENTS.get(slug),
            )
            services.network_approve(membership=membership, by=None)

    if not QualityCriterion.objects.filter(network=network).exists():
        services.criteria_set(network=network, texts=list(demo.QUALITY_CRITERIA))
    criteria = list(QualityCriterion.objects.filter(network=network, is_active=True))
    for slug, hub in all_hubs.items():
        exists = QualityAssessment.objects.for_hub(hub).exists()
        count("quality assessments", not exists)
        if not exists and criteria:
            met = criteria[: demo.QUALITY_MET.get(slug, 0)]
            services.assessment_submit(hub=hub, met=met, total=len(criteria), by=None)

    crema = all_hubs.get("crema")
    if crema is not None:
        _seed_territory_figures(crema, count)

    for kind, title, versions in demo.LIBRARY:
        tool = LibraryTool.objects.filter(network=network, title=title).first()
        count("library tools", tool is None)
        if tool is None:
            first = services.tool_publish(network=network, kind=kind, title=title, body=versions[0][0])
            tool = first.tool
            crema = all_hubs.get("crema")
            if crema is not None and not Adoption.objects.for_hub(crema).filter(tool=tool).exists():
                services.tool_adopt(hub=crema, version=first)
            for body, changes in versions[1:]:
                services.tool_publish(
                    network=network, kind=kind, title=title, body=body, changes=changes, tool=tool
                )


# The equity view's figures of the territory, for Crema's whole territory and its sub-areas. Made
# up for the demo (the source says so): a coordinator enters the real ones from ISTAT or Eurostat.
DEMO_FIGURES_SOURCE = "Dati dimostrativi (non ufficiali)"


def _seed_territory_figures(hub, count) -> None:
    if TerritoryFigure.objects.for_hub(hub).exists():
        return
    year = timezone.localdate().year - 2
    areas = [None, *SubArea.objects.for_hub(hub).order_by("name")]
    for n, area in enumerate(areas):
        for measure, base in (("neet", 14), ("low_schooling", 11)):
            services.territory_figure_save(
                hub=hub,
                sub_area=area,
                measure=measure,
                percent=Decimal(base + (n * 7 % 5) - 2) + (Decimal("0.5") if n % 2 else 0),
                source=DEMO_FIGURES_SOURCE,
                year=year,
                by=None,
            )
            count("figures of the territory", True)
