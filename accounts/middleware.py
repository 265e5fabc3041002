"""Request middleware of the accounts app."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.second_factor import has_second_factor, needs_second_factor

# Pages open to a signed-in user who has not yet entered their second factor: signing out,
# the password pages reached by email, and the second factor's own set-up and check.
OPEN_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accounts:second-factor",
    "accounts:second-factor-setup",
    "accounts:second-factor-qr-code",
}


# Pages that never ask who the user is, let through before the user is looked at (which
# would read the session): the health URL that load balancers probe (cspplan/health.py).
NEVER_SIGNED_IN = {"healthz"}


class SecondFactorMiddleware:
    """Sends a signed-in user who needs a second factor and has not entered it this session
    to enter it (or to set one up) before any other page, the admin included. It runs after
    django-otp's OTPMiddleware, which gives request.user its `is_verified`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in NEVER_SIGNED_IN:
            return None
        user = request.user
        if not needs_second_factor(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        page = (
            "accounts:second-factor" if has_second_factor(user) else "accounts:second-factor-setup"
        )
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
