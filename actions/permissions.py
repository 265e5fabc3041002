"""Who may see and do what: the one place the pages, the admin, exports and dashboards ask.

A signed-in user acts as the `Person` linked to their account, in that person's role
(`boards.models.Role`):

- officer: sees the plans of their partnerships; edits, and adds progress updates to, the
  actions they are a named lead of or whose lead organisations include their organisation;
- chair: sees the plans owned by the boards they chair or sit on and by those boards'
  subgroups, and the actions those boards monitor; edits only what they lead, like an officer;
- analyst: sees, edits, imports and exports every action of their partnerships' plans;
- administrator: everything of their partnerships, marked items included, and the Django
  admin, which no one else may enter (`may_use_admin`), narrowed there to their
  partnerships too;
- a superuser (the site's, not a partnership's): everything, in every partnership.
- vru (the regional body, the London Violence Reduction Unit): reads every partnership's
  plans in the VRU layout, and only what in them is at OFFICIAL: never an OFFICIAL-SENSITIVE
  action, theme, plan or progress update, whatever boards they sit on or actions name them.
  Changes, imports and exports nothing, leads nothing (My actions is empty), opens no board
  and no meeting; the VRU view across boroughs (the regional app) is theirs alone
  (`may_use_vru_view`).

Partnerships are kept apart (issue 15): nothing above reaches into a partnership the user is
not in, but for the actions they are a named lead of. An action their organisation leads
counts only in their own partnerships (those they work in, and those of the boards they sit
on): the MPS leads actions in every borough, and its officer in one sees none of another's.

Everyone also sees the actions they lead. An OFFICIAL-SENSITIVE action (its own protective
marking, or its theme's or plan's: `selectors.sensitive_condition`) is seen only by
administrators, its named lead people, and those who sit on the board that owns its plan or
monitors it, or on a board above that one; seeing its plan is not enough (`_sensitive_ok`,
the one statement of that rule). A theme none of whose actions the user may see is not
shown to them, nor a marked plan none of whose actions they may see unless they sit on its
board. A user with no person, or an inactive one, sees nothing outside the admin.

The querysets here are what views filter by, so a page can only show what its user may see,
and a change can only be made where the user may make it. Each starts from the user's
`Access`: their role and the ids that decide what they see (their person, organisation,
partnerships and boards), resolved once per request (`access_for`), so that the querysets
filter by lists of ids rather than by subqueries of memberships.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet
from django.http import Http404

# A module import, not names: selectors builds on the querysets here, and the rules this
# module applies ("monitored by") are defined there; the two modules import each other.
from actions import selectors
from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Marking,
    PanelFeedback,
    Plan,
    PlanStatus,
    ProgressUpdate,
    SeniorLeader,
    Theme,
)
from boards.models import Board, Membership, Organisation, Partnership, Person, Role
from boards.selectors import with_subgroups


def person_of(user) -> Person | None:
    """The active user's person, or None (cached on the user by Django after one query)."""
    if not (user.is_authenticated and user.is_active):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def role_of(user) -> Role | None:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Role.ADMINISTRATOR
    person = person_of(user)
    return Role(person.role) if person else None


def is_administrator(user) -> bool:
    """An administrator of their partnerships, or a superuser."""
    return role_of(user) == Role.ADMINISTRATOR


def may_use_vru_view(user) -> bool:
    """The VRU view across boroughs (regional/): the VRU role only. Not administrators: the
    view is produced at OFFICIAL for the regional body, and what it lists is what the VRU
    role may see."""
    return role_of(user) == Role.VRU


def sees_everything(user) -> bool:
    """The site's superusers: every partnership's records, with no narrowing (the admin's
    `sees_everything`, the audit log). A partnership's administrator does not."""
    return access_for(user).everywhere


def may_use_admin(user) -> bool:
    """Whether the user may enter the Django admin at all: administrators (and superusers)
    only, whatever Django's staff flag and model permissions say. Within it they see and
    change what they may everywhere: a superuser everything, a partnership's administrator
    their partnerships' records (actions.sites, actions.admin)."""
    return user.is_authenticated and user.is_active and is_administrator(user)


