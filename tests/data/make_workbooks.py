"""Build the spreadsheet test workbooks in tests/data/ from the fixture plans.

Run from the project root:

    .venv/bin/python tests/data/make_workbooks.py

Every file is rebuilt from the fixture YAML, byte for byte the same on every run (zip entry
times and the workbook's created/modified stamps are fixed), so a change to a fixture or to
this script shows up as a diff. The wording in the sheets is the fixtures' wording; the only
values that are not from a fixture are the ones each test is about (RAG words and colours,
which the source plans never give, and the single broken cell of each bad file). README.md
beside this script says, file by file, what an importer should find.

The workbooks are made the way people make them by hand in Excel: merged theme cells, a
header block above the table, a key below it, line breaks typed with Alt+Enter, dates
typed as text, RAG given by fill colour alone, and so on.
"""

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "fixtures"
VRU_FIXTURE = FIXTURES / "barking-dagenham" / "bd-vru-2021-22.yaml"
SGV_FIXTURE = FIXTURES / "havering" / "havering-sgv-2019-22.yaml"
CSP_FIXTURE = FIXTURES / "havering" / "havering-csp-2017-20.yaml"

# Fixed stamps make the output reproducible: 1980-01-01 is the earliest time a zip can hold.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_STAMP = b"1980-01-01T00:00:00Z"
MIB = 1024 * 1024
BOMB_MIB = 500  # the zip bomb's one part: 500 MiB of zeros, about 0.5 MB once deflated

BOLD = Font(bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="FFD9D9D9")  # grey: shows no RAG
DAY_FORMAT = "d mmmm yyyy"  # Excel shows 11 December 2021, as the plan prints it

# ---------------------------------------------------------------------------------------------
# Reading the fixtures


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def find_theme(themes: list[dict], name: str) -> dict:
    """The theme of that name, at any depth."""
    for theme in themes:
        if theme["name"] == name:
            return theme
        for child in theme.get("children", []):
            if child["name"] == name:
                return child
    raise KeyError(f"no theme {name!r} in the fixture")


def pick(theme: dict, *refs: str) -> list[dict]:
    """The theme's actions with these refs, in the order given."""
    by_ref = {action.get("ref"): action for action in theme["actions"]}
    missing = [ref for ref in refs if ref not in by_ref]
    if missing:
        raise KeyError(f"no actions {missing} in theme {theme['name']!r}")
    return [by_ref[ref] for ref in refs]


def words(value) -> str | None:
    """A fixture text as a cell holds it: YAML's closing line break dropped, blank as None."""
    if value is None:
        return None
    return str(value).rstrip("\n") or None


# ---------------------------------------------------------------------------------------------
# Saving


