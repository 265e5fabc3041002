"""Spreadsheet import and export at 5,000 and 10,000 actions, against openpyxl alone.

    DEBUG=1 .venv/bin/python benchmarks/spreadsheets.py [--sizes 5000 10000]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--repeat 3]
        [--no-rss] [--profile DIR] [--json FILE]

Runs against a throwaway database: a temporary SQLite file, or, with --database-url, a
fresh PostgreSQL database made on that server for the run and dropped after it. What is
measured, and why the baselines are what they are: benchmarks/README.md.
"""

import argparse
import cProfile
import gc
import io
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "barking-dagenham" / "bd-vru-2021-22.yaml"
MB = 1024 * 1024

# The targets.
IMPORT_FACTOR = 3.0  # import within 3x openpyxl reading the same cells
EXPORT_FACTOR = 2.5  # export within 2.5x openpyxl writing the same cells
LARGE = 10_000  # ... and this many actions each way in under
LARGE_SECONDS = 5.0
MEMORY_MB = 200

# The baseline an import is compared with (see README: our reader needs the cells, for the
# RAG given by fill colour, so values_only=False is the like-for-like one).
READ_BASELINE = "read cells"
WRITE_BASELINE = "write cells"
IMPORTS = ("dry-run import", "import (create)", "re-import unchanged", "import every row changed")


# ---- database ------------------------------------------------------------------------------


