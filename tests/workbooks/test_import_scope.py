"""An import names people and organisations of the plan's own partnership only (issue 12,
finding 4). A row naming someone of another partnership must not make them a lead (which
would let them see the action and its plan), and the preview's note about a name that
matches no one must read the same whether the name exists elsewhere or nowhere, so that
the preview reveals nothing about other partnerships. Shared bodies (the MPS) are linked
to each partnership that works with them, and match in each.

The same for every way in: the plan's import pages (preview, confirm), the admin's import
and the import_plan command."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actions.models import Plan
from actions.permissions import visible_plans
from tests.factories import OrganisationFactory, PersonFactory
from tests.workbooks.workbooks import edit_row, export
from workbooks.formats import WORKBOOK_FORMATS

pytestmark = pytest.mark.django_db

ROW = "Exploitation screening"  # world.m1, in world.other_plan (partnership "here")
NOWHERE_PERSON, NOWHERE_ORGANISATION = "Nora Nobody", "Nowhere Agency"


@pytest.fixture
def far(world):
    """A body and a person of the other partnership only; and a namesake there of Pat, who
    is of this partnership."""
    far_body = OrganisationFactory(name="Far borough council", short_name="FBC")
    far_body.partnerships.set([world.elsewhere])
    namesake = PersonFactory(name="Pat Example", organisation=far_body)
    namesake.partnerships.set([world.elsewhere])
    return far_body


def workbook(world, **cells) -> bytes:
    return edit_row(export(world.other_plan), ROW, cells)


def anonymised(text: str, *names: str) -> str:
    for name in names:
        text = text.replace(name, "NAME")
    return text


# The web import: preview and confirm -----------------------------------------------------


def web_upload(client, world, data: bytes):
    return client.post(
        reverse("workbooks:plan-import", args=[world.other_plan.slug]),
        {"file": SimpleUploadedFile("plan.xlsx", data), "layout": "vru"},
    )


def web_preview(client, world, data: bytes) -> str:
    response = web_upload(client, world, data)
    assert response.status_code == 200
    page = response.content.decode()
    # The page's own tokens differ each time; the rest must not.
    return re.sub(r'name="(token|csrfmiddlewaretoken)" value="[^"]*"', "", page)


def test_the_web_import_does_not_make_a_person_of_another_partnership_a_lead(client, world):
    client.force_login(world.analyst)
    fay = world.far_officer.person

    response = web_upload(client, world, workbook(world, **{"Named CSP Lead": fay.name}))
    token = re.search(rb'name="token" value="([^"]+)"', response.content).group(1).decode()
    confirmed = client.post(
        reverse("workbooks:plan-import-confirm", args=[world.other_plan.slug]), {"token": token}
    )

    assert confirmed.status_code == 302
    world.m1.refresh_from_db()
    assert world.m1.leads == fay.name  # the words are kept as written
    assert list(world.m1.lead_people.all()) == []
    assert not visible_plans(world.far_officer).filter(pk=world.other_plan.pk).exists()


def test_the_web_preview_reads_the_same_for_a_name_elsewhere_as_for_one_nowhere(client, world, far):
    client.force_login(world.analyst)
    fay = world.far_officer.person

    elsewhere = web_preview(
        client, world, workbook(world, **{"Named CSP Lead": fay.name, "Lead organisation": "FBC"})
    )
    nowhere = web_preview(
        client,
        world,
        workbook(
            world, **{"Named CSP Lead": NOWHERE_PERSON, "Lead organisation": NOWHERE_ORGANISATION}
        ),
    )

    assert "matched no known person" in elsewhere
    assert "matched no known organisation" in elsewhere
    assert anonymised(elsewhere, fay.name, "FBC") == anonymised(
        nowhere, NOWHERE_PERSON, NOWHERE_ORGANISATION
    )


def test_people_and_bodies_of_the_plans_partnership_are_matched(client, world, far):
    """Pat (of this partnership, with a namesake in the other), the chair of one of its
    boards, and the police, a body it shares with the other partnership."""
    client.force_login(world.analyst)
    chair = world.chair.person
    data = workbook(
        world, **{"Named CSP Lead": f"Pat Example and {chair.name}", "Lead organisation": "TPS"}
    )

    response = web_upload(client, world, data)
    token = re.search(rb'name="token" value="([^"]+)"', response.content).group(1).decode()
    client.post(
        reverse("workbooks:plan-import-confirm", args=[world.other_plan.slug]), {"token": token}
    )

    assert set(world.m1.lead_people.all()) == {world.pat, chair}
    assert list(world.m1.lead_organisations.all()) == [world.police]


def test_a_body_of_another_partnership_only_is_not_made_a_lead(client, world, far):
    client.force_login(world.analyst)

    response = web_upload(client, world, workbook(world, **{"Lead organisation": "FBC"}))
    token = re.search(rb'name="token" value="([^"]+)"', response.content).group(1).decode()
    client.post(
        reverse("workbooks:plan-import-confirm", args=[world.other_plan.slug]), {"token": token}
    )

    assert list(world.m1.lead_organisations.all()) == []


# The admin's import ------------------------------------------------------------------------


def admin_import(client, world, data: bytes):
    layouts = [fmt.layout for fmt in WORKBOOK_FORMATS]
    preview = client.post(
        reverse("admin:actions_action_import"),
        {
            "plan": world.other_plan.pk,
            "format": layouts.index("vru"),
            "import_file": SimpleUploadedFile("plan.xlsx", data),
        },
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    form = re.search(r'<form action="[^"]*process_import/" method="POST">(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))
    client.post(reverse("admin:actions_action_process_import"), fields)
    return html


def test_the_admin_import_does_not_make_a_person_or_body_of_another_partnership_a_lead(
    client, world, far
):
    client.force_login(world.superuser)
    fay = world.far_officer.person

    admin_import(
        client, world, workbook(world, **{"Named CSP Lead": fay.name, "Lead organisation": "FBC"})
    )

    world.m1.refresh_from_db()
    assert world.m1.leads == fay.name
    assert list(world.m1.lead_people.all()) == []
    assert list(world.m1.lead_organisations.all()) == []


# The import_plan command -------------------------------------------------------------------


def import_plan(tmp_path, data: bytes, *args) -> str:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_plan", str(path), "--layout", "vru", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_import_plan_does_not_make_a_person_of_another_partnership_a_lead(tmp_path, world, far):
    fay = world.far_officer.person
    data = workbook(world, **{"Named CSP Lead": fay.name, "Lead organisation": "FBC"})
    nowhere = workbook(
        world, **{"Named CSP Lead": NOWHERE_PERSON, "Lead organisation": NOWHERE_ORGANISATION}
    )

    dry = import_plan(tmp_path, nowhere, "--plan", "other-plan", "--dry-run")
    out = import_plan(tmp_path, data, "--plan", "other-plan")

    assert anonymised(out, fay.name, "FBC").replace("Dry run: nothing was written.\n", "") == (
        anonymised(dry, NOWHERE_PERSON, NOWHERE_ORGANISATION).replace(
            "Dry run: nothing was written.\n", ""
        )
    )
    world.m1.refresh_from_db()
    assert world.m1.leads == fay.name
    assert list(world.m1.lead_people.all()) == []
    assert list(world.m1.lead_organisations.all()) == []


def test_import_plan_matches_a_new_plans_names_in_its_own_partnership(tmp_path, world, far):
    fay = world.far_officer.person
    data = workbook(world, **{"Named CSP Lead": f"{fay.name} and Pat Example"})

    import_plan(tmp_path, data, "--plan", "new-plan", "--create", "--board", "here/csp-board")

    new = Plan.objects.get(slug="new-plan")
    action = new.themes.get(name="Exploitation").actions.get(text=ROW)
    assert list(action.lead_people.all()) == [world.pat]
