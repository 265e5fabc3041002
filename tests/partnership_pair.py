"""Two partnerships kept apart (issue 15), for the isolation tests: A, whose users ask, and
B, whose every record is something A's users must not reach.

Each partnership has a board with a subgroup, a plan (with a marked action, a progress
update, an indicator with a value, a senior leader), a held and a planned meeting with an
agenda item, a minuted action, attendance, a standing item and the subgroup's report, a
person and an organisation of its own, and a recorded download. Every piece of text of B's
holds the word in `B_WORD` (and nothing of A's does), so a page, document or list that
shows anything of B's is found by that word alone.

Users of A in each role (officer, chair of A's board, analyst, administrator of A), a
superuser (the site's, who sees everything), B's analyst and administrator (who must reach
what A's users may not: the control that B's addresses are right), and a tri-borough police
lead, an officer in A and in B, who must see both. And the VRU's reader, who belongs to no
partnership and reads both plans (they are in the VRU layout at OFFICIAL) but never their
marked actions, and nothing else of either.
"""

import datetime
from dataclasses import dataclass, field

from actions.models import Marking, Plan
from actions.rag import RAG
from boards.models import Membership, Role
from downloads.models import Download
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    StandingItem,
    SubgroupReport,
)
from rollover.services import rollover_create
from tests.factories import (
    ActionFactory,
    BoardFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    OrganisationFactory,
    PanelFeedbackFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ProgressUpdateFactory,
    SeniorLeaderFactory,
    ThemeFactory,
    UserFactory,
    user_in_role,
)
from tests.helpers import days_ago

# In every text of B's, and in none of A's: its presence anywhere A's users look is a leak.
B_WORD = "quokka"

# Users of A by role, as the isolation tests ask.
A_ROLES = ("officer", "chair", "analyst", "administrator")


@dataclass
class Side:
    """One partnership's records, by what a URL's parameters name."""

    word: str
    partnership: object = None
    board: object = None
    subgroup: object = None
    organisation: object = None
    person: object = None
    plan: object = None
    theme: object = None
    action: object = None
    marked_action: object = None
    update: object = None
    indicator: object = None
    indicator_value: object = None
    leader: object = None
    meeting: object = None
    planned: object = None
    item: object = None
    meeting_action: object = None
    attendance: object = None
    standing_item: object = None
    report: object = None
    membership: object = None
    download: object = None
    panel_feedback: object = None
    rollover: object = None  # the plan rolled over into next year's Draft (next_plan)
    next_plan: object = None
    users: dict = field(default_factory=dict)


@dataclass
class Pair:
    a: Side
    b: Side
    police: object  # an organisation shared by both partnerships, as the MPS is
    superuser: object
    tri_borough: object  # an officer of both partnerships
    vru: object  # the regional body's reader, in no partnership: reads every VRU plan at OFFICIAL

    def user(self, role: str):
        return self.a.users[role]


