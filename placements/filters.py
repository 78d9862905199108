"""
The filters of the path list (django-filter): status, cooperative, target group, hours band and
the young person's name. The queryset it filters is already the member's reach
(selectors.paths_for); the cooperative's choices are the hub's cooperatives, and a partner
operator, who sees one cooperative's paths only, gets no cooperative filter at all.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import MAX_HOURS, MIN_HOURS, Path

TARGET_GROUPS = (
    ("neet", "is_neet", _("NEET")),
    ("low_schooling", "is_low_schooling", _("Low schooling")),
    ("pandemic", "is_pandemic_unemployed", _("Lost work in the pandemic")),
)
HOURS_BANDS = (
    ("under_3", _("Under 3 hours"), Q(delivered_hours__lt=MIN_HOURS)),
    ("3_12", _("3 to 12 hours"), Q(delivered_hours__gte=MIN_HOURS, delivered_hours__lt=12)),
    ("12_24", _("12 to 24 hours (not reached)"), Q(delivered_hours__gte=12, delivered_hours__lt=MAX_HOURS)),
    ("full", _("24 hours reached"), Q(delivered_hours__gte=MAX_HOURS)),
)


class PathFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Young person's name"), method="filter_name")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Path.Status.choices, empty_label=_("All"))
    cooperative = django_filters.ModelChoiceFilter(
        label=_("Cooperative"), queryset=None, empty_label=_("All")
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"),
        choices=[(key, label) for key, _field, label in TARGET_GROUPS],
        method="filter_target_group",
        empty_label=_("All"),
    )
    hours = django_filters.ChoiceFilter(
        label=_("Hours delivered"),
        choices=[(key, label) for key, label, _q in HOURS_BANDS],
        method="filter_hours",
        empty_label=_("All"),
    )

    class Meta:
        model = Path
        fields = ["q", "status", "cooperative", "target_group", "hours"]

    def __init__(self, *args, hub, membership, **kwargs):
        super().__init__(*args, **kwargs)
        if membership.can("placements.manage_paths"):
            self.filters["cooperative"].queryset = selectors.cooperatives_for(hub)
        else:
            del self.filters["cooperative"]

    @property
    def is_on(self) -> bool:
        return self.is_bound and any(self.form.cleaned_data.get(name) for name in self.filters)

    def filter_name(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
            )
        return queryset

    def filter_target_group(self, queryset, name, value):
        field = {key: field for key, field, _label in TARGET_GROUPS}[value]
        return queryset.filter(**{field: True})

    def filter_hours(self, queryset, name, value):
        return queryset.filter({key: q for key, _label, q in HOURS_BANDS}[value])
