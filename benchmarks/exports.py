"""Server time of the two exports issue 15's load test found over 1 s: the pre-meeting pack
as a Word document (a plan's, with and without every action, and a board meeting's) and the
VRU view's workbook, on the load test's data (32 partnerships x 300 actions with a year of
updates and meetings: benchmarks/load_test.py's `generate`).

    DEBUG=1 .venv/bin/python benchmarks/exports.py
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--repeat 5]
        [--profile DIR] [--save DIR] [--only NAME ...] [--keep | --reuse NAME]

Runs against a throwaway database (a temporary SQLite file, or a fresh PostgreSQL database
made on the given server and dropped after the run), set up as benchmarks/spreadsheets.py
does, in process with Django's test client and DEBUG off: the median wall and CPU time of
`--repeat` requests after one to warm up, the database server's mean CPU time per request
(PostgreSQL on this machine: benchmarks/dashboards.py's `database_cpu_ms`), the query count
(a separate request) and the size. On this shared machine the two CPU times, added, are
nearer what a request takes alone than the wall time is.

`--profile DIR` writes a cProfile file per export; `--save DIR` the documents, to compare
two versions' content (`unzip -p`). On PostgreSQL, `--keep` keeps the database and
`--reuse NAME` measures again on one kept, without generating (about a minute). What is
measured and the latest numbers: benchmarks/README.md.
"""

import argparse
import logging
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkouts import database as database_for  # noqa: E402
from dashboards import measure  # noqa: E402
from spreadsheets import machine, settle, setup_django  # noqa: E402


def exports() -> dict[str, tuple[str, str]]:
    """Each export measured: (the user who asks, the address). The first partnership's
    plan and board, as its chair; the VRU view's year, as the VRU reader."""
    from django.urls import reverse

    from actions.models import Plan
    from boards.models import Board
    from cspplan import clock
    from meetings.models import Meeting
    from regional.selectors import TemplateYear

    plan = Plan.objects.get(slug="load-01-vru")
    board = Board.objects.get(partnership__slug="load-01", slug="csp-board")
    # The meeting planned after the six held: its pack has the minutes of the last.
    meeting = Meeting.objects.filter(board=board, date__gt=clock.today()).get()
    day = meeting.date.isoformat()
    year = TemplateYear.of(plan.period_start).value
    pack = reverse("reporting:plan-pack-docx", args=[plan.slug])
    return {
        "plan pack .docx": ("chair-01", pack),
        "plan pack .docx, every action": ("chair-01", f"{pack}?contents=everything"),
        "meeting pack .docx": ("chair-01", reverse("meetingpack:pack-docx", args=[board.pk, day])),
        "VRU view workbook": ("vru-01", f"{reverse('regional:vru-export')}?year={year}"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="A PostgreSQL server: a database is made on it.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests; the median is kept.")
    parser.add_argument("--profile", type=Path, help="Write a cProfile file per export here.")
    parser.add_argument("--save", type=Path, help="Write each export's document here.")
    parser.add_argument("--only", nargs="+", help="Only the exports whose name starts so.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--keep", action="store_true", help="Keep the PostgreSQL database.")
    group.add_argument("--reuse", metavar="NAME", help="A PostgreSQL database --keep left.")
    options = parser.parse_args()
    if (options.keep or options.reuse) and not options.database_url:
        parser.error("--keep and --reuse need --database-url")

    with tempfile.TemporaryDirectory(prefix="cspplan-bench-") as directory:
        database_url, drop = database_for(options.database_url, Path(directory), options.reuse)
        try:
            setup_django(database_url)
            from django.conf import settings
            from django.contrib.auth import get_user_model
            from django.core.management import call_command
            from django.db import connection
            from django.test import Client
            from load_test import generate

            from cspplan import clock

            settings.ALLOWED_HOSTS = ["*"]
            # A line per request on stderr (cspplan.request_log) would bury the results.
            logging.getLogger("cspplan.requests").setLevel(logging.WARNING)
            for folder in (options.profile, options.save):
                if folder:
                    folder.mkdir(parents=True, exist_ok=True)
            if not options.reuse:
                print(f"Database: {connection.vendor}; migrating, generating the data")
                call_command("migrate", verbosity=0)
                start = time.perf_counter()
                generate(clock.today())
                settle()
                print(f"Generated in {time.perf_counter() - start:.0f} s")
            lines = [
                f"Database: {connection.vendor}. Machine: {machine()}. "
                f"Median of {options.repeat} requests.",
                "",
                "| export | median ms | CPU ms | DB CPU ms | fastest | slowest | queries | KB |",
                "|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for name, (username, url) in exports().items():
                if options.only and not any(name.startswith(only) for only in options.only):
                    continue
                print(f"   {name} ({url}) ...", flush=True)
                client = Client()
                client.force_login(get_user_model().objects.get(username=username))
                slug = name.replace(" ", "-").replace(",", "").replace(".", "")
                profile = options.profile / f"{slug}.prof" if options.profile else None
                r = measure(client, url, options.repeat, profile, content=True)
                if options.save:
                    suffix = ".xlsx" if "workbook" in name else ".docx"
                    (options.save / f"{slug}{suffix}").write_bytes(r["content"])
                database = "" if r["db_cpu_ms"] is None else f"{r['db_cpu_ms']:.0f}"
                lines.append(
                    f"| {name} | {r['median_ms']:.0f} | {r['cpu_ms']:.0f} | {database} "
                    f"| {r['min_ms']:.0f} "
                    f"| {r['max_ms']:.0f} | {r['queries']} | {r['kb']:.0f} |"
                )
            print("\n" + "\n".join(lines))
        finally:
            if options.keep:
                name = urllib.parse.urlsplit(database_url).path.lstrip("/")
                print(f"\nKept the database {name}: run again with --reuse {name}")
            else:
                drop()


if __name__ == "__main__":
    main()
