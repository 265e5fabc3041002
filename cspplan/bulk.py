"""Writing many rows at once, for imports of thousands of actions.

Django's bulk_create and bulk_update cost more than the database does for thousands of
rows: bulk_update builds a CASE expression per field per row (seconds for 10,000), and on
SQLite both split the rows into batches of 999 parameters, far below SQLite's own limit.
These write the same values in as few statements as the database allows. Nothing here
knows about any model of ours.
"""

import datetime
import sqlite3

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def prepared(field, values) -> list:
    """`values` (an iterable) of `field`, as the database driver takes them."""
    # The connection itself rather than the `connection` proxy, which looks every attribute
    # up in a thread-local: a fifth of the time of preparing 250,000 values.
    db = connections[DEFAULT_DB_ALIAS]
    prepare = field.get_db_prep_save
    if type(field) in (models.CharField, models.TextField):
        # Django prepares a str for these as itself; most of an action's values are text,
        # and the calls it takes to find that out were half the time of preparing them.
        return [value if type(value) is str else prepare(value, db) for value in values]
    return [prepare(value, db) for value in values]


def insert_records(model, records: list[dict], **columns: list) -> list:
    """INSERT a row for each record ({attname: value}), with its values in `columns`
    ({attname: [a value for each record]}): what model(**record, **those values) would be
    saved with (no auto_now, no signals, as bulk_create), the fields' defaults for the rest.
    The new rows' primary keys, in order.

    Column by column, with no model instance, or any other object, for each row: making and
    reading back 10,000 actions took longer than preparing their values, and every object
    that lasts through an import makes Python's cycle collector go over all of them again."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    given = set().union(*records)
    unknown = (given | columns.keys()) - {field.attname for field in fields}
    if unknown or given & columns.keys():  # as model(...) refuses them
        wrong = sorted(unknown or given & columns.keys())
        raise TypeError(f"{model.__name__}: unknown or repeated field(s) {', '.join(wrong)}")
    values = []
    for field in fields:
        name = field.attname
        if name in columns:
            column = columns[name]
        elif field.has_default() and callable(field.default):  # a new value for each row
            column = (record[name] if name in record else field.get_default() for record in records)
        else:
            default = field.get_default()
            column = (record.get(name, default) for record in records)
        values.append(prepared(field, column))
    return insert_rows(model, fields, values, returning=True)


def runs(count: int, parameters_per_row: int, *, other_parameters: int = 0):
    """(start, stop) of runs of `count` rows that fit one statement each, beside the
    statement's `other_parameters`. SQLite allows a set number of parameters per statement
    (32,766 by default; Debian's build 250,000); psycopg2 fills parameters in on the
    client, so PostgreSQL takes any number."""
    if not count:
        return
    size = count
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        size = max(1, (limit - other_parameters) // parameters_per_row)
    for start in range(0, count, size):
        yield start, min(start + size, count)


def values_table(fields, columns: list[list]) -> tuple[str, list]:
    """SQL for a table of the values in `columns` (one list per field of `fields`, as the
    driver takes them), and its parameters. SQLite gets a VALUES list. PostgreSQL gets an
    array per column, as Django's own bulk_create sends rows there: planning a VALUES list
    of thousands of rows takes longer than the insert itself. The arrays are typed without
    lengths (varchar, not varchar(300)), as Django does, so that nothing is cut: an overlong
    text fails instead."""
    if connection.vendor == "postgresql":
        types = [field.db_type(connection).split("(")[0] for field in fields]
        arrays = ", ".join(f"(%s)::{db_type}[]" for db_type in types)
        return f"SELECT * FROM UNNEST({arrays})", [array_literal(column) for column in columns]
    row = f"({', '.join(['%s'] * len(fields))})"
    params = [value for values in zip(*columns, strict=True) for value in values]
    return f"VALUES {', '.join([row] * len(columns[0]))}", params


def array_literal(column) -> str | list:
    """A column of values for PostgreSQL: one array literal ('{"text",7,NULL}') where every
    value is of a kind written here, else the list, for psycopg2 to send as ARRAY[...].

    psycopg2 would send a list as ARRAY['text', 7, NULL], one SQL constant per value, which
    it has to quote and the server to parse and transform one by one: for the 230,000
    values of 10,000 actions that took longer than the insert itself. One literal string is
    quoted and parsed (by the array type's own input function) at a fraction of the cost.
    The text of each value is what the column type's input function reads back as the same
    value: ISO 8601 for dates and times, as psycopg2 writes them too."""
    items = []
    append = items.append
    for value in column:
        if isinstance(value, str):
            # Quoted, every character stands for itself but a backslash or a double quote.
            append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        elif value is None:
            append("NULL")
        elif isinstance(value, bool):
            append("t" if value else "f")
        elif isinstance(value, int):
            append(str(int(value)))  # int() so that an IntEnum gives its number
        elif isinstance(value, datetime.date):  # datetimes too
            append(value.isoformat())
        else:  # a kind psycopg2 knows how to send better (Decimal, UUID, JSON, bytes ...)
            return list(column)
    return "{" + ",".join(items) + "}"


def insert_rows(model, fields, columns: list[list], *, returning: bool = False) -> list:
    """INSERT rows of the values in `columns` (one list per field of the model's `fields`,
    as the driver takes them); the new rows' primary keys, in order, when `returning`."""
    q = connection.ops.quote_name
    into = f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)})"
    count = len(columns[0])
    if any(len(column) != count for column in columns):
        raise ValueError("The columns of an INSERT differ in length.")
    pks = []
    with connection.cursor() as cursor:
        for start, stop in runs(count, len(fields)):
            table, params = values_table(fields, [column[start:stop] for column in columns])
            sql = f"{into} {table}"
            if returning:
                sql += f" RETURNING {q(model._meta.pk.column)}"
            cursor.execute(sql, params)
            if returning:
                # Rows come back in the order they were given, as Django's bulk_create
                # also relies on.
                pks += [pk for (pk,) in cursor.fetchall()]
    return pks


def update_rows(model, objs: list, names: list[str]) -> None:
    """UPDATE each object's row to its values of the fields `names`, joining the table to a
    table of (pk, values...)."""
    q = connection.ops.quote_name
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in names)]
    aliases = ["pk", *(f"v{index}" for index in range(len(names)))]
    table = q(model._meta.db_table)
    setters = ", ".join(
        f"{q(field.column)} = new.{alias}"
        for alias, field in zip(aliases[1:], fields[1:], strict=True)
    )
    columns = [prepared(field, [getattr(obj, field.attname) for obj in objs]) for field in fields]
    with connection.cursor() as cursor:
        for start, stop in runs(len(objs), len(fields)):
            new, params = values_table(fields, [column[start:stop] for column in columns])
            cursor.execute(
                f"WITH new ({', '.join(aliases)}) AS ({new}) UPDATE {table} SET {setters} "
                f"FROM new WHERE {table}.{q(model._meta.pk.column)} = new.pk",
                params,
            )
