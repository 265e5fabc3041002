"""Checks on an uploaded workbook before openpyxl is allowed to open it.

An .xlsx file is a zip of XML parts. A hostile or broken one can be huge, expand to far
more than its size (a zip bomb), lie about the sizes of its parts, hold thousands of parts,
or carry macros. Each is refused here with a message saying what to do instead.

The sizes a zip declares for its parts are not trusted: every part is inflated here, in
small chunks, against a budget of bytes for the whole workbook, and must come out exactly
as long as declared and with the declared checksum. Only then does openpyxl open the file,
so whatever it reads (it reads some parts whole) has already been measured. XML inside is
parsed through defusedxml or lxml without entities (openpyxl's choice), so entity tricks
are refused too; a part whose XML is broken fails while the rows are read, and that too
becomes a refusal (workbooks.reading).
"""

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024
# Inflated this many bytes at a time: memory stays flat whatever a part claims or holds.
CHUNK = 64 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and encrypted workbooks
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip part's local header, as zipfile reads it
# A row or cell element of sheet XML, with or without a namespace prefix; the longest match
# is shorter than OVERLAP, so a tag split between two chunks is found in the second.
_ROW_OR_CELL = re.compile(rb"<(?:\w{1,10}:)?(row|c)[\s/>]")
OVERLAP = 16
# Excel's own widest row: a row with more cells than this was not written by a spreadsheet.
MAX_ROW_CELLS = 16384
# The start of any XML element. openpyxl parses the parts other than the sheets whole, an
# object per element, so their elements are counted too: the shared strings (a cell's
# text each, rich text a few more) against the cap on cells, any other part (styles,
# workbook, properties) against MAX_PART_ELEMENTS. Excel allows 64,000 cell formats, so a
# real styles part has a few hundred thousand elements at the very most.
_ELEMENT = re.compile(rb"<[A-Za-z]")
MAX_PART_ELEMENTS = 500_000


@dataclass(frozen=True)
class Limits:
    # A 10,000-action plan exported by us is a few MB; partners' copies grow a little.
    max_file_bytes: int = 25 * MB
    # What the parts inflate to, all together. Sheet XML of varied text inflates about five
    # times (a 20 MB workbook of 300,000 distinct rows: 98 MB), so a workbook under the
    # size limit that inflates to more than this is mostly repetition: a bomb.
    max_expanded_bytes: int = 200 * MB
    max_parts: int = 2000
    # Worksheet XML compresses well (20-50 times is usual); far beyond that is a bomb.
    max_part_ratio: int = 250
    # Rows of actions, and cells (as openpyxl hands them over, blank ones included) read
    # from all sheets together: see IMPORT_MAX_ACTIONS and IMPORT_MAX_CELLS in settings.
    max_actions: int = 20_000
    max_cells: int = 500_000


DEFAULT_LIMITS = Limits()


def current_limits() -> Limits:
    """The limits, with the caps the settings give (which tests lower)."""
    return Limits(
        max_actions=getattr(settings, "IMPORT_MAX_ACTIONS", DEFAULT_LIMITS.max_actions),
        max_cells=getattr(settings, "IMPORT_MAX_CELLS", DEFAULT_LIMITS.max_cells),
        max_expanded_bytes=getattr(
            settings, "IMPORT_MAX_EXPANDED_BYTES", DEFAULT_LIMITS.max_expanded_bytes
        ),
    )


class WorkbookRefused(ValueError):
    """The upload is not a workbook we will open; the message says what to do."""


def damaged(detail: str = "") -> WorkbookRefused:
    """The refusal for a file whose zip or XML is broken, whatever the library raised."""
    found = f" ({detail})" if detail else ""
    return WorkbookRefused(
        f"The workbook is damaged and could not be read{found}. Open it in Excel or "
        "LibreOffice, save it again as an Excel workbook (.xlsx) and upload that."
    )


def _too_big() -> WorkbookRefused:
    return WorkbookRefused(
        "The workbook expands to far more data than a plan holds, so it was not opened "
        "(it may be damaged or a 'zip bomb'). Save the plan again as .xlsx and retry."
    )


