import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions


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


class StaffTwoFactorMiddleware:
    """Moderators, editors and administrators use their powers only with two-factor sign-in
    (`permissions` withholds them until then). The admin is nothing but those powers, so
    it sends such a person to set up an authenticator app first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("wagtailadmin_home")) and permissions.needs_two_factor(
            request.user
        ):
            messages.warning(
                request,
                _(
                    "Set up two-factor sign-in with an authenticator app before you use "
                    "your moderator, editor or administrator role."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
