"""Reading a plan fixture (fixtures/<partnership>/<plan>.yaml) into the database.

The shape is documented in fixtures/README.md.
"""

from django.db.models import Q

from actions import services
from actions.models import Action, Indicator, Marking, Plan, ProgressUpdate, Theme
from boards import services as boards_services
from boards.models import Board, Organisation, Partnership, Person
from boards.seeds import (
    Stated,
    load_organisations,
    load_people,
    organisation_named,
    person_named,
)
from cspplan.records import Record, RecordError


def _board(partnership: Partnership, slug: str) -> Board | None:
    if not slug:
        return None
    board = Board.objects.filter(partnership=partnership, slug=slug).first()
    if board is None:
        raise ValueError(f"{partnership} has no board with the slug '{slug}'")
    return board


def _marking(record: Record) -> str:
    """A plan's, theme's, action's or update's protective marking: `marking:
    official-sensitive`, or left out for OFFICIAL."""
    return record.choice("marking", Marking, default=Marking.OFFICIAL)


def _load_action(record: Record, theme: Theme, order: int) -> int:
    with record.located():
        action, changed = services.action_upsert(
            theme=theme,
            ref=record.text("ref"),
            order=order,
            origin=record.choice("origin", Action.Origin, optional=True),
            text=record.text("text", required=True),
            outcomes=record.text("outcomes"),
            resources=record.text("resources"),
            timescale=record.text("timescale"),
            start_date=record.date("start_date"),
            end_date=record.date("end_date"),
            leads=record.text("leads"),
            lead_people=[person_named(name) for name in record.texts("lead_people")],
            lead_organisations_text=record.text("lead_organisations_text"),
            lead_organisations=[organisation_named(n) for n in record.texts("lead_organisations")],
            supporting_organisations_text=record.text("supporting_organisations_text"),
            supporting_organisations=[
                organisation_named(name) for name in record.texts("supporting_organisations")
            ],
            responsible_service=record.text("responsible_service"),
            responsible_team=record.text("responsible_team"),
            progress=record.text("progress"),
            comment=record.text("comment"),
            document_references=record.text("document_references"),
            monitoring_board=_board(theme.plan.partnership, record.text("monitoring_board")),
            marking=_marking(record),
        )
    for update in record.records("updates"):
        author = update.text("author")
        with update.located():
            _, did_change = services.progress_update_upsert(
                action=action,
                date=update.date("date", required=True),
                text=update.text("text", required=True),
                period=update.text("period"),
                author=person_named(author) if author else None,
                marking=_marking(update),
            )
        update.finish()
        changed += did_change
    record.finish()
    return changed


def _load_theme(record: Record, plan: Plan, parent: Theme | None, order: int) -> int:
    with record.located():
        theme, changed = services.theme_upsert(
            plan=plan,
            parent=parent,
            name=record.text("name", required=True),
            ref=record.text("ref"),
            description=record.text("description"),
            progress=record.text("progress"),
            monitoring_board=_board(plan.partnership, record.text("monitoring_board")),
            marking=_marking(record),
            order=order,
        )
    for index, feedback in enumerate(record.records("panel_feedback")):
        with feedback.located():
            _, did_change = services.panel_feedback_upsert(
                theme=theme,
                order=index,
                year=feedback.text("year"),
                date=feedback.date("date"),
                given_by=feedback.text("given_by"),
                people=[person_named(name) for name in feedback.texts("people")],
                text=feedback.text("text", required=True),
            )
        feedback.finish()
        changed += did_change
    for index, child in enumerate(record.records("children")):
        changed += _load_theme(child, plan, theme, index)
    for index, action in enumerate(record.records("actions")):
        changed += _load_action(action, theme, index)
    record.finish()
    return changed


def _load_indicator(record: Record, plan: Plan, order: int) -> int:
    values = []
    for value in record.records("values"):
        values.append(
            {
                "date": value.date("date", required=True),
                "period": value.text("period"),
                "value": value.decimal("value", required=True),
            }
        )
        value.finish()
    with record.located():
        _, changed = services.indicator_upsert(
            plan=plan,
            order=order,
            values=values,
            ref=record.text("ref"),
            category=record.text("category"),
            description=record.text("description", required=True),
            direction=record.choice("direction", Indicator.Direction),
            baseline_label=record.text("baseline_label"),
            baseline=record.decimal("baseline"),
            target_label=record.text("target_label"),
            target=record.decimal("target"),
            target_text=record.text("target_text"),
            link_to_corporate_vision=record.text("link_to_corporate_vision"),
        )
    record.finish()
    return changed


def load_plan_file(document: Record, stated: Stated | None = None) -> int:
    """Load one plan file; returns how many records were created or changed. The people
    it lists are noted in `stated`, if given (boards.seeds.make_agree)."""
    head = document.record("plan")
    partnership_slug = head.text("partnership", required=True)
    partnership = Partnership.objects.filter(slug=partnership_slug).first()
    if partnership is None:
        raise RecordError(f"{head.where}: no partnership has the slug '{partnership_slug}'")
    changed = load_organisations(document.records("organisations"), partnership)
    changed += load_people(document.records("people"), partnership, stated)
    with head.located():
        plan, did_change = services.plan_upsert(
            slug=head.text("slug", required=True),
            partnership=partnership,
            board=_board(partnership, head.text("board")),
            title=head.text("title", required=True),
            layout=head.choice("layout", Plan.Layout),
            period_start=head.date("period_start"),
            period_end=head.date("period_end"),
            status=head.choice("status", Plan.Status, default=Plan.Status.DRAFT),
            summary=head.text("summary"),
            source=head.text("source"),
            marking=_marking(head),
        )
    head.finish()
    changed += did_change
    for index, leader in enumerate(document.records("senior_leadership")):
        with leader.located():
            _, did_change = services.senior_leader_upsert(
                plan=plan,
                order=index,
                name=leader.text("name"),
                organisation=leader.text("organisation"),
                role=leader.text("role"),
            )
        leader.finish()
        changed += did_change
    for index, theme in enumerate(document.records("themes", required=True)):
        changed += _load_theme(theme, plan, None, index)
    for index, indicator in enumerate(document.records("indicators")):
        changed += _load_indicator(indicator, plan, index)
    changed += _link_named(plan)
    document.finish()
    return changed


def _link_named(plan: Plan) -> int:
    """Link the people and organisations the plan's actions name (leads, supporting bodies,
    authors of updates) to its partnership, as those who work on its plans: a later import
    into it names only its partnership's people and organisations."""
    actions = Action.objects.filter(theme__plan=plan)
    people = Person.objects.filter(
        Q(pk__in=Action.lead_people.through.objects.filter(action__in=actions).values("person_id"))
        | Q(pk__in=ProgressUpdate.objects.filter(action__in=actions).values("author_id"))
    )
    lead_bodies = Action.lead_organisations.through.objects.filter(action__in=actions)
    supporting = Action.supporting_organisations.through.objects.filter(action__in=actions)
    organisations = Organisation.objects.filter(
        Q(pk__in=lead_bodies.values("organisation_id"))
        | Q(pk__in=supporting.values("organisation_id"))
    )
    return boards_services.partnership_links_add(
        partnership=plan.partnership, people=people, organisations=organisations
    )
