"""Reads about the partnership's structure that pages and permissions share."""

from collections import defaultdict
from collections.abc import Iterable

from boards.models import Board


def with_subgroups(boards: Iterable[int]) -> set[int]:
    """The boards (pks) and every board under them, at any depth, in two queries at most:
    the tree of each partnership concerned is read once and walked in Python."""
    boards = set(boards)
    if not boards:
        return set()
    children = defaultdict(list)
    tree = Board.objects.filter(partnership__boards__in=boards).values_list("pk", "parent_id")
    for pk, parent in tree.distinct():
        children[parent].append(pk)
    found, todo = set(), list(boards)
    while todo:
        board = todo.pop()
        if board not in found:
            found.add(board)
            todo.extend(children[board])
    return found
