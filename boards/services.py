"""Writes to partnerships, organisations, people, boards and memberships."""

from django.db import transaction

from boards.models import Board, Membership, Organisation, Partnership, Person
from cspplan.saving import save_if_changed


@transaction.atomic
def partnership_upsert(*, slug: str, name: str, short_name: str = "") -> tuple[Partnership, bool]:
    partnership = Partnership.objects.filter(slug=slug).first() or Partnership(slug=slug)
    changed = save_if_changed(partnership, {"name": name, "short_name": short_name})
    return partnership, changed


@transaction.atomic
def organisation_upsert(
    *, name: str, short_name: str = "", kind: str = Organisation.Kind.OTHER, aliases=()
) -> tuple[Organisation, bool]:
    """Create or update the organisation called `name`.

    Aliases only accumulate: a second source naming the same organisation another way adds
    its spelling without losing the first source's.
    """
    organisation = Organisation.objects.filter(name=name).first() or Organisation(name=name)
    merged_aliases = list(organisation.aliases or [])
    merged_aliases += [alias for alias in aliases if alias not in merged_aliases]
    changed = save_if_changed(
        organisation, {"short_name": short_name, "kind": kind, "aliases": merged_aliases}
    )
    return organisation, changed


@transaction.atomic
def person_upsert(
    *, name: str, post_title: str = "", organisation: Organisation | None = None
) -> tuple[Person, bool]:
    """Create the person called `name`, or fill in what was not known of them before.

    What is already recorded is not blanked by a source that knows less (a plan that names
    a lead without a post title), and a source that contradicts it is refused.
    """
    person = Person.objects.filter(name=name).first() or Person(name=name)
    values = {}
    if post_title:
        if person.post_title and person.post_title != post_title:
            raise ValueError(
                f"{name} is already recorded as '{person.post_title}', not '{post_title}'"
            )
        values["post_title"] = post_title
    if organisation is not None:
        if person.organisation_id and person.organisation_id != organisation.pk:
            raise ValueError(
                f"{name} is already recorded at {person.organisation}, not {organisation}"
            )
        values["organisation"] = organisation
    changed = save_if_changed(person, values)
    return person, changed


@transaction.atomic
def board_upsert(
    *,
    partnership: Partnership,
    slug: str,
    name: str,
    kind: str,
    parent: Board | None = None,
    description: str = "",
    order: int = 0,
) -> tuple[Board, bool]:
    board = Board.objects.filter(partnership=partnership, slug=slug).first() or Board(
        partnership=partnership, slug=slug
    )
    changed = save_if_changed(
        board,
        {
            "name": name,
            "kind": kind,
            "parent": parent,
            "description": description,
            "order": order,
        },
    )
    return board, changed


@transaction.atomic
def membership_upsert(*, board: Board, person: Person, role: str) -> tuple[Membership, bool]:
    membership = Membership.objects.filter(board=board, person=person).first() or Membership(
        board=board, person=person
    )
    changed = save_if_changed(membership, {"role": role})
    return membership, changed