def check_workbook(data: bytes, *, limits: Limits | None = None) -> None:
    limits = limits or current_limits()
    if len(data) > limits.max_file_bytes:
        raise WorkbookRefused(
            f"The file is {len(data) / MB:.1f} MB; the largest workbook accepted is "
            f"{limits.max_file_bytes / MB:.0f} MB. Remove unused sheets or images and try again."
        )
    if data.startswith(OLE2_SIGNATURE):
        raise WorkbookRefused(
            "This is an old-style .xls workbook or a password-protected one. Open it in Excel, "
            "remove any password, save it as 'Excel Workbook (*.xlsx)' and upload that."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise WorkbookRefused(
            "This file is not an Excel workbook (.xlsx). Save the plan from Excel or "
            "LibreOffice as an .xlsx workbook and upload that."
        ) from None
    with archive:
        parts = archive.infolist()
        names = {part.filename for part in parts}
        if len(parts) > limits.max_parts:
            raise WorkbookRefused(
                f"The workbook has {len(parts)} parts; at most {limits.max_parts} are accepted."
            )
        if sum(part.file_size for part in parts) > limits.max_expanded_bytes:
            raise _too_big()
        if "xl/workbook.xml" not in names:
            raise WorkbookRefused(
                "This file is a zip archive but not an Excel workbook (.xlsx). Upload the "
                "workbook itself."
            )
        _inflate_every_part(data, parts, limits)
        if any(name.endswith("vbaProject.bin") for name in names) or b"macroEnabled" in (
            archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        ):
            raise WorkbookRefused(
                "This is a macro-enabled workbook (.xlsm). Macros are not accepted: save it as "
                "'Excel Workbook (*.xlsx)' and upload that."
            )


def too_many_cells(limits: Limits) -> WorkbookRefused:
    return WorkbookRefused(
        f"The workbook has more than {limits.max_cells:,} cells; a plan workbook has far "
        "fewer. Delete unused sheets, rows and columns (or send the plan in parts) and "
        "upload it again."
    )


class CellCount:
    """Counts the cells of sheet XML as it is inflated, chunk by chunk, so that a sheet with
    millions of cells, or one row with more cells than Excel has columns, is refused before
    openpyxl builds any of them."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.cells = 0
        self.in_row = 0
        self.tail = b""

    def feed(self, chunk: bytes, *, last: bool = False) -> None:
        text = self.tail + chunk
        # Up to the last "<" of the final OVERLAP bytes, which may begin a tag that goes
        # on in the next chunk: no tag can hold a "<" after its first character, so every
        # tag before it is whole.
        end = -1 if last else text.rfind(b"<", max(len(text) - OVERLAP, 0))
        end = len(text) if end == -1 else end
        # The tags in order as one string ("row", "c", "c", "row", "c" -> b"rowccrowc"),
        # split at each row: the length of each piece is the cells of one row. Counted in
        # C rather than tag by tag in Python, which for a million rows took seconds.
        pieces = b"".join(_ROW_OR_CELL.findall(text, 0, end)).split(b"row")
        self.tail = text[end:]
        self.cells += sum(map(len, pieces))
        if self.cells > self.limits.max_cells:
            raise too_many_cells(self.limits)
        widest = max([self.in_row + len(pieces[0]), *map(len, pieces[1:])])
        self.in_row = len(pieces[-1]) if len(pieces) > 1 else self.in_row + len(pieces[0])
        if widest > MAX_ROW_CELLS:
            raise WorkbookRefused(
                f"A row of the workbook has more than {MAX_ROW_CELLS:,} cells, more than "
                "Excel allows, so it was not opened. Save the plan again from Excel or "
                "LibreOffice as .xlsx and upload that."
            )

    def end_part(self) -> None:
        self.feed(b"", last=True)
        self.tail, self.in_row = b"", 0


class ElementCount:
    """Counts the elements of one XML part as it is inflated (one split between two chunks
    may be missed: a bound, not a tally)."""

    def __init__(self, name: str, most: int, refusal):
        self.name, self.most, self.refusal = name, most, refusal
        self.count = 0

    def feed(self, chunk: bytes) -> None:
        self.count += len(_ELEMENT.findall(chunk))
        if self.count > self.most:
            raise self.refusal


def _counter(part: zipfile.ZipInfo, cells: CellCount, limits: Limits):
    """What counts a part's XML as it is inflated (None: a part that is not XML)."""
    name = part.filename
    if not name.endswith((".xml", ".rels")):
        return None
    if name.startswith("xl/worksheets/"):
        return cells.feed
    if name.endswith("sharedStrings.xml"):
        return ElementCount(name, limits.max_cells, too_many_cells(limits)).feed
    refusal = WorkbookRefused(
        f"Part {name} of the workbook holds far more than a workbook needs, so it was not "
        "opened. Open it in Excel or LibreOffice, save it again as an Excel workbook (.xlsx) "
        "and upload that."
    )
    return ElementCount(name, MAX_PART_ELEMENTS, refusal).feed


def _inflate_every_part(data: bytes, parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Inflate each part in chunks, counting the bytes that really come out: a byte more
    than the part declares (which is within the workbook's budget, and within the ratio
    any real part has) and the file is refused there and then. A part that comes out
    shorter than it says, or with another checksum, is refused as damaged. The cells of
    the sheets, and the elements of the other XML parts, are counted on the way."""
    budget = limits.max_expanded_bytes
    view = memoryview(data)
    cells = CellCount(limits)
    for part in parts:
        if part.flag_bits & 0x1:
            raise WorkbookRefused(
                "Part of the workbook is encrypted. Remove any password in Excel, save it as "
                "'Excel Workbook (*.xlsx)' and upload that."
            )
        raw = view[_data_offset(data, part) :][: part.compress_size]
        if len(raw) != part.compress_size:
            raise damaged("a part is cut short")
        # What it declares must be within the budget and the ratio; and it must not
        # inflate to a byte more than it declares, which is checked as it inflates.
        most = min(budget, max(part.compress_size, 1) * limits.max_part_ratio)
        if part.file_size > most:
            raise _too_big()
        most = part.file_size
        size, crc = _inflated(raw, part, most, _counter(part, cells, limits))
        cells.end_part()
        if size != part.file_size or crc != part.CRC:
            raise damaged(f"the part {part.filename} is not what the file says it is")
        budget -= size


def _data_offset(data: bytes, part: zipfile.ZipInfo) -> int:
    """Where a part's compressed bytes start: after its local header, as zipfile finds it."""
    header = data[part.header_offset : part.header_offset + _LOCAL_HEADER.size]
    if len(header) != _LOCAL_HEADER.size or header[:4] != zipfile.stringFileHeader:
        raise damaged("a part's header is missing")
    *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    return part.header_offset + _LOCAL_HEADER.size + name_length + extra_length


def _inflated(raw: memoryview, part: zipfile.ZipInfo, most: int, look=None) -> tuple[int, int]:
    """(bytes, CRC-32) of the part inflated, never holding more than a chunk of it, each
    chunk shown to `look` if given; refused once more than `most` bytes have come out."""
    if part.compress_type == zipfile.ZIP_STORED:
        if len(raw) > most:
            raise _too_big()
        for start in range(0, len(raw), CHUNK) if look else ():
            look(bytes(raw[start : start + CHUNK]))
        return len(raw), zlib.crc32(raw)
    if part.compress_type != zipfile.ZIP_DEFLATED:
        raise WorkbookRefused(
            "The workbook is compressed in a way Excel does not use. Open it in Excel or "
            "LibreOffice, save it as an Excel workbook (.xlsx) and upload that."
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = crc = 0
    try:
        for start in range(0, len(raw), CHUNK):
            pending = raw[start : start + CHUNK]
            while pending and not inflater.eof:
                out = inflater.decompress(pending, CHUNK)
                size += len(out)
                if size > most:
                    raise _too_big()
                crc = zlib.crc32(out, crc)
                if look:
                    look(out)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        out = inflater.flush()
    except zlib.error as error:
        raise damaged(str(error)) from None
    size += len(out)
    if size > most:
        raise _too_big()
    if look:
        look(out)
    if not inflater.eof:
        raise damaged(f"the part {part.filename} is cut short")
    return size, zlib.crc32(out, crc)
