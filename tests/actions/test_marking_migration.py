"""The migration from the `restricted` flag to the protective marking keeps every marked
action marked, in its history too, and can be undone (issue 12, finding 6)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.helpers import migrate_to

BEFORE = [("actions", "0006_link_organisations_to_partnerships")]
AFTER = [("actions", "0007_marking")]
SENSITIVE = "official-sensitive"


@pytest.mark.django_db(transaction=True)
def test_restricted_actions_become_official_sensitive_and_back_again():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = migrate_to(BEFORE)
        Partnership = apps.get_model("boards", "Partnership")
        Plan, Theme = apps.get_model("actions", "Plan"), apps.get_model("actions", "Theme")
        Action = apps.get_model("actions", "Action")
        History = apps.get_model("actions", "HistoricalAction")
        here = Partnership.objects.create(name="Here", slug="here")
        plan = Plan.objects.create(partnership=here, title="Plan", slug="plan", layout="vru")
        theme = Theme.objects.create(plan=plan, name="Theme")
        secret = Action.objects.create(theme=theme, text="Secret", restricted=True)
        plain = Action.objects.create(theme=theme, text="Plain")
        now = timezone.now()
        for action in (secret, plain):
            History.objects.create(
                id=action.pk,
                theme_id=theme.pk,
                text=action.text,
                restricted=action.restricted,
                rag=action.rag,
                origin=action.origin,
                order=0,
                created_at=now,
                updated_at=now,
                history_date=now,
                history_type="+",
            )

        apps = migrate_to(AFTER)
        Action = apps.get_model("actions", "Action")
        History = apps.get_model("actions", "HistoricalAction")
        assert dict(Action.objects.values_list("text", "marking")) == {
            "Secret": SENSITIVE,
            "Plain": "official",
        }
        assert dict(History.objects.values_list("text", "marking")) == {
            "Secret": SENSITIVE,
            "Plain": "official",
        }
        for name in ("Plan", "Theme", "ProgressUpdate"):
            field = apps.get_model("actions", name)._meta.get_field("marking")
            assert field.default == "official"

        apps = migrate_to(BEFORE)
        Action = apps.get_model("actions", "Action")
        History = apps.get_model("actions", "HistoricalAction")
        assert dict(Action.objects.values_list("text", "restricted")) == {
            "Secret": True,
            "Plain": False,
        }
        assert dict(History.objects.values_list("text", "restricted")) == {
            "Secret": True,
            "Plain": False,
        }
    finally:
        migrate_to(latest)
