"""The access matrix (issue 12): every URL pattern the project defines, the admin's
included, asked for by every role, with the answer each must get.

The patterns are read from the URL resolver, so a new page cannot be forgotten: a pattern
with no entry here fails `test_every_url_pattern_has_an_entry`. The admin's many patterns
follow one rule (administrators only: a signed-out visitor is sent to sign in, anyone else
signed in finds nothing, 404), but are still listed model by model and page by page, so a
new admin model or page must be added here too.

Answers: a status code, or SIGN_IN (a redirect to the sign-in page that comes back here).
What may be seen follows actions.permissions: 404 for a page about something the user may
not know exists, 403 for one they may see but not use. Pages that write are also posted to
(with nothing worth saving) by the roles that may not write, which must be refused the same
way and change nothing.

The shared `world` (tests/conftest.py) is built once for the module, with an indicator, a
senior leader and a group added for the pages that need one.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecondFactorEvent
from actions.models import Action, Plan, ProgressUpdate
from boards.models import Role
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAction, StandingItem
from rollover.models import Rollover
from rollover.services import rollover_create
from tests.clients import Client
from tests.conftest import build_world
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PanelFeedbackFactory,
    PlanFactory,
    SeniorLeaderFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import days_ago

ROLES = (
    "anonymous",
    "officer",  # of the police (organisation A), here
    "council_officer",  # of the council (organisation B), here
    "chair",  # of the CSP board, which owns the plan
    "other_chair",  # of a board beside it
    "analyst",  # here
    "administrator",  # a person in that role: neither staff nor superuser
    "far_officer",  # of the other partnership
    "no_person",  # a user with no person
    "vru",  # the regional body (the VRU role): reads VRU-layout plans at OFFICIAL
)
SIGNED_IN = ROLES[1:]
NOT_ADMINISTRATORS = tuple(role for role in SIGNED_IN if role != "administrator")
SIGN_IN = "sign in"


def answers(default, *, anonymous=SIGN_IN, **by_role) -> dict:
    """Each role's answer: `default`, but for the roles named (and the signed-out visitor,
    sent to sign in unless said otherwise)."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    return {role: by_role.get(role, default) for role in SIGNED_IN} | {"anonymous": anonymous}


def only(allowed: dict, otherwise=404, **kwargs) -> dict:
    """`allowed` ({role: answer}) for those roles, `otherwise` for every other signed-in one."""
    return answers(otherwise, **allowed, **kwargs)


@dataclass
class Page:
    url: object  # a function of the world giving the address
    get: dict
    post: dict = field(default_factory=dict)  # for the roles that may not write


# Who sees what in the world: the violence plan (here, owned by the CSP board, with the
# restricted action bx2) and the other plan (here, owned by the other board, one theme
# monitored by the CSP board's subgroup).
# The VRU role reads both plans (in the VRU layout, at OFFICIAL) but opens no board.
SEE_CSP_BOARD = {
    "officer": 200,
    "council_officer": 200,
    "chair": 200,
    "analyst": 200,
    "administrator": 200,
}
SEE_VIOLENCE_PLAN = SEE_CSP_BOARD | {"vru": 200}
SEE_OTHER_PLAN = SEE_VIOLENCE_PLAN | {"other_chair": 200}
# The other plan's workbooks: its analysts and administrators; forbidden to those who see it.
OTHER_PLAN_WORKBOOKS = only(
    {"analyst": 200, "administrator": 200}
    | {role: 403 for role in ("officer", "council_officer", "chair", "other_chair", "vru")}
)


def refused(table: dict, *writers) -> dict:
    """The answers of `table` but for the `writers`: those a post must be refused to."""
    return {role: answer for role, answer in table.items() if role not in writers}


OTHER_PLAN_WRITES_REFUSED = refused(OTHER_PLAN_WORKBOOKS, "analyst", "administrator")
INDICATOR_EDITORS = only({"analyst": 200, "administrator": 200})
INDICATOR_WRITES_REFUSED = refused(INDICATOR_EDITORS, "analyst", "administrator")
UPDATE_A1 = only(
    {"officer": 200, "analyst": 200, "administrator": 200}
    | {"council_officer": 403, "chair": 403, "vru": 403}
)


def plan_url(name):
    return lambda w: reverse(name, args=[w.plan.slug])


