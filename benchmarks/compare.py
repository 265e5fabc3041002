"""The pages of benchmarks/dashboards.py on two checkouts of the code, request by request in
turn, against one database: a before-and-after comparison that a shared machine's changing
speed affects alike on both sides.

    DEBUG=1 .venv/bin/python benchmarks/compare.py --before ../cspplan-before
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--sizes 100 10000]
        [--rounds 15]

`--before` is another checkout (e.g. `git worktree add ../cspplan-before <commit>`) whose
migrations match this one's: this checkout makes the throwaway database and its plans, as
dashboards.py does, and each checkout then serves the same requests in a process of its
own, one request each in turn. Reported per page: the median wall and CPU time of each
side and the ratio of the medians.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from checkouts import Side, database  # noqa: E402


def worker(root: str) -> None:
    """Serve requests for the code at `root`: a URL a line on stdin, a line of JSON
    (wall and CPU ms) on stdout."""
    sys.path.insert(0, root)
    import django

    django.setup()
    from dashboards import CHAIR, PLAIN_STATIC_FILES
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=CHAIR))
    # Static files by their plain names (production's hashed names need collectstatic).
    with override_settings(DEBUG=False, STORAGES=PLAIN_STATIC_FILES):
        for line in sys.stdin:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(line.strip())
            wall = (time.perf_counter() - start) * 1000
            cpu = (time.process_time() - start_cpu) * 1000
            assert response.status_code == 200, (line, response.status_code)
            print(json.dumps({"wall": wall, "cpu": cpu}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="The other checkout (required).")
    parser.add_argument("--database-url", help="A PostgreSQL server: a database is made on it.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--rounds", type=int, default=15, help="Timed requests on each side.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.worker)
        return
    if not options.before:
        parser.error("--before is required")

    from spreadsheets import setup_django

    with tempfile.TemporaryDirectory(prefix="cspplan-compare-") as directory:
        database_url, drop = database(options.database_url, Path(directory))
        try:
            setup_django(database_url)
            compare(options, database_url)
        finally:
            drop()


def compare(options, database_url: str) -> None:
    import io

    from dashboards import build, remove
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from spreadsheets import settle

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    call_command("demo_users", stdout=io.StringIO())
    sides = [
        Side("before", options.before.resolve(), database_url, __file__),
        Side("after", HERE.parent, database_url, __file__),
    ]
    lines = [
        "| actions | page | before ms | after ms | after / before | before CPU ms "
        "| after CPU ms | after / before |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    try:
        for size in options.sizes:
            board, plan = build(size)
            settle()
            urls = {
                "board dashboard": reverse("reporting:board-dashboard", args=[board.pk]),
                "plan dashboard": reverse("reporting:plan-dashboard", args=[plan.slug]),
                "plan page": reverse("actions:plan-detail", args=[plan.slug]),
            }
            for page, url in urls.items():
                times = {side.name: [] for side in sides}
                for side in sides:
                    side.ask(url)  # to warm up
                for _ in range(options.rounds):
                    for side in sides:
                        times[side.name].append(side.ask(url))
                wall = {n: statistics.median(t["wall"] for t in ts) for n, ts in times.items()}
                cpu = {n: statistics.median(t["cpu"] for t in ts) for n, ts in times.items()}
                lines.append(
                    f"| {size:,} | {page} | {wall['before']:.1f} | {wall['after']:.1f} "
                    f"| {wall['after'] / wall['before']:.2f} | {cpu['before']:.1f} "
                    f"| {cpu['after']:.1f} | {cpu['after'] / cpu['before']:.2f} |"
                )
                print(lines[-1], flush=True)
            remove(board, plan)
    finally:
        for side in sides:
            side.close()
    print(f"\nDatabase: {connection.vendor}. Median of {options.rounds} requests a side.\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
