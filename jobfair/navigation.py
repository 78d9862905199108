"""The job fair's entries in the portal's menus (the registry is hubs/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from hubs.navigation import action_page, hub_link, section

action_page(6, "jobfairbo:fair_list")
# An exhibitor's people see no project action: their stand is a section of their own.
section(_("My stand at the job fair"), "jobfairbo:my_stands")
hub_link(_("Job fair"), "jobfair:fair_index")
