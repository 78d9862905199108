"""Together We Work's part of the back office's quick search (hubs/search_registry.py): a path by number."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hubs.search_registry import Query, Result, group

from .models import Path


@group("placements.paths", title=_("Together We Work paths"), capability="placements.manage_paths", order=30)
def paths(hub, query: Query, limit: int) -> list[Result]:
    """The hub's path with that number (the number on the path's sheet and in the export)."""
    if query.number is None:
        return []
    rows = (
        Path.objects.for_hub(hub).filter(pk=query.number).select_related("person", "cooperative")[: limit + 1]
    )
    return [
        Result(
            label=str(path),
            detail=f"{path.person} · {path.cooperative.name} · {path.get_status_display()}",
            url=reverse("placementsbo:path_detail", kwargs={"hub_slug": hub.slug, "pk": path.pk}),
        )
        for path in rows
    ]
