"""The seed plans and boards, loaded by load_demo, against what the source documents say.

The expected counts were taken from the seeds (`../shared/seeds/`), theme by theme; the seed
line each spot check comes from is given beside it.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Q

from actions.models import Action, Indicator, Plan, ProgressUpdate, Theme
from boards.models import Board, Membership, Organisation, Person
from boards.selectors import organisations_of, people_of

# For each plan: its themes in order, each with its number of actions, and for two-level
# layouts the number of actions in each child theme in order.
EXPECTED_THEMES = {
    # 004: Safeguarding actions 6 and 7 are not in the extracted text at all.
    "bd-vru-2021-22": [
        ("GOVERNANCE", 7, []),
        ("ANALYSIS & ENFORCEMENT", 13, []),
        ("REDUCING ACCESS TO WEAPONS", 3, []),
        ("SAFEGUARDING AND EDUCATING CHILDREN AND YOUNG PEOPLE", 15, []),
        ("WORKING WITH COMMUNITIES AND NEIGHBOURHOODS TO REDUCE VIOLENCE", 9, []),
        ("SUPPORTING VICTIMS OF VIOLENCE AND VULNERABILITY", 10, []),
        ("POSITIVE DIVERSION FROM VIOLENCE", 10, []),
    ],
    "havering-vru-knife-crime": [
        ("Governance", 2, []),
        ("Analysis and Enforcement", 4, []),
        ("Reducing Access to Weapons", 0, []),
        ("Safeguarding and Educating Children and Young People", 9, []),
        ("Working with Communities and Neighborhoods to reduce Violence", 3, []),
        ("Supporting Victims of Violence and Vulnerability", 2, []),
        ("Positive Diversion from Violence", 5, []),
    ],
    "havering-sgv-2019-22": [
        ("Serious Group Violence", 0, [14, 10, 7, 3, 7, 9, 5, 1, 2, 1, 2]),
        # The seed lost the page with the first Knife Crime objective's name (002:558-560):
        # its surviving actions sit on the section itself.
        ("Knife Crime", 9, [12, 8, 6, 7]),
    ],
    "havering-csp-2017-20": [
        ("Violence against women and girls", 0, [1, 1]),
        ("Serious group violence, gangs and exploitation", 0, [1, 1, 1]),
        ("Hate crime and preventing extremism", 0, [1]),
        ("Reoffending", 0, [2]),
        ("Burglary", 0, [2, 1, 1, 1, 1]),
        ("Violence with Injury", 0, [3, 1, 1]),
        ("Cross-cutting", 0, [1]),
    ],
}


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def action(plan, theme, ref, *, section=None):
    themes = Theme.objects.filter(plan__slug=plan, name=theme)
    if section:
        themes = themes.filter(parent__name=section)
    return Action.objects.get(theme__in=themes, ref=ref)


@pytest.mark.parametrize("slug", EXPECTED_THEMES)
def test_every_theme_and_action_of_each_plan_is_loaded(slug):
    plan = Plan.objects.get(slug=slug)
    top = plan.themes.filter(parent=None).order_by("order")
    found = [
        (
            theme.name,
            theme.actions.count(),
            [child.actions.count() for child in theme.children.order_by("order")],
        )
        for theme in top
    ]
    assert found == EXPECTED_THEMES[slug]


def test_every_seed_plan_is_loaded():
    # And one plan more, made by the demo's roll-over rather than from a seed
    # (tests/rollover/test_demo.py).
    seeds = Plan.objects.filter(predecessor=None)
    assert set(seeds.values_list("slug", flat=True)) == set(EXPECTED_THEMES)
    rolled = Plan.objects.exclude(predecessor=None)
    assert list(rolled.values_list("slug", "predecessor__slug")) == [
        ("bd-vru-2022-23", "bd-vru-2021-22")
    ]


def test_the_seeds_give_no_rag_ratings_so_every_action_is_not_rated():
    assert set(Action.objects.values_list("rag", flat=True)) == {"not_rated"}
    assert not ProgressUpdate.objects.exclude(rag="").exists()


def test_loading_again_changes_nothing():
    before = [Action.history.count(), Person.history.count(), Theme.history.count()]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert [Action.history.count(), Person.history.count(), Theme.history.count()] == before
    lines = out.getvalue().splitlines()
    assert lines and all(
        line.endswith((": 0 created or changed", ": 0 removed or emptied")) for line in lines
    )
    assert "as the fixtures say: 0 removed or emptied" in lines


# Barking & Dagenham: the CSP Board and its subgroups (seed 004).


def test_bd_board_membership_and_roles():
    board = Board.objects.get(partnership__slug="barking-dagenham", slug="csp-board")
    roles = {m.person.name: m.role for m in board.memberships.select_related("person")}
    assert roles["Fiona Taylor"] == Membership.Role.DEPUTY_CHAIR  # 004:56
    assert roles["Councillor Mullane"] == Membership.Role.CHAIR  # 004:53
    fiona = Person.objects.get(name="Fiona Taylor")
    assert fiona.post_title == "Director of Law and Governance"
    assert fiona.organisation.short_name == "LBBD"
    steve = Person.objects.get(name="Steve Calder")  # 004:68
    assert steve.post_title == "Head of Service, Barking, Dagenham and Havering"
    assert steve.organisation.name == "Probation Service"
    assert any(m.role == Membership.Role.ADVISER for m in board.memberships.all())


def test_the_interim_chair_is_interim_beside_the_chairs():
    board = Board.objects.get(partnership__slug="barking-dagenham", slug="csp-board")
    chairs = {
        m.person.name: m.interim
        for m in board.memberships.filter(role=Membership.Role.CHAIR).select_related("person")
    }
    # 004:53 and 004:69 "(Chair)"; 004:64 "Paul Trevers (Interim Chair)".
    assert chairs == {"Councillor Mullane": False, "Stephen Clayman": False, "Paul Trevers": True}
    trevers = board.memberships.get(person__name="Paul Trevers")
    assert trevers.role_label == "Interim chair"
    # 004:1573: the HIE and TM subgroup "is chaired on an interim basis by Andy Opie".
    hie = Membership.objects.get(board__slug="hate-crime-extremism-tension-monitoring")
    assert (hie.person.name, hie.role, hie.interim) == ("Andy Opie", "chair", True)


def test_presenting_a_subgroups_update_does_not_make_a_member():
    # The forward plan's presenters (004:1432) are not members; the pack names the members of
    # three subgroups only (report authors 004:1466, 1503; 004:1477; the chairs 004:1573,
    # 1244).
    members = {
        board.slug: sorted(board.memberships.values_list("person__name", flat=True))
        for board in Board.objects.filter(
            partnership__slug="barking-dagenham", parent__slug="csp-board"
        )
    }
    assert members == {
        "contextual-safeguarding-exploitation": [
            "April Bald",
            "Chris Lyons",
            "Jade Hodgson",
            "Jonathan Woodhams",
        ],
        "yos-board": ["Angie Fuller"],
        "ivolt": [],
        "reducing-reoffending": [],
        "hate-crime-extremism-tension-monitoring": ["Andy Opie"],
        "vawg": [],
        "safer-neighbourhood-board": ["Steve Thompson"],
    }
    for name in ("Antony Rose", "Hazel North-Stephens"):  # presenters only, kept as people
        assert not Person.objects.get(name=name).memberships.exists()


def test_people_whose_organisation_the_seed_never_states_have_none():
    # Leads of LBBD-led actions in the VRU plan (004:1254, 1290, 1341-1344): the action's lead
    # organisation is not their employer, and the seed names none.
    for name in ("Daniel James", "Erik Stein", "Sharon White"):
        assert Person.objects.get(name=name).organisation is None


def test_bd_subgroups_sit_under_the_board():
    subgroups = set(
        Board.objects.filter(
            partnership__slug="barking-dagenham", parent__slug="csp-board"
        ).values_list("slug", flat=True)
    )
    assert {
        "contextual-safeguarding-exploitation",
        "yos-board",
        "ivolt",
        "reducing-reoffending",
        "hate-crime-extremism-tension-monitoring",
        "vawg",
        "safer-neighbourhood-board",
    } <= subgroups


# Barking & Dagenham 2021/22 VRU Local Violence and Vulnerability Reduction Action Plan (004).


def bd(theme, ref):
    return Action.objects.get(
        theme__plan__slug="bd-vru-2021-22", theme__name__startswith=theme, ref=ref
    )


def test_bd_mandated_action_drops_the_prefix_and_keeps_its_lead_and_dates():
    found = bd("GOVERNANCE", "2")  # 004:1250-1251
    assert found.origin == Action.Origin.VRU_MANDATED
    assert found.text == (
        "CSP Meeting agendas to include Violence Performance, consideration of repeat knife "
        "carriers, community tensions and stop and search as standing items"
    )
    assert found.leads == "Paul Trevers"
    assert [o.short_name for o in found.lead_organisations.all()] == ["MPS"]
    assert (found.start_date, found.end_date) == (
        datetime.date(2021, 12, 11),
        datetime.date(2022, 12, 10),
    )


def test_bd_leads_as_written_beside_the_people_and_organisations_they_name():
    found = bd("WORKING WITH COMMUNITIES", "3")  # 004:1349
    assert found.leads == "Paul Trevers and Stephen Thompson"
    assert sorted(p.name for p in found.lead_people.all()) == ["Paul Trevers", "Steve Thompson"]
    assert found.lead_organisations_text == "MPS/SNB"
    assert [o.short_name for o in found.lead_organisations.all()] == ["MPS"]
    probation = bd("POSITIVE DIVERSION", "5")  # 004:1374
    assert probation.lead_organisations_text == "Probabtion Service"
    assert [o.name for o in probation.lead_organisations.all()] == ["Probation Service"]
    victims = bd("SUPPORTING VICTIMS", "4")  # 004:1362
    assert [o.name for o in victims.lead_organisations.all()] == ["St Giles Trust"]
    assert {o.short_name for o in victims.supporting_organisations.all()} == {"LBBD", "MPS"}


def test_bd_dated_progress_entries_are_updates_and_the_rest_stays_a_comment():
    found = bd("SUPPORTING VICTIMS", "8")  # 004:1366
    (update,) = found.updates.all()
    assert (update.date, update.period) == (datetime.date(2021, 11, 1), "November 2021")
    assert update.text.startswith("One recent DV case pending where a DVHR may be required.")
    assert found.comment.startswith("DHVRs are completed were appropriate")  # typo kept
    assert "November 2021" not in found.comment
    assert ProgressUpdate.objects.filter(action__theme__plan__slug="bd-vru-2021-22").count() == 5


def test_bd_dates_the_extraction_lost_are_left_empty_not_invented():
    assert bd("SAFEGUARDING", "5").start_date is None
    assert bd("WORKING WITH COMMUNITIES", "9").end_date is None


def test_bd_senior_leadership_list():
    plan = Plan.objects.get(slug="bd-vru-2021-22")
    leaders = list(plan.senior_leaders.all())
    assert len(leaders) == 17
    assert (leaders[1].name, leaders[1].role) == ("Claire Symonds", "Chief Executive (Interim)")


# Havering: three tiers (seed 003).


def test_havering_has_three_tiers_with_four_priority_groups():
    board = Board.objects.get(partnership__slug="havering", slug="csp-board")
    groups = board.children.all()
    assert groups.count() == 4
    assert {group.kind for group in groups} == {Board.Kind.PRIORITY_GROUP}
    third_tier = Board.objects.filter(parent__in=groups)
    assert third_tier.exists()
    assert board.parent is None and all(b.parent.parent == board for b in third_tier)


def test_the_sgv_and_gangs_panels_report_to_the_reducing_reoffending_board():
    # 002:392: "The East Area Gangs Panel and the Serious Group Violence Panel are both
    # operational groups, reporting to the Reducing Reoffending Board."
    havering = Board.objects.filter(partnership__slug="havering")
    for slug in ("sgv-panel", "ea-gangs-panel"):
        assert havering.get(slug=slug).parent.slug == "reducing-reoffending-board"


# Havering Serious Group Violence & Knife Crime action plan (seed 002).


def test_sgv_action_keeps_timescale_as_written_beside_its_dates():
    found = action("havering-sgv-2019-22", "Improve Intelligence and information sharing", "4")
    assert found.timescale == "Started June 2019 – May 2022"  # 002:487
    assert (found.start_date, found.end_date) == (
        datetime.date(2019, 6, 1),
        datetime.date(2022, 5, 31),
    )
    assert found.responsible_service == "Community Safety, CSE and Metropolitan Police"


def test_sgv_lettered_actions_and_responsible_team():
    objective = Theme.objects.get(
        plan__slug="havering-sgv-2019-22", name__startswith="Coordination, administration"
    )
    refs = list(objective.actions.order_by("order").values_list("ref", flat=True))
    assert refs == ["1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d", "3", "4"]
    found = objective.actions.get(ref="2b")  # 002:507
    assert found.responsible_team == "EA BCU Gangs Unit - Emma Bowles and Ed Gooderson"
    assert found.text.startswith("A single point of contact to coordinate the Activity")


def test_sgv_merged_resources_stand_on_the_first_action_they_cover():
    objective = Theme.objects.get(
        plan__slug="havering-sgv-2019-22", name__startswith="Develop services to provide prevent"
    )
    first, second = objective.actions.order_by("order")[:2]
    assert first.resources == "£10k Junior citizens (MOPAC) £45k Mentoring (MOPAC)"  # 002:525
    assert second.resources == ""


def test_sgv_council_services_are_services_not_lead_organisations():
    # "Community Safety" (002:484 onwards), "Youth Offending Service" and "Communications"
    # (002:572) are the responsible services as written, and name no organisation
    # (fixtures/README.md), as in the CSP plan file.
    actions = Action.objects.filter(theme__plan__slug="havering-sgv-2019-22")
    assert not actions.filter(lead_organisations__name="London Borough of Havering").exists()
    only_services = actions.filter(
        responsible_service__in=["Community Safety", "Youth Offending Service"]
    )
    assert only_services.count() > 5
    assert not only_services.filter(lead_organisations__isnull=False).exists()
    first = action(
        "havering-sgv-2019-22", "Improve Intelligence and information sharing", "1"
    )  # 002:484, "Community Safety"
    assert (first.responsible_service, list(first.lead_organisations.all())) == (
        "Community Safety",
        [],
    )


def test_sgv_rows_with_no_stated_origin_have_none():
    # The MOPAC block of the Knife Crime section (002:560-572): MOPAC-led rows, drawn with the
    # Mayor's Knife Crime Strategy (002:392), for which the seed states no origin.
    knife = Theme.objects.get(plan__slug="havering-sgv-2019-22", name="Knife Crime")
    block = knife.actions.all()
    assert block.count() == 9
    assert set(block.values_list("origin", flat=True)) == {""}
    mopac = block.filter(lead_organisations__name="Mayor's Office for Policing and Crime")
    assert sorted(mopac.values_list("ref", flat=True)) == ["11", "12", "6", "9"]
    # Havering's own rows elsewhere in the plan stay local.
    others = Action.objects.filter(theme__plan__slug="havering-sgv-2019-22").exclude(theme=knife)
    assert set(others.values_list("origin", flat=True)) == {Action.Origin.LOCAL}


# Havering Community Safety Partnership Plan 2017/18-2019/20 (seed 003).


def test_csp_plan_action_and_lead_organisation():
    burglary = Theme.objects.get(plan__slug="havering-csp-2017-20", name="Burglary")
    objective = burglary.children.get(name="Protecting vulnerable individuals / victims")
    found = objective.actions.get(ref="1")  # 003:419
    assert found.timescale == "Review March 2018"
    assert found.leads == "Metropolitan Police"
    assert [o.short_name for o in found.lead_organisations.all()] == ["MPS"]
    assert found.start_date is None and found.end_date is None


def test_csp_plan_indicators_with_direction_and_no_invented_numbers():
    indicators = Indicator.objects.filter(plan__slug="havering-csp-2017-20")
    assert indicators.count() == 15
    hate = indicators.get(description__startswith="Encourage more victims of hate crime")
    assert hate.direction == Indicator.Direction.INCREASE  # 003:442
    assert hate.category == "Key Local Outcomes"
    assert hate.link_to_corporate_vision == "Communities"
    # The plan printed no numbers (003:450: "to be inserted once ... outturn is known").
    assert not indicators.exclude(baseline=None).exists()
    assert not indicators.exclude(target=None).exists()
    assert set(indicators.values_list("direction", flat=True)) == {"reduce", "increase"}


# Havering VRU Knife Crime Action Plan (seed 001).


def test_vru_panel_feedback_is_on_the_right_theme():
    weapons = Theme.objects.get(
        plan__slug="havering-vru-knife-crime", name="Reducing Access to Weapons"
    )
    (feedback,) = weapons.panel_feedback.all()
    assert "Good use of BCRPs* to reduce crime in Town Centre" in feedback.text
    assert not weapons.actions.exists()
    governance = Theme.objects.get(plan__slug="havering-vru-knife-crime", name="Governance")
    (feedback,) = governance.panel_feedback.all()
    assert feedback.text.startswith("All criteria covered.")  # 001:46
    # 001:25 "The VRU will review every plan and feed back"; no year, date or member named.
    assert (feedback.given_by, feedback.year, feedback.date) == ("VRU", "", None)
    assert not feedback.people.exists()


def test_every_havering_vru_theme_has_the_panels_feedback():
    # The panel's table (001:45-46) has a column for each of the seven themes.
    themes = Theme.objects.filter(plan__slug="havering-vru-knife-crime")
    assert themes.count() == 7
    assert all(theme.panel_feedback.count() == 1 for theme in themes)


def test_vru_actions_the_document_does_not_label_have_no_stated_origin():
    # 001:92, 98, 104 carry neither "NEW ACTION" nor "OPTIONAL ACTION".
    unlabelled = Action.objects.filter(theme__plan__slug="havering-vru-knife-crime", origin="")
    assert unlabelled.count() == 3
    assert unlabelled.filter(text__startswith="Monthly Tactical Tasking Co-ordination").exists()


def test_vru_new_actions_keep_the_boroughs_update_as_written():
    diversion = Theme.objects.get(
        plan__slug="havering-vru-knife-crime", name="Positive Diversion from Violence"
    )
    assert diversion.actions.filter(origin=Action.Origin.VRU_NEW).count() == 4
    assert diversion.actions.filter(progress__contains="supported by a wide verity of").exists()
    communities = Theme.objects.get(
        plan__slug="havering-vru-knife-crime", name__startswith="Working with Communities"
    )
    first = communities.actions.order_by("order").first()
    assert first.progress.startswith("We have successfully bid into the VRU Capacity Building")


# Who works with which partnership (issue 12, finding 4): an import into a plan names only
# its partnership's people and organisations, so the demo data links them.


@pytest.mark.parametrize("slug", EXPECTED_THEMES)
def test_everyone_a_plan_names_is_of_its_partnership(slug):
    plan = Plan.objects.get(slug=slug)
    actions = Action.objects.filter(theme__plan=plan)
    leads = Person.objects.filter(led_actions__in=actions)
    bodies = Organisation.objects.filter(
        Q(led_actions__in=actions) | Q(supported_actions__in=actions)
    )

    if slug == "bd-vru-2021-22":  # not a test of nothing: this one names both
        assert leads.exists() and bodies.exists()
    assert set(leads) <= set(people_of(plan.partnership))
    assert set(bodies) <= set(organisations_of(plan.partnership))


def test_the_police_work_with_both_partnerships_and_a_borough_council_with_its_own():
    police = Organisation.objects.get(short_name="MPS")
    assert set(police.partnerships.values_list("slug", flat=True)) == {
        "barking-dagenham",
        "havering",
    }
    lbbd = Organisation.objects.get(short_name="LBBD")
    assert list(lbbd.partnerships.values_list("slug", flat=True)) == ["barking-dagenham"]


def test_the_board_members_of_a_partnership_are_its_people():
    members = Person.objects.filter(memberships__board__partnership__slug="havering")
    assert members.exists()
    assert all(person.partnerships.filter(slug="havering").exists() for person in members)