def throwaway_database(url: str | None, workdir: Path):
    """The DATABASE_URL to use and a function that drops it afterwards."""
    if not url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}", lambda: None
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    name = f"cspplan_bench_{os.getpid()}"
    server = {
        "dbname": config["NAME"] or "postgres",
        "user": config["USER"],
        "password": config["PASSWORD"],
        "host": config["HOST"],
        "port": config["PORT"] or 5432,
    }

    def run(sql):
        connection = psycopg2.connect(**{k: v for k, v in server.items() if v})
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    run(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlsplit(url)._replace(path=f"/{name}").geturl(), drop


def settle() -> None:
    """After a bulk load, on PostgreSQL: VACUUM ANALYZE, as autovacuum does to freshly
    written tables on a server in use (after inserts too, since PostgreSQL 13). ANALYZE
    gives the planner the tables' statistics (without them it guesses a few rows per
    table); VACUUM sets the visibility map, without which every index-only scan reads the
    table as well, and the first reads of each new row pay for marking it committed."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspplan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---- the plans and workbooks ---------------------------------------------------------------


def seed_texts():
    """The real Barking & Dagenham VRU plan's themes, actions and progress updates."""
    import yaml

    with SEED.open(encoding="utf-8") as stream:
        seed = yaml.safe_load(stream)
    themes = [(theme["name"], theme.get("description", "")) for theme in seed["themes"]]
    actions = [action for theme in seed["themes"] for action in theme["actions"]]
    # The updates' words alone, for the actions' undated progress text: with its date in
    # front, a paragraph in the Progress column is read back as a dated progress update.
    updates = [update["text"].strip() for action in actions for update in action.get("updates", ())]
    return seed["plan"], themes, actions, updates


RAGS = ("red", "amber", "green", "complete", "not_rated")


def build_plan(slug: str, size: int):
    """A plan of `size` actions in the real plan's 7 themes, its texts cycled, each action's
    text ending in its row number so that no two rows are the same. Every row has a
    progress update (a real one, cycled) and a RAG status."""
    from django.db import transaction

    from actions.models import Action, Plan, Theme
    from boards.models import Board

    seed_plan, themes, actions, updates = seed_texts()
    board = Board.objects.get(partnership__slug=seed_plan["partnership"], slug=seed_plan["board"])
    with transaction.atomic():
        plan = Plan.objects.create(
            partnership=board.partnership,
            board=board,
            slug=slug,
            title=f"{seed_plan['title']} ({size} actions)",
            layout="vru",
            period_start=seed_plan["period_start"],
            period_end=seed_plan["period_end"],
        )
        rows = [
            Theme.objects.create(plan=plan, name=name, description=description, order=order)
            for order, (name, description) in enumerate(themes)
        ]
        records = []
        for number in range(size):
            source = actions[number % len(actions)]
            theme_index = number * len(rows) // size
            position = number - (theme_index * size + len(rows) - 1) // len(rows)
            records.append(
                Action(
                    theme=rows[theme_index],
                    ref=str(position + 1),
                    order=position,
                    origin=source.get("origin", ""),
                    text=f"{source['text'].strip()} ({number + 1})",
                    outcomes=source.get("outcomes", "").strip(),
                    leads=source.get("leads", ""),
                    lead_organisations_text=source.get("lead_organisations_text", ""),
                    supporting_organisations_text=source.get("supporting_organisations_text", ""),
                    start_date=source.get("start_date"),
                    end_date=source.get("end_date"),
                    progress=updates[number % len(updates)],
                    comment=source.get("comment", "").strip(),
                    rag=RAGS[number % len(RAGS)],
                )
            )
        Action.objects.bulk_create(records, batch_size=500)
    return plan


def export_bytes(plan, layout_class=None) -> bytes:
    from workbooks.layouts import layout_named

    stream = io.BytesIO()
    (layout_class or layout_named("vru")).write(plan, stream)
    return stream.getvalue()


def without_ids(plan) -> bytes:
    """The plan's workbook as a partner would send a new plan: no record numbers in the
    hidden ID column."""
    from workbooks.vru import VRULayout

    class NoIds(VRULayout):
        def write_cell(self, out, column, action):
            if column.kind == "id":
                return out.cell(None, "plain")
            return super().write_cell(out, column, action)

    return export_bytes(plan, NoIds())


def with_changes(plan, shift: int) -> bytes:
    """The plan's workbook with every row's Progress and RAG changed (to the real update and
    status `shift` along the cycle), made by changing the rows, exporting and rolling back.
    Written without our version cells, as a partner's own workbook comes: with them, the
    second workbook would find the first one's import in conflict with it on every row
    (workbooks.versions) rather than change every row."""
    from django.db import transaction

    from actions.models import Action
    from workbooks.vru import VRULayout

    class NoVersions(VRULayout):
        def write_cell(self, out, column, action):
            if column.kind == "version":
                return out.cell(None, "plain")
            return super().write_cell(out, column, action)

    _, _, _, updates = seed_texts()
    with transaction.atomic():
        actions = list(Action.objects.filter(theme__plan=plan).order_by("pk"))
        for number, action in enumerate(actions):
            action.progress = updates[(number + shift) % len(updates)]
            action.rag = RAGS[(RAGS.index(action.rag) + shift) % len(RAGS)]
        Action.objects.bulk_update(actions, ["progress", "rag"], batch_size=500)
        data = export_bytes(plan, NoVersions())
        transaction.set_rollback(True)
    return data


def sheet_values(data: bytes) -> list[list]:
    """Every cell value of the workbook's first sheet, row by row."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


# ---- the steps -----------------------------------------------------------------------------
# Each step takes JSON-able arguments, so that a child process can run it too (for its RSS).


def step_export(plan: str):
    from actions.models import Plan

    return len(export_bytes(Plan.objects.get(slug=plan)))


VALUES: dict[str, list] = {}


def load_values(values: str) -> list[list]:
    """The cell values to write, loaded before the timing starts."""
    if values not in VALUES:
        with open(values, "rb") as stream:
            VALUES[values] = pickle.load(stream)
    return VALUES[values]


def step_write_cells(values: str):
    """openpyxl alone: a write-only workbook of the same cell values, no styles."""
    from openpyxl import Workbook

    rows = load_values(values)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Action plan")
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return len(stream.getvalue())


def _read(workbook: str, values_only: bool):
    from openpyxl import load_workbook

    data = Path(workbook).read_bytes()
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = 0
    try:
        for row in book.worksheets[0].iter_rows(values_only=values_only):
            for cell in row:
                value = cell if values_only else cell.value
                count += value is not None
    finally:
        book.close()
    return count


def step_read_cells(workbook: str):
    """openpyxl alone, read-only: every cell, and its value."""
    return _read(workbook, values_only=False)


def step_read_values(workbook: str):
    """openpyxl alone, read-only, values only (no cell objects)."""
    return _read(workbook, values_only=True)


PHASES: dict[str, float] = {}


class phase:
    """Times a part of a step, for the breakdown table."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        PHASES[self.name] = time.perf_counter() - self.start


def step_import(workbook: str, plan: str, expect: str, dry_run: bool = False, create: str = ""):
    """What `import_plan` does: read, preview (and the report it prints, not printed), and
    unless a dry run, apply. Every row must come out as `expect` (create, update,
    unchanged), or the step is not measuring what it says."""
    from actions.models import Plan
    from boards.models import Board
    from workbooks.layouts import read_workbook
    from workbooks.presenter import preview_lines
    from workbooks.preview import preview_import
    from workbooks.services import plan_import

    data = Path(workbook).read_bytes()
    with phase("read"):
        parsed = read_workbook(data, "vru")
    target = None if create else Plan.objects.get(slug=plan)
    board = None
    if create:
        board = Board.objects.select_related("partnership").get(
            slug="csp-board", partnership__slug="barking-dagenham"
        )
    with phase("preview"):
        preview = preview_import(parsed, target, partnership=board and board.partnership)
        preview_lines(preview)
    if preview.problems or preview.count(expect) != len(parsed.actions):
        raise SystemExit(f"{workbook}: {preview.summary} {preview.problems[:3]}")
    if dry_run:
        return preview.summary
    new_plan = None
    if create:
        new_plan = {
            "slug": create,
            "title": parsed.plan.get("title") or create,
            "layout": "vru",
            "board": board,
            "partnership": board.partnership,
        }
    with phase("apply"):
        plan_import(preview, new_plan=new_plan)
    return preview.summary


STEPS = {
    "export": step_export,
    "write cells": step_write_cells,
    "read cells": step_read_cells,
    "read values": step_read_values,
    "import": step_import,
}


# ---- measuring -----------------------------------------------------------------------------


def measure(
    name: str,
    kind: str,
    arguments,
    size: int,
    repeat: int,
    rss: bool,
    profile_dir: Path | None,
):
    """Best wall time of `repeat` runs, then one run each for the query count, the
    tracemalloc peak and (in a child process) the peak RSS. `arguments` is a function of
    the run number, so that runs that write can each have their own plan or workbook."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings

    function = STEPS[kind]
    run = 0

    def once():
        nonlocal run
        run += 1
        return function(**arguments(run))

    result = {"step": name}
    # DEBUG keeps every query's SQL; bulk INSERTs of long texts would weigh on memory and
    # time that production (DEBUG off) does not have, so only the counting run keeps them.
    with override_settings(DEBUG=False):
        times, cpu, phases = [], [], []
        for _ in range(repeat):
            gc.collect()
            PHASES.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            once()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            phases.append(dict(PHASES))
        best = min(range(repeat), key=times.__getitem__)
        result["seconds"] = times[best]
        result["cpu_seconds"] = cpu[best]  # this process only: not the database server's
        result["phases"] = phases[best]
        gc.collect()
        tracemalloc.start()
        once()
        result["traced_mb"] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
        if profile_dir:
            profile = cProfile.Profile()
            profile.runcall(once)
            profile.dump_stats(profile_dir / f"{size}-{name.replace(' ', '-')}.prof")
    reset_queries()  # the log holds at most 9,000 queries: start it empty
    with CaptureQueriesContext(connection) as queries:
        once()
    result["queries"] = len(queries)
    reset_queries()
    if rss:
        run += 1
        call = {"kind": kind, "arguments": arguments(run)}
        child = subprocess.run(
            [sys.executable, __file__, "--child", json.dumps(call)],
            env=os.environ,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            raise SystemExit(f"{name}: the child process failed:\n{child.stderr}")
        result.update(json.loads(child.stdout.strip().splitlines()[-1]))
    return result


def peak_rss_mb() -> float:
    """This process's peak resident memory so far. Linux's VmHWM, because ru_maxrss carries
    the parent's peak over into a child started by fork and exec."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # not Linux: ru_maxrss (KB on Linux, bytes on macOS) is the best there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kb) / 1024


def child(call: dict):
    """One run in a fresh process, for its peak resident memory."""
    from django.test.utils import override_settings

    arguments = call["arguments"]
    function = STEPS[call["kind"]]
    if call["kind"] == "write cells":
        load_values(arguments["values"])
    if call["kind"] == "import":
        # Load what the step loads anyway, so that the growth is the step's own.
        import actions.services  # noqa: F401
        import workbooks.layouts  # noqa: F401
    before = peak_rss_mb()
    with override_settings(DEBUG=False):
        function(**arguments)
    after = peak_rss_mb()
    print(json.dumps({"rss_mb": after, "rss_growth_mb": after - before}))


def run_size(size: int, options, workdir: Path) -> list[dict]:
    from actions.models import Plan

    print(f"\n## {size:,} actions: building the plan and workbooks ...", flush=True)
    source = build_plan(f"bench-{size}", size)
    files = {}

    def save(name, data):
        path = workdir / f"{size}-{name}.xlsx"
        path.write_bytes(data)
        files[name] = str(path)

    save("export", export_bytes(source))
    save("new", without_ids(source))
    values = workdir / f"{size}-values.pickle"
    rows = sheet_values(Path(files["export"]).read_bytes())
    values.write_bytes(pickle.dumps(rows))
    load_values(str(values))
    size_mb = Path(files["export"]).stat().st_size / MB
    print(f"   the exported workbook: {size_mb:.1f} MB, {len(rows):,} rows", flush=True)

    slugs = iter(f"bench-{size}-copy-{uuid.uuid4().hex[:8]}" for _ in range(1000))
    copy = next(slugs)  # made by the first run of the create step, then imported into

    def measure_step(name, kind, arguments, repeat=options.repeat):
        print(f"   {name} ...", flush=True)
        return measure(
            name,
            kind,
            arguments,
            size,
            repeat,
            not options.no_rss,
            options.profile,
        )

    results = [
        measure_step("export", "export", lambda run: {"plan": source.slug}),
        measure_step("write cells", "write cells", lambda run: {"values": str(values)}),
        measure_step("read cells", "read cells", lambda run: {"workbook": files["export"]}),
        measure_step("read values", "read values", lambda run: {"workbook": files["export"]}),
        measure_step(
            "dry-run import",
            "import",
            lambda run: {
                "workbook": files["export"],
                "plan": source.slug,
                "expect": "unchanged",
                "dry_run": True,
            },
        ),
        measure_step(
            "import (create)",
            "import",
            lambda run: {
                "workbook": files["new"],
                "plan": "",
                "expect": "create",
                "create": copy if run == 1 else next(slugs),
            },
        ),
    ]
    copied = Plan.objects.get(slug=copy)
    save("copy", export_bytes(copied))
    results.append(
        measure_step(
            "re-import unchanged",
            "import",
            lambda run: {"workbook": files["copy"], "plan": copy, "expect": "unchanged"},
        )
    )
    # Two changed workbooks, imported in turn, so that every run changes every row.
    save("changed-1", with_changes(copied, 1))
    save("changed-2", with_changes(copied, 2))
    results.append(
        measure_step(
            "import every row changed",
            "import",
            lambda run: {
                "workbook": files[f"changed-{2 - run % 2}"],
                "plan": copy,
                "expect": "update",
            },
        )
    )
    for result in results:
        result["size"] = size
    return results


# ---- reporting -----------------------------------------------------------------------------


def machine() -> str:
    """What the numbers were measured on, for the README."""
    import platform

    import django
    import openpyxl

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, load average {load}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, openpyxl "
        f"{openpyxl.__version__}"
    )


