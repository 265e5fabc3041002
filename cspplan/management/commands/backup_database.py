"""`manage.py backup_database --output FILE`: the whole database in one file (README, "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from cspplan.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file: pg_dump's custom format for PostgreSQL, "
        "SQLite's online backup for SQLite. Safe while the application is running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", type=Path, required=True, help="The backup file to write."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args, output: Path, database: str, verbosity: int, **options):
        try:
            done = backup(connections[database], output)
        except BackupError as error:
            raise CommandError(f"No backup was made: {error}") from None
        if verbosity:
            self.stdout.write(
                f"Backed up the {done.engine} database {done.database} ({done.tables} tables) "
                f"to {done.path}: {done.size:,} bytes."
            )
