"""How load_demo reads fixtures: strictly, all or nothing, and idempotently."""

import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Indicator, Marking, Plan, ProgressUpdate, Theme
from boards.models import Board, Membership, Organisation, Person

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
        "as the fixtures say: 0 removed or emptied",
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


# ---- the fixtures as the truth for what they list --------------------------------------------


def snapshot():
    """Every membership and every person's organisation, as comparable rows."""
    memberships = sorted(
        (m.board.partnership.slug, m.board.slug, m.person.name, m.role, m.interim)
        for m in Membership.objects.select_related("board__partnership", "person")
    )
    people = sorted(
        (p.name, p.organisation.name if p.organisation else None, p.post_title)
        for p in Person.objects.select_related("organisation")
    )
    return memberships, people


def history_counts():
    return [model.history.count() for model in (Membership, Person, Board, Action, Plan)]


def test_loading_onto_an_older_database_removes_what_the_fixtures_no_longer_say(tmp_path):
    """As a database loaded from an older transcription: a membership the fixtures do not
    list (of a board they list) and an organisation they leave empty are gone after the next
    load, through the services with their history rows; what the fixtures do not list is
    left alone; and a further load changes nothing."""
    plan = PLAN.replace(
        "themes:",
        "people:\n  - {name: Bob Lead}\n  - {name: Ann Lead, organisation: TC}\nthemes:",
    )
    folder = write(tmp_path, plan=plan)
    load(folder)
    expected = snapshot()
    council = Organisation.objects.get(short_name="TC")
    board, ivolt = Board.objects.get(slug="board"), Board.objects.get(slug="ivolt")
    bob, ann = Person.objects.get(name="Bob Lead"), Person.objects.get(name="Ann Lead")

    # What an older transcription had: Bob a member of both boards (one with no members
    # listed at all), and Bob's organisation, which no file now gives.
    Membership.objects.create(board=board, person=bob)
    Membership.objects.create(board=ivolt, person=bob)
    Person.objects.filter(pk=bob.pk).update(organisation=council)
    # Outside what the fixtures list: a board of the partnership's own making with its
    # member, and a person they do not name, with an organisation.
    local = Board.objects.create(partnership=board.partnership, name="Local panel", slug="local")
    carol = Person.objects.create(name="Carol Local", organisation=council)
    Membership.objects.create(board=local, person=carol)
    Membership.objects.create(board=local, person=bob)
    outside = snapshot()

    out = io.StringIO()
    call_command("load_demo", fixtures=folder, stdout=out)
    assert "as the fixtures say: 3 removed or emptied" in out.getvalue()
    memberships, people = snapshot()
    assert not Membership.objects.filter(person=bob).exclude(board=local).exists()
    bob.refresh_from_db()
    assert bob.organisation is None
    # Everything else as it was: the fixtures' own records, and what they do not list.
    assert (memberships, people) == (
        sorted(
            expected[0]
            + [("testshire", "local", "Bob Lead", "member", False)]
            + [("testshire", "local", "Carol Local", "member", False)]
        ),
        sorted(expected[1] + [("Carol Local", "Testshire Council", "")]),
    )
    assert [row for row in outside[0] if row[1] == "local"] == [
        row for row in memberships if row[1] == "local"
    ]
    ann.refresh_from_db()
    assert ann.organisation == council  # given by the plan's file, though not the partnership's
    # Each removal and emptying is a history row of its own.
    assert Membership.history.filter(person_id=bob.pk, history_type="-").count() == 2
    assert Person.history.filter(id=bob.pk).first().organisation_id is None

    # Loaded again: nothing changes, and no history is written.
    counts = history_counts()
    out = io.StringIO()
    call_command("load_demo", fixtures=folder, stdout=out)
    assert "as the fixtures say: 0 removed or emptied" in out.getvalue()
    assert snapshot() == (memberships, people)
    assert history_counts() == counts


def test_the_demo_loaded_over_the_older_transcription_ends_as_the_fixtures_say():
    """The demo itself, with what the transcription before the seed review had (004 around
    line 1432: forward-plan presenters made members of subgroups; organisations given to
    Daniel James, Erik Stein and Sharon White, which the seeds never state)."""
    call_command("load_demo", stdout=io.StringIO())
    expected = snapshot()
    lbbd = Organisation.objects.get(short_name="LBBD")
    subgroup = Board.objects.get(partnership__slug="barking-dagenham", slug="vawg")
    for name in ("Hazel North-Stephens",):
        Membership.objects.create(board=subgroup, person=Person.objects.get(name=name))
    Person.objects.filter(name__in=["Daniel James", "Erik Stein", "Sharon White"]).update(
        organisation=lbbd
    )
    assert snapshot() != expected
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == expected
    counts = history_counts()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == expected and history_counts() == counts
