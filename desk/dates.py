"""
Day and month names as Italian writes them: in lower case ("lunedì 7 dicembre").

Django's own Italian catalogue capitalises them ("Lunedì 7 Dicembre"), and every date the desk
shows or mails goes through Django's `date` filter, which translates these msgids. The
project's catalogue (LOCALE_PATHS) comes first, so its lower-case entries win everywhere. They
are listed here so that makemessages keeps them in locale/it/LC_MESSAGES/django.po.
"""

from django.utils.translation import gettext_lazy as _

MONTHS = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)
WEEKDAYS_ABBR = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
