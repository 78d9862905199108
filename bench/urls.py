"""The portal's URLs plus a bare hello-world view, the benchmark's yardstick."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from young_in_progress.urls import urlpatterns as portal_urlpatterns


@login_not_required
def hello(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/hello/", hello, name="bench_hello"), *portal_urlpatterns]
