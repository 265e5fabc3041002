"""How long the audit log page takes with a long history: the newest page, a page far back,
and the log filtered by person, by one record and by dates.

    DEBUG=1 .venv/bin/python benchmarks/audit_log.py [--database-url postgres://...] \
        [--rows 100000] [--repeat 9]

Works in a throwaway database (see spreadsheets.py): the demo data, then the history of its
actions copied until the action history alone has `--rows` rows, a day apart per copy.
Reports the median wall time of each page and its number of queries.
"""

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from signin import timed  # noqa: E402
from spreadsheets import setup_django, throwaway_database  # noqa: E402


def grow_history(rows: int) -> None:
    from actions.models import Action

    history = Action.history.model
    originals = list(history.objects.all())
    fields = [f.attname for f in history._meta.concrete_fields if f.attname != "history_id"]
    made, copy = len(originals), 0
    while made < rows:
        copy += 1
        batch = []
        for original in originals:
            values = {name: getattr(original, name) for name in fields}
            values["history_date"] -= datetime.timedelta(days=copy)
            batch.append(history(**values))
        history.objects.bulk_create(batch[: rows - made], batch_size=2000)
        made += len(batch)


def run(repeat: int) -> list[tuple[str, float, int]]:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from actions.models import Action
    from tests.clients import Client

    administrator = get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(administrator)
    url = reverse("audit:log")
    action = Action.objects.order_by("pk").first()
    chair = get_user_model().objects.get(username="chair")
    pages = [
        ("newest page", {}),
        ("page 500", {"page": "500"}),
        ("by person (few rows)", {"person": str(chair.pk)}),
        ("by person (system user, most rows)", {"person": str(system_user().pk)}),
        ("one action", {"kind": "actions.action", "object_id": str(action.pk)}),
        (
            "one month",
            {
                "on_or_after_0": "1",
                "on_or_after_1": "1",
                "on_or_after_2": "2020",
                "on_or_before_0": "31",
                "on_or_before_1": "1",
                "on_or_before_2": "2020",
            },
        ),
    ]
    rows = []
    for name, query in pages:

        def page(query=query):
            response = client.get(url, query)
            assert response.status_code == 200, response.status_code

        rows.append((name, *timed(page, repeat)))
    return rows


def system_user():
    from cspplan.origin import system_user

    return system_user()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="A PostgreSQL server: a database is made on it.")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cspplan-bench-") as directory:
        database_url, drop = throwaway_database(options.database_url, Path(directory))
        try:
            setup_django(database_url)
            import io

            from django.core.management import call_command
            from django.db import connection
            from django.test.utils import setup_test_environment

            setup_test_environment()
            call_command("migrate", verbosity=0)
            call_command("load_demo", stdout=io.StringIO())
            call_command("demo_users", stdout=io.StringIO())
            grow_history(options.rows)
            rows = run(options.repeat)
            print(
                f"\n{connection.vendor}, {options.rows} action history rows, "
                f"median of {options.repeat}\n"
            )
            print("| page | ms | queries |\n|---|---:|---:|")
            for name, ms, queries in rows:
                print(f"| {name} | {ms:.1f} | {queries} |")
        finally:
            drop()


if __name__ == "__main__":
    main()
