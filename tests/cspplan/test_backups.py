"""Backups (cspplan/backups.py, manage.py backup_database and restore_database): the demo
with some edits, backed up from the test database and restored by the command, in a process
of its own, into a second database that is empty, finds every row of every table again.

On whichever database the tests run on: SQLite (the backup API) or PostgreSQL (pg_dump and
pg_restore, which scripts/postgres-client-up installs). The backup is made from committed
data, as on a live server: pg_dump reads the database from its own connection."""

import datetime
import io
import os
import stat
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from actions.models import Action, Plan, ProgressUpdate
from actions.services import action_update, action_version, progress_update_delete
from boards.models import Partnership
from cspplan.backups import BackupError, backup_kind, libpq_environment
from cspplan.management.commands.restore_database import migration_notes
from meetings.models import Meeting
from meetings.services import meeting_update
from tests.factories import UserFactory

RESTORED = "restored"
# What the issue names, each with its history: the round trip must find every one.
NAMED = [Plan, Action, ProgressUpdate, Meeting]


def quiet(*args, **options):
    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO(), **options)


@pytest.fixture
def demo(transactional_db, settings):
    """The demo's plans, boards, meetings and users, then edits in a user's name: an update
    through the update form's service, a meeting moved to another venue, an update deleted
    (its history keeps it). Returns what the edits made."""
    quiet("load_demo")
    settings.DEBUG = True  # the demo users' passwords are known: DEBUG only
    quiet("demo_users")
    quiet("demo_second_factor")
    settings.DEBUG = False
    editor = UserFactory(username="backup-editor")
    action = Action.objects.order_by("pk").first()
    action_update(
        action=action,
        user=editor,
        expected_version=action_version(action),
        comment="Changed before the backup",
        update={"date": datetime.date(2021, 12, 1), "text": "Written before the backup"},
    )
    meeting = Meeting.objects.order_by("pk").first()
    meeting_update(meeting=meeting, user=editor, venue="Moved before the backup")
    deleted = ProgressUpdate.objects.exclude(action=action).order_by("pk").first()
    deleted_pk = deleted.pk  # the delete clears it
    progress_update_delete(update=deleted, user=editor)
    return {"action": action.pk, "meeting": meeting.pk, "deleted": deleted_pk}


@pytest.fixture
def empty_database(transactional_db, tmp_path):
    """A second database of the same kind, with nothing in it: a new file, or a new
    PostgreSQL database beside the test database. Django knows it as RESTORED; yields the
    DATABASE_URL a process of its own would use."""
    default = connection.settings_dict
    config = {**default, "NAME": str(tmp_path / "restored.sqlite3")}
    if connection.vendor == "postgresql":
        config["NAME"] = f"{default['NAME']}_restored"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
        credentials = quote(default["USER"] or "", safe="")
        if default["PASSWORD"]:
            credentials += ":" + quote(default["PASSWORD"], safe="")
        url = (
            f"postgres://{credentials}@{default['HOST'] or 'localhost'}:"
            f"{default['PORT'] or 5432}/{config['NAME']}"
        )
    else:
        url = f"sqlite:///{config['NAME']}"
    # A connection of this thread's only, not a database in the settings: the test's own
    # set-up and teardown go over those.
    restored = connections["default"].__class__(config, alias=RESTORED)
    connections[RESTORED] = restored
    yield url
    restored.close()
    del connections[RESTORED]
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


def restore_in_a_process_of_its_own(database_url: str, path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "tests-only"}
    environment.pop("CSPPLAN_TODAY", None)
    return subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(path)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def every_model():
    """Every table Django has a model for: ours, their history, the many-to-many tables,
    Django's own (users, sessions, permissions) and the second factor's devices."""
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.managed]


def rows(model, alias: str) -> list[dict]:
    return list(model._base_manager.using(alias).order_by("pk").values())