def other_plan_url(name):
    return lambda w: reverse(name, args=[w.other_plan.slug])


def board_url(name):
    return lambda w: reverse(name, args=[w.board.pk])


def meeting_url(name, record=None):
    """A page of the CSP board's held meeting (of its item or action, by `record`)."""

    def address(w):
        extra = [getattr(w, record).pk] if record else []
        full_name = name if ":" in name else f"meetings:{name}"
        return reverse(full_name, args=[w.board.pk, w.meeting.date, *extra])

    return address


# A board's meetings' forms: its chair, its partnership's analysts and administrators;
# forbidden to the others who see the board.
MEETING_MANAGERS = only(
    {"chair": 200, "analyst": 200, "administrator": 200} | {"officer": 403, "council_officer": 403}
)
MEETING_WRITES_REFUSED = refused(MEETING_MANAGERS, "chair", "analyst", "administrator")


TEMPLATE_TAKERS = only({"analyst": 200, "administrator": 200})

REPORT_WRITERS = only({"chair": 200, "analyst": 200, "administrator": 200})

# A plan's roll-over: analysts of its partnership who may see all of it, and administrators.
ROLLOVER_USERS = only({"analyst": 200, "administrator": 200})
ROLLOVER_WRITES_REFUSED = refused(ROLLOVER_USERS, "analyst", "administrator")


def rollover_url(name):
    return lambda w: reverse(name, args=[w.rollover.old_plan.slug, w.rollover.pk])


