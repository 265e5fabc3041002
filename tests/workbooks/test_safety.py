import io
import zipfile

import openpyxl
import pytest

from workbooks.safety import Limits, WorkbookRefused, check_workbook


def workbook_bytes(**cells) -> bytes:
    book = openpyxl.Workbook()
    for ref, value in cells.items():
        book.active[ref] = value
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def rezip(data: bytes, extra: dict[str, bytes] = None, replace: dict[str, bytes] = None) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item.filename, (replace or {}).get(item.filename, src.read(item)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def test_an_ordinary_workbook_passes():
    check_workbook(workbook_bytes(A1="Ref Theme", B1="Action No"))


def test_a_file_over_the_size_limit_is_refused_with_the_limit():
    with pytest.raises(WorkbookRefused, match="largest workbook accepted is 1 MB"):
        check_workbook(b"x" * (2 * 1024 * 1024), limits=Limits(max_file_bytes=1024 * 1024))


@pytest.mark.parametrize("data", [b"Ref Theme,Action No\n1,2\n", b"%PDF-1.7 ...", b""])
def test_a_file_that_is_not_a_workbook_is_refused(data):
    with pytest.raises(WorkbookRefused, match="not an Excel workbook"):
        check_workbook(data)


def test_an_old_xls_or_encrypted_workbook_is_refused_with_what_to_do():
    with pytest.raises(WorkbookRefused, match="save it as 'Excel Workbook"):
        check_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(WorkbookRefused, match="not an Excel workbook"):
        check_workbook(out.getvalue())


def test_a_macro_enabled_workbook_is_refused():
    data = rezip(workbook_bytes(), extra={"xl/vbaProject.bin": b"\x00" * 64})
    with pytest.raises(WorkbookRefused, match="macro-enabled"):
        check_workbook(data)


def test_a_workbook_declared_macro_enabled_is_refused():
    data = workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    with pytest.raises(WorkbookRefused, match="macro-enabled"):
        check_workbook(rezip(data, replace={"[Content_Types].xml": types}))


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    # 50 MB of zeros compresses to about 50 KB: a ratio no real worksheet has.
    bomb = rezip(workbook_bytes(), extra={"xl/worksheets/sheet9.xml": b"\x00" * (50 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(WorkbookRefused, match="zip bomb"):
        check_workbook(bomb)


def test_too_many_parts_are_refused():
    data = rezip(workbook_bytes(), extra={f"xl/media/x{i}.txt": b"x" for i in range(30)})
    with pytest.raises(WorkbookRefused, match="at most 20 are accepted"):
        check_workbook(data, limits=Limits(max_parts=20))
