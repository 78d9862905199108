"""
The portal's URLs. Every view is private unless marked `login_not_required`
(LoginRequiredMiddleware); tests/test_url_access.py sweeps every pattern listed here.

MEDIA_URL is routed nowhere, not even with DEBUG on: stored files (the monitoring reports) hold
data of a hub and leave only through views that check the hub and the role
(governance:report_download).
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from desk.urls import backoffice_urlpatterns as desk_backoffice
from desk.urls import public_urlpatterns as desk_public
from governance.urls import urlpatterns as governance_urlpatterns
from hubs.network.urls import backoffice_urlpatterns as network_backoffice
from hubs.network.urls import public_urlpatterns as network_public
from hubs.restapi.backoffice import urlpatterns as restapi_backoffice
from hubs.urls import backoffice_urlpatterns, hub_public_urlpatterns, public_urlpatterns
from jobclub.urls import backoffice_urlpatterns as jobclub_backoffice
from jobclub.urls import public_urlpatterns as jobclub_public
from jobfair.urls import backoffice_urlpatterns as jobfair_backoffice
from jobfair.urls import public_urlpatterns as jobfair_public
from pacts.urls import backoffice_urlpatterns as pacts_backoffice
from pacts.urls import public_urlpatterns as pacts_public
from people.views import EnrolmentCodeView, TotpActivateView
from placements.urls import backoffice_urlpatterns as placements_backoffice
from placements.urls import public_urlpatterns as placements_public
from young_in_progress.health import health_view

urlpatterns = [
    path("admin/", admin.site.urls),  # signs in through allauth: young_in_progress/admin.py
    # Enrolling an authenticator needs a code e-mailed to the account first: our view takes
    # allauth's activation address (it resolves first) and hands over once the code is entered.
    path("accounts/2fa/totp/activate/", TotpActivateView.as_view(), name="mfa_activate_totp"),
    path("accounts/2fa/totp/codice-email/", EnrolmentCodeView.as_view(), name="mfa_enrolment_code"),
    path("accounts/", include("allauth.urls")),
    path("", include("spid.urls")),  # SPID and CIE: the relying party's federation URLs
    path("account/i-miei-dati/", include("people.urls")),
    path("health/", health_view, name="health_check"),
    # The language switcher is in every page's header: without a CSRF token, so that a public
    # page holds nothing of its visitor and can be cached whole (hubs/pagecache.py). A forged
    # switch changes only a cookie naming the language; `next` is checked as Django does.
    path("i18n/setlang/", csrf_exempt(login_not_required(set_language)), name="set_language"),
    path("backoffice/<slug:hub_slug>/sportello/", include((desk_backoffice, "deskbo"))),
    path("backoffice/<slug:hub_slug>/percorsi/", include((placements_backoffice, "placementsbo"))),
    path("backoffice/<slug:hub_slug>/job-club/", include((jobclub_backoffice, "jobclubbo"))),
    path("backoffice/<slug:hub_slug>/patti/", include((pacts_backoffice, "pactsbo"))),
    path("backoffice/<slug:hub_slug>/fiera/", include((jobfair_backoffice, "jobfairbo"))),
    path("backoffice/<slug:hub_slug>/monitoraggio/", include((governance_urlpatterns, "governance"))),
    path("backoffice/<slug:hub_slug>/rete/", include((network_backoffice, "network"))),
    path("backoffice/<slug:hub_slug>/api/", include((restapi_backoffice, "apibo"))),
    path("backoffice/", include(backoffice_urlpatterns)),
    path("api/v1/", include(("hubs.restapi.urls", "api"))),
    *public_urlpatterns,
    *network_public,
    path("", include((desk_public, "desk"))),
    path("", include((placements_public, "placements"))),
    path("", include((jobclub_public, "jobclub"))),
    path("", include((pacts_public, "pacts"))),
    path("", include((jobfair_public, "jobfair"))),
    *hub_public_urlpatterns,
]
