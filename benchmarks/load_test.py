"""Load test: London at full size (32 partnerships x 300 actions, a year of updates and
meetings) on PostgreSQL, served by gunicorn with 2 workers on loopback, under a mix of
officers saving updates through the real update form, chairs opening dashboards and packs,
and analysts exporting workbooks. Bounded in time and in requests; stops by itself.

    .venv/bin/python benchmarks/load_test.py --database-url postgres://postgres@127.0.0.1:5432/postgres
        [--duration 60] [--max-requests 3000] [--officers 4] [--chairs 2] [--analysts 1]
        [--think 0.2 1.0] [--keep | --reuse NAME] [--json FILE]

It makes a database of its own on that server (`cspplan_bench_<pid>`, dropped at the end
unless --keep; --reuse NAME runs against a database a --keep run left, without generating
again), migrates it, generates the data with bulk inserts, collects the static files,
starts gunicorn on 127.0.0.1 only, runs the mix, stops gunicorn, and then checks that
every update that got a success response (302 from the update form) is in the database
exactly once. What is measured and the latest numbers: benchmarks/README.md.

A plain threaded HTTP client (http.client), not locust: the run must check afterwards, in
the database, every update the server said it saved, which needs each update's own text and
response kept together; locust would add gevent and Flask to the development dependencies
for a client of some 100 lines, and its gevent monkey-patching does not mix with Django's
ORM in the same process, which the check uses.
"""

import argparse
import collections
import datetime
import http.client
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkouts import database  # noqa: E402
from spreadsheets import ROOT, machine, seed_texts, settle, setup_django  # noqa: E402

PARTNERSHIPS = 32
ACTIONS = 300  # per partnership, in one plan
UPDATES_PER_ACTION = 8  # over the past year, about every six weeks
MEETINGS = 6  # held by each partnership's board in the past year, and one planned
AGENDA_ITEMS = 6
PASSWORD = "load-test-password"  # noqa: S105 - users of a throwaway database
UPDATE_PREFIX = "Load test update"
RAGS = ("red", "amber", "green", "complete", "not_rated")

# Which kind of request each target applies to (issue 15: p95 under 300 ms for pages, under
# 1 s for dashboards and exports).
TARGET_MS = {"page": 300, "dashboard": 1000, "export": 1000}
KINDS = {
    "my actions": "page",
    "plan page": "page",
    "update form": "page",
    "update save": "page",
    "board dashboard": "dashboard",
    "plan dashboard": "dashboard",
    "pack": "dashboard",
    "vru view": "dashboard",
    "export workbook": "export",
}


# ---- the data ------------------------------------------------------------------------------


