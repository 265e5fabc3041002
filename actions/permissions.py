"""Who may see and do what: the one place the pages, the admin, exports and dashboards ask.

A signed-in user acts as the `Person` linked to their account, in that person's role
(`boards.models.Role`):

- officer: sees the plans of their partnerships; edits, and adds progress updates to, the
  actions they are a named lead of or whose lead organisations include their organisation;
- chair: sees the plans owned by the boards they chair or sit on and by those boards'
  subgroups, and the actions those boards monitor; edits only what they lead, like an officer;
- analyst: sees, edits, imports and exports every action of their partnerships' plans;
- administrator (and any superuser): everything, including the Django admin.

Everyone also sees the actions they lead. A user with no person, or an inactive one, sees
nothing outside the admin. The querysets here are what views filter by, so a page can only
show what its user may see, and a change can only be made where the user may make it.
"""

from collections import defaultdict

from django.db.models import Q, QuerySet

from actions.models import Action, Plan
from boards.models import Board, Membership, Person, Role


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
        monitored = Action.objects.filter(_monitored_by(boards)).values("theme__plan_id")
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
        scope = Q(theme__plan__board_id__in=boards) | _monitored_by(boards)
    else:
        scope = Q(theme__plan__partnership_id__in=_partnership_ids(person))
    return Action.objects.filter(scope | Q(pk__in=_led_actions(person).values("pk")))


def can_view_plan(user, plan: Plan) -> bool:
    return visible_plans(user).filter(pk=plan.pk).exists()


def can_view_action(user, action: Action) -> bool:
    return visible_actions(user).filter(pk=action.pk).exists()


# Changing --------------------------------------------------------------------------------


def actions_led_by(user) -> QuerySet[Action]:
    """The actions the user is a named lead of, or whose lead organisations include theirs."""
    person = person_of(user)
    return _led_actions(person) if person else Action.objects.none()


def editable_actions(user) -> QuerySet[Action]:
    """The actions whose fields the user may change and to which they may add updates."""
    role = role_of(user)
    if role is None:
        return Action.objects.none()
    if role == Role.ADMINISTRATOR:
        return Action.objects.all()
    person = person_of(user)
    led = Q(pk__in=_led_actions(person).values("pk"))
    if role == Role.ANALYST:
        return Action.objects.filter(
            Q(theme__plan__partnership_id__in=_partnership_ids(person)) | led
        )
    return Action.objects.filter(led)


def can_edit_action(user, action: Action) -> bool:
    return editable_actions(user).filter(pk=action.pk).exists()


def can_export_plan(user, plan: Plan | None = None) -> bool:
    """Download the plan as a workbook (every action of the plan); without a plan, whether
    the user may export any plan at all. Analysts of the plan's partnership and
    administrators."""
    return _analyst_of(user, plan)


def importable_plans(user) -> QuerySet[Plan]:
    """The plans `can_import_plan` allows, for choosing one."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return Plan.objects.all()
    if role != Role.ANALYST:
        return Plan.objects.none()
    return Plan.objects.filter(partnership_id__in=_partnership_ids(person_of(user)))


def can_import_plan(user, plan: Plan | None = None) -> bool:
    """Upload a workbook into the plan, changing and adding its actions; without a plan,
    whether the user may import into any plan at all."""
    return _analyst_of(user, plan)


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


def _monitored_by(boards: set[int]) -> Q:
    # An action's own monitoring subgroup wins over its theme's; either puts it in scope.
    return Q(monitoring_board_id__in=boards) | Q(theme__monitoring_board_id__in=boards)


def _partnership_ids(person: Person) -> set[int]:
    if not hasattr(person, "_partnership_ids"):
        person._partnership_ids = set(person.partnerships.values_list("pk", flat=True))
    return person._partnership_ids


def _board_scope(person: Person) -> set[int]:
    """The boards the person sits on in any role, and every board under them."""
    if hasattr(person, "_board_scope"):
        return person._board_scope
    seats = set(Membership.objects.filter(person=person).values_list("board_id", flat=True))
    scope = set()
    if seats:
        children = defaultdict(list)
        tree = Board.objects.filter(partnership__boards__in=seats).values_list("pk", "parent_id")
        for pk, parent in tree.distinct():
            children[parent].append(pk)
        todo = list(seats)
        while todo:
            board = todo.pop()
            if board not in scope:
                scope.add(board)
                todo.extend(children[board])
    person._board_scope = scope
    return scope
