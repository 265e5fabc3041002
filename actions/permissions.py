"""Who may see and do what: the one place the pages, the admin, exports and dashboards ask.

A signed-in user acts as the `Person` linked to their account, in that person's role
(`boards.models.Role`):

- officer: sees the plans of their partnerships; edits, and adds progress updates to, the
  actions they are a named lead of or whose lead organisations include their organisation;
- chair: sees the plans owned by the boards they chair or sit on and by those boards'
  subgroups, and the actions those boards monitor; edits only what they lead, like an officer;
- analyst: sees, edits, imports and exports every action of their partnerships' plans;
- administrator (and any superuser): everything, including the Django admin.

Everyone also sees the actions they lead. A restricted action (protectively marked) is seen
only by administrators, its named lead people, and those who sit on the board that owns its
plan or monitors it, or on a board above that one; seeing its plan is not enough. A user
with no person, or an inactive one, sees nothing outside the admin.

The querysets here are what views filter by, so a page can only show what its user may see,
and a change can only be made where the user may make it.
"""

from django.db.models import Q, QuerySet

from actions.models import (
    Action,
    Indicator,
    IndicatorValue,
    Plan,
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
    return role_of(user) == Role.ADMINISTRATOR


# Seeing ----------------------------------------------------------------------------------


def visible_plans(user) -> QuerySet[Plan]:
    """The plans the user may open: those they have any business with, per their role."""
    role = role_of(user)
    if role is None:
        return Plan.objects.none()
    if role == Role.ADMINISTRATOR:
        return Plan.objects.all()
    person = person_of(user)
    led_plans = Plan.objects.filter(themes__actions__in=_led_actions(person)).values("pk")
    if role == Role.CHAIR:
        boards = _board_scope(person)
        monitored = Action.objects.filter(monitored_by(boards)).values("theme__plan_id")
        scope = Q(board_id__in=boards) | Q(pk__in=monitored)
    else:
        scope = Q(partnership_id__in=_partnership_ids(person))
    return Plan.objects.filter(scope | Q(pk__in=led_plans))


def visible_actions(user) -> QuerySet[Action]:
    """The actions the user may see, in every plan. Filter a plan's actions by this."""
    role = role_of(user)
    if role is None:
        return Action.objects.none()
    if role == Role.ADMINISTRATOR:
        return Action.objects.all()
    person = person_of(user)
    if role == Role.CHAIR:
        boards = _board_scope(person)
        scope = Q(theme__plan__board_id__in=boards) | monitored_by(boards)
    else:
        scope = Q(theme__plan__partnership_id__in=_partnership_ids(person))
    scope |= Q(pk__in=_led_actions(person).values("pk"))
    return Action.objects.filter(scope & _restricted_ok(person))


def visible_boards(user) -> QuerySet[Board]:
    """The boards whose dashboards the user may open: a chair's boards and their subgroups;
    every board of an officer's or analyst's partnerships; all for administrators. What a
    dashboard shows is still limited to `visible_actions`."""
    role = role_of(user)
    if role is None:
        return Board.objects.none()
    if role == Role.ADMINISTRATOR:
        return Board.objects.all()
    person = person_of(user)
    if role == Role.CHAIR:
        return Board.objects.filter(pk__in=_board_scope(person))
    return Board.objects.filter(
        Q(partnership_id__in=_partnership_ids(person)) | Q(pk__in=_board_scope(person))
    )


# Changing --------------------------------------------------------------------------------


def actions_led_by(user) -> QuerySet[Action]:
    """The actions the user is a named lead of, or whose lead organisations include theirs."""
    person = person_of(user)
    if person is None:
        return Action.objects.none()
    # A restricted action led by their organisation stays hidden unless they may see it.
    return _led_actions(person).filter(_restricted_ok(person))


def editable_actions(user) -> QuerySet[Action]:
    """The actions whose fields the user may change and to which they may add updates."""
    role = role_of(user)
    if role is None:
        return Action.objects.none()
    if role == Role.ADMINISTRATOR:
        return Action.objects.all()
    person = person_of(user)
    scope = Q(pk__in=_led_actions(person).values("pk"))
    if role == Role.ANALYST:
        scope |= Q(theme__plan__partnership_id__in=_partnership_ids(person))
    return Action.objects.filter(scope & _restricted_ok(person))


def can_edit_action(user, action: Action) -> bool:
    return editable_actions(user).filter(pk=action.pk).exists()


def can_export_plan(user, plan: Plan | None = None) -> bool:
    """Download the plan as a workbook (every action of the plan); without a plan, whether
    the user may export any plan at all. Analysts of the plan's partnership and
    administrators, provided they may see every action in it: a workbook carries them all."""
    return _analyst_of(user, plan) and (plan is None or not hidden_in_plan(user, plan))


def importable_plans(user) -> QuerySet[Plan]:
    """The plans `can_import_plan` allows, for choosing one."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return Plan.objects.all()
    if role != Role.ANALYST:
        return Plan.objects.none()
    hidden = Action.objects.filter(restricted=True).exclude(
        pk__in=visible_actions(user).values("pk")
    )
    return Plan.objects.filter(partnership_id__in=_partnership_ids(person_of(user))).exclude(
        pk__in=hidden.values("theme__plan_id")
    )


def can_import_plan(user, plan: Plan | None = None) -> bool:
    """Upload a workbook into the plan, changing and adding its actions; without a plan,
    whether the user may import into any plan at all. As for export, an importer must see
    every action of the plan, since a row may match any of them."""
    return _analyst_of(user, plan) and (plan is None or not hidden_in_plan(user, plan))


def hidden_in_plan(user, plan: Plan) -> bool:
    """Whether the plan holds restricted actions the user may not see."""
    if is_administrator(user):
        return False
    restricted = Action.objects.filter(theme__plan=plan, restricted=True)
    return restricted.exclude(pk__in=visible_actions(user).values("pk")).exists()


# Scopes ----------------------------------------------------------------------------------


def _analyst_of(user, plan: Plan | None) -> bool:
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return True
    if role != Role.ANALYST:
        return False
    partnerships = _partnership_ids(person_of(user))
    return plan.partnership_id in partnerships if plan else bool(partnerships)


def _led_actions(person: Person) -> QuerySet[Action]:
    # Subqueries rather than joins through the lead tables, so that an action led by both
    # the person and their organisation is not counted twice by whoever filters by this.
    by_person = Action.lead_people.through.objects.filter(person_id=person.pk)
    led = Q(pk__in=by_person.values("action_id"))
    if person.organisation_id:
        by_organisation = Action.lead_organisations.through.objects.filter(
            organisation_id=person.organisation_id
        )
        led |= Q(pk__in=by_organisation.values("action_id"))
    return Action.objects.filter(led)


def _restricted_ok(person: Person) -> Q:
    """Which actions the person may see as far as restriction goes: the unrestricted ones,
    those they are a named lead of, and those of the boards they sit on or sit above."""
    boards = _board_scope(person)
    named = Action.lead_people.through.objects.filter(person_id=person.pk).values("action_id")
    return (
        Q(restricted=False)
        | Q(pk__in=named)
        | Q(theme__plan__board_id__in=boards)
        | monitored_by(boards)
    )


def monitored_by(boards) -> Q:
    """Actions monitored by one of `boards` (pks): by the action's own monitoring board, or
    by its theme's when it names none. One rule for what a chair sees, a board's dashboard
    counts and the plan page's monitoring filter, so every dashboard number has a page."""
    return Q(monitoring_board_id__in=boards) | Q(
        monitoring_board__isnull=True, theme__monitoring_board_id__in=boards
    )


def _partnership_ids(person: Person) -> set[int]:
    if not hasattr(person, "_partnership_ids"):
        person._partnership_ids = set(person.partnerships.values_list("pk", flat=True))
    return person._partnership_ids


def _board_scope(person: Person) -> set[int]:
    """The boards the person sits on in any role, and every board under them."""
    if not hasattr(person, "_board_scope"):
        seats = Membership.objects.filter(person=person).values_list("board_id", flat=True)
        person._board_scope = with_subgroups(seats)
    return person._board_scope


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


def visible_themes(user) -> QuerySet[Theme]:
    return Theme.objects.filter(plan__in=visible_plans(user))


def visible_senior_leaders(user) -> QuerySet[SeniorLeader]:
    return SeniorLeader.objects.filter(plan__in=visible_plans(user))


def visible_indicators(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(plan__in=visible_plans(user))


def visible_indicator_values(user) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(indicator__plan__in=visible_plans(user))


def visible_updates(user) -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(action__in=visible_actions(user))


def visible_partnerships(user) -> QuerySet[Partnership]:
    """The user's own partnerships, and those of the plans and boards they may see."""
    if is_administrator(user):
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
    """Every organisation, to anyone with a role: they are shared by every partnership
    (the MPS sits on every London CSP), and saying who they are reveals nothing else."""
    if role_of(user) is None:
        return Organisation.objects.none()
    return Organisation.objects.all()


def visible_people(user) -> QuerySet[Person]:
    """The people of the user's partnerships, the members of the boards they may see,
    and the leads of the actions they may see."""
    if is_administrator(user):
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
    if is_administrator(user):
        return Partnership.objects.all()
    if role_of(user) != Role.ANALYST:
        return Partnership.objects.none()
    return person_of(user).partnerships.all()
