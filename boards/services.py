"""Writes to partnerships, organisations, people, boards and memberships."""

from django.db import transaction

from boards.models import Board, Membership, Organisation, Partnership, Person
from cspplan import history
from cspplan.saving import create_from, edit_from, record_create, record_edit, save_if_changed

ACCOUNT_UNSET = object()  # person_create/person_edit: the person's account is not changed


@transaction.atomic
def partnership_upsert(*, slug: str, name: str, short_name: str = "") -> tuple[Partnership, bool]:
    partnership = Partnership.objects.filter(slug=slug).first() or Partnership(slug=slug)
    changed = save_if_changed(partnership, {"name": name, "short_name": short_name})
    return partnership, changed


@transaction.atomic
def organisation_upsert(
    *, name: str, short_name: str = "", kind: str = "", aliases=()
) -> tuple[Organisation, bool]:
    """Create the organisation called `name`, or fill in what was not known of it before.

    Several sources name the same organisation (the MPS sits on every London CSP): one that
    knows less does not blank what another recorded, one that contradicts it is refused, and
    each adds its own spellings to the aliases.
    """
    organisation = Organisation.objects.filter(name=name).first() or Organisation(name=name)
    values = {
        "aliases": [*organisation.aliases, *(a for a in aliases if a not in organisation.aliases)]
    }
    if short_name:
        _refuse_contradiction(name, "short name", organisation.short_name, short_name)
        values["short_name"] = short_name
    if kind:
        known = organisation.kind if organisation.pk else ""
        _refuse_contradiction(name, "kind", known, kind)
        values["kind"] = kind
    changed = save_if_changed(organisation, values)
    return organisation, changed


@transaction.atomic
def partnership_links_add(*, partnership: Partnership, people=(), organisations=()) -> int:
    """Link `people` and `organisations` to `partnership` (those not linked yet); returns
    how many links were added. A person or organisation may work with several partnerships,
    so nothing is unlinked. Each one linked gets a history row with its partnerships, in the
    name of whoever is making the change (cspplan.history.history_user)."""
    added = 0
    for records, linked in (
        (people, partnership.people),
        (organisations, partnership.organisations),
    ):
        wanted = {record.pk: record for record in records}
        have = set(linked.filter(pk__in=list(wanted)).values_list("pk", flat=True))
        missing = [record for pk, record in wanted.items() if pk not in have]
        for record in missing:
            # From the record's side, through the saving that writes its history: adding
            # from the partnership's side writes none.
            listed = [*record.partnerships.all(), partnership]
            save_if_changed(record, {}, {"partnerships": listed})
        added += len(missing)
    return added


def _refuse_contradiction(name: str, what: str, recorded, given):
    if recorded and recorded != given:
        raise ValueError(f"{name} already has the {what} '{recorded}', not '{given}'")


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
        _refuse_contradiction(name, "post title", person.post_title, post_title)
        values["post_title"] = post_title
    if organisation is not None:
        _refuse_contradiction(name, "organisation", person.organisation, organisation)
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
def membership_upsert(
    *, board: Board, person: Person, role: str, interim: bool = False
) -> tuple[Membership, bool]:
    membership = Membership.objects.filter(board=board, person=person).first() or Membership(
        board=board, person=person
    )
    changed = save_if_changed(membership, {"role": role, "interim": interim})
    return membership, changed


# ---- changes made in the admin -------------------------------------------------------------
# Any field of a record, in the name of the user making the change, with one history row
# for each record changed (actions.services has the same for plans and actions).


@transaction.atomic
def partnership_create(*, user, **values) -> Partnership:
    return record_create(Partnership, user=user, **values)


@transaction.atomic
def partnership_edit(*, partnership: Partnership, user, **values) -> Partnership:
    return record_edit(partnership, user=user, **values)


@transaction.atomic
def partnership_delete(*, partnership: Partnership, user) -> None:
    history.delete(partnership, user=user)


@transaction.atomic
def organisation_create(*, user, **values) -> Organisation:
    return record_create(Organisation, user=user, **values)


@transaction.atomic
def organisation_edit(*, organisation: Organisation, user, **values) -> Organisation:
    return record_edit(organisation, user=user, **values)


@transaction.atomic
def organisation_delete(*, organisation: Organisation, user) -> None:
    history.delete(organisation, user=user)


# `user` is who makes the change, as for every record; the person's own user account (their
# sign-in, Person.user) is given as `account`.


@transaction.atomic
def person_create(*, user, account=ACCOUNT_UNSET, **values) -> Person:
    """A new person; their partnerships by name among `values`."""
    return create_from(Person, _with_account(values, account), user=user)


@transaction.atomic
def person_edit(*, person: Person, user, account=ACCOUNT_UNSET, **values) -> Person:
    return edit_from(person, _with_account(values, account), user=user)


def _with_account(values: dict, account) -> dict:
    return values if account is ACCOUNT_UNSET else {**values, "user": account}


@transaction.atomic
def person_delete(*, person: Person, user) -> None:
    history.delete(person, user=user)


@transaction.atomic
def board_create(*, user, **values) -> Board:
    return record_create(Board, user=user, **values)


@transaction.atomic
def board_edit(*, board: Board, user, **values) -> Board:
    return record_edit(board, user=user, **values)


@transaction.atomic
def board_delete(*, board: Board, user) -> None:
    history.delete(board, user=user)


@transaction.atomic
def membership_create(*, user, **values) -> Membership:
    return record_create(Membership, user=user, **values)


@transaction.atomic
def membership_edit(*, membership: Membership, user, **values) -> Membership:
    return record_edit(membership, user=user, **values)


@transaction.atomic
def membership_delete(*, membership: Membership, user) -> None:
    history.delete(membership, user=user)