def normalised(data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """The saved workbook with fixed stamps, plus any extra parts, as a new zip."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + CORE_STAMP, content
                )
            target.writestr(zipfile.ZipInfo(item.filename, ZIP_TIME), content, zipfile.ZIP_DEFLATED)
        for name, content in (extra or {}).items():
            target.writestr(zipfile.ZipInfo(name, ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def workbook_bytes(book: openpyxl.Workbook) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return normalised(stream.getvalue())


def save(book: openpyxl.Workbook, name: str) -> None:
    (HERE / name).write_bytes(workbook_bytes(book))


def set_widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


# ---------------------------------------------------------------------------------------------
# VRU layout

VRU_COLUMNS = [
    "Ref Theme",
    "Action No",
    "Actions",
    "Outcomes",
    "Named CSP Lead",
    "Lead organisation",
    "Start date",
    "End date",
    "Supporting organisation(s)",
    "Progress",
    "Comment",
    "Document Reference(s)",
    "Risk RAG status",
]
VRU_WIDTHS = {"Ref Theme": 24, "Actions": 60, "Outcomes": 36, "Comment": 48}
MANDATED_PREFIX = "VRU Mandated Action - "
LEADERS = 5  # the first five rows of the plan's senior leadership box
KEY_ROWS = ["VRU mandated action", "Local action"]
# The plan's own key (seed line 1382, quoted in the fixture): the words of its colour swatches.
KEY_ROWS_AS_PRINTED = ["Mandated Actions", "LBBD Actions"]


def theme_cell(theme: dict) -> str:
    """Column A of a VRU theme: its name, then its description after a blank line."""
    description = words(theme.get("description"))
    return f"{theme['name']}\n\n{description}" if description else theme["name"]


def vru_row(action: dict) -> dict:
    """One action as the cells of a VRU row, keyed by column header."""
    text = words(action["text"])
    if action.get("origin") == "vru_mandated":
        text = MANDATED_PREFIX + text
    return {
        "Action No": int(action["ref"]),
        "Actions": text,
        "Outcomes": words(action.get("outcomes")),
        "Named CSP Lead": action.get("leads"),
        "Lead organisation": action.get("lead_organisations_text"),
        "Start date": action.get("start_date"),
        "End date": action.get("end_date"),
        "Supporting organisation(s)": action.get("supporting_organisations_text"),
        "Progress": words(action.get("progress")),
        "Comment": words(action.get("comment")),
        "Document Reference(s)": words(action.get("document_references")),
        # Per-cell touches (fills, number formats), keyed by column header.
        "_style": {},
    }


def vru_block(plan: dict, theme_name: str, *refs: str) -> tuple[dict, list[dict]]:
    theme = find_theme(plan["themes"], theme_name)
    return theme, [vru_row(action) for action in pick(theme, *refs)]


def write_vru_header_block(sheet, plan: dict, width: int) -> int:
    """Title, "2021/22 ACTION PLAN" and the senior leadership box; returns the next free row."""
    sheet.cell(1, 1, plan["plan"]["title"]).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(2, 1, "2021/22 ACTION PLAN").font = BOLD
    sheet.cell(3, 1, "SENIOR LEADERSHIP").font = BOLD
    for column, heading in enumerate(["Name", "Organisation", "Role"], start=1):
        sheet.cell(4, column, heading).font = BOLD
    row = 5
    for leader in plan["senior_leadership"][:LEADERS]:
        for column, field in enumerate(["name", "organisation", "role"], start=1):
            sheet.cell(row, column, leader.get(field))
        row += 1
    return row


def write_vru_header_row(sheet, row: int, columns: list[str], headings: dict[str, str]) -> None:
    for column, name in enumerate(columns, start=1):
        cell = sheet.cell(row, column, headings.get(name, name))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP_TOP


def write_vru(
    plan: dict,
    blocks: list[tuple[dict, list[dict]]],
    *,
    columns: list[str] = VRU_COLUMNS,
    headings: dict[str, str] | None = None,
    merge_themes: bool = True,
    repeat_header: bool = False,
    header: bool = True,
    key_rows: list[str] = KEY_ROWS,
) -> openpyxl.Workbook:
    """A VRU workbook: header block, a blank row, the action table, a blank row, the key.

    `repeat_header` writes the header row again before each theme, with a blank row
    between themes; `merge_themes` False writes the theme only in its first row.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action Plan"
    theme_column = columns.index("Ref Theme") + 1
    row = write_vru_header_block(sheet, plan, len(columns)) + 1  # one blank row
    for number, (theme, rows) in enumerate(blocks):
        if repeat_header and number:
            row += 1  # a blank row between themes
        if header and (repeat_header or not number):
            write_vru_header_row(sheet, row, columns, headings or {})
            row += 1
        first = row
        for values in rows:
            for column, name in enumerate(columns, start=1):
                value = values.get(name)
                cell = sheet.cell(row, column, value)
                cell.alignment = WRAP_TOP
                if isinstance(value, datetime.date):
                    cell.number_format = DAY_FORMAT
                touch = values["_style"].get(name)
                if touch:
                    touch(cell)
            row += 1
        sheet.cell(first, theme_column, theme_cell(theme))
        if merge_themes and row - 1 > first:
            sheet.merge_cells(
                start_row=first, start_column=theme_column, end_row=row - 1, end_column=theme_column
            )
    row += 1  # a blank row before the key
    sheet.cell(row, 1, "Key").font = BOLD
    for offset, label in enumerate(key_rows, start=1):
        sheet.cell(row + offset, 1, label)
    set_widths(sheet, [VRU_WIDTHS.get(name, 16) for name in columns])
    return book


def fill(colour: str):
    def touch(cell):
        cell.fill = PatternFill("solid", fgColor=colour)

    return touch


def excel_style(name: str):
    """Home > Cell Styles in Excel ("Bad", "Good"): a fill and a font colour together."""

    def touch(cell):
        cell.style = name

    return touch


def as_text(cell) -> None:
    """A cell formatted as Text before typing, so Excel keeps "11/12/2021" as words."""
    cell.number_format = "@"


def quote_prefixed(cell) -> None:
    """A value typed with a leading apostrophe ('11/12/2021): Excel keeps it as text."""
    cell.quotePrefix = True


def number_shown_as(number_format: str):
    def touch(cell):
        cell.number_format = number_format

    return touch


# ---------------------------------------------------------------------------------------------
# Good VRU files


def vru_as_sent(plan: dict) -> openpyxl.Workbook:
    blocks = [
        vru_block(plan, "GOVERNANCE", "1", "2", "3", "4", "5"),
        vru_block(plan, "REDUCING ACCESS TO WEAPONS", "1", "2", "3"),
        vru_block(plan, "SUPPORTING VICTIMS OF VIOLENCE AND VULNERABILITY", "1", "2"),
    ]
    governance, weapons, victims = (rows for _, rows in blocks)
    # RAG as people type it. The source plan gives no RAG: these are the test's values.
    governance[0]["Risk RAG status"] = "Red"
    governance[2]["Risk RAG status"] = " amber "
    governance[4]["Risk RAG status"] = "G"
    weapons[1]["Risk RAG status"] = "b"
    victims[0]["Risk RAG status"] = "Complete"
    return write_vru(plan, blocks, key_rows=KEY_ROWS_AS_PRINTED)


def vru_colour_only_rag(plan: dict) -> openpyxl.Workbook:
    blocks = [
        vru_block(plan, "SUPPORTING VICTIMS OF VIOLENCE AND VULNERABILITY", "5", "6", "7"),
        vru_block(plan, "POSITIVE DIVERSION FROM VIOLENCE", "1", "2", "3", "4", "5"),
    ]
    rows = [row for _, theme_rows in blocks for row in theme_rows]
    touches = [
        fill("FFFF0000"),  # bright red
        excel_style("Bad"),  # pale red FFC7CE, dark red text
        fill("FFFFC000"),  # amber
        fill("FF00B050"),  # green
        excel_style("Good"),  # pale green C6EFCE, dark green text
        fill("FF00B0F0"),  # blue
    ]
    for row, touch in zip(rows[: len(touches)], touches, strict=True):
        row["_style"]["Risk RAG status"] = touch
    return write_vru(plan, blocks)


def vru_text_dates(plan: dict) -> openpyxl.Workbook:
    theme, rows = vru_block(
        plan, "WORKING WITH COMMUNITIES AND NEIGHBOURHOODS TO REDUCE VIOLENCE", *"123456789"
    )
    # (start, end) as typed. Actions 1-4 have both fixture dates, 5-7 only the end date,
    # 8-9 none; the words stand for those dates, or for their absence.
    typed = [
        ("11 December 2021", "10 December 2022"),
        ("11/12/2021", "10/12/2022"),
        ("11 December 2021", "December 2022"),  # the end written as a month only
        ("11/12/2021", "10 December 2022"),
        ("TBC", "10/12/2022"),
        ("TBC", "10 December 2022"),
        (None, "10/12/2022"),
        ("Ongoing", "Ongoing"),
        ("TBC", "TBC"),
    ]
    for values, (start, end) in zip(rows, typed, strict=True):
        values["Start date"], values["End date"] = start, end
        for column, value in (("Start date", start), ("End date", end)):
            if value and "/" in value:
                values["_style"][column] = quote_prefixed
            elif value:
                values["_style"][column] = as_text
    return write_vru(plan, [(theme, rows)])


def vru_repeated_headers(plan: dict) -> openpyxl.Workbook:
    blocks = [
        vru_block(plan, "ANALYSIS & ENFORCEMENT", "8", "9", "10"),
        vru_block(plan, "SAFEGUARDING AND EDUCATING CHILDREN AND YOUNG PEOPLE", "10", "11", "12"),
        vru_block(plan, "POSITIVE DIVERSION FROM VIOLENCE", "6", "7", "8"),
    ]
    return write_vru(plan, blocks, merge_themes=False, repeat_header=True)


REORDERED_COLUMNS = [
    "Action No",
    "Ref Theme",
    "Actions",
    "Named CSP Lead",
    "Lead organisation",
    "Supporting organisation(s)",
    "Start date",
    "End date",
    "Risk RAG status",
    "Outcomes",
    "Notes",
    "Comment",
    "Progress",
    "Document Reference(s)",
    "Owner email",
]
# Header cells typed with Alt+Enter line breaks.
REORDERED_HEADINGS = {
    "Named CSP Lead": "Named CSP\nLead",
    "Lead organisation": "Lead\norganisation",
    "Supporting organisation(s)": "Supporting\norganisation(s)",
    "Risk RAG status": "Risk RAG\nstatus",
    "Document Reference(s)": "Document\nReference(s)",
}


def vru_reordered_extra_columns(plan: dict) -> openpyxl.Workbook:
    victims = vru_block(plan, "SUPPORTING VICTIMS OF VIOLENCE AND VULNERABILITY", *"1234")
    governance = vru_block(plan, "GOVERNANCE", "5", "6", "7")
    analysis = vru_block(plan, "ANALYSIS & ENFORCEMENT", "11", "13")
    # Action numbers as a number, a number shown with a decimal, and text.
    numbers = victims[1]
    numbers[0]["Action No"] = 1
    numbers[1]["Action No"] = 2.0
    numbers[1]["_style"]["Action No"] = number_shown_as("0.0")
    numbers[2]["Action No"] = "3"
    numbers[3]["Action No"] = "4)"
    numbers[1]["Risk RAG status"] = "Green"  # a test value: the source gives no RAG
    # The "Notes" column is not in the layout. Its one entry is the dated update the plan
    # prints inside the Comment cell of Analysis & Enforcement action 13.
    action_13 = pick(find_theme(plan["themes"], "ANALYSIS & ENFORCEMENT"), "13")[0]
    update = action_13["updates"][0]
    analysis[1][1]["Notes"] = f"{update['period']}: {words(update['text'])}"
    return write_vru(
        plan,
        [victims, governance, analysis],
        columns=REORDERED_COLUMNS,
        headings=REORDERED_HEADINGS,
    )


# ---------------------------------------------------------------------------------------------
# Bad VRU files: each is the same small valid plan with one thing wrong.


def vru_bad_base(plan: dict) -> list[tuple[dict, list[dict]]]:
    return [
        vru_block(plan, "GOVERNANCE", "1", "2", "3", "4"),
        vru_block(plan, "REDUCING ACCESS TO WEAPONS", "1", "2", "3"),
    ]


def bad_unknown_rag(plan: dict) -> openpyxl.Workbook:
    blocks = vru_bad_base(plan)
    blocks[0][1][2]["Risk RAG status"] = "Purple"  # Governance action 3
    return write_vru(plan, blocks)


def bad_end_before_start(plan: dict) -> openpyxl.Workbook:
    blocks = vru_bad_base(plan)
    row = blocks[1][1][1]  # Reducing Access to Weapons action 2: the dates typed the wrong way
    row["Start date"], row["End date"] = row["End date"], row["Start date"]
    return write_vru(plan, blocks)


def bad_no_action_text(plan: dict) -> openpyxl.Workbook:
    blocks = vru_bad_base(plan)
    blocks[0][1][3]["Actions"] = None  # Governance action 4: number, lead and dates, no text
    return write_vru(plan, blocks)


def bad_duplicate_number(plan: dict) -> openpyxl.Workbook:
    blocks = vru_bad_base(plan)
    blocks[0][1][3]["Action No"] = 3  # Governance action 4 numbered 3 as well
    return write_vru(plan, blocks)


def bad_no_header(plan: dict) -> openpyxl.Workbook:
    return write_vru(plan, vru_bad_base(plan), header=False)


def bad_not_a_workbook(plan: dict) -> bytes:
    """The first two actions saved as comma-separated text, then renamed .xlsx."""
    theme, rows = vru_bad_base(plan)[0]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(VRU_COLUMNS)
    for number, values in enumerate(rows[:2]):
        cells = [values.get(name) for name in VRU_COLUMNS]
        cells[0] = theme["name"] if number == 0 else None
        writer.writerow(["" if cell is None else cell for cell in cells])
    return out.getvalue().encode("utf-8")


def bad_macro_enabled(plan: dict) -> bytes:
    """A valid workbook that declares itself macro-enabled and carries a vbaProject.bin.

    The part is an empty OLE2 header (the signature and zeros): it holds no macro code.
    """
    data = workbook_bytes(write_vru(plan, vru_bad_base(plan)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {item.filename: archive.read(item) for item in archive.infolist()}
    types = parts["[Content_Types].xml"]
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    types = types.replace(
        b"<Default ",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject" /><Default ',
        1,
    )
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVBA" Target="vbaProject.bin" Type="http://schemas.microsoft.com'
        b'/office/2006/relationships/vbaProject" /></Relationships>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            content = {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}.get(
                name, content
            )
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), content, zipfile.ZIP_DEFLATED)
        vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
        archive.writestr(zipfile.ZipInfo("xl/vbaProject.bin", ZIP_TIME), vba, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_zip_bomb(plan: dict, path: Path) -> None:
    """A valid workbook plus one unreferenced part of BOMB_MIB MiB of zeros.

    The zeros are streamed into the archive a MiB at a time, so they are never all in memory.
    """
    data = workbook_bytes(write_vru(plan, vru_bad_base(plan)))
    zeros = bytes(MIB)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for item in source.infolist():
            archive.writestr(
                zipfile.ZipInfo(item.filename, ZIP_TIME), source.read(item), zipfile.ZIP_DEFLATED
            )
        part = zipfile.ZipInfo("xl/worksheets/sheet2.xml", ZIP_TIME)
        part.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(part, "w") as stream:
            for _ in range(BOMB_MIB):
                stream.write(zeros)


# ---------------------------------------------------------------------------------------------
# SGV layout

SGV_COLUMNS = [
    "Strategy Objective",
    "Project/Action",
    "Outcomes",
    "Resources",
    "Timescale",
    "Responsible Service",
    "Responsible Team",
]


def sgv_as_sent(plan: dict) -> openpyxl.Workbook:
    """Two sections; in each, the Strategy Objective, Outcomes and Resources cells merged
    down over the objective's actions (the fixture gives those texts once, on the first)."""
    sections = [
        (
            "Serious Group Violence",
            [
                ("Improve Intelligence and information sharing", ["1", "2", "3"]),
                (
                    "Coordination, administration and delivery of the various panels linked to "
                    "the Serious Group Violence action group",
                    ["1a", "1b", "1c", "1d"],
                ),
            ],
        ),
        (
            "Knife Crime",
            [
                (
                    "Police pursue response to knife crime. – Operations and activity to disrupt, "
                    "enforce against and prosecute offenders: This comprises of the strands of "
                    "Gather Intelligence, Investigate, Enforce and Prosecute",
                    ["1", "2", "3", "4"],
                ),
            ],
        ),
    ]
    # Printed with no space after the number (fixture: seed 576, "4)EWMS").
    tight = {("Police pursue response to knife crime.", "4")}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    row = 1
    for number, (section, objectives) in enumerate(sections):
        if number:
            row += 1  # a blank row between sections
        sheet.cell(row, 1, section).font = Font(bold=True, size=12)
        row += 1
        for column, heading in enumerate(SGV_COLUMNS, start=1):
            cell = sheet.cell(row, column, heading)
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP_TOP
        row += 1
        for objective_name, refs in objectives:
            objective = find_theme(plan["themes"], objective_name)
            actions = pick(objective, *refs)
            first = row
            for action in actions:
                space = "" if (objective_name.split(" –")[0], action["ref"]) in tight else " "
                cells = [
                    objective_name if row == first else None,
                    f"{action['ref']}){space}{words(action['text'])}",
                    words(action.get("outcomes")) if row == first else None,
                    words(action.get("resources")) if row == first else None,
                    action.get("timescale"),
                    action.get("responsible_service"),
                    action.get("responsible_team"),
                ]
                for column, value in enumerate(cells, start=1):
                    sheet.cell(row, column, value).alignment = WRAP_TOP
                row += 1
            for column in (1, 3, 4):  # objective, outcomes, resources
                sheet.merge_cells(
                    start_row=first, start_column=column, end_row=row - 1, end_column=column
                )
    set_widths(sheet, [30, 60, 40, 36, 18, 24, 24])
    return book


# ---------------------------------------------------------------------------------------------
# CSP layout

CSP_COLUMNS = [
    "Focus Area",
    "Strategy Objective",
    "Project/Action",
    "Outcomes",
    "Resources",
    "Timescale",
    "Lead",
]
MEASURE_COLUMNS = ["Ref", "Description", "Outturn", "Target", "Link to Corporate Vision"]

CSP_OBJECTIVES = {
    "all four": (
        "Protecting vulnerable individuals / victims; supporting the most prolific and/or high "
        "harm offenders; creating safer locations; community engagement and public confidence"
    ),
    "victims": "Protecting vulnerable individuals / victims",
    "burglary safer locations": (
        "Protecting vulnerable individuals / victims; creating safer locations; community "
        "engagement and public confidence"
    ),
    "burglary community": (
        "Protecting vulnerable individuals / victims; community engagement and public confidence"
    ),
    "victims safer locations": (
        "Protecting vulnerable individuals / victims; creating safer locations"
    ),
    "offenders": "Supporting the most prolific and/or high harm offenders",
    "offenders safer locations": (
        "Supporting the most prolific and/or high harm offenders, creating safer locations"
    ),
}


def csp_as_sent(plan: dict) -> openpyxl.Workbook:
    """Focus Area and Strategy Objective cells merged down; the measures on a second sheet."""
    # (focus area, [(objective, action ref)]) in the order of the plan's table. In Violence
    # with Injury the first objective's words come again after two other objectives (the
    # plan's rows 003:424-425 and 003:431); the fixture puts all three actions in one theme.
    focus_areas = [
        ("Violence against women and girls", [("all four", "1"), ("victims", "1")]),
        (
            "Burglary",
            [
                ("burglary safer locations", "1"),
                ("burglary safer locations", "2"),
                ("burglary community", "1"),
            ],
        ),
        (
            "Violence with Injury",
            [
                ("victims safer locations", "1"),
                ("victims safer locations", "2"),
                ("offenders", "1"),
                ("offenders safer locations", "1"),
                ("victims safer locations", "3"),
            ],
        ),
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    for column, heading in enumerate(CSP_COLUMNS, start=1):
        cell = sheet.cell(1, column, heading)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP_TOP
    row = 2
    for area_name, entries in focus_areas:
        area = next(theme for theme in plan["themes"] if theme["name"] == area_name)
        area_first = row
        objective_first = row
        for index, (key, ref) in enumerate(entries):
            objective_name = CSP_OBJECTIVES[key]
            objective = next(c for c in area["children"] if c["name"] == objective_name)
            action = pick(objective, ref)[0]
            starts = index == 0 or entries[index - 1][0] != key
            if starts:
                objective_first = row
            cells = [
                area_name if row == area_first else None,
                objective_name if starts else None,
                words(action["text"]),
                words(action.get("outcomes")),
                words(action.get("resources")),
                action.get("timescale"),
                action.get("leads"),
            ]
            for column, value in enumerate(cells, start=1):
                sheet.cell(row, column, value).alignment = WRAP_TOP
            ends = index == len(entries) - 1 or entries[index + 1][0] != key
            if ends and row > objective_first:
                sheet.merge_cells(
                    start_row=objective_first, start_column=2, end_row=row, end_column=2
                )
            row += 1
        sheet.merge_cells(start_row=area_first, start_column=1, end_row=row - 1, end_column=1)
    set_widths(sheet, [18, 30, 60, 40, 36, 16, 30])

    measures = book.create_sheet("Performance measures")
    for column, heading in enumerate(MEASURE_COLUMNS, start=1):
        cell = measures.cell(1, column, heading)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP_TOP
    chosen = {"Key Local Outcomes": 4, "Local": 2, "Regional": 2}  # the first of each category
    row = 2
    for category, count in chosen.items():
        cell = measures.cell(row, 1, category)
        cell.font = BOLD
        measures.merge_cells(
            start_row=row, start_column=1, end_row=row, end_column=len(MEASURE_COLUMNS)
        )
        row += 1
        indicators = [i for i in plan["indicators"] if i["category"] == category][:count]
        for indicator in indicators:
            cells = [
                indicator.get("ref"),
                indicator["description"],
                indicator.get("baseline"),
                indicator.get("target_text"),
                indicator.get("link_to_corporate_vision"),
            ]
            for column, value in enumerate(cells, start=1):
                measures.cell(row, column, value).alignment = WRAP_TOP
            row += 1
    set_widths(measures, [8, 70, 14, 14, 24])
    return book


# ---------------------------------------------------------------------------------------------


def main() -> None:
    vru = load(VRU_FIXTURE)
    sgv = load(SGV_FIXTURE)
    csp = load(CSP_FIXTURE)
    builders = {
        "vru_as_sent.xlsx": lambda: vru_as_sent(vru),
        "vru_colour_only_rag.xlsx": lambda: vru_colour_only_rag(vru),
        "vru_text_dates.xlsx": lambda: vru_text_dates(vru),
        "vru_repeated_headers.xlsx": lambda: vru_repeated_headers(vru),
        "vru_reordered_extra_columns.xlsx": lambda: vru_reordered_extra_columns(vru),
        "sgv_as_sent.xlsx": lambda: sgv_as_sent(sgv),
        "csp_as_sent.xlsx": lambda: csp_as_sent(csp),
        "bad_unknown_rag.xlsx": lambda: bad_unknown_rag(vru),
        "bad_end_before_start.xlsx": lambda: bad_end_before_start(vru),
        "bad_no_action_text.xlsx": lambda: bad_no_action_text(vru),
        "bad_duplicate_number.xlsx": lambda: bad_duplicate_number(vru),
        "bad_no_header.xlsx": lambda: bad_no_header(vru),
    }
    for name, build in builders.items():
        save(build(), name)
    (HERE / "bad_not_a_workbook.xlsx").write_bytes(bad_not_a_workbook(vru))
    (HERE / "bad_macro_enabled.xlsm").write_bytes(bad_macro_enabled(vru))
    write_zip_bomb(vru, HERE / "bad_zip_bomb.xlsx")
    for path in sorted(HERE.glob("*.xls[xm]")):
        print(f"{path.stat().st_size:>9,}  {path.name}")


if __name__ == "__main__":
    main()