def _side(word: str, police) -> Side:
    """A partnership whose texts all carry `word` (capitalised as a name)."""
    title = word.capitalize()
    side = Side(word=word)
    side.partnership = partnership = PartnershipFactory(
        name=f"{title} community safety partnership", short_name=f"{title} CSP", slug=word
    )
    police.partnerships.add(partnership)
    side.organisation = OrganisationFactory(
        name=f"{title} borough council", short_name=f"{title[:3].upper()}BC"
    )
    side.organisation.partnerships.set([partnership])
    side.person = PersonFactory(
        name=f"{title} Lead", organisation=side.organisation, email=f"lead@{word}.example"
    )
    side.person.partnerships.set([partnership])
    side.board = BoardFactory(partnership=partnership, name=f"{title} board", slug=f"{word}-b")
    side.subgroup = BoardFactory(
        partnership=partnership, parent=side.board, name=f"{title} subgroup", slug=f"{word}-sg"
    )
    side.membership = MembershipFactory(board=side.board, person=side.person)
    side.plan = PlanFactory(
        partnership=partnership,
        board=side.board,
        title=f"{title} violence plan",
        slug=f"{word}-plan",
        status=Plan.Status.ACTIVE,
        period_start=datetime.date(2021, 4, 1),
        period_end=datetime.date(2022, 3, 31),
    )
    side.theme = ThemeFactory(plan=side.plan, name=f"{title} theme", order=0)
    side.action = ActionFactory(
        theme=side.theme,
        ref="1",
        order=0,
        text=f"{title} outreach action",
        rag=RAG.RED,
        end_date=days_ago(10),
    )
    side.action.lead_people.add(side.person)
    side.action.lead_organisations.add(side.organisation, police)
    side.marked_action = ActionFactory(
        theme=side.theme,
        ref="2",
        order=1,
        text=f"{title} marked operation",
        marking=Marking.OFFICIAL_SENSITIVE,
        monitoring_board=side.subgroup,
    )
    side.marked_action.lead_organisations.add(police)
    side.update = ProgressUpdateFactory(
        action=side.action, date=days_ago(3), text=f"{title} progress so far"
    )
    side.indicator = IndicatorFactory(plan=side.plan, description=f"{title} knife crime")
    side.indicator_value = IndicatorValueFactory(
        indicator=side.indicator, date=datetime.date(2021, 6, 30), note=f"{title} quarter"
    )
    side.leader = SeniorLeaderFactory(plan=side.plan, name=f"{title} Senior")
    side.panel_feedback = PanelFeedbackFactory(
        theme=side.theme, text=f"{title} panel feedback", given_by=f"{title} panel"
    )
    side.meeting = Meeting.objects.create(
        board=side.board,
        date=datetime.date(2021, 9, 29),
        status=Meeting.Status.HELD,
        venue=f"{title} town hall",
    )
    side.planned = Meeting.objects.create(board=side.board, date=days_ago(-30))
    side.standing_item = StandingItem.objects.create(
        board=side.board, title=f"{title} community tensions"
    )
    side.item = AgendaItem.objects.create(
        meeting=side.meeting, number="3", title=f"{title} minutes item"
    )
    side.meeting_action = MeetingAction.objects.create(
        meeting=side.meeting, agenda_item=side.item, text=f"{title} to share the survey"
    )
    side.attendance = Attendance.objects.create(
        meeting=side.meeting, person=side.person, name_as_written=f"{title} Lead", kind="present"
    )
    side.report = SubgroupReport.objects.create(
        board=side.subgroup,
        meeting=side.meeting,
        title=f"{title} subgroup update",
        brief_update=f"{title} brief update",
    )
    side.download = Download.objects.create(
        user=None,
        username=f"{word}-analyst",
        kind="workbook",
        subject=side.plan.title,
        plan_id=side.plan.pk,
        marking="OFFICIAL",
        rows=2,
    )
    side.users = {
        "officer": user_in_role(
            Role.OFFICER, partnerships=[partnership], organisation=police, name=f"{title} Officer"
        ),
        "chair": user_in_role(Role.CHAIR, name=f"{title} Chair", organisation=side.organisation),
        "analyst": user_in_role(
            Role.ANALYST,
            partnerships=[partnership],
            organisation=side.organisation,
            name=f"{title} Analyst",
        ),
        "administrator": user_in_role(
            Role.ADMINISTRATOR,
            partnerships=[partnership],
            organisation=side.organisation,
            name=f"{title} Administrator",
        ),
    }
    MembershipFactory(
        board=side.board, person=side.users["chair"].person, role=Membership.Role.CHAIR
    )
    for user in side.users.values():
        user.username = f"{word}-{user.person.role}"
        user.save()
    side.rollover = rollover_create(
        plan=side.plan,
        user=side.users["analyst"],
        title=f"{title} violence plan 2022/23",
        slug=f"{word}-plan-next",
        start=datetime.date(2022, 4, 1),
        end=datetime.date(2023, 3, 31),
    )
    side.next_plan = side.rollover.new_plan
    return side


def build_pair() -> Pair:
    police = OrganisationFactory(name="Shared police service", short_name="SPS")
    a = _side("ashby", police)
    b = _side(B_WORD, police)
    superuser = UserFactory(is_staff=True, is_superuser=True, username="site-superuser")
    tri_borough = user_in_role(
        Role.OFFICER,
        partnerships=[a.partnership, b.partnership],
        organisation=police,
        name="Tri-borough police lead",
    )
    vru = user_in_role(Role.VRU, name="London VRU reader")
    vru.username = "london-vru"
    vru.save()
    return Pair(a=a, b=b, police=police, superuser=superuser, tri_borough=tri_borough, vru=vru)
