"""The second factor: administrators, analysts and staff (and everyone, with
REQUIRE_2FA_FOR_EVERYONE) set up an authenticator app after their password, then enter a
code from it (or a recovery code) at each sign-in before any page, the admin included.

These tests sign in through the pages with django's own client and work out codes from the
app's secret as an authenticator app does (django_otp.oath)."""

import datetime
import re
import time

import django.test
import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent
from boards.models import Role
from tests.clients import Client
from tests.factories import UserFactory, user_in_role

pytestmark = pytest.mark.django_db

PASSWORD = "test-password"  # what tests/factories.py gives every user
MY_ACTIONS = reverse("actions:my-actions")
PLANS = reverse("actions:plan-list")
SETUP = reverse("accounts:second-factor-setup")
VERIFY = reverse("accounts:second-factor")
RECOVERY = reverse("accounts:recovery-codes")


def app_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with the device's secret shows now (or that many
    30-second steps later: a code is accepted once, and one step ahead is allowed)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_password(user) -> django.test.Client:
    client = django.test.Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client


def set_up_app(client, user) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator app through the pages; the device and the recovery codes."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": app_code(device), "next": PLANS})
    assert response.status_code == 302 and response["Location"].startswith(RECOVERY)
    page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    device.refresh_from_db()
    return device, codes


