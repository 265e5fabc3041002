"""Hostile uploads (issue 12, findings 1 and 2): how long the plan's import page takes to
refuse each, and the peak memory of the process that does it.

    .venv/bin/python benchmarks/hostile_uploads.py [--keep DIR]

Makes three workbooks (tests/workbooks/hostile.py writes them a row at a time):

  bomb       about 1.6 MB whose sheet inflates to about 1.6 GB, declaring twice its
             compressed size (with the CRC of what it really holds);
  problems   1,000,000 action rows, each with a problem (a RAG status of "Purple");
  actions    a new action on every row, as many rows as make about 16 MB;
  ignored    text in 20 columns no layout has, on as many rows as come just under the cap
             on cells (IMPORT_MAX_CELLS): read to the end, as it has no action rows.

Each is posted to the plan's import page (`workbooks:plan-import`, through Django's test
client, so through the same upload handler, form, reader, preview and page as a browser)
in a fresh process, which reports the wall time of the request, the response, and its peak
resident memory (VmHWM) before and after the request. The database is a throwaway
SQLite file with one plan and one analyst.
"""

import argparse
import html
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024
# The targets for the bomb and the million-row workbook.
TARGET_SECONDS = 10
TARGET_MB = 300


def make_workbooks(folder: Path) -> dict[str, Path]:
    from tests.workbooks import hostile

    def problems():
        for index in range(1_000_000):
            yield ["Theme 1", str(index + 1), f"Action {index + 1}", "Purple"]

    def actions():
        # Words that do not repeat from row to row, so that each row costs its share of
        # the file: about 16 MB for these many rows.
        for index in range(235_000):
            text = f"Action {index + 1}: " + " ".join(
                f"{(index * 7919 + n) ** 3:x}" for n in range(4)
            )
            yield [f"Theme {index % 7 + 1}", str(index + 1), text, "Green"]

    def ignored(cells: int):
        # Text in 20 columns the layout does not have: no actions, so only the cap on
        # cells stops the reading; just under it, this is the longest a workbook can take.
        for index in range(cells // 24):
            yield [None] * 4 + [f"w{index}-{n}" for n in range(20)]

    from django.conf import settings

    made = {
        "bomb": hostile.lying_bomb(1600 * MB),
        "problems": hostile.workbook_with_sheet(
            hostile.sheet_chunks(problems(), refs=False), level=9
        ),
        "actions": hostile.workbook_with_sheet(hostile.sheet_chunks(actions()), level=9),
        "ignored": hostile.workbook_with_sheet(
            hostile.sheet_chunks(ignored(settings.IMPORT_MAX_CELLS - 100)), level=9
        ),
    }
    paths = {}
    for name, data in made.items():
        paths[name] = folder / f"{name}.xlsx"
        paths[name].write_bytes(data)
    return paths


def setup_django(folder: Path) -> None:
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cspplan.settings"
    import django

    django.setup()


def make_database(folder: Path) -> None:
    setup_django(folder)
    from django.core.management import call_command

    from boards.models import Role
    from tests.factories import PlanFactory, ThemeFactory, user_in_role

    call_command("migrate", verbosity=0)
    plan = PlanFactory(slug="bench", layout="vru")
    ThemeFactory(plan=plan, name="Theme 1")
    user = user_in_role(Role.ANALYST, partnerships=[plan.partnership])
    user.username = "bench"
    user.save()


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM rather than ru_maxrss, which Linux carries
    over from the parent through exec (and the parent has just made the workbooks)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(folder: Path, path: Path) -> dict:
    """One upload in this process: what the page said, how long, how much memory."""
    setup_django(folder)
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    url = reverse("workbooks:plan-import", args=["bench"])
    client.get(url)  # templates, URLs and the rest loaded before the measure
    data = path.read_bytes()
    before = peak_mb()
    start = time.perf_counter()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = client.post(
        url, {"file": SimpleUploadedFile(path.name, data, xlsx), "layout": "vru"}
    )
    seconds = time.perf_counter() - start
    page = response.content.decode()
    error = page.split('class="govuk-error-message">', 1)[-1].split("</p>", 1)[0]
    error = error.replace('<span class="govuk-visually-hidden">Error:</span>', "").strip()
    error = html.unescape(error)
    return {
        "file_mb": round(len(data) / MB, 1),
        "status": response.status_code,
        "refused": "govuk-error-message" in page,
        "message": error[:160] if "govuk-error-message" in page else "",
        "page_kb": round(len(response.content) / 1024),
        "seconds": round(seconds, 2),
        "peak_mb_before": round(before),
        "peak_mb": round(peak_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep", type=Path, help="Make the files and database here, and keep them."
    )
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]))))
        return
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        setup_django(folder)  # for the settings (the caps), in this process
        start = time.perf_counter()
        paths = make_workbooks(folder)
        print(f"Made the workbooks in {time.perf_counter() - start:.0f} s.", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import benchmarks.hostile_uploads as b; b.make_database(b.Path({str(folder)!r}))",
            ],
            cwd=ROOT,
            check=True,
        )
        print(
            f"{'case':10} {'MB':>5} {'seconds':>8} {'peak MB':>8} {'(before)':>9}  refused? message"
        )
        failed = False
        for name, path in paths.items():
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(folder), str(path)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            verdict = "yes" if result["refused"] else "no, read to the end"
            print(
                f"{name:10} {result['file_mb']:>5} {result['seconds']:>8} {result['peak_mb']:>8} "
                f"{result['peak_mb_before']:>9}  {verdict}: {result['message']}",
                flush=True,
            )
            if name in ("bomb", "problems"):  # the targets are for these two
                failed |= not result["refused"] or result["seconds"] >= TARGET_SECONDS
                failed |= result["peak_mb"] >= TARGET_MB
        print(
            f"Targets: the bomb and the million rows refused in under {TARGET_SECONDS} s with "
            f"under {TARGET_MB} MB peak: " + ("missed" if failed else "met")
        )


if __name__ == "__main__":
    main()
