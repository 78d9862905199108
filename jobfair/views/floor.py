"""The floor map: the fair's stands as an SVG grid, coloured by focus area, searchable."""

from django.utils.text import slugify

CELL = 64  # a stand's square, in SVG units
GAP = 8


def _words(exhibitor) -> str:
    """What a search matches: name, area, keywords, and the opportunities' titles."""
    parts = [exhibitor.organization.name, exhibitor.area.name, exhibitor.keywords]
    parts += [opportunity.title for opportunity in exhibitor.opportunities.all()]
    return " ".join(parts).lower()


def floor_map(fair, *, search: str = "") -> dict:
    """
    The stands with their place, area and exhibitor, and which ones match `search`
    ("infermiere" lights up the stands whose exhibitor, keywords or opportunities say it).
    A fixed number of queries, whatever the number of stands.
    """
    stands = list(
        fair.stands.select_related("exhibitor__organization", "exhibitor__area").prefetch_related(
            "exhibitor__opportunities"
        )
    )
    areas = {area.pk: index for index, area in enumerate(fair.areas.all())}
    needle = search.strip().lower()
    cells = []
    for stand in stands:
        exhibitor = getattr(stand, "exhibitor", None)
        if exhibitor is not None and exhibitor.status != "approved":
            exhibitor = None
        words = _words(exhibitor) if exhibitor else ""
        cells.append(
            {
                "stand": stand,
                "exhibitor": exhibitor,
                "x": GAP + stand.column * (CELL + GAP),
                "y": GAP + stand.row * (CELL + GAP),
                "area_index": areas.get(exhibitor.area_id, "none") if exhibitor else "none",
                "words": words,
                "match": bool(needle) and needle in words,
                "slug": slugify(stand.code),
            }
        )
    columns = max((stand.column for stand in stands), default=-1) + 1
    rows = max((stand.row for stand in stands), default=-1) + 1
    return {
        "cells": cells,
        "cell": CELL,
        "width": GAP + columns * (CELL + GAP),
        "height": GAP + rows * (CELL + GAP),
        "search": search,
        "matches": sum(cell["match"] for cell in cells),
    }