def error_message(response) -> str:
    match = re.search(
        r'<p id="id_code_\d+_error" class="govuk-error-message">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    assert match, "no error message on the code field"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").split())


@pytest.fixture
def analyst():
    return user_in_role(Role.ANALYST)


# Who is asked


@pytest.mark.parametrize("who", ["analyst", "administrator", "superuser", "staff"])
def test_a_password_alone_does_not_open_a_page_for_those_who_need_a_second_factor(who):
    user = {
        "analyst": lambda: user_in_role(Role.ANALYST),
        "administrator": lambda: user_in_role(Role.ADMINISTRATOR),
        "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
        "staff": lambda: UserFactory(is_staff=True),
    }[who]()
    client = sign_in_with_password(user)

    for url in [MY_ACTIONS, PLANS, reverse("admin:index"), reverse("password_change")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{SETUP}?next={url.replace('/', '%2F')}"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CHAIR])
def test_officers_and_chairs_need_only_their_password(role):
    client = sign_in_with_password(user_in_role(role))

    assert client.get(MY_ACTIONS).status_code == 200


def test_a_setting_requires_a_second_factor_of_everyone(settings):
    settings.REQUIRE_2FA_FOR_EVERYONE = True
    client = sign_in_with_password(user_in_role(Role.OFFICER))

    assert client.get(MY_ACTIONS)["Location"].startswith(SETUP)


# Setting up


def test_setting_up_an_app_shows_a_qr_code_and_the_key_then_ten_recovery_codes_once(analyst):
    client = sign_in_with_password(analyst)

    page = client.get(f"{SETUP}?next={PLANS}")
    device = TOTPDevice.objects.get(user=analyst, confirmed=False)
    text = page.content.decode()
    assert "<title>Set up your authenticator app" in text
    assert "no-store" in page["Cache-Control"]
    key = re.search(r'id="secret-key">(.*?)</p>', text).group(1)
    assert re.sub(r"<[^>]+>|\s", "", key) == device.config_url.split("secret=")[1].split("&")[0]
    assert f'src="{reverse("accounts:second-factor-qr-code")}"' in text
    qr = client.get(reverse("accounts:second-factor-qr-code"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert "no-store" in qr["Cache-Control"]
    assert client.get(f"{SETUP}?next={PLANS}").status_code == 200
    assert TOTPDevice.objects.filter(user=analyst).count() == 1  # reloading keeps the key

    response = client.post(SETUP, {"code": app_code(device), "next": PLANS})

    assert response["Location"] == f"{RECOVERY}?next={PLANS.replace('/', '%2F')}"
    first = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", first)
    assert len(codes) == 10 == len(set(codes))
    assert "They will not be shown again" in first
    assert f'href="{PLANS}">I have saved my recovery codes' in first
    again = client.get(RECOVERY).content.decode()
    assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", again))
    assert "You have 10 recovery codes left" in again
    # Signed in and verified: every page opens.
    assert client.get(PLANS).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_at_set_up_is_refused_and_sets_up_nothing(analyst):
    client = sign_in_with_password(analyst)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert "<title>Error: Set up your authenticator app" in response.content.decode()
    assert "that code was not right" in error_message(response)
    assert not TOTPDevice.objects.filter(user=analyst, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=analyst).exists()
    assert client.get(PLANS)["Location"].startswith(SETUP)


def test_with_an_app_set_up_a_password_alone_cannot_set_up_another(analyst):
    """Otherwise a stolen password would be enough to add the thief's phone."""
    set_up_app(sign_in_with_password(analyst), analyst)
    client = sign_in_with_password(analyst)

    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:second-factor-qr-code")).status_code == 404
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert client.get(RECOVERY)["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=analyst).count() == 1


# Signing in with it


def test_each_sign_in_asks_for_a_code_before_any_page(analyst):
    device, _codes = set_up_app(sign_in_with_password(analyst), analyst)
    client = sign_in_with_password(analyst)

    response = client.get(PLANS)
    assert response["Location"] == f"{VERIFY}?next={PLANS.replace('/', '%2F')}"
    page = client.get(response["Location"]).content.decode()
    assert "<title>Enter the code from your authenticator app" in page

    response = client.post(VERIFY, {"code": app_code(device, steps_ahead=1), "next": PLANS})

    assert response["Location"] == PLANS
    assert client.get(PLANS).status_code == 200


def test_a_wrong_code_is_refused_and_more_wrong_codes_mean_waiting(analyst):
    device, _codes = set_up_app(sign_in_with_password(analyst), analyst)
    client = sign_in_with_password(analyst)

    wrong = client.post(VERIFY, {"code": "000000"})
    right_too_soon = client.post(VERIFY, {"code": app_code(device, steps_ahead=1)})

    assert wrong.status_code == 200
    assert "<title>Error: Enter the code" in wrong.content.decode()
    assert error_message(wrong).startswith("Enter the code your authenticator app shows now")
    assert right_too_soon.status_code == 200
    assert error_message(right_too_soon).startswith("Too many wrong codes")
    assert client.get(PLANS)["Location"].startswith(VERIFY)

    # django-otp doubles the wait after each wrong code; once it has passed, a code works.
    a_while_ago = timezone.now() - datetime.timedelta(minutes=5)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=analyst).update(throttling_failure_timestamp=a_while_ago)
    assert client.post(VERIFY, {"code": app_code(device, steps_ahead=1)})["Location"] == MY_ACTIONS


def test_a_recovery_code_signs_in_once(analyst):
    _device, codes = set_up_app(sign_in_with_password(analyst), analyst)
    client = sign_in_with_password(analyst)

    response = client.post(VERIFY, {"code": codes[0].upper(), "next": PLANS})

    assert response["Location"].startswith(RECOVERY)
    page = client.get(response["Location"]).content.decode()
    assert "You used a recovery code. You have 9 left" in page
    assert client.get(PLANS).status_code == 200
    assert StaticToken.objects.filter(device__user=analyst).count() == 9

    again = sign_in_with_password(analyst)
    refused = again.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 200
    assert again.get(PLANS)["Location"].startswith(VERIFY)


def test_new_recovery_codes_replace_the_old_ones(analyst):
    client = sign_in_with_password(analyst)
    _device, old = set_up_app(client, analyst)

    response = client.post(RECOVERY)
    new = re.findall(
        r"<li><code>([a-z2-7]+)</code></li>", client.get(response["Location"]).content.decode()
    )

    assert len(new) == 10 and not set(new) & set(old)
    assert set(
        StaticToken.objects.filter(device__user=analyst).values_list("token", flat=True)
    ) == set(new)


def test_the_admin_needs_the_second_factor_too():
    user = UserFactory(is_staff=True, is_superuser=True)
    device, _codes = set_up_app(sign_in_with_password(user), user)
    client = django.test.Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert client.get(reverse("admin:index"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": app_code(device, steps_ahead=1)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_signing_out_and_password_reset_are_open_before_the_code(analyst, mailoutbox):
    analyst.email = "analyst@example.org"
    analyst.save()
    client = sign_in_with_password(analyst)

    assert client.get(reverse("password_reset")).status_code == 200
    client.post(reverse("password_reset"), {"email": analyst.email})
    assert len(mailoutbox) == 1
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_the_page_after_the_code_is_never_another_site(analyst):
    device, _codes = set_up_app(sign_in_with_password(analyst), analyst)
    client = sign_in_with_password(analyst)

    response = client.post(
        VERIFY, {"code": app_code(device, steps_ahead=1), "next": "https://example.com/"}
    )

    assert response["Location"] == MY_ACTIONS


# Changes are recorded, and administrators can remove an app


def test_setting_up_using_a_code_and_new_codes_are_recorded_with_who(analyst):
    client = sign_in_with_password(analyst)
    set_up_app(client, analyst)
    client.post(RECOVERY)
    codes = list(StaticToken.objects.filter(device__user=analyst).values_list("token", flat=True))
    sign_in_with_password(analyst).post(VERIFY, {"code": codes[0]})

    events = [
        (event.what, event.username, event.by_username)
        for event in SecondFactorEvent.objects.order_by("pk")
    ]
    name = analyst.username
    assert events == [
        ("app-set-up", name, name),
        ("codes-made", name, name),
        ("codes-made", name, name),
        ("code-used", name, name),
    ]


def test_an_administrator_removes_an_app_in_the_admin_and_its_owner_sets_up_anew(analyst):
    set_up_app(sign_in_with_password(analyst), analyst)
    administrator = UserFactory(is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(administrator)
    device = TOTPDevice.objects.get(user=analyst)
    change = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    page = admin.get(change).content.decode()
    assert device.key not in page  # the key is never shown
    assert admin.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403

    response = admin.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    [event] = SecondFactorEvent.objects.filter(what="app-removed")
    assert (event.username, event.by_username) == (analyst.username, administrator.username)
    client = sign_in_with_password(analyst)
    assert client.get(PLANS)["Location"].startswith(SETUP)
    events = admin.get(reverse("admin:accounts_secondfactorevent_changelist")).content.decode()
    assert "Authenticator app removed" in events


def test_the_footer_links_to_the_recovery_codes_of_those_signed_in_with_a_second_factor(
    analyst,
):
    client = sign_in_with_password(analyst)
    set_up_app(client, analyst)
    officer = sign_in_with_password(user_in_role(Role.OFFICER))
    link = f'href="{RECOVERY}">Your recovery codes</a>'

    assert link in client.get(PLANS).content.decode()
    assert link not in officer.get(PLANS).content.decode()
