"""How wide each column of a pack table is, fitted to what it holds: the same shares for
the Word document (reporting.pack_docx) and the printed page (templates' <col> widths).

A short column (a status, a date, a count) gets room for its longest line or heading word;
the rest of the width is shared among the columns of long text (an action, an update) in
the way that makes the table shortest, of a few shares tried: a row is as tall as its
tallest cell, so a column with little long text can still need room for it.
"""

import itertools
import math

# A column whose longest line is at most this many characters is short.
SHORT = 16
# The fewest characters a column of long text gets, however little it holds.
NARROWEST = 14
MARGINS = 4  # a cell's margins (padding), in characters
# The shares of the room left that the columns of long text are tried with.
SHARES = (1, 2, 3, 4, 6)


def fitted_widths(table, room: float) -> list[float]:
    """Each column's width, in characters, for a table `room` characters wide (the
    widths add up to it)."""
    count = len(table.columns)
    lines = [[[line_length(line) for line in cell] for cell in row] for row in table.rows]
    longest = [max(len(word) for word in column.name.split()) for column in table.columns]
    for row in lines:
        for index, cell in enumerate(row):
            longest[index] = max([longest[index], *cell])
    wanted = [min(length, SHORT) + MARGINS for length in longest]
    long = [index for index in range(count) if longest[index] > SHORT]
    left = room - sum(wanted[i] for i in range(count) if i not in long)
    if long:
        # The short columns' widths are the same in every trial, and each long column takes
        # the same few widths over and over: each row's height in each is worked out once.
        # (Trying every share for every row from scratch took seconds at 300 actions.)
        fixed = [
            max((_cell_height(row[i], wanted[i]) for i in range(count) if i not in long), default=0)
            for row in lines
        ]
        known: dict[tuple[int, float], list[int]] = {}

        def rows_in(index: int, width: float) -> list[int]:
            if (index, width) not in known:
                # _cell_height for each row, written out: a call per cell was half the time.
                room = max(width - MARGINS, 1)
                known[index, width] = [
                    sum(max(1, math.ceil(length / room)) for length in row[index]) for row in lines
                ]
            return known[index, width]

        best = None
        for shares in itertools.product(SHARES, repeat=len(long)):
            widths = list(wanted)
            for index, share in zip(long, shares, strict=True):
                widths[index] = max(left * share / sum(shares), NARROWEST)
            columns = [rows_in(index, widths[index]) for index in long]
            height = sum(map(max, fixed, *columns))
            if best is None or height < best[0]:
                best = (height, widths)
        wanted = best[1]
    return [room * width / sum(wanted) for width in wanted]


def piece_words(piece) -> str:
    """What a piece of a cell says: a RAG status its word, anything else its text."""
    return piece.label if piece.kind == "rag" else piece.text


def line_length(line) -> int:
    return sum(len(piece_words(piece)) for piece in line)


def _cell_height(cell: list[int], width: float) -> int:
    """About how many lines of text a cell of lines this long takes in a column this wide;
    a row is as tall as its tallest cell."""
    return sum(max(1, math.ceil(length / max(width - MARGINS, 1))) for length in cell)
