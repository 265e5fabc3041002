"""Backing the whole database up to one file, and restoring such a file into an empty one.

PostgreSQL is backed up by pg_dump in its custom format (-Fc: compressed, every table,
sequence, constraint and index, restored selectively or whole by pg_restore), SQLite by
its own online backup API (sqlite3.Connection.backup), which copies a consistent snapshot
while the application goes on reading and writing. Either way the backup is one file, made
beside its final name and renamed into place only once it is complete and checked, so a
failed run never leaves something that looks like a backup. The file holds personal data
(names, email addresses, password hashes): it is made readable by its owner only.

A restore refuses a database that has any table in it unless told to replace it: restoring
over a migrated or working database would mix two states, or fail half way. PostgreSQL
restores in one transaction (all or nothing); SQLite's backup API replaces the whole file.

Nothing here knows about any model of ours: a backup is every table of the database,
Django's own and the history included.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Every database this application made has it; a file without it is not one of its backups.
MIGRATIONS_TABLE = "django_migrations"
# The Debian package that has pg_dump and pg_restore (scripts/postgres-client-up installs it).
CLIENT_PACKAGE = "postgresql-client"


class BackupError(Exception):
    """A backup or restore that was refused or failed, with what to do about it. Nothing
    was written: no backup file, or no change to the database."""


@dataclass(frozen=True)
class Outcome:
    engine: str  # "PostgreSQL" or "SQLite"
    database: str  # its name, or the SQLite file
    path: Path
    size: int  # bytes
    tables: int


def backup(connection, path: Path) -> Outcome:
    """Back up the database of `connection` (a Django connection) to the file `path`."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if connection.in_atomic_block:
        # pg_dump would not see what the transaction wrote, and SQLite's backup of a
        # connection in the middle of writing waits for it to finish, that is for ever.
        raise BackupError("A backup is made outside any transaction, of what is committed.")
    tables = len(connection.introspection.table_names())
    with _partial(path) as partial:
        if connection.vendor == "postgresql":
            _pg_dump(connection.settings_dict, partial)
        elif connection.vendor == "sqlite":
            _sqlite_backup(connection, partial)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    return _outcome(connection, path, tables)


def restore(connection, path: Path, *, replace: bool = False) -> Outcome:
    """Restore the backup `path` into the database of `connection`, which must have no
    tables, unless `replace`: then what the backup holds replaces what the database holds."""
    path = Path(path)
    kind = backup_kind(path)
    engine = _engine(connection)
    if kind != engine:
        raise BackupError(
            f"{path} was backed up from {kind}, but the database is {engine}: a backup is "
            f"restored into a database of the same kind."
        )
    existing = set(connection.introspection.table_names(include_views=True))
    if existing and not replace:
        raise BackupError(
            f"Nothing was restored: the database {_name(connection)} is not empty (it has "
            f"{len(existing)} tables). Restore into a new, empty database, or pass --replace "
            f"to replace everything in this one with the backup."
        )
    if connection.vendor == "postgresql":
        archived = _pg_archive_tables(path)
        if MIGRATIONS_TABLE not in archived:
            raise BackupError(f"{path} is a PostgreSQL dump, but not of this application.")
        # pg_restore --clean drops only what the backup has: a table made since (by a newer
        # migration) would stay, holding rows that point at rows the restore replaced.
        extra = sorted(existing - archived)
        if extra:
            raise BackupError(
                f"Nothing was restored: the database has tables the backup does not "
                f"({', '.join(extra)}), which a restore would leave behind. Restore into a "
                f"new, empty database instead."
            )
        connection.close()
        _pg_restore(connection.settings_dict, path, clean=bool(existing))
    else:
        _sqlite_restore(connection, path)
    connection.close()  # whatever it knew about the database before is gone
    return _outcome(connection, path, len(connection.introspection.table_names()))


def backup_kind(path: Path) -> str:
    """ "PostgreSQL" or "SQLite", from the first bytes of a backup file."""
    try:
        with Path(path).open("rb") as stream:
            head = stream.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    if head.startswith(PG_DUMP_HEADER):
        return "PostgreSQL"
    if head == SQLITE_HEADER:
        return "SQLite"
    raise BackupError(
        f"{path} is not a backup made by backup_database (neither a PostgreSQL custom-format "
        f"dump nor an SQLite database)."
    )


