"""`manage.py restore_database FILE [--replace]`: a backup_database file back into a database
(README, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from cspplan.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into the database, which must be empty "
        "(no tables: not even migrated) unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Replace everything the database holds with the backup. Stop the "
                "application's servers first."
            ),
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to restore into."
        )

    def handle(self, *args, file: Path, replace: bool, database: str, verbosity: int, **options):
        connection = connections[database]
        try:
            done = restore(connection, file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            self.stdout.write(
                f"Restored {done.path} into the {done.engine} database {done.database} "
                f"({done.tables} tables)."
            )
        for line in migration_notes(connection):
            self.stderr.write(line)


def migration_notes(connection) -> list[str]:
    """What to do when the backup was made by another version of the application: one with
    fewer migrations needs `migrate`; one with migrations this code does not know is newer."""
    executor = MigrationExecutor(connection)
    loader = executor.loader
    missing = executor.migration_plan(loader.graph.leaf_nodes())
    unknown = sorted(set(loader.applied_migrations) - set(loader.disk_migrations))
    notes = []
    if missing:
        notes.append(
            f"The backup lacks {len(missing)} migration(s) of this version of the application: "
            f"run `python manage.py migrate` before starting it."
        )
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown)
        notes.append(
            f"The backup was made by a newer version of the application (migrations {names}): "
            f"run that version, or a later one."
        )
    return notes
