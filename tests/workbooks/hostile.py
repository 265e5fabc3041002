"""Hostile and broken workbooks, made small on disk: for the tests (small versions, with the
caps lowered through settings) and for benchmarks/hostile_uploads.py (full size).

The sheet XML is written by hand, a row at a time, straight into the zip, so that a
million-row workbook takes seconds to make and never sits whole in memory.
"""

import io
import struct
import zipfile

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024
VRU_HEADER = ["Ref Theme", "Action No", "Actions", "Risk RAG status"]
_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    # As Excel writes it: openpyxl reads no further than this when it opens the file.
    b'<dimension ref="A1"/><sheetData>'
)
_CLOSE = b"</sheetData></worksheet>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def row_xml(number: int, values, *, refs: bool = True) -> bytes:
    """A row of inline strings; without `refs`, the cells carry no reference (optional in
    the format: each is in the next column), which makes a long sheet far smaller."""
    cells = "".join(
        f"<c{f' r={chr(34)}{get_column_letter(index)}{number}{chr(34)}' if refs else ''}"
        f' t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>'
        for index, value in enumerate(values, start=1)
        if value is not None
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def sheet_chunks(rows, *, tail: bytes = _CLOSE, refs: bool = True):
    """The sheet's XML in pieces: the header row, then `rows` (lists of values)."""
    yield _OPEN
    yield row_xml(1, VRU_HEADER)
    for number, values in enumerate(rows, start=2):
        yield row_xml(number, values, refs=refs)
    yield tail


def _empty_workbook() -> bytes:
    stream = io.BytesIO()
    Workbook().save(stream)
    return stream.getvalue()


def workbook_with_sheet(chunks, *, level: int = 6) -> bytes:
    """An .xlsx whose first sheet is the XML `chunks`, everything else as openpyxl writes."""
    base = _empty_workbook()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst,
    ):
        for item in src.infolist():
            if item.filename == SHEET:
                with dst.open(SHEET, "w") as part:  # deflated at `level`, as `dst` says
                    for chunk in chunks:
                        part.write(chunk)
            else:
                dst.writestr(item, src.read(item))
    return out.getvalue()


def action_rows(count: int, *, rag: str = "Green", themes: int = 7):
    """`count` action rows across `themes` themes, each its own action."""
    for index in range(count):
        yield [f"Theme {index % themes + 1}", str(index + 1), f"Action number {index + 1}", rag]


def repeated_part(size: int) -> bytes:
    """Valid sheet XML of about `size` bytes that compresses about a thousand times."""
    row = row_xml(2, ["Theme", "1", "x" * 200, "Green"])
    return _OPEN + row * (size // len(row)) + _CLOSE


def rezip(data: bytes, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item.filename, replace.get(item.filename, src.read(item)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def declared(data: bytes, name: str, *, size: int | None = None, crc: int | None = None) -> bytes:
    """The zip with the size and/or CRC-32 it declares for part `name` changed, in both the
    part's local header and the central directory (where zipfile reads them)."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(name)
        start = archive.start_dir
    if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
        raise ValueError("zip64 sizes are not patched here")
    local = info.header_offset
    if crc is not None:
        struct.pack_into("<L", data, local + 14, crc)
    if size is not None and data[local + 22 : local + 26] != b"\xff\xff\xff\xff":
        struct.pack_into("<L", data, local + 22, size)
    offset = start
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_length].decode() == name:
            if crc is not None:
                struct.pack_into("<L", data, offset + 16, crc)
            if size is not None:
                struct.pack_into("<L", data, offset + 24, size)
        offset += 46 + name_length + extra_length + comment_length
    return bytes(data)


def lying_bomb(real_size: int) -> bytes:
    """A workbook whose sheet inflates to about `real_size` bytes while declaring twice its
    compressed size (with the CRC of what it really holds): a row, then spaces (which XML
    allows between elements) that deflate about a thousand times. Made a megabyte at a
    time."""
    block = b" " * MB

    def chunks():
        yield _OPEN
        yield row_xml(2, ["Theme", "1", "Action", "Green"])
        for _ in range(max(real_size // MB, 1)):
            yield block
        yield _CLOSE

    data = workbook_with_sheet(chunks(), level=9)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        compressed = archive.getinfo(SHEET).compress_size
    return declared(data, SHEET, size=2 * compressed)


def with_bad_crc(data: bytes, name: str = SHEET) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        crc = archive.getinfo(name).CRC
    return declared(data, name, crc=crc ^ 0xFFFF)


def with_broken_deflate(data: bytes, name: str = SHEET) -> bytes:
    """The part's compressed bytes scrambled in the middle: zlib cannot inflate them."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    name_length, extra_length = struct.unpack_from("<2H", data, local + 26)
    begin = local + 30 + name_length + extra_length
    for index in range(begin + 2, begin + min(info.compress_size, 40)):
        data[index] = 0xFF
    return bytes(data)
