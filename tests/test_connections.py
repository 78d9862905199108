"""`make run` (runserver, a thread per request) holds few PostgreSQL connections (issue 19)."""

import threading
import time

from django.http import HttpResponse

from young_in_progress.middleware import ConcurrencyCapMiddleware


def test_at_most_the_cap_of_requests_run_at_once(settings):
    settings.YIP_MAX_CONCURRENT_REQUESTS = 3
    running, highest, lock = 0, 0, threading.Lock()

    def view(request):
        nonlocal running, highest
        with lock:
            running += 1
            highest = max(highest, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return HttpResponse("ok")

    middleware = ConcurrencyCapMiddleware(view)
    threads = [threading.Thread(target=middleware, args=(None,)) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert highest == 3
