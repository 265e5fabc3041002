"""Two checkouts of the code measured in turn (compare.py, load_pages.py): each serves
requests in a process of its own, a line on its stdin asking for one and a line of JSON on
its stdout answering, so that a shared machine's changing speed affects both sides alike.
And the database such a script measures on: a throwaway one, or one a load test kept."""

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path


class Side:
    """The code at `root` running `script --worker ROOT` against `database_url`."""

    def __init__(self, name: str, root: Path, database_url: str, script: str):
        self.name = name
        env = {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "cspplan.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmarks-only-not-a-secret"),
            "DEBUG": "1",
            "PATH": "/usr/bin:/bin",
        }
        self.process = subprocess.Popen(  # noqa: S603 (our own script, our own arguments)
            [sys.executable, script, "--worker", str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=root,
        )

    def ask(self, line: str) -> dict:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def database(database_url: str | None, directory: Path, reuse: str | None = None):
    """(the URL, a function that drops it): the database `reuse` names on the server of
    `database_url`, left as it is, or else a throwaway one (spreadsheets.py's)."""
    if reuse:
        parts = urllib.parse.urlsplit(database_url)
        return parts._replace(path=f"/{reuse}").geturl(), lambda: None
    from spreadsheets import throwaway_database

    return throwaway_database(database_url, directory)