# ---- files ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _partial(path: Path):
    """A new, empty file beside `path`, readable by its owner only, renamed to `path` if
    the block succeeds and deleted if not."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)  # left by a run that was killed
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _outcome(connection, path: Path, tables: int) -> Outcome:
    return Outcome(_engine(connection), _name(connection), path, path.stat().st_size, tables)


def _engine(connection) -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(
        connection.vendor, connection.vendor
    )


def _name(connection) -> str:
    return str(connection.settings_dict["NAME"])


# ---- SQLite --------------------------------------------------------------------------------


def _sqlite_backup(connection, partial: Path) -> None:
    # Through the application's own connection, so that an in-memory database (the tests')
    # is backed up as well as a file.
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
        # One self-contained file: the source's write-ahead log mode would make the copy's
        # readers write a -wal file beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(target, partial)
    finally:
        target.close()


def _sqlite_restore(connection, path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _sqlite_check(source, path)
        connection.ensure_connection()
        # Replaces the whole database, page by page, in one step.
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"Nothing was restored from {path}: {error}.") from None
    finally:
        source.close()


def _sqlite_check(database: sqlite3.Connection, path: Path) -> None:
    try:
        (result,) = database.execute("PRAGMA integrity_check(1)").fetchone()
        tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a usable SQLite database: {error}.") from None
    if result != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}.")
    if MIGRATIONS_TABLE not in tables:
        raise BackupError(f"{path} is an SQLite database, but not of this application.")


# ---- PostgreSQL ----------------------------------------------------------------------------


def _pg_dump(settings_dict: dict, partial: Path) -> None:
    # The database and the credentials go in libpq's environment variables, so that the
    # password is never on a command line, where other accounts could read it; --no-password
    # fails rather than waits for someone to type one (cron).
    _run(
        "pg_dump",
        ["--format=custom", "--no-password", f"--file={partial}"],
        settings_dict,
    )


def _pg_restore(settings_dict: dict, path: Path, *, clean: bool) -> None:
    # One transaction: a restore that fails part way leaves the database as it was. No
    # owners or privileges: the tables belong to whoever restores them (the application's
    # own database user, who may be a different one from the backed-up server's).
    arguments = [
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        "--no-password",
        f"--dbname={_pg_database(settings_dict)}",
    ]
    if clean:
        arguments += ["--clean", "--if-exists"]
    _run("pg_restore", [*arguments, str(path)], settings_dict)


def _pg_archive_tables(path: Path) -> set[str]:
    """The tables a custom-format dump holds, from its table of contents, whose lines read
    "215; 1259 16386 TABLE public actions_action postgres"."""
    listing = _run("pg_restore", ["--list", str(path)], None)
    tables = set()
    for line in listing.splitlines():
        words = line.split()
        if not line.startswith(";") and len(words) >= 6 and words[3] == "TABLE":
            tables.add(words[5])
    return tables


def _pg_database(settings_dict: dict) -> str:
    service = settings_dict.get("OPTIONS", {}).get("service")
    return settings_dict.get("NAME") or f"service={service}"


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's environment variables for the database Django connects to with
    `settings_dict` (as Django's own dbshell passes them, and the host, user and database
    too)."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": _pg_database(settings_dict),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return {name: str(value) for name, value in values.items() if value}


def _run(program: str, arguments: list[str], settings_dict: dict | None) -> str:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not installed. Install Debian's {CLIENT_PACKAGE} package "
            f"(scripts/postgres-client-up does), of the server's major version or newer."
        )
    environment = dict(os.environ)
    if settings_dict is not None:
        environment.update(libpq_environment(settings_dict))
    result = subprocess.run(  # noqa: S603 - a fixed program, our own arguments
        [executable, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode:
        message = result.stderr.strip() or f"{program} exited with status {result.returncode}"
        if "version mismatch" in message:
            message += (
                f"\n{program} must be of the server's major version or newer: install the "
                f"{CLIENT_PACKAGE} package of that version."
            )
        raise BackupError(message)
    return result.stdout
