"""The job club's entries in the menus (the registry is hubs/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from hubs.navigation import action_page, personal_link

action_page(4, "jobclubbo:home")
personal_link(_("My job club hours"), "jobclub:my_hours")
