"""The youth pacts' entries in the menus (the registry is hubs/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from hubs.navigation import action_page, hub_link

action_page(3, "pactsbo:board")
hub_link(_("Youth pacts"), "pacts:public_board")