# Access ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What decides what one user may see and do, as plain values (see the module's
    docstring): their role (None: nothing), and for a role other than administrator their
    person, organisation, partnerships and boards."""

    role: Role | None = None
    person_id: int | None = None
    organisation_id: int | None = None
    partnership_ids: frozenset[int] = frozenset()
    # The boards the person sits on, in any role, and every board under them; for an
    # administrator, every board of their partnerships as well.
    board_ids: frozenset[int] = frozenset()
    # Their partnerships and those of the boards they sit on: where an action their
    # organisation leads counts as theirs.
    home_ids: frozenset[int] = frozenset()
    # A superuser: every partnership, with no narrowing.
    everywhere: bool = False

    @property
    def manages(self) -> bool:
        """An analyst or administrator: edits, imports and exports in their partnerships."""
        return self.role in {Role.ANALYST, Role.ADMINISTRATOR}


# Each user's Access within the current request (see `once_per_request`); None outside one.
_resolved: ContextVar[dict | None] = ContextVar("resolved_access", default=None)


@contextmanager
def once_per_request() -> Iterator[None]:
    """Within this block `access_for` resolves each user once: a page asks the querysets
    below many times, and their answers must not change half way through it.
    `actions.middleware.AccessMiddleware` wraps every request in it; outside one (tests,
    commands) every call resolves afresh."""
    token = _resolved.set({})
    try:
        yield
    finally:
        _resolved.reset(token)


def access_for(user) -> Access:
    """The user's `Access`, once per request: after their person (which Django keeps on the
    user), two queries for a chair (their seats on boards, and those boards' trees), three
    for an officer or analyst (and their partnerships), four for a partnership's
    administrator (and their partnerships' boards), none for a superuser."""
    resolved = _resolved.get()
    if resolved is None:
        return _resolve(user)
    key = (user.pk, user.is_active, user.is_superuser)
    if key not in resolved:
        resolved[key] = _resolve(user)
    return resolved[key]


def _resolve(user) -> Access:
    role = role_of(user)
    person = person_of(user)
    if role == Role.ADMINISTRATOR and user.is_superuser:
        # Everything is theirs to see; who they are matters only for what they lead.
        return Access(
            role=role,
            person_id=person.pk if person else None,
            organisation_id=person.organisation_id if person else None,
            everywhere=True,
        )
    if role is None or person is None:
        return Access(role=role)
    if role == Role.VRU:
        # What the VRU sees depends on nothing of theirs: not their organisation (they lead
        # nothing), partnerships or seats (no marked item, whatever board they sit on).
        return Access(role=role, person_id=person.pk)
    seats = (
        Membership.objects.filter(person=person)
        .order_by()
        .values_list("board_id", "board__partnership_id")
    )
    seats = list(seats)
    # What a chair sees does not depend on their partnerships: no need to ask.
    partnerships = ()
    if role != Role.CHAIR:
        partnerships = person.partnerships.order_by().values_list("pk", flat=True)
    partnerships = frozenset(partnerships)
    boards = with_subgroups(board for board, _ in seats)
    if role == Role.ADMINISTRATOR:
        # Every board of their partnerships is theirs, as if they sat on each: they see
        # the marked items of all of them.
        boards |= set(
            Board.objects.filter(partnership_id__in=partnerships).values_list("pk", flat=True)
        )
    return Access(
        role=role,
        person_id=person.pk,
        organisation_id=person.organisation_id,
        partnership_ids=partnerships,
        board_ids=frozenset(boards),
        home_ids=partnerships | {partnership for _, partnership in seats},
    )


# Seeing ----------------------------------------------------------------------------------


def _once(user, name: str, make) -> QuerySet:
    """The queryset `make()` builds for the user, built once per request (as `access_for`
    resolves their access once) and handed out as a fresh copy each time: the rules below
    are Q objects nested several deep, and building them again for every page part that
    asks is a good share of a dashboard's time. Outside a request, built every time."""
    return _remembered(user, name, make).all()


def _remembered(user, name, make):
    """What `make()` answers for the user, worked out once per request (see `_once`);
    outside a request, every time."""
    resolved = _resolved.get()
    if resolved is None:
        return make()
    key = (user.pk, user.is_active, user.is_superuser, name)
    if key not in resolved:
        resolved[key] = make()
    return resolved[key]


def visible_plans(user) -> QuerySet[Plan]:
    """The plans the user may open: those they have any business with, per their role."""
    return _once(user, "plans", lambda: _visible_plans(user))


def _visible_plans(user) -> QuerySet[Plan]:
    access = access_for(user)
    if access.everywhere:
        return Plan.objects.all()
    if access.role is None:
        return Plan.objects.none()
    if access.role == Role.VRU:
        return Plan.objects.filter(layout=Plan.Layout.VRU, marking=Marking.OFFICIAL)
    led_plans = Action.objects.filter(_led(access)).values("theme__plan_id")
    if access.role == Role.CHAIR:
        boards = access.board_ids
        scope = Q(board_id__in=boards) | selectors.plans_monitored_by(boards)
    else:
        scope = Q(partnership_id__in=access.partnership_ids)
    plans = Plan.objects.filter(scope | Q(pk__in=led_plans))
    # A marked plan: to those who may see the marked items of its board, or any of its actions
    # (asked of the marked plans' actions alone).
    seen = Action.objects.filter(
        _visible(access), theme__plan__marking=Marking.OFFICIAL_SENSITIVE
    ).values("theme__plan_id")
    return plans.filter(
        Q(marking=Marking.OFFICIAL) | Q(board_id__in=access.board_ids) | Q(pk__in=seen)
    )


def may_open_plan(user, plan: Plan) -> bool:
    """Whether `plan` is one of `visible_plans(user)`. Answered from the user's access,
    with no query, when their scope holds the plan (`_scope_holds`) and they may see it at
    its marking (it is OFFICIAL, or they sit on or above its board): `_visible_plans`
    keeps such a plan by its first tests. Otherwise asked of `visible_plans`, whose rule
    (built once per request) takes a dashboard a tenth of its time to build and compile.
    Tested equal to `visible_plans` for every role (tests/actions/test_plan_scoped_rules.py)."""
    access = access_for(user)
    if access.everywhere:
        return True
    # The VRU's reader and a user with no role hold no partnership and no board: never here.
    seen_at_its_marking = plan.marking == Marking.OFFICIAL or plan.board_id in access.board_ids
    if _scope_holds(access, plan) and seen_at_its_marking:
        return True
    return visible_plans(user).filter(pk=plan.pk).exists()


def plan_or_404(user, slug: str, related: tuple[str, ...] = ()) -> Plan:
    """The plan at `slug` (with `related` selected) if the user may open it
    (`may_open_plan`); else Http404, whether or not it exists, so that a plan the user may
    not see is not revealed."""
    plan = Plan.objects.select_related(*related).filter(slug=slug).first()
    if plan is not None and may_open_plan(user, plan):
        return plan
    if plan is None:
        # Asked of the rule as a plan they may not open is, so that a missing plan takes
        # the same queries as a hidden one: the time taken does not tell which it is.
        visible_plans(user).filter(slug=slug).exists()
    raise Http404("No plan found")


def visible_actions(user) -> QuerySet[Action]:
    """The actions the user may see, in every plan. Filter a plan's actions by this (or
    use `visible_in_plan`)."""
    access = access_for(user)
    if access.everywhere:
        return Action.objects.all()
    if access.role is None:
        return Action.objects.none()
    return Action.objects.filter(_visible(access))


def visible_in_plan(user, plan: Plan) -> QuerySet[Action]:
    """`visible_actions(user)` in the plan, asking as little as the user's access allows:
    nothing more than the plan when they may see all of it, which the plan page and the
    plan's dashboard, reading its actions several times, benefit from."""
    access = access_for(user)
    actions = Action.objects.filter(theme__plan=plan)
    if access.everywhere:
        return actions
    if access.role is None:
        return Action.objects.none()
    if _holds_whole_plan(access, plan):
        return actions
    if _scope_holds(access, plan):
        return actions.filter(_sensitive_ok(access))
    return actions.filter(_visible(access))


def _scope_holds(access: Access, plan: Plan) -> bool:
    """Whether the user's scope (`_visible`) holds every action of the plan: a chair's, if
    they sit on (or above) the board that owns it; anyone else's, if it is one of their
    partnerships' plans. They see all of it then, but for marked items."""
    if access.role == Role.CHAIR:
        return plan.board_id in access.board_ids
    return plan.partnership_id in access.partnership_ids


def _holds_whole_plan(access: Access, plan: Plan) -> bool:
    """Whether the person sees all of the plan, marked items included: it is in their scope
    and they sit on (or above) the board that owns it."""
    return _scope_holds(access, plan) and plan.board_id in access.board_ids


def sees_whole_plan(user, plan: Plan) -> bool:
    """Whether the user sees every action and theme of the plan and every progress update
    of those actions, marked ones included, so that `visible_in_plan`,
    `visible_themes_in_plan` and `selectors.listed_updates` ask nothing more of them
    than the plan: a superuser, and whoever's scope holds the plan and who sits on (or
    above) its board."""
    access = access_for(user)
    if access.everywhere:
        return True
    return access.role is not None and _holds_whole_plan(access, plan)


def sees_whole_boards(user, boards: Iterable[int]) -> bool:
    """Whether the user sees every action of the boards' scope (the plans they own and
    the actions they monitor) and every progress update of those actions, marked ones
    included: a superuser, and a chair of (or above) all those boards. `visible_in_boards`
    asks nothing more of them."""
    access = access_for(user)
    return access.everywhere or (access.role == Role.CHAIR and set(boards) <= access.board_ids)


def visible_in_boards(user, boards: Iterable[int]) -> QuerySet[Action]:
    """`visible_actions(user)` among the actions of the plans that `boards` (pks) own and
    those the boards monitor: a board's scope. For a chair of all those boards, and an
    administrator, that is every one of them, with no further test."""
    access = access_for(user)
    boards = set(boards)
    actions = Action.objects.filter(selectors.owned_or_monitored(boards))
    if sees_whole_boards(user, boards):
        return actions
    if access.role is None:
        return Action.objects.none()
    return actions.filter(_visible(access))


def visible_boards(user) -> QuerySet[Board]:
    """The boards whose dashboards the user may open: a chair's boards and their subgroups;
    every board of an officer's or analyst's partnerships; all for administrators. What a
    dashboard shows is still limited to `visible_actions`."""
    access = access_for(user)
    if access.everywhere:
        return Board.objects.all()
    if access.role is None:
        return Board.objects.none()
    if access.role == Role.CHAIR:
        return Board.objects.filter(pk__in=access.board_ids)
    return Board.objects.filter(
        Q(partnership_id__in=access.partnership_ids) | Q(pk__in=access.board_ids)
    )


# Changing --------------------------------------------------------------------------------


def actions_led_by(user) -> QuerySet[Action]:
    """The actions the user is a named lead of, or whose lead organisations include theirs."""
    access = access_for(user)
    if access.person_id is None:
        return Action.objects.none()
    led = Action.objects.filter(_led(access))
    if access.everywhere:
        return led
    # A marked action led by their organisation stays hidden unless they may see it.
    return led.filter(_sensitive_ok(access))


def editable_actions(user) -> QuerySet[Action]:
    """The actions whose fields the user may change and to which they may add updates."""
    access = access_for(user)
    # Nobody changes a closed plan (actions.closing), superusers included.
    open_plans = Action.objects.exclude(theme__plan__status=PlanStatus.CLOSED)
    if access.everywhere:
        return open_plans
    if access.role is None:
        return Action.objects.none()
    scope = _led(access)
    if access.manages:
        scope |= Q(theme__plan__partnership_id__in=access.partnership_ids)
    return open_plans.filter(scope & _sensitive_ok(access))


def can_edit_action(user, action: Action) -> bool:
    return editable_actions(user).filter(pk=action.pk).exists()


def can_export_plan(user, plan: Plan | None = None) -> bool:
    """Download the plan as a workbook (every action of the plan); without a plan, whether
    the user may export any plan at all. Analysts of the plan's partnership and
    administrators, provided they may see every action in it: a workbook carries them all."""
    return _analyst_of(user, plan) and (plan is None or not hidden_in_plan(user, plan))


def importable_plans(user) -> QuerySet[Plan]:
    """The plans `can_import_plan` allows, for choosing one."""
    access = access_for(user)
    open_plans = Plan.objects.exclude(status=PlanStatus.CLOSED)  # actions.closing
    if access.everywhere:
        return open_plans
    if not access.manages:
        return Plan.objects.none()
    # As `hidden_in_plan` says, for every plan at once: the plans holding marked actions,
    # updates or themes the analyst may not see are not theirs to import into.
    visible = Action.objects.filter(_visible(access)).values("pk")
    hidden = Action.objects.filter(selectors.sensitive_condition()).exclude(pk__in=visible)
    hidden_updates = ProgressUpdate.objects.filter(marking=Marking.OFFICIAL_SENSITIVE).exclude(
        pk__in=visible_updates(user).values("pk")
    )
    hidden_themes = Theme.objects.exclude(pk__in=visible_themes(user).values("pk"))
    return (
        open_plans.filter(partnership_id__in=access.partnership_ids)
        .exclude(pk__in=hidden.values("theme__plan_id"))
        .exclude(pk__in=hidden_updates.values("action__theme__plan_id"))
        .exclude(pk__in=hidden_themes.values("plan_id"))
    )


def can_import_plan(user, plan: Plan | None = None) -> bool:
    """Upload a workbook into the plan, changing and adding its actions; without a plan,
    whether the user may import into any plan at all. As for export, an importer must see
    every action of the plan, since a row may match any of them. A closed plan takes no
    import (actions.closing)."""
    if plan is not None and plan.status == PlanStatus.CLOSED:
        return False
    return _analyst_of(user, plan) and (plan is None or not hidden_in_plan(user, plan))


def can_edit_indicators(user, plan: Plan) -> bool:
    """Enter the plan's indicator values and change their targets (the indicators page):
    analysts of the plan's partnership and administrators. Unlike an import, this touches no
    action, so a marked action the analyst may not see does not stand in the way. Not in a
    closed plan (actions.closing)."""
    return plan.status != PlanStatus.CLOSED and _analyst_of(user, plan)


def hidden_in_plan(user, plan: Plan) -> bool:
    """Whether the plan holds marked items the user may not see: actions, themes (a marked
    theme with no action) or progress updates. Asked once per request (the plan page asks
    it for both export and import), so that both get the same answer."""
    if sees_everything(user):
        return False
    return _remembered(user, ("hidden_in_plan", plan.pk), lambda: _hidden_in_plan(user, plan))


def _hidden_in_plan(user, plan: Plan) -> bool:
    access = access_for(user)
    if access.role is not None and _scope_holds(access, plan) and not _holds_marked(plan):
        # Nothing: their scope holds the whole plan (its every action, so every theme
        # holding one, and the plan itself), and nothing in it is marked, so neither is
        # an empty theme. One look for anything marked, rather than the three below.
        return False
    # What the user may see of this plan alone (`visible_in_plan`, `visible_themes_in_plan`)
    # rather than of every plan: the same answer for the plan's rows, without the database
    # working out first what the user may see everywhere (at 32 partnerships of 300 actions,
    # most of an analyst's plan page: benchmarks/README.md, the load test).
    seen = visible_in_plan(user, plan)
    marked = Action.objects.filter(selectors.sensitive_condition(), theme__plan=plan)
    updates = ProgressUpdate.objects.filter(
        action__theme__plan=plan, marking=Marking.OFFICIAL_SENSITIVE
    )
    # `visible_updates`, of the plan's actions.
    seen_updates = ProgressUpdate.objects.filter(action__in=seen).filter(marked_updates_ok(user))
    themes = Theme.objects.filter(plan=plan)
    return (
        marked.exclude(pk__in=seen.values("pk")).exists()
        or updates.exclude(pk__in=seen_updates.values("pk")).exists()
        or themes.exclude(pk__in=visible_themes_in_plan(user, plan).values("pk")).exists()
    )


def _holds_marked(plan: Plan) -> bool:
    """Whether anything in the plan is OFFICIAL-SENSITIVE: itself, a theme (or its parent),
    an action (by its own marking or its theme's) or a progress update (its own)."""
    if plan.marking == Marking.OFFICIAL_SENSITIVE:
        return True
    themes = Theme.objects.filter(selectors.theme_sensitive_condition(), plan=plan)
    actions = Action.objects.filter(selectors.sensitive_condition(), theme__plan=plan)
    updates = ProgressUpdate.objects.filter(
        action__theme__plan=plan, marking=Marking.OFFICIAL_SENSITIVE
    )
    return Plan.objects.filter(
        Exists(themes) | Exists(actions) | Exists(updates), pk=plan.pk
    ).exists()


# Scopes ----------------------------------------------------------------------------------


def _analyst_of(user, plan: Plan | None) -> bool:
    access = access_for(user)
    if access.everywhere:
        return True
    if not access.manages:
        return False
    partnerships = access.partnership_ids
    return plan.partnership_id in partnerships if plan else bool(partnerships)


def _visible(access: Access) -> Q:
    """What `visible_actions` shows a person who is not an administrator: their scope
    (a chair's boards' plans and what those boards monitor; anyone else's partnerships'
    plans) and what they lead, less the marked actions they may not see."""
    if access.role == Role.VRU:
        return Q(theme__plan__layout=Plan.Layout.VRU) & _sensitive_ok(access)
    if access.role == Role.CHAIR:
        scope = selectors.owned_or_monitored(access.board_ids)
    else:
        scope = Q(theme__plan__partnership_id__in=access.partnership_ids)
    return (scope | _led(access)) & _sensitive_ok(access)


def _named(access: Access) -> QuerySet:
    """The ids of the actions the person is a named lead of."""
    lead_people = Action.lead_people.through.objects
    return lead_people.filter(person_id=access.person_id).values("action_id")


def _led(access: Access) -> Q:
    # The VRU role leads nothing here, even where an action names them: it only reads.
    if access.role == Role.VRU:
        return Q(pk__in=[])
    # Subqueries rather than joins through the lead tables, so that an action led by both
    # the person and their organisation is not counted twice by whoever filters by this.
    led = Q(pk__in=_named(access))
    if access.organisation_id:
        # Only in their own partnerships (see the module's docstring).
        by_organisation = Action.lead_organisations.through.objects.filter(
            organisation_id=access.organisation_id
        )
        if not access.everywhere:
            home = Q(action__theme__plan__partnership_id__in=access.home_ids)
            if access.role == Role.CHAIR:
                # A chair's own partnerships are not resolved (what they see does not
                # depend on them): asked here, as a subquery.
                own = Person.partnerships.through.objects.filter(person_id=access.person_id)
                home |= Q(action__theme__plan__partnership_id__in=own.values("partnership_id"))
            by_organisation = by_organisation.filter(home)
        led |= Q(pk__in=by_organisation.values("action_id"))
    return led


def _sensitive_ok(access: Access) -> Q:
    """Which actions the person may see as far as protective marking goes: those at
    OFFICIAL, those they are a named lead of, and those of the boards they sit on or sit
    above. The one statement of who may see an OFFICIAL-SENSITIVE item."""
    return selectors.official_condition() | _marked_ok(access)


def _marked_ok(access: Access) -> Q:
    """The actions whose OFFICIAL-SENSITIVE items (themselves, their updates) the person
    may see: those they are a named lead of, and those of the boards they sit on or above.
    None for the VRU role, which reads at OFFICIAL only."""
    if access.role == Role.VRU:
        return Q(pk__in=[])
    return Q(pk__in=_named(access)) | selectors.owned_or_monitored(access.board_ids)


def may_see_marked(user, action: Action) -> bool:
    """Whether the user may see the action's OFFICIAL-SENSITIVE items (its marked progress
    updates; the action itself, were it marked)."""
    access = access_for(user)
    if access.everywhere:
        return True
    if access.role is None:
        return False
    return Action.objects.filter(_marked_ok(access), pk=action.pk).exists()


# The admin --------------------------------------------------------------------------------
# The admin lists every model. What a user may see of each follows from what they may see
# above: a plan's themes, senior leaders and indicators with the plan, an action's progress
# updates with the action. What they may change: an action as `editable_actions` says; a
# plan and what belongs to it where they may import into it (an import changes all of it);
# the partnership's structure (partnerships, organisations, people, boards, memberships)
# only if they are an administrator.


def editable_plans(user) -> QuerySet[Plan]:
    """The plans whose own fields, themes, senior leaders and indicators the user may
    change (the admin): those they may import into."""
    return importable_plans(user)


def edits_any_plan(user) -> bool:
    """Whether `editable_plans` holds any plan. The admin asks it of each model a new record
    of which belongs to a plan, and its home page and menu list every model: answered once
    per request, as that query reads every action the user may not see."""
    return _remembered(user, "edits any plan", lambda: editable_plans(user).exists())


def edits_any_action(user) -> bool:
    """Whether `editable_actions` holds any action, once per request (as `edits_any_plan`)."""
    return _remembered(user, "edits any action", lambda: editable_actions(user).exists())


def visible_themes(user) -> QuerySet[Theme]:
    """The themes of the plans the user may see, less those none of whose actions (their
    own and their sub-themes') the user may see. A theme with no action at all stays, as
    every reader of the plan sees it, unless it is marked and the user may not see the
    marked items of the plan's board."""
    return _once(user, "themes", lambda: _visible_themes(user))


def visible_themes_in_plan(user, plan: Plan) -> QuerySet[Theme]:
    """`visible_themes(user)` in a plan the user may see, asking as little as their access
    allows, as `visible_in_plan` does for its actions: every theme of the plan, with no
    further test, for an administrator and for those whose scope holds the plan and who sit
    on (or above) its board; the whole rule for anyone else."""
    if sees_whole_plan(user, plan):
        return Theme.objects.filter(plan=plan)
    if access_for(user).role is None:
        return Theme.objects.none()
    # Built once per request: the plan page asks for its filter, its panel feedback and
    # whether it may be exported and imported.
    return _once(user, ("themes", plan.pk), lambda: _visible_themes(user, plan))


def visible_themes_in_plans(user, plans: Iterable[Plan]) -> QuerySet[Theme]:
    """`visible_themes(user)` in several plans the user may see (a board's), as
    `visible_themes_in_plan` has them: every theme of those the user sees whole, and the
    whole rule asked of the others' themes alone (none asked when there are none)."""
    plans = list(plans)
    whole = [plan.pk for plan in plans if sees_whole_plan(user, plan)]
    rest = [plan.pk for plan in plans if plan.pk not in whole]
    if not rest:
        return Theme.objects.filter(plan_id__in=whole)
    partly = visible_themes(user).filter(plan_id__in=rest).values("pk")
    return Theme.objects.filter(Q(plan_id__in=whole) | Q(pk__in=partly))


def _visible_themes(user, plan: Plan | None = None) -> QuerySet[Theme]:
    """`visible_themes`; with a plan, its themes alone, asking which of that plan's actions
    the user may see rather than which of every plan's (the same themes, for less work)."""
    themes = Theme.objects.filter(plan__in=visible_plans(user))
    if plan is not None:
        themes = themes.filter(plan=plan)
    access = access_for(user)
    if access.everywhere:
        return themes
    # Every theme of a plan whose board they sit on (or above), as `visible_in_plan` shows
    # them all of it; asked first, so that the costlier tests below run for the rest alone.
    if access.role == Role.CHAIR:
        whole = Q(plan__board_id__in=access.board_ids)
    else:
        whole = Q(
            plan__board_id__in=access.board_ids, plan__partnership_id__in=access.partnership_ids
        )
    seen = Action.objects.filter(_visible(access))
    every = Action.objects.all()
    seen_in, seen_under = seen, seen
    if plan is not None:
        # The actions of the plan's themes, and of their sub-themes (in the same plan).
        seen_in = seen.filter(theme__plan=plan)
        seen_under = seen.filter(theme__parent__plan=plan)
    holding_seen = Q(pk__in=seen_in.values("theme_id")) | Q(
        pk__in=seen_under.values("theme__parent_id")
    )
    holding_any = Q(pk__in=every.values("theme_id")) | Q(
        pk__in=every.filter(theme__parent__isnull=False).values("theme__parent_id")
    )
    empty_seen = ~holding_any & (
        ~selectors.theme_sensitive_condition() | Q(plan__board_id__in=access.board_ids)
    )
    return themes.filter(whole | holding_seen | empty_seen)


def visible_panel_feedback(user) -> QuerySet[PanelFeedback]:
    """The review panel's feedback on the themes the user may see: it is said of its theme,
    and seen with it (a marked theme's too)."""
    return PanelFeedback.objects.filter(theme__in=visible_themes(user))


def editable_panel_feedback(user) -> QuerySet[PanelFeedback]:
    """The review panel's feedback the user may record and correct: on the themes of the
    plans they may change (`editable_plans`)."""
    return PanelFeedback.objects.filter(theme__plan__in=editable_plans(user))


def visible_senior_leaders(user) -> QuerySet[SeniorLeader]:
    return SeniorLeader.objects.filter(plan__in=visible_plans(user))


def visible_indicators(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(plan__in=visible_plans(user))


def visible_indicator_values(user) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(indicator__plan__in=visible_plans(user))


def visible_updates(user) -> QuerySet[ProgressUpdate]:
    """The progress updates of the actions the user may see; one marked OFFICIAL-SENSITIVE
    on an action at OFFICIAL, only where they may see that action's marked items."""
    updates = ProgressUpdate.objects.filter(action__in=visible_actions(user))
    return updates.filter(marked_updates_ok(user))


def marked_updates_ok(user) -> Q:
    """Which progress updates the user may see as far as their own marking goes: those not
    marked OFFICIAL-SENSITIVE on their own, and those of the actions whose marked items the
    user may see (`_marked_ok`). For lists of actions already limited to what the user may
    see (`selectors.listed_updates`), and for `visible_updates`."""
    access = access_for(user)
    if access.everywhere:
        return Q()
    unmarked = ~Q(marking=Marking.OFFICIAL_SENSITIVE)
    if access.role in (None, Role.VRU):
        return unmarked
    return unmarked | Q(action__in=Action.objects.filter(_marked_ok(access)))


def visible_partnerships(user) -> QuerySet[Partnership]:
    """The user's own partnerships, and those of the plans and boards they may see."""
    if sees_everything(user):
        return Partnership.objects.all()
    person = person_of(user)
    if person is None:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        Q(pk__in=person.partnerships.values("pk"))
        | Q(pk__in=visible_plans(user).values("partnership_id"))
        | Q(pk__in=visible_boards(user).values("partnership_id"))
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    """The organisations of the user's partnerships, to anyone with a role: they are
    shared by the partnerships they work with (the MPS sits on every London CSP)."""
    access = access_for(user)
    if access.everywhere:
        return Organisation.objects.all()
    if access.role is None:
        return Organisation.objects.none()
    # Those linked to the partnerships they may see (a shared body to each), those linked
    # to none yet, their own, and those leading what they may see: not a body that works
    # only with a partnership they are not in (issue 15).
    linked = Organisation.partnerships.through.objects.filter(
        partnership_id__in=visible_partnerships(user).values("pk")
    )
    leading = Action.lead_organisations.through.objects.filter(
        action_id__in=visible_actions(user).values("pk")
    )
    return Organisation.objects.filter(
        Q(pk__in=linked.values("organisation_id"))
        | ~Q(pk__in=Organisation.partnerships.through.objects.values("organisation_id"))
        | Q(pk=access.organisation_id)
        | Q(pk__in=leading.values("organisation_id"))
    )


def visible_people(user) -> QuerySet[Person]:
    """The people of the user's partnerships, the members of the boards they may see,
    and the leads of the actions they may see."""
    if sees_everything(user):
        return Person.objects.all()
    person = person_of(user)
    if person is None:
        return Person.objects.none()
    colleagues = Person.partnerships.through.objects.filter(
        partnership_id__in=person.partnerships.values("pk")
    )
    members = Membership.objects.filter(board__in=visible_boards(user))
    leads = Action.lead_people.through.objects.filter(action__in=visible_actions(user))
    return Person.objects.filter(
        Q(pk=person.pk)
        | Q(pk__in=colleagues.values("person_id"))
        | Q(pk__in=members.values("person_id"))
        | Q(pk__in=leads.values("person_id"))
    )


def visible_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(board__in=visible_boards(user))


def partnerships_for_new_plans(user) -> QuerySet[Partnership]:
    """The partnerships in which the user may add a plan: an analyst's own, every one for an
    administrator. (The plan is then theirs to change, as `editable_plans` says.)"""
    access = access_for(user)
    if access.everywhere:
        return Partnership.objects.all()
    if not access.manages:
        return Partnership.objects.none()
    return Partnership.objects.filter(pk__in=access.partnership_ids)


# The partnership's structure ---------------------------------------------------------------
# Changed in the admin by administrators, each in their own partnerships: a record shared
# with a partnership they are not in (a shared body, a tri-borough lead) is the site's
# superusers' to change, as a change to it would reach into that partnership too.


def administered_partnerships(user) -> QuerySet[Partnership]:
    """The partnerships whose structure the user may change: an administrator's own;
    every one for a superuser."""
    access = access_for(user)
    if access.everywhere:
        return Partnership.objects.all()
    if access.role != Role.ADMINISTRATOR:
        return Partnership.objects.none()
    return Partnership.objects.filter(pk__in=access.partnership_ids)


def _only_in(user, links: QuerySet, key: str) -> Q:
    """Records linked (by `links`, rows of a many-to-many table to partnerships, naming the
    record by `key`) to the user's administered partnerships and to no other."""
    mine = administered_partnerships(user).values("pk")
    inside = links.filter(partnership_id__in=mine).values(key)
    outside = links.exclude(partnership_id__in=mine).values(key)
    return Q(pk__in=inside) & ~Q(pk__in=outside)


def administered_boards(user) -> QuerySet[Board]:
    return Board.objects.filter(partnership__in=administered_partnerships(user))


def administered_organisations(user) -> QuerySet[Organisation]:
    if sees_everything(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        _only_in(user, Organisation.partnerships.through.objects, "organisation_id")
    )


def administered_people(user) -> QuerySet[Person]:
    """People of the user's administered partnerships alone, sitting on no board of
    another."""
    if sees_everything(user):
        return Person.objects.all()
    elsewhere = Membership.objects.exclude(board__in=administered_boards(user))
    return Person.objects.filter(
        _only_in(user, Person.partnerships.through.objects, "person_id")
    ).exclude(pk__in=elsewhere.values("person_id"))
