"""The demo's roll-over (load_demo, rollover.seeds): the Barking & Dagenham 2021/22 VRU plan
rolled into a 2022/23 Draft by the feature itself, once however often load_demo runs."""

import datetime
import io

import pytest
from django.core.management import call_command

from actions.models import Action, Plan
from actions.rag import RAG
from rollover.models import Rollover

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_the_2021_22_plan_is_rolled_into_a_2022_23_draft():
    old = Plan.objects.get(slug="bd-vru-2021-22")
    rollover = Rollover.objects.get()

    new = rollover.new_plan
    assert rollover.old_plan == old
    assert (new.slug, new.status, new.predecessor) == ("bd-vru-2022-23", Plan.Status.DRAFT, old)
    assert new.title.endswith("Action Plan 2022/23")
    # The plan's own cycle, from 11 December to 10 December, a year on.
    assert (new.period_start, new.period_end) == (
        datetime.date(2022, 12, 11),
        datetime.date(2023, 12, 10),
    )
    assert old.status == Plan.Status.ACTIVE
    assert rollover.state == Rollover.State.DRAFT
    # Every action not Complete carried once, with its link (the seed rates none Complete).
    unfinished = Action.objects.filter(theme__plan=old).exclude(rag=RAG.COMPLETE)
    carried = Action.objects.filter(theme__plan=new)
    assert sorted(carried.values_list("carried_from", flat=True)) == sorted(
        unfinished.values_list("pk", flat=True)
    )
    assert list(new.themes.values_list("name", flat=True)) == list(
        old.themes.values_list("name", flat=True)
    )


def test_loading_the_demo_again_makes_no_second_rollover():
    out = io.StringIO()
    call_command("load_demo", stdout=out)

    assert Rollover.objects.count() == 1
    assert Plan.objects.filter(predecessor__slug="bd-vru-2021-22").count() == 1
    assert "demo roll-over of bd-vru-2021-22 into bd-vru-2022-23: 0 created or changed" in (
        out.getvalue()
    )
