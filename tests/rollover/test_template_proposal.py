"""Reading a VRU template against a Draft plan: the proposal (rollover.template)."""

import pytest

from actions.models import Action, ActionOrigin
from rollover.template import similar_names, template_proposal
from tests.rollover.vru_template import (
    TEST,
    VAWG,
    carried,
    draft_plan,
    seed_plan,
    template_workbook,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_a_template_from_the_seed_plan_proposes_the_eighth_theme_and_its_actions():
    draft = draft_plan()
    proposal = template_proposal(draft, template_workbook())

    assert proposal.ok, proposal.problems
    assert [theme.name for theme in proposal.added_themes] == [VAWG]
    assert len(proposal.matched_themes) == 7
    assert proposal.offered_themes == []
    vawg = [action for action in proposal.actions if action.theme.name == VAWG]
    assert [(a.ref, a.origin) for a in vawg] == [
        ("1", ActionOrigin.VRU_MANDATED),  # by the "VRU mandated action:" prefix
        ("2", ActionOrigin.VRU_MANDATED),  # by the hidden Origin column
        ("3", ActionOrigin.VRU_NEW),
        ("4", ActionOrigin.VRU_OPTIONAL),
        ("5", ActionOrigin.VRU_OPTIONAL),
        ("6", ActionOrigin.VRU_OPTIONAL),
    ]
    assert vawg[0].text == f"{TEST} mandated action one"
    assert [a.ref for a in proposal.optional_actions] == ["4", "5", "6"]
    assert all(a.match is None for a in vawg)


def test_each_seed_action_in_the_template_is_matched_with_the_one_carried_by_number():
    draft = draft_plan()
    proposal = template_proposal(draft, template_workbook())

    seed_actions = Action.objects.filter(theme__plan=seed_plan()).count()
    matches = proposal.matches
    assert len(matches) == seed_actions
    assert {a.match_reason for a in matches} == {"number"}
    for action in matches:
        assert action.match.theme.plan_id == draft.pk
        assert action.match.ref == action.ref
        assert action.match.carried_from.text == action.text


def test_a_renamed_theme_is_offered_to_match_and_its_actions_are_matched_by_their_words():
    draft = draft_plan()
    old = draft.themes.get(name__startswith="POSITIVE DIVERSION")

    def rename(sheet):
        for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
            if sheet.get(row, "Ref Theme") and str(sheet.get(row, "Ref Theme")).startswith(
                "POSITIVE DIVERSION"
            ):
                sheet.set(row, "Ref Theme", "DIVERSION (TEST RENAME)")

    proposal = template_proposal(draft, template_workbook(edit=rename))

    # Offered as the plan's theme renamed, since its actions are the plan's; VAWG, whose
    # actions and name are like none of that theme's, is added.
    offered = proposal.offered_themes
    assert [theme.name for theme in offered] == ["DIVERSION (TEST RENAME)"]
    assert offered[0].candidates == [old]
    assert [theme.name for theme in proposal.added_themes] == [VAWG]
    moved = [a for a in proposal.actions if a.theme.name == "DIVERSION (TEST RENAME)"]
    assert moved and all(a.match_reason == "words" for a in moved)
    assert all(a.match.theme == old for a in moved)
    assert carried(draft, "POSITIVE DIVERSION", moved[0].ref) == moved[0].match


def test_a_template_with_one_number_twice_in_a_theme_has_a_problem():
    rows = [("1", "New VRU action", f"{TEST} one"), ("1", "New VRU action", f"{TEST} two")]
    proposal = template_proposal(draft_plan(), template_workbook(rows))

    assert not proposal.ok
    assert any("used twice" in problem for problem in proposal.problems)


@pytest.mark.parametrize(
    "one, other, similar",
    [
        (
            "SAFEGUARDING CHILDREN AND YOUNG PEOPLE",
            "SAFEGUARDING AND EDUCATING CHILDREN AND YOUNG PEOPLE",
            True,
        ),
        ("Governance", "GOVERNANCE AND PARTNERSHIP", True),
        (VAWG, "WORKING WITH COMMUNITIES AND NEIGHBOURHOODS TO REDUCE VIOLENCE", False),
        (VAWG, "POSITIVE DIVERSION FROM VIOLENCE", False),
        ("And of the", "The and of", False),  # linking words alone say nothing
    ],
)
def test_theme_names_much_alike(one, other, similar):
    assert similar_names(one, other) is similar
