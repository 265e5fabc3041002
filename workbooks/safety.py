"""Checks on an uploaded workbook before openpyxl is allowed to open it.

An .xlsx file is a zip of XML parts. A hostile or broken one can be huge, expand to far
more than its size (a zip bomb), hold thousands of parts, or carry macros. Each is refused
here with a message saying what to do instead. Python's zipfile stops decompressing a part
at the size the archive declares for it, so checking the declared sizes bounds what
openpyxl can be made to read. XML inside is parsed through defusedxml (installed with the
project, which openpyxl then uses), so entity tricks are refused too.
"""

import io
import zipfile
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # A 10,000-action plan exported by us is a few MB; partners' copies grow a little.
    max_file_bytes: int = 25 * MB
    max_expanded_bytes: int = 400 * MB
    max_parts: int = 2000
    # Worksheet XML compresses well (20-50 times is usual); far beyond that is a bomb.
    max_part_ratio: int = 250


DEFAULT_LIMITS = Limits()
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and encrypted workbooks


class WorkbookRefused(ValueError):
    """The upload is not a workbook we will open; the message says what to do."""


def check_workbook(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> None:
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
    except zipfile.BadZipFile:
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
        expanded = sum(part.file_size for part in parts)
        if expanded > limits.max_expanded_bytes or any(
            part.compress_size and part.file_size / part.compress_size > limits.max_part_ratio
            for part in parts
        ):
            raise WorkbookRefused(
                "The workbook expands to far more data than a plan holds, so it was not opened "
                "(it may be damaged or a 'zip bomb'). Save the plan again as .xlsx and retry."
            )
        if "xl/workbook.xml" not in names:
            raise WorkbookRefused(
                "This file is a zip archive but not an Excel workbook (.xlsx). Upload the "
                "workbook itself."
            )
        if any(name.endswith("vbaProject.bin") for name in names) or b"macroEnabled" in (
            archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        ):
            raise WorkbookRefused(
                "This is a macro-enabled workbook (.xlsm). Macros are not accepted: save it as "
                "'Excel Workbook (*.xlsx)' and upload that."
            )
