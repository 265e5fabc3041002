"""Helpers the tests share: dates relative to today, signing in to get a page, the forms
people post (the update form, the admin's change form), and moving history into the past."""

import datetime
import re

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.urls import reverse

from actions.models import Action, Plan, PlanStatus, ProgressUpdate
from actions.services import action_update, action_version
from cspplan import clock


def days_ago(days: int) -> datetime.date:
    # Before the clock's today (cspplan/clock.py), so that data built with it reads the same
    # whether or not a test sets the demo's date.
    return clock.today() - datetime.timedelta(days=days)


def get(client, user, url, data=None, *, status=200):
    """The page at `url` as `user` sees it, checked to answer `status`."""
    client.force_login(user)
    response = client.get(url, data)
    assert response.status_code == status, (url, response.status_code)
    return response


def date_fields(name: str, date: datetime.date | None) -> dict:
    """A GOV.UK date input's three boxes (day, month, year) as a form posts them."""
    if date is None:
        return {}
    return {f"{name}_0": str(date.day), f"{name}_1": str(date.month), f"{name}_2": str(date.year)}


def update_form(action: Action, **changes) -> dict:
    """What the update form sends for `action`, as loaded, when its user changes nothing but
    `changes`."""
    data = {
        **date_fields("update_date", clock.today()),
        "update_text": "",
        "rag": action.rag,
        "progress": action.progress,
        "comment": action.comment,
        "version": action_version(action),
        **date_fields("start_date", action.start_date),
        **date_fields("end_date", action.end_date),
    }
    data.update(changes)
    return data


def admin_change(client, action: Action, **changes):
    """Post the admin's change form for `action` as it stands, with `changes` made (and no
    lead people or organisations unless `changes` names them)."""
    url = reverse("admin:actions_action_change", args=[action.pk])
    form = client.get(url).context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in values.items()}
    data.update(
        {
            "lead_people": [],
            "lead_organisations": [],
            "supporting_organisations": [],
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
        }
    )
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def edit(action: Action, user, **fields) -> Action:
    """Change an action as the update page does, through the service it calls."""
    action.refresh_from_db()
    return action_update(
        action=action, user=user, expected_version=action_version(action), **fields
    )


def backdate(days: int = 60) -> None:
    """Move everything recorded so far `days` into the past."""
    shift = datetime.timedelta(days=days)
    Action.history.model.objects.update(history_date=F("history_date") - shift)
    # When the plans were created: actions created on that day came with their plan.
    Plan.history.model.objects.update(history_date=F("history_date") - shift)
    Action.objects.update(created_at=F("created_at") - shift)
    ProgressUpdate.objects.update(created_at=F("created_at") - shift)


OVERDUE_TAG = '<strong class="govuk-tag govuk-tag--pink app-overdue">Overdue</strong>'


def overdue_rows(page: str) -> dict[int, bool]:
    """Each table row of `page` that links to an action: the action's pk, and whether the
    row carries the "Overdue" tag."""
    rows = {}
    for row in re.findall(r"<tr\b.*?</tr>", page, flags=re.S):
        linked = re.search(r'href="/actions/(\d+)/"', row)
        if linked:
            rows[int(linked.group(1))] = OVERDUE_TAG in row
    return rows


def migrate_to(targets):
    """Migrate the test database to `targets` ([(app, migration)]) and return the apps
    (historical models) as they stand there, for tests of a data migration."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def reopened(plan: Plan) -> Plan:
    """`plan` as if it were still open. The seed plans of the SGV and CSP layouts are
    closed (their periods have ended), and a closed plan takes no import or edit
    (actions.closing); tests of those layouts' round trips write to them as to an open one."""
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
    plan.refresh_from_db()
    return plan


# Words that must be escaped, and more of them than any list shows (30 words at most).
AWKWARD = "Knife crime & <script>alert('x')</script> \"quoted\" " + " ".join(
    f"word{n}" for n in range(40)
)


def add_awkward_actions(world) -> None:
    """Beside the world's actions (a marked one, one updated, a sub-theme's, two plans in
    the board's scope): a red one with awkward words in every field drawn and an overdue
    end as written, whose newest update is marked on its own; and an amber one with only
    its progress as written. For the tests of rows drawn in Python."""
    from tests.factories import ActionFactory, ProgressUpdateFactory

    awkward = ActionFactory(
        theme=world.governance,
        ref="<9>&",
        order=9,
        rag="red",
        text=AWKWARD,
        leads=AWKWARD,
        end_text="March & April",
        end_date=days_ago(3),
    )
    ProgressUpdateFactory(
        action=awkward, date=days_ago(200), text=AWKWARD, marking="official-sensitive"
    )
    ActionFactory(theme=world.exploitation, ref="8", order=8, rag="amber", progress=AWKWARD)


def between_tags(html: str) -> str:
    """HTML with its runs of white space made one, and none beside a tag: two drawings of
    the same rows compared whatever their layout."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html.strip()))
