"""What survives a workbook being opened and saved again in LibreOffice Calc.

Partners edit our spreadsheets in LibreOffice as well as Excel; these are the assumptions the
spreadsheet import relies on, checked against the real thing rather than against openpyxl.
"""

import datetime
import io
import zipfile

import openpyxl
from openpyxl.styles import Alignment, PatternFill

from tests.libreoffice import resave_in_libreoffice

RED = "FFFF0000"


def test_text_dates_line_breaks_merges_and_fills_survive_a_libreoffice_resave(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet["A1"] = "=SUM(1,2)"
    sheet["A1"].data_type = "s"  # text that looks like a formula, as a partner might type
    sheet["A2"] = datetime.date(2021, 11, 30)
    sheet["A3"] = "First line\nsecond line"
    sheet["A3"].alignment = Alignment(wrap_text=True)
    sheet["B1"] = "Merged heading"
    sheet.merge_cells("B1:D1")
    sheet["A4"] = "Red"
    sheet["A4"].fill = PatternFill(fill_type="solid", fgColor=RED)
    stream = io.BytesIO()
    book.save(stream)

    data = resave_in_libreoffice(stream.getvalue(), tmp_path)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<Application>LibreOffice" in archive.read("docProps/app.xml")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Actions"]

    assert sheet["A1"].value == "=SUM(1,2)"
    assert sheet["A1"].data_type == "s"
    # openpyxl reads every date cell back as a datetime.
    assert isinstance(sheet["A2"].value, datetime.datetime)
    assert sheet["A2"].value == datetime.datetime(2021, 11, 30)
    assert sheet["A3"].value == "First line\nsecond line"
    assert [str(cells) for cells in sheet.merged_cells.ranges] == ["B1:D1"]
    assert sheet["B1"].value == "Merged heading"
    fill = sheet["A4"].fill
    assert fill.fill_type == "solid"
    assert fill.fgColor.type == "rgb"
    assert fill.fgColor.rgb == RED
