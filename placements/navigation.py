"""Together We Work's entry in the back office's menu (the registry is hubs/navigation.py)."""

from hubs.navigation import action_page

action_page(5, "placementsbo:path_list")