def report(results: list[dict], database: str) -> list[str]:
    """The results as a Markdown table, with each step's time against its baseline: an
    import against openpyxl reading the same cells (and, for comparison, values only), the
    export against openpyxl writing them."""
    lines = [f"Database: {database}. Machine: {machine()}.", ""]
    lines += [
        "| actions | step | seconds | CPU s | x baseline | x values only | queries "
        "| traced MB | RSS MB (+step) | phases (s) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    by_size = {}
    for result in results:
        by_size.setdefault(result["size"], {})[result["step"]] = result
    for size, steps in by_size.items():
        for name, result in steps.items():
            ratio = other = ""
            if name == "export":
                result["ratio"] = result["seconds"] / steps[WRITE_BASELINE]["seconds"]
                ratio = f"{result['ratio']:.2f}"
            elif name in IMPORTS:
                result["ratio"] = result["seconds"] / steps[READ_BASELINE]["seconds"]
                ratio = f"{result['ratio']:.2f}"
                other = f"{result['seconds'] / steps['read values']['seconds']:.2f}"
            phases = ", ".join(f"{k} {v:.2f}" for k, v in result.get("phases", {}).items())
            rss = (
                f"{result['rss_mb']:.0f} (+{result['rss_growth_mb']:.0f})"
                if "rss_mb" in result
                else ""
            )
            lines.append(
                f"| {size:,} | {name} | {result['seconds']:.2f} | {result['cpu_seconds']:.2f} "
                f"| {ratio} | {other} | {result['queries']} | {result['traced_mb']:.0f} "
                f"| {rss} | {phases} |"
            )
    lines += ["", "Targets:", ""] + [f"- {line}" for line in targets(by_size)]
    return lines


def targets(by_size: dict) -> list[str]:
    lines = []

    def check(ok, text):
        lines.append(f"{'met' if ok else '**NOT MET**'}: {text}")

    for size, steps in by_size.items():
        for name in IMPORTS:
            ratio = steps[name]["ratio"]
            check(
                ratio <= IMPORT_FACTOR,
                f"{size:,}: {name} {ratio:.2f}x {READ_BASELINE} (<= {IMPORT_FACTOR}x)",
            )
        ratio = steps["export"]["ratio"]
        check(
            ratio <= EXPORT_FACTOR,
            f"{size:,}: export {ratio:.2f}x {WRITE_BASELINE} (<= {EXPORT_FACTOR}x)",
        )
        if size >= LARGE:
            for name in ("export", *IMPORTS):
                seconds = steps[name]["seconds"]
                check(
                    seconds < LARGE_SECONDS,
                    f"{size:,}: {name} {seconds:.2f} s (< {LARGE_SECONDS:.0f} s)",
                )
        for name in ("export", *IMPORTS):
            result = steps[name]
            peak = max(result["traced_mb"], result.get("rss_mb", 0))
            check(
                peak < MEMORY_MB, f"{size:,}: {name} peak memory {peak:.0f} MB (< {MEMORY_MB} MB)"
            )
    sizes = sorted(by_size)
    if len(sizes) > 1:
        for name in ("export", *IMPORTS):
            counts = [by_size[size][name]["queries"] for size in sizes]
            check(len(set(counts)) == 1, f"{name}: queries {counts} at {sizes} (the same)")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000])
    parser.add_argument("--database-url", help="A PostgreSQL server: a database is made on it.")
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs; the best is kept.")
    parser.add_argument("--no-rss", action="store_true", help="Skip the child-process runs.")
    parser.add_argument("--profile", type=Path, help="Write a cProfile file per step here.")
    parser.add_argument("--json", type=Path, help="Write the results here too.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:  # one step in a child process, on the parent's database
        setup_django(os.environ["DATABASE_URL"])
        child(json.loads(options.child))
        return

    with tempfile.TemporaryDirectory(prefix="cspplan-bench-") as directory:
        workdir = Path(directory)
        database_url, drop = throwaway_database(options.database_url, workdir)
        try:
            setup_django(database_url)
            from django.core.management import call_command
            from django.db import connection

            if options.profile:
                options.profile.mkdir(parents=True, exist_ok=True)
            print(f"Database: {connection.vendor} (throwaway); migrating and loading the demo data")
            call_command("migrate", verbosity=0)
            call_command("load_demo", stdout=io.StringIO())
            results = []
            for size in options.sizes:
                results += run_size(size, options, workdir)
            if connection.vendor == "sqlite":
                version = connection.Database.sqlite_version
            else:  # PostgreSQL gives 150020 for 15.20
                version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"
            lines = report(results, f"{connection.vendor} {version}")
            print("\n" + "\n".join(lines))
            if options.json:
                options.json.write_text(json.dumps(results, indent=1))
        finally:
            drop()


if __name__ == "__main__":
    main()
