"""Server time of the VRU view across boroughs (`/vru/`), the list behind one of its numbers
and its workbook, with 32 boroughs' VRU plans of 300 actions each (by default), on SQLite or
PostgreSQL.

    DEBUG=1 .venv/bin/python benchmarks/vru_view.py [--boroughs 32] [--actions 300]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--repeat 5]

Runs against a throwaway database, set up as benchmarks/spreadsheets.py does, with the demo
data and demo users loaded. Each borough's plan copies the real Barking & Dagenham VRU
plan: its 7 themes, and its actions' texts, origins (so about the real plan's share of VRU
mandated actions, numbered alike in every borough, as the template numbers them) and a RAG
status each, cycled to `--actions`; two actions in three have a progress update dated 0 to
119 days ago. Reports the median of `--repeat` requests of each page, as the demo `vru`
user, with its query count.
"""

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spreadsheets import setup_django, throwaway_database  # noqa: E402

SOURCE_PLAN = "bd-vru-2021-22"
RAGS = ("red", "amber", "green", "complete", "not_rated")


def build(boroughs: int, size: int) -> list:
    """`boroughs` partnerships, each with a VRU plan of `size` actions (see the docstring)."""
    import datetime

    from django.db import transaction

    from actions.models import Action, Plan, ProgressUpdate, Theme
    from boards.models import Board, Partnership
    from cspplan import clock

    source = Plan.objects.get(slug=SOURCE_PLAN)
    themes = list(source.themes.order_by("order"))
    actions = list(
        Action.objects.filter(theme__plan=source)
        .select_related("theme")
        .order_by("theme__order", "order")
    )
    today = clock.today()
    plans = []
    with transaction.atomic():
        for n in range(boroughs):
            partnership = Partnership.objects.create(
                name=f"Benchmark borough {n:02d} CSP", slug=f"bench-borough-{n}"
            )
            board = Board.objects.create(partnership=partnership, name="CSP Board", slug="csp")
            plan = Plan.objects.create(
                partnership=partnership,
                board=board,
                title=f"Benchmark borough {n:02d} VRU plan",
                slug=f"bench-vru-{n}",
                layout=Plan.Layout.VRU,
                period_start=source.period_start,
                period_end=source.period_end,
                status=Plan.Status.ACTIVE,
            )
            made = {
                theme.pk: Theme.objects.create(plan=plan, name=theme.name, order=theme.order)
                for theme in themes
            }
            rows = []
            for i in range(size):
                copied = actions[i % len(actions)]
                rows.append(
                    Action(
                        theme=made[copied.theme_id],
                        # The template's number where the copy is its first, else a new one.
                        ref=copied.ref if i < len(actions) else f"{copied.ref}-{i}",
                        text=f"{copied.text.strip()} ({i})",
                        origin=copied.origin,
                        rag=RAGS[(i + n) % len(RAGS)],
                        end_date=copied.end_date,
                        order=i,
                    )
                )
            created = Action.objects.bulk_create(rows)
            ProgressUpdate.objects.bulk_create(
                ProgressUpdate(
                    action=action,
                    date=today - datetime.timedelta(days=(i * 7) % 120),
                    text=f"Update {i}",
                )
                for i, action in enumerate(created)
                if i % 3
            )
            plans.append(plan)
    return plans


def timed(client, url: str, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boroughs", type=int, default=32)
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--database-url", help="A PostgreSQL server: a database is made on it.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests; the median is kept.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cspplan-bench-") as directory:
        database_url, drop = throwaway_database(options.database_url, Path(directory))
        try:
            setup_django(database_url)
            from django.conf import settings
            from django.contrib.auth import get_user_model
            from django.core.management import call_command
            from django.db import connection
            from django.test import Client
            from django.urls import reverse

            settings.ALLOWED_HOSTS = ["*"]
            print(f"Database: {connection.vendor} (throwaway); migrating, loading the demo data")
            call_command("migrate", verbosity=0)
            call_command("load_demo", stdout=io.StringIO())
            call_command("demo_users", stdout=io.StringIO())
            print(f"Building {options.boroughs} boroughs x {options.actions} actions")
            plans = build(options.boroughs, options.actions)
            client = Client()
            client.force_login(get_user_model().objects.get(username="vru"))
            from regional.selectors import TemplateYear

            year = f"year={TemplateYear.of(plans[0].period_start).value}"
            pages = {
                "VRU view": f"{reverse('regional:vru-view')}?{year}",
                "a number's list (one borough, red)": (
                    f"{reverse('regional:vru-actions')}?plan={plans[0].slug}&rag=red"
                ),
                "VRU view workbook (.xlsx)": f"{reverse('regional:vru-export')}?{year}",
            }
            client.get(pages["VRU view"])  # warm up
            print(f"\n| page | median ms ({options.repeat} requests) | queries | bytes |")
            print("|---|---|---|---|")
            for name, url in pages.items():
                ms, queries, size = timed(client, url, options.repeat)
                print(f"| {name} | {ms:.0f} | {queries} | {size:,} |")
        finally:
            drop()


if __name__ == "__main__":
    main()