def test_a_backup_restored_into_an_empty_database_has_every_row(demo, empty_database, tmp_path):
    path = tmp_path / "cspplan.backup"
    out = io.StringIO()
    call_command("backup_database", output=path, stdout=out)
    assert f"to {path}" in out.getvalue()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds personal data
    assert backup_kind(path) == ("PostgreSQL" if connection.vendor == "postgresql" else "SQLite")
    assert not list(tmp_path.glob(".*partial"))

    restored = restore_in_a_process_of_its_own(empty_database, path)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    assert restored.stderr == ""  # no migration is missing or unknown

    # Every table, row for row, and first what the issue names, with its history.
    for model in NAMED:
        for each in (model, model.history.model):
            assert each.objects.using(RESTORED).count() == each.objects.count() > 0, each
    for model in every_model():
        assert rows(model, RESTORED) == rows(model, "default"), model._meta.label

    # The edits made just before the backup, and the deleted update's history.
    action = Action.objects.using(RESTORED).get(pk=demo["action"])
    assert action.comment == "Changed before the backup"
    assert (
        ProgressUpdate.objects.using(RESTORED)
        .filter(action=action, text="Written before the backup")
        .exists()
    )
    meeting = Meeting.objects.using(RESTORED).get(pk=demo["meeting"])
    assert meeting.venue == "Moved before the backup"
    assert not ProgressUpdate.objects.using(RESTORED).filter(pk=demo["deleted"]).exists()
    deletion = ProgressUpdate.history.using(RESTORED).get(id=demo["deleted"], history_type="-")
    assert deletion.history_user.username == "backup-editor"

    # The restored database takes new rows where the old one would: its sequences came too.
    # (Raw SQL, so that no history row is written through the other database.)
    with connections[RESTORED].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Partnership._meta.db_table} (name, short_name, slug) "
            "VALUES ('New after the restore', '', 'new-after-restore')"
        )
    new = Partnership.objects.using(RESTORED).get(slug="new-after-restore")
    assert new.pk > max(Partnership.objects.values_list("pk", flat=True))

    # Once it holds data, a restore into it is refused and changes nothing ...
    with pytest.raises(CommandError, match="not empty.*--replace"):
        quiet("restore_database", path, database=RESTORED)
    assert Partnership.objects.using(RESTORED).filter(pk=new.pk).exists()
    # ... unless told to replace it: then it is the backup again.
    quiet("restore_database", path, database=RESTORED, replace=True)
    for model in every_model():
        assert rows(model, RESTORED) == rows(model, "default"), model._meta.label

    # A backup by an older version of the application (fewer migrations) says to migrate.
    with connections[RESTORED].cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'meetings'")
    (note,) = migration_notes(connections[RESTORED])
    assert note.startswith("The backup lacks ")
    assert "run `python manage.py migrate` before starting it" in note


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_with_tables_is_refused(tmp_path):
    path = tmp_path / "cspplan.backup"
    quiet("backup_database", output=path)
    before = Plan.objects.count(), Action.objects.count()
    with pytest.raises(CommandError) as refused:
        quiet("restore_database", path)
    assert "Nothing was restored: the database" in str(refused.value)
    assert "Restore into a new, empty database, or pass --replace" in str(refused.value)
    assert (Plan.objects.count(), Action.objects.count()) == before


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Not a backup")
    with pytest.raises(CommandError, match="not a backup made by backup_database"):
        quiet("restore_database", path, replace=True)
    with pytest.raises(BackupError, match="Cannot read"):
        backup_kind(tmp_path / "missing.backup")


@pytest.mark.django_db
def test_a_backup_of_the_other_kind_of_database_is_refused(tmp_path):
    path = tmp_path / "other.backup"
    other = "SQLite" if connection.vendor == "postgresql" else "PostgreSQL"
    path.write_bytes(b"PGDMP\x01\x0f" if other == "PostgreSQL" else b"SQLite format 3\x00")
    with pytest.raises(CommandError, match=f"backed up from {other}, but the database is"):
        quiet("restore_database", path, replace=True)


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_file(tmp_path):
    with pytest.raises(CommandError, match="No backup was made: The folder .* does not exist"):
        quiet("backup_database", output=tmp_path / "missing" / "cspplan.backup")
    # Inside a transaction (as this test is) a backup would not hold what it wrote.
    with pytest.raises(CommandError, match="outside any transaction"):
        quiet("backup_database", output=tmp_path / "cspplan.backup")
    assert list(tmp_path.iterdir()) == []


def test_pg_dump_is_given_the_password_in_its_environment_not_its_arguments():
    environment = libpq_environment(
        {
            "NAME": "cspplan",
            "USER": "app",
            "PASSWORD": "secret",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert environment == {
        "PGDATABASE": "cspplan",
        "PGUSER": "app",
        "PGPASSWORD": "secret",
        "PGHOST": "db.internal",
        "PGPORT": "5433",
        "PGSSLMODE": "require",
    }
