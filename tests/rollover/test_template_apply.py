"""Taking a VRU template into a Draft plan (rollover.template_services.template_apply)."""

import pytest

from actions.models import Action, ActionOrigin, Plan, Theme
from rollover.models import TemplateChoice, TemplateTaking
from rollover.template import TemplateChoices, template_proposal
from rollover.template_services import TemplateRefused, template_apply
from tests.factories import UserFactory
from tests.rollover.vru_template import (
    TEST,
    VAWG,
    carried,
    draft_plan,
    template_workbook,
    with_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def answer_all(proposal, *, adopt=(), leave=(), refuse=(), renamed=None) -> TemplateChoices:
    """Every question answered: the optional actions numbered in `adopt` adopted, those in
    `leave` left out, every match confirmed but those of the rows in `refuse`."""
    adopted = {}
    for action in proposal.optional_actions:
        assert action.ref in (*adopt, *leave), action.ref
        adopted[action.key] = action.ref in adopt
    return TemplateChoices(
        adopted=adopted,
        confirmed={a.key: a.key not in refuse for a in proposal.matches},
        renamed=renamed or {},
    )


def written():
    return (
        Action.objects.count(),
        Action.history.count(),
        Theme.objects.count(),
        TemplateChoice.objects.count(),
        TemplateTaking.objects.count(),
    )


def test_adopting_two_optional_actions_and_leaving_one_adds_the_theme_and_those_actions():
    draft, user = draft_plan(), UserFactory()
    before = Action.objects.filter(theme__plan=draft).count()
    proposal = template_proposal(draft, template_workbook())

    taking = template_apply(
        plan=draft,
        proposal=proposal,
        choices=answer_all(proposal, adopt=("4", "6"), leave=("5",)),
        user=user,
        file_name="template.xlsx",
    )

    vawg = Theme.objects.get(plan=draft, name=VAWG)
    assert vawg.order == 1 + max(t.order for t in draft.themes.exclude(pk=vawg.pk))
    added = list(vawg.actions.order_by("order").values_list("ref", "origin", "text"))
    assert added == [
        ("1", ActionOrigin.VRU_MANDATED, f"{TEST} mandated action one"),
        ("2", ActionOrigin.VRU_MANDATED, f"{TEST} mandated action two"),
        ("3", ActionOrigin.VRU_NEW, f"{TEST} new action three"),
        ("4", ActionOrigin.VRU_OPTIONAL, f"{TEST} optional action four"),
        ("6", ActionOrigin.VRU_OPTIONAL, f"{TEST} optional action six"),
    ]
    # The seed's actions were merged into the carried ones, not added again.
    assert Action.objects.filter(theme__plan=draft).count() == before + 5
    assert (taking.themes_added, taking.actions_added, taking.actions_merged) == (1, 5, before)
    assert taking.taken_by == user


def test_the_choices_are_recorded_with_their_user():
    draft, user = draft_plan(), UserFactory()
    proposal = template_proposal(draft, template_workbook())

    taking = template_apply(
        plan=draft,
        proposal=proposal,
        choices=answer_all(proposal, adopt=("4", "6"), leave=("5",)),
        user=user,
    )

    optional = TemplateChoice.objects.filter(kind=TemplateChoice.Kind.OPTIONAL).order_by("pk")
    assert [(c.template_ref, c.decision) for c in optional] == [
        ("4", "adopted"),
        ("5", "left_out"),
        ("6", "adopted"),
    ]
    four = Action.objects.get(theme__plan=draft, theme__name=VAWG, ref="4")
    assert optional[0].action == four
    assert optional[1].action is None
    assert optional[1].template_text == f"{TEST} optional action five"
    matches = TemplateChoice.objects.filter(kind=TemplateChoice.Kind.MATCH)
    assert matches.count() == taking.actions_merged
    assert set(matches.values_list("decision", flat=True)) == {"confirmed"}
    every = TemplateChoice.objects.filter(taking=taking)
    assert {(c.made_by, c.plan) for c in every} == {(user, draft)}
    assert every.count() == 3 + taking.actions_merged


def test_a_confirmed_match_updates_the_carried_action_and_keeps_its_link_leads_and_updates():
    draft, user = draft_plan(), UserFactory()
    action = carried(draft, "GOVERNANCE", "1")
    renumbered = carried(draft, "GOVERNANCE", "2")
    came_from, leads = action.carried_from, set(action.lead_organisations.all())
    update = with_update(action, "Test update on the carried action")

    def edit(sheet):
        # Governance 1 in new words (matched by its number); Governance 2 numbered anew
        # (matched by its words).
        sheet.set(sheet.row_of(came_from.text[:40]), "Actions", f"{TEST} new words for 1")
        sheet.set(sheet.row_of(renumbered.text[:40]), "Action No", "2a")

    proposal = template_proposal(draft, template_workbook(edit=edit))
    reasons = {a.match.pk: a.match_reason for a in proposal.matches}
    assert (reasons[action.pk], reasons[renumbered.pk]) == ("number", "words")

    template_apply(
        plan=draft,
        proposal=proposal,
        choices=answer_all(proposal, adopt=("4",), leave=("5", "6")),
        user=user,
    )

    merged = Action.objects.get(pk=action.pk)
    assert merged.text == f"{TEST} new words for 1"
    assert merged.carried_from == came_from
    assert set(merged.lead_organisations.all()) == leads
    assert list(merged.updates.all()) == [update]
    assert Action.objects.get(pk=renumbered.pk).ref == "2a"
    # Merged, not duplicated: one action of each number in the theme, none added.
    assert not merged.theme.actions.filter(ref="2").exists()
    assert merged.theme.actions.count() == action.carried_from.theme.actions.count()
    # The merge is in the action's history, in the user's name, with the words before.
    newest, before = merged.history.order_by("-history_id")[:2]
    assert newest.history_user == user and before.text == came_from.text


def test_a_refused_match_adds_the_templates_action_and_renumbers_the_carried_one():
    draft, user = draft_plan(), UserFactory()
    action = carried(draft, "GOVERNANCE", "1")
    highest = max(
        int(ref) for ref in action.theme.actions.values_list("ref", flat=True) if ref.isdigit()
    )
    proposal = template_proposal(draft, template_workbook())
    row = next(a for a in proposal.matches if a.match == action)

    template_apply(
        plan=draft,
        proposal=proposal,
        choices=answer_all(proposal, adopt=(), leave=("4", "5", "6"), refuse=(row.key,)),
        user=user,
    )

    action.refresh_from_db()
    assert action.ref == str(highest + 1)
    added = Action.objects.get(theme=action.theme, ref="1")
    assert added.pk != action.pk and added.carried_from is None
    assert added.text == row.text
    refused = TemplateChoice.objects.get(kind="match", decision="refused")
    assert (refused.action, refused.template_row) == (action, row.row)


def test_a_theme_matched_as_renamed_takes_the_templates_name_and_keeps_its_actions():
    draft, user = draft_plan(), UserFactory()
    old = draft.themes.get(name__startswith="POSITIVE DIVERSION")
    old_name, actions = old.name, set(old.actions.values_list("pk", flat=True))

    def rename(sheet):
        for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
            if str(sheet.get(row, "Ref Theme") or "").startswith("POSITIVE DIVERSION"):
                sheet.set(row, "Ref Theme", "DIVERSION (TEST RENAME)")

    proposal = template_proposal(draft, template_workbook(edit=rename))
    (renamed,) = proposal.offered_themes
    choices = answer_all(proposal, adopt=("4",), leave=("5", "6"), renamed={renamed.key: old.pk})

    template_apply(plan=draft, proposal=proposal, choices=choices, user=user)

    old.refresh_from_db()
    assert old.name == "DIVERSION (TEST RENAME)"
    assert set(old.actions.values_list("pk", flat=True)) == actions
    assert Theme.objects.filter(plan=draft, name=VAWG).exists()
    theme_choices = TemplateChoice.objects.filter(kind="theme").order_by("pk")
    assert [(c.decision, c.template_theme, c.previous_name) for c in theme_choices] == [
        ("renamed", "DIVERSION (TEST RENAME)", old_name)
    ]


def test_a_theme_offered_as_renamed_may_be_added_as_new_and_its_matched_actions_move_there():
    draft, user = draft_plan(), UserFactory()
    old = draft.themes.get(name__startswith="POSITIVE DIVERSION")
    actions = set(old.actions.values_list("pk", flat=True))

    def rename(sheet):
        for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
            if str(sheet.get(row, "Ref Theme") or "").startswith("POSITIVE DIVERSION"):
                sheet.set(row, "Ref Theme", "DIVERSION (TEST RENAME)")

    proposal = template_proposal(draft, template_workbook(edit=rename))
    (offered,) = proposal.offered_themes
    choices = answer_all(proposal, adopt=(), leave=("4", "5", "6"), renamed={offered.key: None})

    template_apply(plan=draft, proposal=proposal, choices=choices, user=user)

    new = Theme.objects.get(plan=draft, name="DIVERSION (TEST RENAME)")
    assert new.pk != old.pk
    assert set(new.actions.values_list("pk", flat=True)) == actions
    old.refresh_from_db()
    assert old.name.startswith("POSITIVE DIVERSION") and not old.actions.exists()
    added = TemplateChoice.objects.get(kind="theme")
    assert (added.decision, added.theme, added.made_by) == ("added", new, user)


@pytest.mark.parametrize("status", [Plan.Status.ACTIVE, Plan.Status.CLOSED])
def test_a_plan_that_is_not_a_draft_is_refused_and_nothing_is_written(status):
    plan = draft_plan(status=status)
    proposal = template_proposal(plan, template_workbook())
    before = written()

    with pytest.raises(TemplateRefused, match="not a Draft"):
        template_apply(
            plan=plan,
            proposal=proposal,
            choices=answer_all(proposal, adopt=("4", "6"), leave=("5",)),
            user=UserFactory(),
        )

    assert written() == before


def test_a_template_with_problems_is_refused_and_nothing_is_written():
    draft = draft_plan()
    rows = [("1", "New VRU action", f"{TEST} one"), ("2", "New VRU action", "")]
    proposal = template_proposal(draft, template_workbook(rows))
    assert proposal.problems
    before = written()

    with pytest.raises(TemplateRefused, match="no action text"):
        template_apply(plan=draft, proposal=proposal, choices=answer_all(proposal), user=None)

    assert written() == before


def test_a_value_the_database_refuses_undoes_everything_written_before_it():
    draft = draft_plan()
    rows = [("1", "New VRU action", f"{TEST} one"), ("2" * 30, "New VRU action", f"{TEST} two")]
    proposal = template_proposal(draft, template_workbook(rows))
    before = written()

    with pytest.raises(TemplateRefused):
        template_apply(plan=draft, proposal=proposal, choices=answer_all(proposal), user=None)

    assert written() == before


def test_unanswered_questions_are_refused():
    draft = draft_plan()
    proposal = template_proposal(draft, template_workbook())
    before = written()

    with pytest.raises(TemplateRefused, match="optional action 5"):
        template_apply(
            plan=draft,
            proposal=proposal,
            choices=TemplateChoices(
                adopted={a.key: True for a in proposal.optional_actions if a.ref != "5"},
                confirmed={a.key: True for a in proposal.matches},
            ),
            user=None,
        )

    assert written() == before


def test_every_question_answered_at_once_as_a_command_would():
    draft, user = draft_plan(), UserFactory()
    old = draft.themes.get(name__startswith="POSITIVE DIVERSION")

    def rename(sheet):
        for row in range(sheet.header_row + 1, sheet.sheet.max_row + 1):
            if str(sheet.get(row, "Ref Theme") or "").startswith("POSITIVE DIVERSION"):
                sheet.set(row, "Ref Theme", "DIVERSION (TEST RENAME)")

    proposal = template_proposal(draft, template_workbook(edit=rename))
    four = next(a for a in proposal.optional_actions if a.ref == "4")
    choices = TemplateChoices.answering(
        proposal, adopt=(four.row,), renamed={"Diversion (test rename)": old}
    )

    taking = template_apply(plan=draft, proposal=proposal, choices=choices, user=user)

    assert (taking.themes_added, taking.themes_renamed, taking.actions_added) == (1, 1, 4)
    assert Theme.objects.get(pk=old.pk).name == "DIVERSION (TEST RENAME)"
    decisions = TemplateChoice.objects.filter(kind="optional").values_list("decision", flat=True)
    assert sorted(decisions) == ["adopted", "left_out", "left_out"]