# The pages outside the admin, by route.
PAGES = {
    # Signing in and out, and passwords: Django's views with our templates.
    "accounts/login/": Page(lambda w: reverse("login"), answers(200, anonymous=200)),
    "accounts/logout/": Page(lambda w: reverse("logout"), answers(405, anonymous=405)),
    "accounts/password_change/": Page(lambda w: reverse("password_change"), answers(200)),
    "accounts/password_change/done/": Page(lambda w: reverse("password_change_done"), answers(200)),
    "accounts/password_reset/": Page(
        lambda w: reverse("password_reset"), answers(200, anonymous=200)
    ),
    "accounts/password_reset/done/": Page(
        lambda w: reverse("password_reset_done"), answers(200, anonymous=200)
    ),
    # A link that was never sent: the page says it is not valid.
    "accounts/reset/<uidb64>/<token>/": Page(
        lambda w: reverse("password_reset_confirm", args=["MQ", "not-a-token"]),
        answers(200, anonymous=200),
    ),
    "accounts/reset/done/": Page(
        lambda w: reverse("password_reset_complete"), answers(200, anonymous=200)
    ),
    # The second factor (accounts/): everyone here who needs one has it and has entered
    # its code this session (tests/clients.py), so the code and set-up pages send them on,
    # as they send those who need none; the QR code exists only while one is set up.
    "accounts/second-factor/": Page(lambda w: reverse("accounts:second-factor"), answers(302)),
    "accounts/second-factor/set-up/": Page(
        lambda w: reverse("accounts:second-factor-setup"), answers(302)
    ),
    "accounts/second-factor/set-up/qr-code.svg": Page(
        lambda w: reverse("accounts:second-factor-qr-code"), answers(404)
    ),
    # The recovery codes of one's own authenticator app: those who have one.
    "accounts/second-factor/recovery-codes/": Page(
        lambda w: reverse("accounts:recovery-codes"),
        only({"analyst": 200, "administrator": 200}),
        post=refused(only({"analyst": 200, "administrator": 200}), "analyst", "administrator"),
    ),
    # The accessibility statement: public.
    "accessibility/": Page(lambda w: reverse("accessibility"), answers(200, anonymous=200)),
    # The health URL, for load balancers: the same answer to everyone, signed in or not.
    "healthz/": Page(lambda w: reverse("healthz"), answers(200, anonymous=200)),
    # The pages everyone signed in has, showing only what is theirs.
    "": Page(lambda w: reverse("actions:my-actions"), answers(200)),
    "plans/": Page(lambda w: reverse("actions:plan-list"), answers(200)),
    "boards/": Page(lambda w: reverse("reporting:board-list"), answers(200)),
    # A plan, and the chairs' pages about it.
    "plans/<slug:slug>/": Page(plan_url("actions:plan-detail"), only(SEE_VIOLENCE_PLAN)),
    "plans/<slug:slug>/dashboard/": Page(
        plan_url("reporting:plan-dashboard"), only(SEE_VIOLENCE_PLAN)
    ),
    "plans/<slug:slug>/since/": Page(plan_url("reporting:plan-since"), only(SEE_VIOLENCE_PLAN)),
    "plans/<slug:slug>/indicators/": Page(
        plan_url("reporting:plan-indicators"), only(SEE_VIOLENCE_PLAN)
    ),
    "plans/<slug:slug>/pack/": Page(plan_url("reporting:plan-pack"), only(SEE_VIOLENCE_PLAN)),
    "plans/<slug:slug>/pack.docx": Page(
        plan_url("reporting:plan-pack-docx"), only(SEE_VIOLENCE_PLAN)
    ),
    # A board's pages: those of its partnership, and those who sit on it.
    "boards/<int:pk>/": Page(board_url("reporting:board-dashboard"), only(SEE_CSP_BOARD)),
    "boards/<int:pk>/since/": Page(board_url("reporting:board-since"), only(SEE_CSP_BOARD)),
    "boards/<int:pk>/pack/": Page(board_url("reporting:board-pack"), only(SEE_CSP_BOARD)),
    "boards/<int:pk>/pack.docx": Page(board_url("reporting:board-pack-docx"), only(SEE_CSP_BOARD)),
    # The restricted action: those who sit on its plan's board, and administrators. Its
    # lead organisation's officer (the council's) may not see it.
    "actions/<int:pk>/": Page(
        lambda w: reverse("actions:action-detail", args=[w.bx2.pk]),
        only({"chair": 200, "administrator": 200}),
    ),
    # The police's action: its officer, the analyst and administrators may update it;
    # others who see it may not.
    "actions/<int:pk>/update/": Page(
        lambda w: reverse("actions:action-update", args=[w.a1.pk]),
        UPDATE_A1,
        post=refused(UPDATE_A1, "officer", "analyst", "administrator"),
    ),
    # The indicator forms: analysts of the plan's partnership and administrators only.
    "plans/<slug:slug>/indicators/<int:pk>/values/add/": Page(
        lambda w: reverse("actions:indicator-value-add", args=[w.plan.slug, w.indicator.pk]),
        INDICATOR_EDITORS,
        post=INDICATOR_WRITES_REFUSED,
    ),
    "plans/<slug:slug>/indicators/<int:pk>/values/<int:value_pk>/": Page(
        lambda w: reverse(
            "actions:indicator-value-change",
            args=[w.plan.slug, w.indicator.pk, w.indicator_value.pk],
        ),
        INDICATOR_EDITORS,
        post=INDICATOR_WRITES_REFUSED,
    ),
    "plans/<slug:slug>/indicators/<int:pk>/target/": Page(
        lambda w: reverse("actions:indicator-target", args=[w.plan.slug, w.indicator.pk]),
        INDICATOR_EDITORS,
        post=INDICATOR_WRITES_REFUSED,
    ),
    # Workbooks of the other plan (no restricted action in it, so its analyst may).
    "plans/<slug:slug>/export/": Page(
        other_plan_url("workbooks:plan-export"), OTHER_PLAN_WORKBOOKS
    ),
    "plans/<slug:slug>/download.xlsx": Page(
        other_plan_url("workbooks:plan-download"), only(SEE_OTHER_PLAN)
    ),
    "plans/<slug:slug>/import/": Page(
        other_plan_url("workbooks:plan-import"),
        OTHER_PLAN_WORKBOOKS,
        post=OTHER_PLAN_WRITES_REFUSED,
    ),
    # The rows of a previewed upload, for the session that previewed it: asked for with no
    # token of one, those who may import are told the request was not one we gave out.
    "plans/<slug:slug>/import/rows.csv": Page(
        other_plan_url("workbooks:plan-import-rows"),
        OTHER_PLAN_WORKBOOKS | {"analyst": 400, "administrator": 400},
    ),
    # Posted to only; its own check comes first.
    "plans/<slug:slug>/import/cancel/": Page(
        other_plan_url("workbooks:plan-import-cancel"),
        answers(405, anonymous=405),
        post=OTHER_PLAN_WRITES_REFUSED,
    ),
    "plans/<slug:slug>/import/confirm/": Page(
        other_plan_url("workbooks:plan-import-confirm"),
        answers(405, anonymous=405),
        post=OTHER_PLAN_WRITES_REFUSED,
    ),
    # Taking the VRU's new template into a Draft plan (the other plan is one): its
    # partnership's analysts and administrators; not found by anyone else, even those who
    # see the plan.
    "plans/<slug:slug>/template/": Page(
        other_plan_url("template:upload"),
        TEMPLATE_TAKERS,
        post=refused(TEMPLATE_TAKERS, "analyst", "administrator"),
    ),
    "plans/<slug:slug>/template/confirm/": Page(
        other_plan_url("template:confirm"),
        answers(405, anonymous=405),
        post=refused(TEMPLATE_TAKERS, "analyst", "administrator"),
    ),
    "plans/<slug:slug>/template/cancel/": Page(
        other_plan_url("template:cancel"),
        answers(405, anonymous=405),
        post=refused(TEMPLATE_TAKERS, "analyst", "administrator"),
    ),
    # The VRU view across boroughs, the actions behind its numbers and its workbook: the
    # VRU role only (regional/).
    "vru/": Page(lambda w: reverse("regional:vru-view"), only({"vru": 200})),
    "vru/actions/": Page(
        lambda w: reverse("regional:vru-actions") + f"?plan={w.plan.slug}", only({"vru": 200})
    ),
    "vru/export.xlsx": Page(lambda w: reverse("regional:vru-export"), only({"vru": 200})),
    # Two plans compared (the violence plan and the other plan), with the actions behind a
    # number and the workbook: those who may see both plans.
    "plans/<slug:slug>/compare/<slug:other_slug>/": Page(
        lambda w: reverse("rollover:compare", args=[w.plan.slug, w.other_plan.slug]),
        only(SEE_VIOLENCE_PLAN),
    ),
    "plans/<slug:slug>/compare/<slug:other_slug>/<slug:kind>/": Page(
        lambda w: reverse(
            "rollover:compare-actions", args=[w.plan.slug, w.other_plan.slug, "added"]
        ),
        only(SEE_VIOLENCE_PLAN),
    ),
    "plans/<slug:slug>/compare/<slug:other_slug>/workbook.xlsx": Page(
        lambda w: reverse("rollover:compare-download", args=[w.plan.slug, w.other_plan.slug]),
        only(SEE_VIOLENCE_PLAN),
    ),
    # The audit log: administrators only.
    # The audit log: the site's superusers only (every partnership's history is in it), not
    # a partnership's administrator (issue 15).
    "audit/": Page(lambda w: reverse("audit:log"), answers(404)),
    # A meeting of the CSP board: its pack and agenda, to those who may open the board.
    "boards/<int:pk>/meetings/<day:day>/pack/": Page(
        meeting_url("meetingpack:pack"), only(SEE_CSP_BOARD)
    ),
    "boards/<int:pk>/meetings/<day:day>/pack.docx": Page(
        meeting_url("meetingpack:pack-docx"), only(SEE_CSP_BOARD)
    ),
    "boards/<int:pk>/meetings/<day:day>/agenda.docx": Page(
        meeting_url("meetingpack:agenda-docx"), only(SEE_CSP_BOARD)
    ),
    # The subgroup's update report, not yet written: those who may write it (the board's
    # chair, the partnership's analyst, administrators); to anyone else it does not exist.
    "boards/<int:pk>/meetings/<day:day>/reports/<int:subgroup_pk>/": Page(
        lambda w: reverse(
            "meetingpack:report",
            args=[w.board.pk, w.meeting.date.isoformat(), w.subgroup.pk],
        ),
        REPORT_WRITERS,
        post=refused(REPORT_WRITERS, "chair", "analyst", "administrator"),
    ),
    # A board's meetings: read by those who see the board; the forms are its managers'
    # (its chair, the partnership's analysts, administrators), forbidden to other readers.
    "boards/<int:pk>/meetings/": Page(board_url("meetings:board-meetings"), only(SEE_CSP_BOARD)),
    "boards/<int:pk>/meetings/actions/": Page(
        board_url("meetings:action-log"), only(SEE_CSP_BOARD)
    ),
    "boards/<int:pk>/meetings/<day:day>/": Page(meeting_url("meeting"), only(SEE_CSP_BOARD)),
    "boards/<int:pk>/meetings/<day:day>/agenda/": Page(
        meeting_url("agenda-print"), only(SEE_CSP_BOARD)
    ),
    "boards/<int:pk>/meetings/add/": Page(
        board_url("meetings:meeting-add"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/standing-items/": Page(
        board_url("meetings:standing-items"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/standing-items/<int:item_pk>/": Page(
        lambda w: reverse("meetings:standing-item-edit", args=[w.board.pk, w.standing_item.pk]),
        MEETING_MANAGERS,
        post=MEETING_WRITES_REFUSED,
    ),
    "boards/<int:pk>/meetings/standing-items/<int:item_pk>/remove/": Page(
        lambda w: reverse("meetings:standing-item-remove", args=[w.board.pk, w.standing_item.pk]),
        answers(405, anonymous=405),
        post=MEETING_WRITES_REFUSED,
    ),
    # Setting up a meeting from its forward-plan entry: the planned meeting's.
    "boards/<int:pk>/meetings/<day:day>/set-up/": Page(
        lambda w: reverse("meetings:meeting-set-up", args=[w.board.pk, w.planned.date]),
        MEETING_MANAGERS,
        post=MEETING_WRITES_REFUSED,
    ),
    "boards/<int:pk>/meetings/<day:day>/edit/": Page(
        meeting_url("meeting-edit"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/<day:day>/attendance/": Page(
        meeting_url("attendance"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/<day:day>/attendance/people/": Page(
        meeting_url("attendance-people"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/<day:day>/items/add/": Page(
        meeting_url("item-add"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/<day:day>/items/<int:item_pk>/": Page(
        meeting_url("item-edit", "item"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/<day:day>/items/<int:item_pk>/minutes/": Page(
        meeting_url("item-minutes", "item"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/<day:day>/items/<int:item_pk>/remove/": Page(
        meeting_url("item-remove", "item"),
        answers(405, anonymous=405),
        post=MEETING_WRITES_REFUSED,
    ),
    "boards/<int:pk>/meetings/<day:day>/items/<int:item_pk>/move/": Page(
        meeting_url("item-move", "item"),
        answers(405, anonymous=405),
        post=MEETING_WRITES_REFUSED,
    ),
    "boards/<int:pk>/meetings/<day:day>/actions/add/": Page(
        meeting_url("action-add"), MEETING_MANAGERS, post=MEETING_WRITES_REFUSED
    ),
    "boards/<int:pk>/meetings/<day:day>/remove/": Page(
        meeting_url("meeting-remove"),
        answers(405, anonymous=405),
        post=MEETING_WRITES_REFUSED,
    ),
    "boards/<int:pk>/meetings/<day:day>/actions/<int:action_pk>/": Page(
        meeting_url("action-edit", "meeting_action"),
        MEETING_MANAGERS,
        post=MEETING_WRITES_REFUSED,
    ),
    "boards/<int:pk>/meetings/<day:day>/actions/<int:action_pk>/remove/": Page(
        meeting_url("action-remove", "meeting_action"),
        answers(405, anonymous=405),
        post=MEETING_WRITES_REFUSED,
    ),
    "boards/<int:pk>/meetings/<day:day>/actions/<int:action_pk>/status/": Page(
        meeting_url("action-status", "meeting_action"),
        answers(405, anonymous=405),
        post=MEETING_WRITES_REFUSED,
    ),
    # ---- the roll-over (rollover app) ----
    # The other plan's roll-over form, and the roll-over of a plan made for it (world_once):
    # analysts of the plan's partnership and administrators; to anyone else they do not
    # exist, and a post changes nothing.
    "plans/<slug:slug>/rollover/": Page(
        other_plan_url("rollover:start"), ROLLOVER_USERS, post=ROLLOVER_WRITES_REFUSED
    ),
    "plans/<slug:slug>/rollover/<int:pk>/": Page(rollover_url("rollover:detail"), ROLLOVER_USERS),
    "plans/<slug:slug>/rollover/<int:pk>/activate/": Page(
        rollover_url("rollover:activate"),
        answers(405, anonymous=405),
        post=ROLLOVER_WRITES_REFUSED,
    ),
    "plans/<slug:slug>/rollover/<int:pk>/undo/": Page(
        rollover_url("rollover:undo"), ROLLOVER_USERS, post=ROLLOVER_WRITES_REFUSED
    ),
    # ---- end of the roll-over ----
}

# The admin ----------------------------------------------------------------------------------


def admin_only(administrator=200) -> dict:
    """The admin's rule: administrators only; anyone else signed in finds nothing."""
    return answers(404, administrator=administrator)


def admin_refusals() -> dict:
    return {"anonymous": SIGN_IN} | {role: 404 for role in NOT_ADMINISTRATORS}


# Each model in the admin: the record its pages are asked about, and what the administrator
# (a person in that role, without Django's model permissions) gets on its pages. Django's
# accounts and groups stay with superusers and those given Django's permissions for them.
ADMIN_MODELS = {
    "auth.group": (lambda w: w.group, 403),
    "auth.user": (lambda w: w.officer, 403),
    "boards.partnership": (lambda w: w.here, 200),
    # The council, linked to here alone: the police, shared with the other partnership, are
    # the site's superusers' to change (actions.permissions.administered_organisations).
    "boards.organisation": (lambda w: w.council, 200),
    "boards.person": (lambda w: w.pat, 200),
    "boards.board": (lambda w: w.board, 200),
    "boards.membership": (lambda w: w.chair.person.memberships.get(), 200),
    "actions.plan": (lambda w: w.plan, 200),
    "actions.theme": (lambda w: w.governance, 200),
    "actions.action": (lambda w: w.bx2, 200),
    "actions.progressupdate": (lambda w: ProgressUpdate.objects.filter(action=w.a1).first(), 200),
    "actions.indicator": (lambda w: w.indicator, 200),
    "actions.seniorleader": (lambda w: w.leader, 200),
    "actions.indicatorvalue": (lambda w: w.indicator_value, 200),
    "actions.panelfeedback": (lambda w: w.panel_feedback, 200),
    "meetings.meeting": (lambda w: meeting_records(w)["meeting"], 200),
    "meetings.standingitem": (lambda w: meeting_records(w)["standingitem"], 200),
    "meetings.agendaitem": (lambda w: meeting_records(w)["agendaitem"], 200),
    "meetings.attendance": (lambda w: meeting_records(w)["attendance"], 200),
    "meetings.meetingaction": (lambda w: meeting_records(w)["meetingaction"], 200),
    "meetings.subgroupreport": (lambda w: meeting_records(w)["subgroupreport"], 200),
    # The sign-in records (django-axes) and second factors (django-otp, accounts): like
    # accounts, superusers' (and those given Django's permissions for them).
    "axes.accessattempt": (lambda w: w.access_attempt, 403),
    "axes.accesslog": (lambda w: w.access_log, 403),
    "axes.accessfailurelog": (lambda w: w.access_failure, 403),
    "otp_totp.totpdevice": (lambda w: TOTPDevice.objects.filter(user=w.analyst).get(), 403),
    "otp_static.staticdevice": (lambda w: w.recovery_codes, 403),
    "accounts.secondfactorevent": (lambda w: w.second_factor_event, 403),
}


def meeting_records(w) -> dict:
    """A meeting of the CSP board with one of each of its records, by model name, for the
    meetings' admin pages: made in the asking test's transaction, and gone with it."""

    def made(model, **values):
        return apps.get_model("meetings", model).objects.get_or_create(**values)[0]

    meeting = made("Meeting", board=w.board, date=datetime.date(2021, 11, 17))
    item = made("AgendaItem", meeting=meeting, number="3", title="Minutes")
    return {
        "meeting": meeting,
        "standingitem": made("StandingItem", board=w.board, title="Stop and search"),
        "agendaitem": item,
        "attendance": made("Attendance", meeting=meeting, name_as_written="Pat", kind="present"),
        "meetingaction": made("MeetingAction", meeting=meeting, agenda_item=item, text="Write."),
        "subgroupreport": made("SubgroupReport", board=w.subgroup, meeting=meeting),
    }


# A page of a model's admin whose answer to the administrator is not the model's: a new
# partnership is the site's superusers' to add, not a partnership's administrator's.
ADMIN_EXCEPTIONS = {("boards.partnership", "add/"): 403}


def _admin_base(model: str) -> str:
    return "/admin/" + model.replace(".", "/") + "/"


# Each page of a model's admin, by its route after admin/<app>/<model>/: its address for
# the model's record, the administrator's answer given the model's (`allowed`), and whether
# it writes (posted to by everyone else).
ADMIN_MODEL_PAGES = {
    "": (lambda base, obj: base, lambda allowed: allowed, False),
    "add/": (lambda base, obj: base + "add/", lambda allowed: allowed, True),
    "<path:object_id>/change/": (
        lambda base, obj: f"{base}{obj.pk}/change/",
        lambda allowed: allowed,
        True,
    ),
    "<path:object_id>/history/": (
        lambda base, obj: f"{base}{obj.pk}/history/",
        lambda allowed: allowed,
        False,
    ),
    "<path:object_id>/delete/": (
        lambda base, obj: f"{base}{obj.pk}/delete/",
        lambda allowed: allowed,
        True,
    ),
    # The old address of a record's page, sent on to its change page.
    "<path:object_id>/": (lambda base, obj: f"{base}{obj.pk}/", lambda allowed: 302, False),
    # A version in a record's history (django-simple-history).
    "^([^/]+)/history/([^/]+)/$": (
        lambda base, obj: f"{base}{obj.pk}/history/{obj.history.first().history_id}/",
        lambda allowed: allowed,
        False,
    ),
    # A user's password (auth.user).
    "<id>/password/": (
        lambda base, obj: f"{base}{obj.pk}/password/",
        lambda allowed: allowed,
        True,
    ),
    # A plan's workbook, and the actions' import (workbooks.admin).
    "<path:object_id>/export-workbook/": (
        lambda base, obj: f"{base}{obj.pk}/export-workbook/",
        lambda allowed: allowed,
        False,
    ),
    "import/": (lambda base, obj: base + "import/", lambda allowed: allowed, True),
    "process_import/": (lambda base, obj: base + "process_import/", lambda allowed: 405, True),
    # Cancelling an upload: posted to only (asked for, it says there is nothing to cancel).
    "process_import/cancel/": (
        lambda base, obj: base + "process_import/cancel/",
        lambda allowed: 400,
        True,
    ),
    # A previewed upload's rows as a CSV file: asked for without an upload's token, a
    # bad request.
    "process_import/rows/": (
        lambda base, obj: base + "process_import/rows/",
        lambda allowed: 400,
        False,
    ),
}

# The admin's own pages, by route after admin/.
ADMIN_SITE_PAGES = {
    "": Page(lambda w: reverse("admin:index"), admin_only()),
    # Not a second sign-in form: the site's, then back; an administrator goes straight in.
    "login/": Page(lambda w: reverse("admin:login"), admin_only(302)),
    "logout/": Page(lambda w: reverse("admin:logout"), admin_only(405), post=admin_refusals()),
    "password_change/": Page(
        lambda w: reverse("admin:password_change"), admin_only(), post=admin_refusals()
    ),
    "password_change/done/": Page(lambda w: reverse("admin:password_change_done"), admin_only()),
    "autocomplete/": Page(
        lambda w: (
            reverse("admin:autocomplete")
            + "?app_label=actions&model_name=progressupdate&field_name=action"
        ),
        admin_only(),
    ),
    "jsi18n/": Page(lambda w: reverse("admin:jsi18n"), admin_only()),
    # No model of ours has a page of its own to send to.
    "r/<path:content_type_id>/<path:object_id>/": Page(
        lambda w: reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(Action).pk, w.bx2.pk]
        ),
        admin_only(404),
    ),
    "^(?P<app_label>otp_totp|otp_static|accounts|auth|axes|boards|actions|meetings)/$": Page(
        lambda w: reverse("admin:app_list", args=["actions"]), admin_only()
    ),
    "(?P<url>.*)$": Page(lambda w: "/admin/no-such-page/", admin_only(404)),
}

_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<page>.*)$")


def admin_page(route: str) -> Page | None:
    """The matrix's entry for an admin route, or None if it has none."""
    site_route = route.removeprefix("admin/")
    if site_route in ADMIN_SITE_PAGES:
        return ADMIN_SITE_PAGES[site_route]
    match = _MODEL_ROUTE.match(route)
    if not match:
        return None
    model = f"{match['app']}.{match['model']}"
    if model not in ADMIN_MODELS or match["page"] not in ADMIN_MODEL_PAGES:
        return None
    record, allowed = ADMIN_MODELS[model]
    address, administrator, writes = ADMIN_MODEL_PAGES[match["page"]]
    allowed = ADMIN_EXCEPTIONS.get((model, match["page"]), allowed)
    base = _admin_base(model)
    return Page(
        lambda w: address(base, record(w)),
        admin_only(administrator(allowed)),
        post=admin_refusals() if writes else {},
    )


# The patterns ---------------------------------------------------------------------------------


def url_routes(patterns=None, prefix="") -> list[str]:
    """The route of every URL pattern the project defines, the admin's included."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += url_routes(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            routes.append(route)
    return routes


def entry(route: str) -> Page | None:
    if route.startswith("admin/"):
        return admin_page(route)
    return PAGES.get(route)


ROUTES = sorted(set(url_routes()))


def test_every_url_pattern_has_an_entry():
    missing = [route for route in ROUTES if entry(route) is None]
    assert missing == [], "Add these URL patterns to the access matrix: " + ", ".join(missing)
    # And the matrix lists nothing that is no longer there.
    stale = set(PAGES) - set(ROUTES)
    assert stale == set(), stale


# The requests -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The shared world, built once for this module (it only reads, and what its posts
    might write is rolled back after each test), with signed-in clients for every role."""
    with django_db_blocker.unblock():
        world = build_world()
        world.indicator = IndicatorFactory(plan=world.plan)
        world.indicator_value = IndicatorValueFactory(indicator=world.indicator)
        world.leader = SeniorLeaderFactory(plan=world.plan)
        world.panel_feedback = PanelFeedbackFactory(theme=world.governance)
        world.group = Group.objects.create(name="Test group")
        world.meeting = Meeting.objects.create(
            board=world.board, date=datetime.date(2021, 9, 29), status=Meeting.Status.HELD
        )
        world.item = AgendaItem.objects.create(meeting=world.meeting, title="Minutes")
        world.meeting_action = MeetingAction.objects.create(
            meeting=world.meeting, agenda_item=world.item, text="Share the survey"
        )
        world.planned = Meeting.objects.create(board=world.board, date=days_ago(-30))
        world.standing_item = StandingItem.objects.create(board=world.board, title="Tensions")
        # A plan of the other board, rolled over into a Draft.
        rolled = PlanFactory(
            partnership=world.here,
            board=world.other_board,
            slug="rolled-plan",
            status=Plan.Status.ACTIVE,
            period_start=datetime.date(2021, 4, 1),
            period_end=datetime.date(2022, 3, 31),
        )
        ActionFactory(theme=ThemeFactory(plan=rolled), text="Carried")
        world.rollover = rollover_create(
            plan=rolled,
            user=world.administrator,
            title="Rolled plan 2022/23",
            slug="rolled-plan-2022-23",
            start=datetime.date(2022, 4, 1),
            end=datetime.date(2023, 3, 31),
        )
        sign_in = {"ip_address": "192.0.2.1", "user_agent": "test", "username": "someone"}
        world.access_attempt = AccessAttempt.objects.create(failures_since_start=1, **sign_in)
        world.access_log = AccessLog.objects.create(**sign_in)
        world.access_failure = AccessFailureLog.objects.create(**sign_in)
        world.recovery_codes = StaticDevice.objects.create(user=world.analyst, name="Codes")
        world.second_factor_event = SecondFactorEvent.objects.create(
            user=world.analyst, username=world.analyst.username, what="codes-made"
        )
        world.vru = user_in_role(Role.VRU)
        clients = {"anonymous": Client()}
        for role in SIGNED_IN:
            clients[role] = Client()
            clients[role].force_login(getattr(world, role))
        yield world, clients
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def outcome(response) -> object:
    if response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next="):
        return SIGN_IN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_each_role_gets_what_the_matrix_says(route, world_once):
    world, clients = world_once
    page = entry(route)
    assert page is not None, f"{route} has no entry: see test_every_url_pattern_has_an_entry"
    url = page.url(world)
    got = {role: outcome(clients[role].get(url)) for role in ROLES}
    assert got == page.get, url
    if page.post:
        before = written()
        posted = {role: outcome(clients[role].post(url, {})) for role in page.post}
        assert posted == page.post, f"POST {url}"
        assert written() == before


def written() -> tuple:
    """What a refused post must leave as it was."""
    meetings = (Meeting, AgendaItem, MeetingAction, StandingItem, Attendance)
    return (
        Action.history.count(),
        ProgressUpdate.objects.count(),
        *(model.history.count() for model in meetings),
        Plan.history.count(),
        Rollover.history.count(),
    )
