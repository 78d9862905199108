"""The online desk's entries in the portal's menus (the registry is hubs/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from hubs.navigation import action_page, hub_link, landing_page, personal_link, task_link

action_page(2, "deskbo:calendar")

# The staff's day, named by task: signing in lands on "today" (for whoever may open it).
task_link(_("Desk"), "deskbo:today")
task_link(_("Calendar"), "deskbo:calendar")
task_link(_("People"), "deskbo:person_list")
task_link(_("Enquiries"), "deskbo:enquiry_list")
landing_page("deskbo:today")

hub_link(_("Book a session"), "desk:book_service", primary=True)
hub_link(_("Ask the desk"), "desk:enquiry_create")

personal_link(_("My bookings"), "desk:my_bookings")
personal_link(_("Book a session at a hub"), "home")
