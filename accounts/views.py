"""The sign-in pages of our own: password reset with limits, and the second factor."""

import io
from base64 import b32encode
from urllib.parse import urlencode

import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import second_factor, services, throttle
from accounts.addresses import client_address
from accounts.forms import CodeForm

HOUR = 60 * 60


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending at most PASSWORD_RESET_LIMIT_PER_EMAIL emails an hour
    to one address and answering at most PASSWORD_RESET_LIMIT_PER_ADDRESS requests an hour
    from one client. Over a limit nothing is sent and the page says what it always says, so
    that it tells no one whether an account has the address."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        # Both are counted on every request, so one cannot be used to spare the other.
        by_address = throttle.allow(
            "reset-address",
            client_address(self.request) or "unknown",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window_seconds=HOUR,
        )
        by_email = throttle.allow(
            "reset-email", email, limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window_seconds=HOUR
        )
        if by_address and by_email:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def locked_out(request, original_response=None, credentials=None):
    """The page axes answers with while sign-in is locked (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# The second factor -------------------------------------------------------------------------

RECOVERY_CODES_SESSION_KEY = "accounts_new_recovery_codes"


def _next(request) -> str:
    """Where to go once verified: the page first asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _private(response):
    # The set-up page and the QR code carry the secret, the recovery codes page the codes:
    # no cache may keep them (Django's never-cache headers include no-store).
    add_never_cache_headers(response)
    return response


@login_required
def second_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), enter a code from
    it, and see the recovery codes. Only for someone who needs a second factor and has none
    yet: with one already, a stolen password must not be enough to add another."""
    user = request.user
    if not second_factor.needs_second_factor(user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if second_factor.has_second_factor(user):
        return redirect(
            f"{reverse('accounts:second-factor')}?{urlencode({'next': _next(request)})}"
        )
    device = services.app_device_to_set_up(user=user)
    form = CodeForm(request.POST or None, help_text="The 6-digit code your app shows now.")
    if request.method == "POST" and form.is_valid():
        codes = services.second_factor_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(
                f"{reverse('accounts:recovery-codes')}?{urlencode({'next': _next(request)})}"
            )
        form.refuse(
            "Enter the 6-digit code your authenticator app shows now: that code was not right"
        )
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
        "next": _next(request),
    }
    return _private(render(request, "accounts/second_factor_setup.html", context))


@login_required
def second_factor_qr_code(request):
    """The QR code of the app being set up, as an SVG image (a file of our own, so that a
    strict Content-Security-Policy needs no data: images)."""
    user = request.user
    if not second_factor.needs_second_factor(user) or second_factor.has_second_factor(user):
        raise Http404
    device = services.app_device_to_set_up(user=user)
    image = io.BytesIO()
    segno.make(device.config_url, error="m").save(image, kind="svg", scale=5, border=4)
    return _private(HttpResponse(image.getvalue(), content_type="image/svg+xml"))


@login_required
def second_factor_verify(request):
    """Enter a code from the app, or a recovery code, once per sign-in."""
    user = request.user
    if not second_factor.needs_second_factor(user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not second_factor.has_second_factor(user):
        return redirect(
            f"{reverse('accounts:second-factor-setup')}?{urlencode({'next': _next(request)})}"
        )
    if user.is_verified():
        return redirect(_next(request))
    form = CodeForm(
        request.POST or None,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
    )
    if request.method == "POST" and form.is_valid() and second_factor.must_wait(user):
        # Asked before checking: after a wrong code django-otp checks none for a while.
        form.refuse("Too many wrong codes. Wait a minute, then enter the code your app shows")
    elif request.method == "POST" and form.is_valid():
        used = services.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if used == second_factor.Verified.RECOVERY_CODE:
            left = second_factor.recovery_codes_left(user)
            messages.warning(
                request,
                f"You used a recovery code. You have {left} left: make new ones on the "
                "recovery codes page before they run out.",
            )
            return redirect(
                f"{reverse('accounts:recovery-codes')}?{urlencode({'next': _next(request)})}"
            )
        if used is not None:
            return redirect(_next(request))
        form.refuse("Enter the code your authenticator app shows now, or a recovery code")
    return render(
        request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
def recovery_codes(request):
    """The new recovery codes, once; or how many are left, with a button for new ones."""
    user = request.user
    if not second_factor.has_second_factor(user):
        raise Http404
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_replace(user=user)
        return redirect(
            f"{reverse('accounts:recovery-codes')}?{urlencode({'next': _next(request)})}"
        )
    context = {
        "codes": request.session.pop(RECOVERY_CODES_SESSION_KEY, None),
        "left": second_factor.recovery_codes_left(user),
        "next": _next(request),
    }
    return _private(render(request, "accounts/recovery_codes.html", context))
