import time

from django.conf import settings


class SessionActivityMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without activity. Saving the session on every
    request would make every page a database write; instead the session is saved, and its
    expiry pushed back, when it was last refreshed SESSION_REFRESH_SECONDS or more ago."""

    KEY = "_canvass_active_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now
        return self.get_response(request)
