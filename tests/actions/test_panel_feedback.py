"""The VRU review panel's feedback per theme (issue 14, item 4): recorded through the
services with its history, written in the admin through them, shown with its year, date and
who gave it on the plan page, the plan's dashboard and the pack (page and .docx), and only
to those who may see its theme."""

import datetime
import io

import docx
import pytest
from django.db import IntegrityError
from django.urls import reverse

from actions import services
from actions.models import Marking, PanelFeedback
from boards.models import Role
from tests.factories import (
    ActionFactory,
    BoardFactory,
    PartnershipFactory,
    PersonFactory,
    PlanFactory,
    ThemeFactory,
    user_in_role,
)
from tests.helpers import get

pytestmark = pytest.mark.django_db

FEEDBACK = "All criteria covered.\nComprehensive set of actions and progress."
SECRET_FEEDBACK = "Feedback on the marked theme"


@pytest.fixture
def plan():
    here = PartnershipFactory(name="Here", slug="here")
    board = BoardFactory(partnership=here, name="CSP board")
    plan = PlanFactory(partnership=here, board=board, title="VRU plan", slug="vru-plan")
    governance = ThemeFactory(plan=plan, name="Governance", order=0)
    ActionFactory(theme=governance, text="Daily violence meeting")
    weapons = ThemeFactory(plan=plan, name="Reducing Access to Weapons", order=1)
    marked = ThemeFactory(
        plan=plan, name="Marked theme", order=2, marking=Marking.OFFICIAL_SENSITIVE
    )
    ActionFactory(theme=marked, text="Something sensitive")
    administrator = user_in_role(Role.ADMINISTRATOR, partnerships=[plan.partnership])
    panel_member = PersonFactory(name="Pat Panel")
    services.panel_feedback_create(
        user=administrator,
        theme=governance,
        text=FEEDBACK,
        year="2020/21",
        date=datetime.date(2021, 3, 1),
        given_by="VRU, MPS and London Councils review panel",
        people=[panel_member],
    )
    # As the seed has it: who gave it, and no year or date.
    services.panel_feedback_create(
        user=administrator, theme=weapons, text="Good use of BCRPs", given_by="VRU"
    )
    services.panel_feedback_create(user=administrator, theme=marked, text=SECRET_FEEDBACK)
    plan.administrator = administrator
    plan.officer = user_in_role(Role.OFFICER, partnerships=[here])
    plan.chair = user_in_role(Role.CHAIR, boards=[board])
    return plan


def test_feedback_is_recorded_with_its_history_in_the_users_name(plan):
    feedback = PanelFeedback.objects.get(year="2020/21")
    created = feedback.history.get()
    assert (created.history_type, created.history_user) == ("+", plan.administrator)
    services.panel_feedback_edit(
        panel_feedback=feedback, user=plan.chair, text="Corrected", year="2021/22"
    )
    changed, first = feedback.history.all()
    assert (changed.history_user, changed.text, changed.year) == (
        plan.chair,
        "Corrected",
        "2021/22",
    )
    assert first.text == FEEDBACK
    assert [row.person.name for row in changed.people.all()] == ["Pat Panel"]
    pk = feedback.pk
    services.panel_feedback_delete(panel_feedback=feedback, user=plan.chair)
    assert not PanelFeedback.objects.filter(pk=pk).exists()
    deleted = PanelFeedback.history.filter(id=pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", plan.chair)


def test_feedback_must_say_something(plan):
    with pytest.raises(IntegrityError):
        PanelFeedback.objects.create(theme=plan.themes.first(), text="")


def test_the_seed_loader_records_feedback_once(plan):
    theme = plan.themes.get(name="Governance")
    values = {"text": "Once", "given_by": "VRU", "year": "", "date": None}
    _, created = services.panel_feedback_upsert(theme=theme, order=5, **values)
    _, again = services.panel_feedback_upsert(theme=theme, order=5, **values)
    assert (created, again) == (True, False)
    assert theme.panel_feedback.filter(text="Once").count() == 1


def _shown(html: str) -> None:
    assert "Review panel feedback" in html
    assert "All criteria covered." in html and "Comprehensive set of actions" in html
    assert "2020/21" in html
    assert "1 March 2021" in html
    assert "VRU, MPS and London Councils review panel (Pat Panel)" in html
    # Year and date the seed does not give: said so, not guessed.
    assert "Good use of BCRPs" in html and "Not stated" in html


@pytest.mark.parametrize(
    "name", ["actions:plan-detail", "reporting:plan-dashboard", "reporting:plan-pack"]
)
def test_shown_with_its_year_date_and_who(client, plan, name):
    html = get(client, plan.officer, reverse(name, args=[plan.slug])).content.decode()
    _shown(html)


def test_the_pack_document_holds_it(client, plan):
    response = get(client, plan.officer, reverse("reporting:plan-pack-docx", args=[plan.slug]))
    document = docx.Document(io.BytesIO(response.content))
    text = " ".join(p.text for p in document.paragraphs)
    text += " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Review panel feedback" in text
    assert "All criteria covered." in text
    assert "VRU, MPS and London Councils review panel (Pat Panel)" in text
    assert "2020/21" in text and "1 March 2021" in text
    assert SECRET_FEEDBACK not in text


@pytest.mark.parametrize(
    "name",
    [
        "actions:plan-detail",
        "reporting:plan-dashboard",
        "reporting:plan-pack",
        "reporting:plan-pack-docx",
    ],
)
def test_feedback_on_a_theme_the_user_may_not_see_is_not_shown(client, plan, name):
    url = reverse(name, args=[plan.slug])
    assert SECRET_FEEDBACK.encode() not in get(client, plan.officer, url).content
    if not name.endswith("docx"):
        html = get(client, plan.chair, url).content.decode()
        assert SECRET_FEEDBACK in html and "OFFICIAL-SENSITIVE" in html


def test_a_board_pack_holds_the_feedback_of_its_plans(client, plan):
    html = get(
        client, plan.chair, reverse("reporting:board-pack", args=[plan.board.pk])
    ).content.decode()
    assert "All criteria covered." in html and SECRET_FEEDBACK in html


def test_no_feedback_no_section(client, plan):
    PanelFeedback.objects.all().delete()
    for name in ("actions:plan-detail", "reporting:plan-dashboard", "reporting:plan-pack"):
        html = get(client, plan.officer, reverse(name, args=[plan.slug])).content.decode()
        assert "Review panel feedback" not in html


def test_added_in_the_admin_through_the_service(admin_client, plan):
    theme = plan.themes.get(name="Governance")
    person = PersonFactory(name="Sam Reviewer")
    response = admin_client.post(
        reverse("admin:actions_panelfeedback_add"),
        {
            "theme": theme.pk,
            "year": "2021/22",
            "date": "",
            "given_by": "VRU",
            "people": [person.pk],
            "text": "Typed in the admin",
            "order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    feedback = PanelFeedback.objects.get(text="Typed in the admin")
    assert (feedback.year, feedback.date, list(feedback.people.all())) == (
        "2021/22",
        None,
        [person],
    )
    # One history row, holding the people too: the service's, not the admin's own save.
    (created,) = feedback.history.all()
    assert created.history_user.is_superuser
    assert [row.person.name for row in created.people.all()] == ["Sam Reviewer"]
