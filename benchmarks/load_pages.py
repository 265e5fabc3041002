"""The load test's slowest pages, as its own users on its own data, on two checkouts of the
code in turn: My actions (an officer) and the plan page (a chair, who sits on the board that
owns the plan, and an analyst, who does not and so is shown the plan through the full test
of what they may see). For a shared machine: besides the wall time, each request's CPU time
in the Django process and in the PostgreSQL server process that answered its queries (read
from /proc, so PostgreSQL must run on this machine), which other work on the machine
changes much less.

    DEBUG=1 .venv/bin/python benchmarks/load_pages.py \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres \\
        --before ../cspplan-before [--reuse NAME] [--rounds 15]

`--before` is another checkout (e.g. `git worktree add ../cspplan-before <commit>`). The data
is load_test.py's (32 partnerships x 300 actions, a year of updates): generated in a
database of its own (`cspplan_bench_<pid>`, dropped afterwards), or `--reuse NAME`, one a
`load_test.py --keep` run left (migrated by this checkout). Each checkout serves the same
requests in a process of its own, one request each in turn, signed in as load_test.py's
users. Reported per page: the median wall and Django CPU time of each side, the mean
database CPU time (the server counts it in hundredths of a second, too coarse for one
request), and the number of queries.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from checkouts import Side, database  # noqa: E402

# (page, user, path): load_test.py's users of partnership 01.
PAGES = [
    ("my actions (officer)", "officer-01", "/"),
    ("plan page (chair)", "chair-01", "/plans/load-01-vru/"),
    ("plan page (analyst)", "analyst-01", "/plans/load-01-vru/"),
]
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def backend_cpu_ms(pid: int) -> float:
    """The CPU time (user and system) a PostgreSQL server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS


def worker(root: str) -> None:
    """Serve requests for the code at `root`: "user path" a line on stdin, a line of JSON
    (wall, CPU and database CPU ms, queries) on stdout."""
    sys.path.insert(0, root)
    import django

    django.setup()
    from dashboards import PLAIN_STATIC_FILES
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    clients = {}

    def client_for(username):
        if username not in clients:
            user = get_user_model().objects.get(username=username)
            client = Client(HTTP_HOST="localhost")
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            device = TOTPDevice.objects.filter(user=user).first()
            if device is not None:  # the analysts, signed in with their app
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
            clients[username] = client
        return clients[username]

    queries = []
    counting = lambda execute, *args: queries.append(1) or execute(*args)  # noqa: E731
    with override_settings(DEBUG=False, STORAGES=PLAIN_STATIC_FILES):
        for line in sys.stdin:
            username, path = line.split()
            client = client_for(username)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            queries.clear()
            before_db = backend_cpu_ms(pid)
            start, start_cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(counting):
                response = client.get(path)
            wall = (time.perf_counter() - start) * 1000
            cpu = (time.process_time() - start_cpu) * 1000
            same = connection.connection is not None and connection.connection.get_backend_pid()
            database = backend_cpu_ms(pid) - before_db if same == pid else None
            assert response.status_code == 200, (line, response.status_code)
            print(
                json.dumps({"wall": wall, "cpu": cpu, "db": database, "queries": len(queries)}),
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="The other checkout (required).")
    parser.add_argument("--database-url", help="A PostgreSQL server (required).")
    parser.add_argument("--reuse", metavar="NAME", help="A database load_test.py --keep left.")
    parser.add_argument("--rounds", type=int, default=15, help="Timed requests on each side.")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        worker(options.worker)
        return
    if not options.before or not options.database_url:
        parser.error("--before and --database-url are required")

    from spreadsheets import setup_django

    with tempfile.TemporaryDirectory(prefix="cspplan-load-pages-") as directory:
        database_url, drop = database(options.database_url, Path(directory), options.reuse)
        try:
            setup_django(database_url)
            prepare(options)
            compare(options, database_url)
        finally:
            drop()


def prepare(options) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only (--database-url postgres://...).")
    call_command("migrate", verbosity=0)
    if not options.reuse:
        from load_test import generate
        from spreadsheets import settle

        print("Generating load_test.py's data ...", flush=True)
        generate(timezone.localdate())
        settle()


def compare(options, database_url: str) -> None:
    sides = [
        Side("before", options.before.resolve(), database_url, __file__),
        Side("after", HERE.parent, database_url, __file__),
    ]
    lines = [
        "| page | before ms | after ms | after / before | before CPU ms | after CPU ms "
        "| before DB CPU ms | after DB CPU ms | before queries | after queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    try:
        for page, user, path in PAGES:
            times = {side.name: [] for side in sides}
            for side in sides:
                side.ask(f"{user} {path}")  # to warm up
            for _ in range(options.rounds):
                for side in sides:
                    times[side.name].append(side.ask(f"{user} {path}"))
            wall = {n: statistics.median(t["wall"] for t in ts) for n, ts in times.items()}
            cpu = {n: statistics.median(t["cpu"] for t in ts) for n, ts in times.items()}
            db = {
                n: statistics.mean(t["db"] for t in ts if t["db"] is not None)
                for n, ts in times.items()
            }
            count = {n: ts[-1]["queries"] for n, ts in times.items()}
            lines.append(
                f"| {page} | {wall['before']:.0f} | {wall['after']:.0f} "
                f"| {wall['after'] / wall['before']:.2f} | {cpu['before']:.0f} "
                f"| {cpu['after']:.0f} | {db['before']:.0f} | {db['after']:.0f} "
                f"| {count['before']} | {count['after']} |"
            )
            print(lines[-1], flush=True)
    finally:
        for side in sides:
            side.close()
    print(f"\nMedian of {options.rounds} requests a side (database CPU: mean).\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
