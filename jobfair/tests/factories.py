"""Factories of the job fair's tests, and the objects the access sweep names by id."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from jobfair import services
from jobfair.models import Exhibitor, Fair


class FairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fair

    title = factory.Sequence(lambda n: f"Job Fair {n}")
    venue = "Centro fieristico"
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    opens_at = time(9, 0)
    closes_at = time(17, 0)
    exhibitors_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    exhibitors_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    visitors_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    visitors_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    capacity = 500

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        hub = kwargs.pop("hub")
        status = kwargs.pop("status", Fair.Status.DRAFT)
        fair = services.fair_create(hub=hub, data=kwargs)
        if status != fair.status:
            Fair.objects.filter(pk=fair.pk).update(status=status, published_at=timezone.now())
            fair.refresh_from_db()
        return fair


def exhibitor_for(fair, organization, *, area_slug="cura", approve=True, keywords="infermiere") -> Exhibitor:
    exhibitor = services.exhibitor_register(
        fair=fair,
        name=organization.name,
        kind=organization.kind,
        area=fair.areas.get(slug=area_slug),
        description="Cosa offriamo",
        keywords=keywords,
        contact_name="Referente",
        contact_email=f"contatto-{organization.pk}@example.org",
    )
    if approve:
        exhibitor = services.exhibitor_approve(exhibitor=exhibitor, by=None)
    return exhibitor


def sweep_fair(h) -> Fair:
    """The published fair of a world's hub (made once, found after)."""
    fair = Fair.objects.for_hub(h.hub).filter(title="Sweep fair").first()
    return fair or FairFactory(hub=h.hub, title="Sweep fair", status=Fair.Status.PUBLISHED)


def sweep_exhibitor(h) -> Exhibitor:
    """The approved exhibitor of a world's hub: its cooperative, whose exhibitor member acts for it."""
    fair = sweep_fair(h)
    exhibitor = Exhibitor.objects.filter(fair=fair, organization=h.cooperative).first()
    return exhibitor or exhibitor_for(fair, h.cooperative)
