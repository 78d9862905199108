"""The online desk's entries in the portal's menus (the registry is hubs/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from hubs.navigation import action_page, hub_link, personal_link

action_page(2, "deskbo:calendar")

hub_link(_("Book a session"), "desk:book_service", primary=True)
hub_link(_("Ask the desk"), "desk:enquiry_create")

personal_link(_("My bookings"), "desk:my_bookings")
personal_link(_("Book a session at a hub"), "home")
