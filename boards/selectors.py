"""Reads about the partnership's structure that pages and permissions share."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from boards.models import Board, Membership, Organisation, Partnership, Person


def with_subgroups(boards: Iterable[int]) -> set[int]:
    """The boards (pks) and every board under them, at any depth, in two queries at most:
    the tree of each partnership concerned is read once and walked in Python."""
    boards = set(boards)
    if not boards:
        return set()
    tree = Board.objects.filter(partnership__boards__in=boards).values_list("pk", "parent_id")
    return with_subgroups_in(children_of(tree.distinct()), boards)


def children_of(pairs: Iterable[tuple[int, int | None]]) -> dict[int | None, list[int]]:
    """Each board's subgroups (pks), from (board, parent) pairs."""
    children = defaultdict(list)
    for pk, parent in pairs:
        children[parent].append(pk)
    return children


def with_subgroups_in(children: dict, boards: Iterable[int]) -> set[int]:
    """The boards and every board under them, walking a tree already read (`children_of`)."""
    found, todo = set(), list(boards)
    while todo:
        board = todo.pop()
        if board not in found:
            found.add(board)
            todo.extend(children.get(board, ()))
    return found


def people_of(partnership: Partnership | int) -> QuerySet[Person]:
    """The people of a partnership (or its key): those who work on its plans (their
    partnerships) and those who sit on its boards. Only they may be named as leads of its
    actions by an import, which must not reach into another partnership."""
    working = Person.partnerships.through.objects.filter(partnership=partnership)
    seated = Membership.objects.filter(board__partnership=partnership)
    return Person.objects.filter(
        Q(pk__in=working.values("person_id")) | Q(pk__in=seated.values("person_id"))
    )


def organisations_of(partnership: Partnership | int) -> QuerySet[Organisation]:
    """The organisations linked to a partnership (a shared body, such as the MPS, to each
    partnership it works with)."""
    return Organisation.objects.filter(partnerships=partnership)
