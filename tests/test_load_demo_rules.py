"""How load_demo reads fixtures: strictly, all or nothing, and idempotently."""

import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Indicator, Marking, Plan, ProgressUpdate, Theme
from boards.models import Board, Organisation, Person

pytestmark = pytest.mark.django_db

PARTNERSHIP = """
partnership: {slug: testshire, name: Testshire Community Safety Partnership}
organisations:
  - {name: Testshire Council, short_name: TC, kind: local_authority, aliases: [Testshire BC]}
  - {name: Metropolitan Police Service, short_name: MPS, kind: police}
people:
  - {name: Ann Lead, post_title: Community Safety Manager, organisation: TC}
boards:
  - slug: board
    name: Testshire CSP Board
    kind: board
    members: [{person: Ann Lead, role: chair}]
    children:
      - {slug: ivolt, name: IVOLT, kind: subgroup}
"""

PLAN = """
plan:
  slug: test-plan
  partnership: testshire
  board: board
  title: Test plan
  layout: vru
  status: active
themes:
  - name: Governance
    monitoring_board: ivolt
    actions:
      - ref: "1"
        origin: vru_mandated
        text: Set out the local co-ordination arrangements
        leads: Ann Lead
        lead_people: [Ann Lead]
        lead_organisations_text: Testshire BC and MPS
        lead_organisations: [testshire bc, MPS]
        start_date: 2021-12-11
        end_date: 2022-12-10
        updates:
          - {date: 2021-11-01, period: November 2021, text: Terms of reference agreed.}
"""


def write(tmp_path, partnership=PARTNERSHIP, plan=PLAN):
    (tmp_path / "testshire").mkdir()
    (tmp_path / "testshire" / "partnership.yaml").write_text(textwrap.dedent(partnership))
    (tmp_path / "testshire" / "test-plan.yaml").write_text(textwrap.dedent(plan))
    return tmp_path


def load(folder):
    call_command("load_demo", fixtures=folder, stdout=io.StringIO())


def test_quiet_at_verbosity_0_and_says_what_it_loaded_otherwise(tmp_path, capfd):
    folder = write(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", fixtures=folder, verbosity=0, stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue()) == ("", "")
    assert capfd.readouterr() == ("", "")  # nothing printed past the command's streams
    assert Plan.objects.filter(slug="test-plan").exists()
    call_command("load_demo", fixtures=folder, stdout=out)
    assert out.getvalue().splitlines() == [
        "testshire/partnership.yaml: 0 created or changed",
        "testshire/test-plan.yaml: 0 created or changed",
    ]


def test_loads_boards_people_plan_and_resolves_names(tmp_path):
    load(write(tmp_path))
    action = Action.objects.get(ref="1")
    assert action.origin == "vru_mandated"
    assert [p.name for p in action.lead_people.all()] == ["Ann Lead"]
    assert {o.short_name for o in action.lead_organisations.all()} == {"TC", "MPS"}
    assert action.lead_organisations_text == "Testshire BC and MPS"
    assert action.theme.monitoring_board.slug == "ivolt"
    assert action.rag == "not_rated"
    update = action.updates.get()
    assert (update.period, update.text) == ("November 2021", "Terms of reference agreed.")
    assert Board.objects.get(slug="ivolt").parent.slug == "board"
    assert Board.objects.get(slug="board").memberships.get().role == "chair"


def test_loading_twice_changes_nothing_and_writes_no_history(tmp_path):
    folder = write(tmp_path)
    load(folder)
    counts = [Action.history.count(), Person.history.count(), Plan.history.count()]
    load(folder)
    assert [Action.history.count(), Person.history.count(), Plan.history.count()] == counts
    assert Action.objects.count() == 1


def test_a_changed_fixture_updates_in_place(tmp_path):
    folder = write(tmp_path)
    load(folder)
    plan = (folder / "testshire" / "test-plan.yaml").read_text()
    (folder / "testshire" / "test-plan.yaml").write_text(plan.replace("arrangements", "plans"))
    load(folder)
    assert Action.objects.get().text == "Set out the local co-ordination plans"
    assert Action.history.count() == 2


@pytest.mark.parametrize(
    "broken, message",
    [
        (PLAN.replace("leads: Ann Lead", "lead: Ann Lead"), "unknown key(s) lead"),
        (PLAN.replace("origin: vru_mandated", "origin: mandated"), "'mandated' is not one of"),
        (PLAN.replace("[Ann Lead]", "[Ann Leed]"), "no person is called 'Ann Leed'"),
        (PLAN.replace("[testshire bc, MPS]", "[Police]"), "no organisation is called 'Police'"),
        (PLAN.replace("monitoring_board: ivolt", "monitoring_board: yos"), "no board"),
        (PLAN.replace("start_date: 2021-12-11", "start_date: 11/12/2021"), "YYYY-MM-DD"),
        (PLAN.replace("end_date: 2022-12-10", "end_date: 2020-12-10"), "end date"),
        (PLAN.replace("text: Set out", "text2: Set out"), "'text' is required"),
        (PLAN.replace('ref: "1"', 'ref: "1"\n        marking: secret'), "'secret' is not one"),
    ],
)
def test_a_bad_fixture_is_refused_with_where_and_writes_nothing(tmp_path, broken, message):
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, plan=broken))
    assert message in str(error.value)
    assert "test-plan.yaml" in str(error.value)
    # The partnership file was fine, but one transaction means nothing at all was written.
    assert not Board.objects.exists()
    assert not Organisation.objects.exists()