def generate(today: datetime.date) -> None:
    """32 partnerships, each with its organisations (and the MPS, shared by all, as in
    London), people, a board with two subgroups, a VRU plan of 300 actions in the 7 themes
    of the real Barking & Dagenham plan (its texts cycled), 8 progress updates per action
    over the past year (the plan's real update texts, cycled) with RAG changes each quarter,
    the history rows of all of it, dated when it happened, and a board meeting every two
    months with its agenda; users: per partnership an officer, a chair and an analyst (with
    an authenticator app)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from actions.models import Action, Plan, ProgressUpdate, Theme
    from boards.models import Board, Membership, Organisation, Partnership, Person
    from meetings.models import AgendaItem, Meeting

    seed_plan, theme_names, seed_actions, update_texts = seed_texts()
    year_ago = today - datetime.timedelta(days=365)

    def at(objects, moment):
        for obj in objects:
            obj._history_date = moment
        return objects

    def history(model, objects, **options):
        model.history.bulk_history_create(objects, batch_size=2000, **options)

    def dated(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)

    password = make_password(PASSWORD)  # one hash for all: each takes a third of a second
    start = dated(year_ago)
    with transaction.atomic():
        partnerships = Partnership.objects.bulk_create(
            Partnership(name=f"Load test borough {n:02d} CSP", slug=f"load-{n:02d}")
            for n in range(1, PARTNERSHIPS + 1)
        )
        history(Partnership, at(partnerships, start))
        mps = Organisation.objects.create(
            name="Load test Metropolitan Police Service", short_name="LT-MPS", kind="police"
        )
        mps.partnerships.set(partnerships)
        orgs = {}
        for n, partnership in enumerate(partnerships, 1):
            orgs[partnership.pk] = [mps] + Organisation.objects.bulk_create(
                Organisation(
                    name=f"Load test borough {n:02d} {kind}",
                    short_name=f"LT{n:02d}{k}",
                    kind=kind_value,
                )
                for k, (kind, kind_value) in enumerate(
                    [
                        ("Council", "local_authority"),
                        ("Probation", "probation"),
                        ("Health", "health"),
                        ("Voluntary Services", "voluntary"),
                    ]
                )
            )
        links = Organisation.partnerships.through
        links.objects.bulk_create(
            links(organisation=org, partnership_id=pk)
            for pk, those in orgs.items()
            for org in those[1:]
        )
        users = get_user_model().objects.bulk_create(
            [
                get_user_model()(username=f"{role}-{n:02d}", password=password)
                for n in range(1, PARTNERSHIPS + 1)
                for role in ("officer", "chair", "analyst")
            ]
            + [get_user_model()(username="vru-01", password=password)]
        )
        by_name = {user.username: user for user in users}
        # The regional body's reader: the VRU role, of no partnership (regional/).
        Person.objects.create(name="VRU reader", role="vru", user=by_name["vru-01"])
        people = {}
        for n, partnership in enumerate(partnerships, 1):
            council = orgs[partnership.pk][1]
            made = Person.objects.bulk_create(
                [
                    Person(
                        name=f"Officer {n:02d}",
                        organisation=council,
                        role="officer",
                        user=by_name[f"officer-{n:02d}"],
                    ),
                    Person(
                        name=f"Chair {n:02d}",
                        organisation=council,
                        role="chair",
                        user=by_name[f"chair-{n:02d}"],
                    ),
                    Person(
                        name=f"Analyst {n:02d}",
                        organisation=council,
                        role="analyst",
                        user=by_name[f"analyst-{n:02d}"],
                    ),
                ]
                + [
                    Person(
                        name=f"Lead {n:02d}-{k}",
                        organisation=orgs[partnership.pk][k % 5],
                        role="officer",
                    )
                    for k in range(5)
                ]
            )
            people[partnership.pk] = made
        Person.partnerships.through.objects.bulk_create(
            Person.partnerships.through(person=person, partnership_id=pk)
            for pk, those in people.items()
            for person in those
        )
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=user, name="Load test app", confirmed=True)
            for user in users
            if user.username.startswith("analyst")
        )
        boards, subgroups, plans = {}, {}, {}
        for n, partnership in enumerate(partnerships, 1):
            board = Board.objects.create(
                partnership=partnership, name="CSP Board", slug="csp-board", kind="board"
            )
            subgroups[partnership.pk] = [
                Board.objects.create(
                    partnership=partnership,
                    parent=board,
                    kind="subgroup",
                    name=name,
                    slug=slug,
                    order=order,
                )
                for order, (name, slug) in enumerate(
                    [("Violence Reduction Subgroup", "vrs"), ("Reducing Reoffending", "rr")]
                )
            ]
            boards[partnership.pk] = board
            chair = people[partnership.pk][1]
            Membership.objects.create(board=board, person=chair, role="chair")
            plans[partnership.pk] = Plan.objects.create(
                partnership=partnership,
                board=board,
                title=f"Load test borough {n:02d} VRU action plan",
                slug=f"load-{n:02d}-vru",
                layout=Plan.Layout.VRU,
                period_start=datetime.date(today.year - 1, 4, 1),
                period_end=datetime.date(today.year + 1, 3, 31),
                status="active",
            )
        themes = Theme.objects.bulk_create(
            Theme(
                plan=plans[pk],
                name=name,
                description=description,
                order=order,
                monitoring_board=subgroups[pk][order % 2],
            )
            for pk in plans
            for order, (name, description) in enumerate(theme_names)
        )
        themes_of = collections.defaultdict(list)
        for theme in themes:
            themes_of[theme.plan_id].append(theme)
        actions, lead_people, lead_orgs = [], [], []
        for pk, plan in plans.items():
            for number in range(ACTIONS):
                seed = seed_actions[number % len(seed_actions)]
                end = year_ago + datetime.timedelta(days=30 + (number * 37) % 500)
                actions.append(
                    Action(
                        theme=themes_of[plan.pk][number % len(theme_names)],
                        ref=str(number + 1),
                        order=number,
                        text=f"{seed['text']} ({number + 1})",
                        outcomes=seed.get("outcomes") or "",
                        origin=seed.get("origin") or "local",
                        start_date=year_ago,
                        end_date=end,
                        rag=RAGS[number % len(RAGS)],
                    )
                )
                # The officer user leads one action in five; the other leads the rest.
                lead_people.append(people[pk][0 if number % 5 == 0 else 3 + number % 5])
                lead_orgs.append(orgs[pk][1 + number % 4])
        actions = Action.objects.bulk_create(actions, batch_size=2000)
        history(Action, at(actions, start))
        Action.lead_people.through.objects.bulk_create(
            (
                Action.lead_people.through(action=a, person=p)
                for a, p in zip(actions, lead_people, strict=True)
            ),
            batch_size=5000,
        )
        Action.lead_organisations.through.objects.bulk_create(
            (
                Action.lead_organisations.through(action=a, organisation=o)
                for a, o in zip(actions, lead_orgs, strict=True)
            ),
            batch_size=5000,
        )
        # A year of updates: each action's RAG changes each quarter, as its updates say.
        step = 365 // UPDATES_PER_ACTION
        for number in range(UPDATES_PER_ACTION):
            day = year_ago + datetime.timedelta(days=step * (number + 1) - 3)
            rags = []
            for index, action in enumerate(actions):
                action.rag = RAGS[(index + number // 2) % len(RAGS)]
                rags.append(action.rag)
            if number % 2 == 0:
                history(Action, at(actions, dated(day)), update=True)
            updates = ProgressUpdate.objects.bulk_create(
                (
                    ProgressUpdate(
                        action=action,
                        date=day,
                        text=update_texts[(index + number) % len(update_texts)],
                        rag=rag,
                    )
                    for index, (action, rag) in enumerate(zip(actions, rags, strict=True))
                ),
                batch_size=5000,
            )
            history(ProgressUpdate, at(updates, dated(day)))
            # Received on the day written, not when generated (created_at is set on save):
            # otherwise every update of the year is "received since the last meeting", and
            # the pack lists them all.
            ProgressUpdate.objects.filter(pk__in=[u.pk for u in updates]).update(
                created_at=dated(day)
            )
        Action.objects.bulk_update(actions, ["rag"], batch_size=2000)
        # The actions came with their plans a year ago: not "new since the last meeting".
        Action.objects.filter(pk__in=[a.pk for a in actions]).update(created_at=start)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                board=board,
                date=today - datetime.timedelta(days=60 * (MEETINGS - number) - 7),
                status="minutes_approved" if number < MEETINGS - 1 else "held",
                venue="Town Hall",
                chair=people[pk][1],
            )
            for pk, board in boards.items()
            for number in range(MEETINGS)
        ) + Meeting.objects.bulk_create(
            Meeting(board=board, date=today + datetime.timedelta(days=50), venue="Town Hall")
            for board in boards.values()
        )
        history(Meeting, at(meetings, start))
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                number=str(k + 1),
                title=title,
                order=k,
                plan=plans[meeting.board.partnership_id] if k == 2 else None,
            )
            for meeting in meetings
            for k, title in enumerate(
                [
                    "Welcome and apologies",
                    "Minutes of the last meeting",
                    "VRU action plan",
                    "Performance report",
                    "Subgroup updates",
                    "Any other business",
                ][:AGENDA_ITEMS]
            )
        )
        history(AgendaItem, at(items, start))


def sessions() -> dict[str, str]:
    """A signed-in session for each load-test user, made as the sign-in page would (the
    analysts' verified with their authenticator app), so that the run measures the pages
    rather than password hashing: {username: session cookie}."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    made = {}
    for user in get_user_model().objects.filter(username__contains="-").order_by("username"):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        device = TOTPDevice.objects.filter(user=user).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        made[user.username] = client.cookies["sessionid"].value
    return made


def targets_for(usernames) -> dict:
    """What each user opens: their partnership's board, plan and the actions they may edit."""
    from django.contrib.auth import get_user_model

    from actions.models import Plan
    from actions.permissions import editable_actions
    from boards.models import Board

    found = {}
    for user in get_user_model().objects.filter(username__in=usernames):
        n = user.username.split("-")[1]
        plan = Plan.objects.get(slug=f"load-{n}-vru")
        board = Board.objects.get(partnership__slug=f"load-{n}", slug="csp-board")
        editable = []
        if user.username.startswith("officer"):
            editable = list(editable_actions(user).values_list("pk", flat=True))
        found[user.username] = {"plan": plan.slug, "board": board.pk, "actions": editable}
    return found


def vru_url() -> str:
    """The VRU view's address (regional/)."""
    from django.urls import reverse

    return reverse("regional:vru-view")


# ---- the server ----------------------------------------------------------------------------


def start_server(environment: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "cspplan.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",  # loopback only
            "--timeout=60",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# ---- the client ----------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields of the page's form that has a `version` field (the update form), with the
    values a browser would send if nothing were changed."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.current[attrs["name"]] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.current[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.current[self.textarea] = ""
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.current[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current[self.textarea] += data

    def update_form(self) -> dict:
        return next(form for form in self.forms if "version" in form)


class VirtualUser(threading.Thread):
    """One person at a browser: requests one after another, with a pause between them."""

    def __init__(self, run, name, role, session, target, seed):
        super().__init__(name=name, daemon=True)
        self.run_, self.role, self.target = run, role, target
        self.cookies = {"sessionid": session}
        self.random = random.Random(seed)
        self.saved = []  # the texts of the updates the server said it saved
        self.connection = None

    def request(self, kind, method, path, body=None):
        headers = {
            "Host": f"127.0.0.1:{self.run_.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.run_.port}{path}"
        start = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.run_.port, 60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            self.run_.record(kind, (time.perf_counter() - start) * 1000, f"error {error!r}")
            return None, b""
        elapsed = (time.perf_counter() - start) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        self.run_.record(kind, elapsed, response.status)
        return response.status, content

    def run(self):
        while self.run_.going():
            getattr(self, self.role)()
            time.sleep(self.random.uniform(*self.run_.think))

    def officer(self):
        if self.random.random() < 0.15:
            self.request("my actions", "GET", "/")
        else:
            self.update_action()

    def update_action(self):
        action = self.random.choice(self.target["actions"])
        path = f"/actions/{action}/update/"
        status, content = self.request("update form", "GET", path)
        if status != 200:
            return
        fields = FormFields()
        fields.feed(content.decode())
        data = fields.update_form()
        number = f"{len(self.saved) + 1}-{secrets.token_hex(4)}"  # unique, even if refused
        text = f"{UPDATE_PREFIX} {self.run_.id} {self.name} {number}"
        data["update_text"] = text
        data["rag"] = self.random.choice(["red", "amber", "green"])
        time.sleep(self.random.uniform(*self.run_.think))  # typing
        if not self.run_.going():
            return
        status, _ = self.request("update save", "POST", path, urllib.parse.urlencode(data))
        self.run_.outcomes[text] = status
        if status == 302:
            self.saved.append(text)

    def chair(self):
        # A chair looks at the dashboards most, and opens the pack once before a meeting.
        pages = self.chair_pages()
        weights = [
            {"board dashboard": 35, "plan dashboard": 35, "plan page": 20}.get(kind, 10)
            for kind, _ in pages
        ]
        ((kind, path),) = self.random.choices(pages, weights=weights)
        self.request(kind, "GET", path)

    def chair_pages(self):
        plan, board = self.target["plan"], self.target["board"]
        pages = [
            ("board dashboard", f"/boards/{board}/"),
            ("plan dashboard", f"/plans/{plan}/dashboard/"),
            ("plan page", f"/plans/{plan}/"),
            ("pack", f"/plans/{plan}/pack/"),
        ]
        return [(kind, path) for kind, path in pages if kind not in self.run_.skip]

    def every_kind(self):
        """Each of the role's requests once, one after another."""
        if self.role == "officer":
            self.request("my actions", "GET", "/")
            self.update_action()
        elif self.role == "chair":
            for kind, path in self.chair_pages():
                self.request(kind, "GET", path)
        elif self.role == "analyst":
            self.request(
                "export workbook", "GET", f"/plans/{self.target['plan']}/export/?layout=vru"
            )
            self.request("plan page", "GET", f"/plans/{self.target['plan']}/")
        else:
            self.vru()

    def analyst(self):
        plan = self.target["plan"]
        if self.random.random() < 0.5:
            self.request("export workbook", "GET", f"/plans/{plan}/export/?layout=vru")
        else:
            self.request("plan page", "GET", f"/plans/{plan}/")

    def vru(self):
        self.request("vru view", "GET", self.run_.vru)


class Run:
    def __init__(self, port, duration, max_requests, think, vru, skip=()):
        self.id = secrets.token_hex(3)
        self.skip = set(skip)
        self.port, self.think, self.vru = port, think, vru
        self.duration, self.max_requests = duration, max_requests
        self.samples = collections.defaultdict(list)  # kind: [(ms, status)]
        self.outcomes = {}  # update text: status of its POST
        self.count = 0
        self.lock = threading.Lock()
        self.started = None

    def going(self) -> bool:
        return time.monotonic() - self.started < self.duration and self.count < self.max_requests

    def record(self, kind, ms, status):
        with self.lock:
            self.count += 1
            self.samples[kind].append((ms, status))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def ok(kind, status):
    expected = 302 if kind == "update save" else 200
    return status == expected


# ---- the run -------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="A PostgreSQL server.")
    parser.add_argument("--duration", type=float, default=60, help="Seconds of load.")
    parser.add_argument("--max-requests", type=int, default=3000)
    parser.add_argument("--officers", type=int, default=4)
    parser.add_argument("--chairs", type=int, default=2)
    parser.add_argument("--analysts", type=int, default=1)
    parser.add_argument("--think", type=float, nargs=2, default=[0.2, 1.0], metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--alone", type=int, default=3, help="Passes of each request alone.")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["pack"], help="Leave the chairs' pack out."
    )
    parser.add_argument("--port", type=int, default=8765)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    group.add_argument("--reuse", metavar="NAME", help="A database a --keep run left.")
    parser.add_argument("--json", type=Path, help="Write the results here too.")
    options = parser.parse_args()

    secret = secrets.token_urlsafe(50)
    os.environ["SECRET_KEY"] = secret
    with tempfile.TemporaryDirectory(prefix="cspplan-load-") as directory:
        database_url, drop = database(options.database_url, Path(directory), options.reuse)
        name = urllib.parse.urlsplit(database_url).path.lstrip("/")
        try:
            results = measure(options, database_url, secret, Path(directory))
        finally:
            if options.keep:
                print(f"\nKept the database {name}: run again with --reuse {name}")
            else:
                drop()
    if options.json:
        options.json.write_text(json.dumps(results, indent=1))


def measure(options, database_url, secret, workdir: Path) -> dict:
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from actions.models import Action, ProgressUpdate

    if connection.vendor != "postgresql":
        raise SystemExit("The load test runs on PostgreSQL (--database-url postgres://...).")
    if not options.reuse:
        print(f"Database {connection.settings_dict['NAME']}: migrating", flush=True)
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        print(f"Generating {PARTNERSHIPS} partnerships x {ACTIONS} actions ...", flush=True)
        generate(timezone.localdate())
        settle()  # as autovacuum would after a bulk load
        print(f"   done in {time.perf_counter() - start:.0f} s", flush=True)
    counts = {
        "actions": Action.objects.count(),
        "progress updates": ProgressUpdate.objects.count(),
        "history rows (actions, updates)": Action.history.count() + ProgressUpdate.history.count(),
    }
    print("   " + ", ".join(f"{v:,} {k}" for k, v in counts.items()), flush=True)
    vru = vru_url()
    print("Collecting the static files ...", flush=True)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: cookies that are not marked Secure.
        "SECURE_COOKIES": "0",
        "DEBUG": "",
        "CSPPLAN_TODAY": "",
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    cookies = sessions()
    roles = (
        [("officer", n) for n in range(options.officers)]
        + [("chair", n) for n in range(options.chairs)]
        + [("analyst", n) for n in range(options.analysts)]
        + [("vru", 0)]
    )
    usernames = [f"{role}-{n + 1:02d}" for role, n in roles]
    targets = targets_for(usernames)
    connection.close()

    log = workdir / "gunicorn.log"
    print(f"Starting gunicorn ({options.workers} workers) on 127.0.0.1:{options.port}", flush=True)
    server = start_server(environment, options.port, options.workers, log)
    run = Run(
        options.port, options.duration, options.max_requests, options.think, vru, options.skip
    )
    users = [
        VirtualUser(run, f"{role}{n + 1}", role, cookies[username], targets[username], n)
        for (role, n), username in zip(roles, usernames, strict=True)
    ]
    # Each kind of request alone, one at a time, by the first user of each role: the time
    # the application takes when nothing else is asked of it. Their updates are checked too.
    alone = Run(options.port, 1e9, 10**9, (0, 0), vru, options.skip)
    alone.id, alone.started = run.id, time.monotonic()
    solo, seen = [], set()
    for user in users:
        if user.role not in seen:
            seen.add(user.role)
            solo.append(
                VirtualUser(
                    alone,
                    f"alone-{user.role}",
                    user.role,
                    user.cookies["sessionid"],
                    user.target,
                    99,
                )
            )
    try:
        print("Each request alone (after a warm-up of each worker) ...", flush=True)
        for _ in range(options.workers):  # warm-up: templates, connections
            for user in solo:
                user.every_kind()
        alone.samples.clear()
        for _ in range(options.alone):
            for user in solo:
                user.every_kind()
        print(
            f"Running {len(users)} users for {options.duration:.0f} s "
            f"(at most {options.max_requests} requests) ...",
            flush=True,
        )
        run.started = time.monotonic()
        for user in users:
            user.start()
        for user in users:
            user.join(options.duration + 120)
        elapsed = time.monotonic() - run.started
    finally:
        stop_server(server)
    return report(run, users, elapsed, counts, vru, log, alone, solo)


def report(run, users, elapsed, counts, vru, log, alone, soloists) -> dict:
    from django.db.models import Count

    from actions.models import ProgressUpdate

    lines = [
        f"Machine: {machine()}. Elapsed {elapsed:.0f} s, {run.count} requests "
        f"({run.count / elapsed:.1f}/s), {len(users)} users.",
        "",
        "| request | kind | alone: median ms | count | errors | p50 ms | p95 ms | max ms "
        "| target p95 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    results = {"requests": {}, "counts": counts}
    for kind in KINDS:
        samples = run.samples.get(kind, [])
        solo = alone.samples.get(kind, [])
        if not samples and not solo:
            continue
        times = [ms for ms, _ in samples] or [float("nan")]
        solo_times = [ms for ms, _ in solo]
        errors = sum(not ok(kind, status) for _, status in [*samples, *solo])
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        target = TARGET_MS[KINDS[kind]]
        verdict = "met" if p95 < target and not errors else "**NOT MET**"
        by_itself = f"{statistics.median(solo_times):.0f}" if solo_times else ""
        lines.append(
            f"| {kind} | {KINDS[kind]} | {by_itself} | {len(samples)} | {errors} | {p50:.0f} | "
            f"{p95:.0f} | {max(times):.0f} | < {target} ms: {verdict} |"
        )
        results["requests"][kind] = {
            "alone_ms": solo_times,
            "count": len(samples),
            "errors": errors,
            "p50_ms": p50,
            "p95_ms": p95,
            "statuses": dict(collections.Counter(str(status) for _, status in samples)),
        }
    if not vru:
        lines.append("")
        lines.append("The VRU view is not in this version of the application: not requested.")

    # Every update the server said it saved is in the database exactly once; and none it
    # did not say it saved.
    saved = [text for user in [*users, *soloists] for text in user.saved]
    stored = dict(
        ProgressUpdate.objects.filter(text__startswith=f"{UPDATE_PREFIX} {run.id} ")
        .values("text")
        .annotate(n=Count("id"))
        .values_list("text", "n")
    )
    missing = [text for text in saved if stored.get(text, 0) == 0]
    doubled = [text for text in saved if stored.get(text, 0) > 1]
    unexpected = sorted(set(stored) - set(saved))
    refused = collections.Counter(
        str(status)
        for text, status in [*run.outcomes.items(), *alone.outcomes.items()]
        if status != 302
    )
    lines += [
        "",
        f"Updates saved (302): {len(saved)}; in the database once each: "
        f"{len(saved) - len(missing) - len(doubled)}; missing: {len(missing)}; "
        f"more than once: {len(doubled)}; in the database without a success response: "
        f"{len(unexpected)}; other responses to the form: {dict(refused) or 'none'}.",
    ]
    errors_in_log = [line for line in log.read_text().splitlines() if "Traceback" in line]
    lines.append(f"gunicorn log: {len(errors_in_log)} tracebacks.")
    print("\n" + "\n".join(lines))
    results.update(
        saved=len(saved),
        missing=len(missing),
        doubled=len(doubled),
        unexpected=len(unexpected),
        elapsed=elapsed,
        total=run.count,
    )
    if missing or doubled or unexpected:
        print("LOST OR DOUBLED UPDATES:", missing[:5], doubled[:5], unexpected[:5])
    return results


if __name__ == "__main__":
    main()
