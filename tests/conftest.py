"""Settings every test shares, and the shared world most tests start from."""

import datetime
import io
from dataclasses import dataclass, fields

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command

from actions.models import Action, Plan, Theme
from actions.rag import RAG
from boards.models import Board, Membership, Organisation, Partnership, Person, Role
from tests.clients import Client
from tests.factories import (
    ActionFactory,
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)
from tests.helpers import days_ago


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    # Django's default hasher takes most of a second per password on purpose; the factories
    # give every user one. Sign-in and password reset work the same with a quick hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # Production names static files by the manifest that `collectstatic` writes
    # (settings.STORAGES). Running collectstatic before every test run would add seconds to
    # each and test a copy of the files rather than the files being edited, so pages here
    # name them plainly and the live server serves them from where they are.
    # tests/cspplan/test_static_files.py runs the real collectstatic and checks the hashed
    # names, the manifest and whitenoise for the pages' files; test_base_template.py
    # checks that no template writes a script or style inline.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_cache():
    # The password reset limits count in the cache: each test starts with none counted.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    """pytest-django's client, signing in with a second factor where one is needed
    (tests/clients.py)."""
    return Client()


@pytest.fixture
def admin_client(db, admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@dataclass
class World:
    """Two partnerships, their boards, organisations, people, users in every role, and plans
    whose every number is known. Built afresh for each test that asks for `world`.

    Here ("Test partnership here"): the CSP board (slug csp-board) with its violence
    subgroup under it, and the other board beside it. Elsewhere: the far board.
    Organisations: the police (TPS, linked to both partnerships), the council (TBC) and a
    youth charity (TYC), which leads nothing (both linked to here). Pat Example (police) and
    Sam Example (council), of here, are leads with no user.

    The CSP board's plan ("Test violence plan", slug violence-plan, VRU, active, 2021/22):
      Governance       a1 "Daily violence meeting": red, VRU mandated, overdue (ended 10 days
                          ago), led by the police and Pat; updated 2 days ago
                       a2 "Problem profile": green, local, led by the council; updated 100
                          days ago, so stale
      Diversion        b1 "Youth outreach": amber, new VRU action, ends in 30 days, led by
                          the police and the council; never updated, so stale
        Schools        bx1 "Assemblies in schools": complete, ended 100 days ago, no lead
        (sub-theme)    bx2 "Protectively marked operation": red, OFFICIAL-SENSITIVE, overdue
                          (ended 5 days ago), led by the council and Sam; never updated
                       c1 "Safer routes to school": not rated, no lead; updated yesterday
    The other board's plan ("Test other plan"): Exploitation, monitored by the subgroup (m1
    amber; m2 red, which names the other board as its own monitor, and that wins), and
    Licensing, monitored by nobody (u1 green). The far board's plan: far_action, not rated.
    A VRU workbook has one level of themes: a test that sends the board's plan through one
    deletes Schools first.

    Users: `officer` (Olu Officer, police) and `council_officer` (Cora Council), officers
    here who lead no action by name; `chair` (Cath Chair), chair of the CSP board;
    `other_chair`, chair of the other board; `analyst` here; `administrator`, a person in
    the Administrator role; `superuser` (Ada Superuser), a staff superuser with no person,
    as an installation's first administrator is; `far_officer`, an officer of the other
    partnership; `no_person`, a user with no person.
    """

    here: Partnership
    elsewhere: Partnership
    board: Board
    subgroup: Board
    other_board: Board
    far_board: Board
    police: Organisation
    council: Organisation
    charity: Organisation
    pat: Person
    sam: Person
    officer: User
    council_officer: User
    chair: User
    other_chair: User
    analyst: User
    administrator: User
    superuser: User
    far_officer: User
    no_person: User
    plan: Plan
    governance: Theme
    diversion: Theme
    schools: Theme
    a1: Action
    a2: Action
    b1: Action
    bx1: Action
    bx2: Action
    c1: Action
    other_plan: Plan
    exploitation: Theme
    licensing: Theme
    m1: Action
    m2: Action
    u1: Action
    far_plan: Plan
    far_action: Action


def _action(theme, ref, order, text, *, leads=(), update=None, **fields) -> Action:
    """An action of `theme`, led by `leads` (people and organisations), with a progress
    update (`update`: how many days ago, and its words) if given."""
    action = ActionFactory(theme=theme, ref=ref, order=order, text=text, **fields)
    action.lead_people.add(*(lead for lead in leads if isinstance(lead, Person)))
    action.lead_organisations.add(*(lead for lead in leads if isinstance(lead, Organisation)))
    if update:
        days, words = update
        ProgressUpdateFactory(action=action, date=days_ago(days), text=words)
    return action


def build_world() -> World:
    here = PartnershipFactory(name="Test partnership here", slug="here")
    elsewhere = PartnershipFactory(name="Test partnership elsewhere", slug="elsewhere")
    board = BoardFactory(partnership=here, name="Test CSP board", slug="csp-board")
    subgroup = BoardFactory(
        partnership=here, parent=board, name="Test violence subgroup", slug="violence-subgroup"
    )
    other_board = BoardFactory(partnership=here, name="Test other board", slug="other-board")
    far_board = BoardFactory(partnership=elsewhere, name="Test far board", slug="far-board")
    police = OrganisationFactory(name="Test police service", short_name="TPS")
    council = OrganisationFactory(name="Test borough council", short_name="TBC")
    charity = OrganisationFactory(name="Test youth charity", short_name="TYC")
    # The police work with both partnerships, as the MPS does with every London CSP.
    police.partnerships.set([here, elsewhere])
    council.partnerships.set([here])
    charity.partnerships.set([here])
    pat = PersonFactory(name="Pat Example", organisation=police)
    sam = PersonFactory(name="Sam Example", organisation=council)
    pat.partnerships.set([here])
    sam.partnerships.set([here])

    officer = user_in_role(
        Role.OFFICER, partnerships=[here], organisation=police, name="Olu Officer"
    )
    council_officer = user_in_role(
        Role.OFFICER, partnerships=[here], organisation=council, name="Cora Council"
    )
    chair = user_in_role(Role.CHAIR, name="Cath Chair")
    MembershipFactory(board=board, person=chair.person, role=Membership.Role.CHAIR)
    other_chair = user_in_role(Role.CHAIR, name="Otto Chair")
    MembershipFactory(board=other_board, person=other_chair.person, role=Membership.Role.CHAIR)
    analyst = user_in_role(Role.ANALYST, partnerships=[here], name="Ana Analyst")
    administrator = user_in_role(Role.ADMINISTRATOR, partnerships=[here], name="Adam Administrator")
    superuser = UserFactory(
        is_staff=True, is_superuser=True, first_name="Ada", last_name="Superuser"
    )
    far_officer = user_in_role(Role.OFFICER, partnerships=[elsewhere], name="Fay Far")
    no_person = UserFactory()

    plan = PlanFactory(
        partnership=here,
        board=board,
        title="Test violence plan",
        slug="violence-plan",
        status=Plan.Status.ACTIVE,
        period_start=datetime.date(2021, 4, 1),
        period_end=datetime.date(2022, 3, 31),
    )
    governance = ThemeFactory(plan=plan, name="Governance", order=0)
    diversion = ThemeFactory(plan=plan, name="Diversion", order=1)
    schools = ThemeFactory(plan=plan, name="Schools", parent=diversion, order=0)
    origin = Action.Origin
    a1 = _action(
        governance,
        "1",
        0,
        "Daily violence meeting",
        rag=RAG.RED,
        origin=origin.VRU_MANDATED,
        end_date=days_ago(10),
        leads=[police, pat],
        update=(2, "Meeting moved to weekly"),
    )
    a2 = _action(
        governance,
        "2",
        1,
        "Problem profile",
        rag=RAG.GREEN,
        origin=origin.LOCAL,
        leads=[council],
        update=(100, "Profile shared"),
    )
    b1 = _action(
        diversion,
        "1",
        0,
        "Youth outreach",
        rag=RAG.AMBER,
        origin=origin.VRU_NEW,
        end_date=days_ago(-30),
        leads=[police, council],
    )
    bx1 = _action(
        schools, "1", 0, "Assemblies in schools", rag=RAG.COMPLETE, end_date=days_ago(100)
    )
    bx2 = _action(
        schools,
        "2",
        1,
        "Protectively marked operation",
        rag=RAG.RED,
        end_date=days_ago(5),
        marking="official-sensitive",
        leads=[council, sam],
    )
    c1 = _action(schools, "3", 2, "Safer routes to school", update=(1, "Scoping"))

    other_plan = PlanFactory(
        partnership=here, board=other_board, title="Test other plan", slug="other-plan"
    )
    exploitation = ThemeFactory(
        plan=other_plan, name="Exploitation", monitoring_board=subgroup, order=0
    )
    licensing = ThemeFactory(plan=other_plan, name="Licensing", order=1)
    m1 = _action(exploitation, "1", 0, "Exploitation screening", rag=RAG.AMBER)
    m2 = _action(
        exploitation,
        "2",
        1,
        "Missing episodes review",
        rag=RAG.RED,
        monitoring_board=other_board,
    )
    u1 = _action(licensing, "1", 0, "Licensing checks", rag=RAG.GREEN)

    far_plan = PlanFactory(
        partnership=elsewhere, board=far_board, title="Test far plan", slug="far-plan"
    )
    far_action = _action(ThemeFactory(plan=far_plan, name="Far theme"), "1", 0, "Far away action")

    made = locals()
    return World(**{field.name: made[field.name] for field in fields(World)})


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def admin_open_to_staff(monkeypatch):
    """The admin site letting in every active staff user, as Django's own would, rather than
    administrators only (actions/sites.py): for the tests of what the admin's pages would
    still hide from and refuse to such a user, the line of defence behind the door."""
    from django.contrib import admin

    monkeypatch.setattr(
        admin.site,
        "has_permission",
        lambda request: request.user.is_active and request.user.is_staff,
    )


# Today as the clock gives it (cspplan/clock.py): the real date, or the demo's 8 December
# 2021. A test that asks for `either_clock` (before `world`, so that the world is built
# about that day) runs once with each.
DEMO_DAY = datetime.date(2021, 12, 8)


@pytest.fixture(params=[None, DEMO_DAY], ids=["real-date", "clock-2021-12-08"])
def either_clock(request, settings):
    settings.CSPPLAN_TODAY = request.param
    return request.param


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed partnerships and plans (`load_demo`), loaded once for the module that asks
    and cleared away after it."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
