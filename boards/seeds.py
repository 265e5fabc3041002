"""Reading a partnership fixture (fixtures/<partnership>/partnership.yaml) into the database.

The shape is documented in fixtures/README.md. Loading adds and updates; what the fixtures
have since taken out (a membership, a person's organisation) is removed afterwards by
`make_agree`, from what the loaders noted as they went (`Stated`), so that a database loaded
from an older transcription ends as the fixtures say.
"""

from dataclasses import dataclass, field

from boards import services
from boards.models import Board, Membership, Organisation, Partnership, Person
from cspplan.records import Record


@dataclass
class Stated:
    """What the fixtures loaded say of boards and people, noted as they are loaded: each
    board's members (by board pk, the people's pks; a board listed with no members has an
    empty set), the people listed and those given an organisation by some file."""

    members: dict[int, set[int]] = field(default_factory=dict)
    people: set[int] = field(default_factory=set)
    with_organisation: set[int] = field(default_factory=set)


def make_agree(stated: Stated, *, user=None) -> int:
    """Make the boards and people the fixtures list agree with them, the fixtures being the
    truth for what they load: a membership of a listed board that the fixtures do not list
    is removed, and a listed person no file gives an organisation has none. Each through
    boards.services, with its history row. Boards and people the fixtures do not list are
    not touched. Returns how many records were removed or changed."""
    changed = 0
    for board_pk, listed in stated.members.items():
        stray = Membership.objects.filter(board_id=board_pk).exclude(person_id__in=listed)
        for membership in stray.select_related("board", "person"):
            services.membership_delete(membership=membership, user=user)
            changed += 1
    left_empty = Person.objects.filter(
        pk__in=stated.people - stated.with_organisation, organisation__isnull=False
    )
    for person in left_empty:
        services.person_edit(person=person, user=user, organisation=None)
        changed += 1
    return changed


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


def load_people(
    records: list[Record], partnership: Partnership, stated: Stated | None = None
) -> int:
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
        if stated is not None:
            stated.people.add(person.pk)
            if organisation_name:
                stated.with_organisation.add(person.pk)
    return changed + services.partnership_links_add(partnership=partnership, people=loaded)


def _load_board(
    record: Record, partnership: Partnership, parent, order: int, stated: Stated | None
) -> int:
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
    listed = stated.members.setdefault(board.pk, set()) if stated is not None else set()
    for member in record.records("members"):
        with member.located():
            membership, did_change = services.membership_upsert(
                board=board,
                person=person_named(member.text("person", required=True)),
                role=member.choice("role", Membership.Role, default=Membership.Role.MEMBER),
                interim=member.flag("interim"),
            )
        member.finish()
        changed += did_change
        listed.add(membership.person_id)
    for index, child in enumerate(record.records("children")):
        changed += _load_board(child, partnership, board, index, stated)
    record.finish()
    return changed


def load_partnership_file(document: Record, stated: Stated | None = None) -> int:
    """Load one partnership file; returns how many records were created or changed. What it
    says of boards and people is noted in `stated`, if given (see `make_agree`)."""
    head = document.record("partnership")
    with head.located():
        partnership, changed = services.partnership_upsert(
            slug=head.text("slug", required=True),
            name=head.text("name", required=True),
            short_name=head.text("short_name"),
        )
    head.finish()
    changed += load_organisations(document.records("organisations"), partnership)
    changed += load_people(document.records("people"), partnership, stated)
    for index, board in enumerate(document.records("boards")):
        changed += _load_board(board, partnership, None, index, stated)
    document.finish()
    return changed
