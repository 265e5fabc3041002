"""Reading a partnership fixture (fixtures/<partnership>/partnership.yaml) into the database.

The shape is documented in fixtures/README.md.
"""

from boards import services
from boards.models import Board, Membership, Organisation, Partnership, Person
from cspplan.records import Record


def organisation_named(name: str) -> Organisation:
    """The organisation a fixture means by a name, short name or alias (any case)."""
    wanted = name.casefold()
    matches = [
        organisation
        for organisation in Organisation.objects.all()
        if wanted
        in {
            spelling.casefold()
            for spelling in [organisation.name, organisation.short_name, *organisation.aliases]
            if spelling
        }
    ]
    if len(matches) != 1:
        problem = "no organisation is" if not matches else "more than one organisation is"
        raise ValueError(f"{problem} called '{name}': define it once under organisations")
    return matches[0]


def person_named(name: str) -> Person:
    people = list(Person.objects.filter(name=name)[:2])
    if len(people) != 1:
        problem = "no person" if not people else "more than one person"
        raise ValueError(f"{problem} is called '{name}': define them once under people")
    return people[0]


def load_organisations(records: list[Record], partnership: Partnership) -> int:
    """The organisations a partnership's or plan's file lists, linked to that partnership
    (an import into its plans names only its own organisations)."""
    changed, loaded = 0, []
    for record in records:
        with record.located():
            organisation, did_change = services.organisation_upsert(
                name=record.text("name", required=True),
                short_name=record.text("short_name"),
                kind=record.choice("kind", Organisation.Kind, optional=True),
                aliases=record.texts("aliases"),
            )
        record.finish()
        changed += did_change
        loaded.append(organisation)
    return changed + services.partnership_links_add(partnership=partnership, organisations=loaded)


def load_people(records: list[Record], partnership: Partnership) -> int:
    """The people a partnership's or plan's file lists, linked to that partnership."""
    changed, loaded = 0, []
    for record in records:
        organisation_name = record.text("organisation")
        with record.located():
            person, did_change = services.person_upsert(
                name=record.text("name", required=True),
                post_title=record.text("post_title"),
                organisation=organisation_named(organisation_name) if organisation_name else None,
            )
        record.finish()
        changed += did_change
        loaded.append(person)
    return changed + services.partnership_links_add(partnership=partnership, people=loaded)


def _load_board(record: Record, partnership: Partnership, parent, order: int) -> int:
    with record.located():
        board, changed = services.board_upsert(
            partnership=partnership,
            slug=record.text("slug", required=True),
            name=record.text("name", required=True),
            kind=record.choice("kind", Board.Kind),
            parent=parent,
            description=record.text("description"),
            order=order,
        )
    for member in record.records("members"):
        with member.located():
            _, did_change = services.membership_upsert(
                board=board,
                person=person_named(member.text("person", required=True)),
                role=member.choice("role", Membership.Role, default=Membership.Role.MEMBER),
                interim=member.flag("interim"),
            )
        member.finish()
        changed += did_change
    for index, child in enumerate(record.records("children")):
        changed += _load_board(child, partnership, board, index)
    record.finish()
    return changed


def load_partnership_file(document: Record) -> int:
    """Load one partnership file; returns how many records were created or changed."""
    head = document.record("partnership")
    with head.located():
        partnership, changed = services.partnership_upsert(
            slug=head.text("slug", required=True),
            name=head.text("name", required=True),
            short_name=head.text("short_name"),
        )
    head.finish()
    changed += load_organisations(document.records("organisations"), partnership)
    changed += load_people(document.records("people"), partnership)
    for index, board in enumerate(document.records("boards")):
        changed += _load_board(board, partnership, None, index)
    document.finish()
    return changed