def test_a_person_recorded_two_ways_is_refused(tmp_path):
    plan = PLAN.replace(
        "themes:", "people:\n  - {name: Ann Lead, post_title: Chief Executive}\nthemes:"
    )
    with pytest.raises(CommandError, match="already has the post title 'Community Safety Manager'"):
        load(write(tmp_path, plan=plan))


def test_an_alias_claimed_by_two_organisations_is_ambiguous(tmp_path):
    partnership = PARTNERSHIP.replace("kind: police}", "kind: police, aliases: [TC]}")
    with pytest.raises(CommandError, match="more than one organisation is called 'TC'"):
        load(write(tmp_path, partnership=partnership))


def test_creating_an_action_with_its_leads_is_one_history_entry(tmp_path):
    load(write(tmp_path))
    action = Action.objects.get()
    (entry,) = action.history.all()
    assert entry.history_type == "+"
    assert [lead.person.name for lead in entry.lead_people.all()] == ["Ann Lead"]


def test_a_protective_marking_is_read_on_plans_themes_actions_and_updates(tmp_path):
    plan = PLAN.replace("  status: active", "  status: active\n  marking: official-sensitive")
    plan = plan.replace(
        "    monitoring_board: ivolt", "    monitoring_board: ivolt\n    marking: official"
    )
    plan = plan.replace('ref: "1"', 'ref: "1"\n        marking: official-sensitive')
    plan = plan.replace(
        "text: Terms of reference agreed.}", "text: Agreed., marking: official-sensitive}"
    )
    load(write(tmp_path, plan=plan))
    assert Plan.objects.get().marking == Marking.OFFICIAL_SENSITIVE
    assert Theme.objects.get().marking == Marking.OFFICIAL
    assert Action.objects.get().marking == Marking.OFFICIAL_SENSITIVE
    assert ProgressUpdate.objects.get().marking == Marking.OFFICIAL_SENSITIVE


def test_an_indicator_value_of_zero_is_a_value_not_a_missing_one(tmp_path):
    plan = (
        PLAN
        + """
indicators:
  - description: Repeat victims of domestic abuse
    direction: reduce
    values:
      - {date: 2017-03-31, period: 2016/17, value: 0}
"""
    )
    load(write(tmp_path, plan=plan))
    (value,) = Indicator.objects.get().values.all()
    assert value.value == 0


def test_an_interim_chair_is_read_and_a_bad_interim_refused(tmp_path):
    interim = PARTNERSHIP.replace("role: chair}", "role: chair, interim: true}")
    load(write(tmp_path, partnership=interim))
    membership = Board.objects.get(slug="board").memberships.get()
    assert (membership.role, membership.interim) == ("chair", True)


@pytest.mark.parametrize(
    "members, message",
    [
        ("role: chair, interim: yes please}", "expected true or false"),
        ("role: member, interim: true}", "Only a chair or deputy chair can be interim"),
    ],
)
def test_a_bad_interim_is_refused_and_writes_nothing(tmp_path, members, message):
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, partnership=PARTNERSHIP.replace("role: chair}", members)))
    assert message in str(error.value)
    assert not Board.objects.exists()
