"""Django's account commands (createsuperuser, changepassword) and `shell` record their
changes as made by the system user they ran as (cspplan.origin), as every other command
that writes does, not by nobody: the accounts app overrides them (accounts/management)."""

import getpass
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command, get_commands

from actions.models import Action
from cspplan.origin import SYSTEM_PREFIX
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def the_system_user():
    return User.objects.get(username=f"{SYSTEM_PREFIX}{getpass.getuser()}")


@pytest.mark.parametrize("name", ["createsuperuser", "changepassword", "shell"])
def test_the_accounts_app_runs_the_command(name):
    # An app's command replaces another's only if the app is listed before it.
    assert get_commands()[name] == "accounts"


def test_createsuperuser_records_the_system_user(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough pass phrase 71")
    call_command(
        "createsuperuser",
        username="night-admin",
        email="night@example.org",
        interactive=False,
        stdout=io.StringIO(),
    )
    made = User.objects.get(username="night-admin")
    assert made.is_superuser
    record = User.history.get(id=made.pk)
    assert record.history_type == "+" and record.history_user == the_system_user()


def test_changepassword_records_the_system_user(monkeypatch):
    user = UserFactory(username="forgetful")
    monkeypatch.setattr(
        changepassword.Command, "_get_pass", lambda self, prompt="": "a long enough pass 93"
    )
    call_command("changepassword", "forgetful", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.check_password("a long enough pass 93")
    newest = User.history.filter(id=user.pk).order_by("-history_id").first()
    assert newest.history_type == "~" and newest.history_user == the_system_user()


def test_changes_made_in_the_shell_record_the_system_user():
    action = ActionFactory(text="Before")
    code = (
        "from actions.models import Action; "
        f"action = Action.objects.get(pk={action.pk}); action.text = 'After'; action.save()"
    )
    call_command("shell", command=code, stdout=io.StringIO())
    assert Action.objects.get(pk=action.pk).text == "After"
    newest = Action.history.filter(id=action.pk).order_by("-history_id").first()
    assert newest.text == "After" and newest.history_user == the_system_user()
