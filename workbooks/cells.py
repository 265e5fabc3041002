"""Reading the values people really put in plan spreadsheets.

Each parser takes a cell's value as openpyxl gives it (text, number, date or None) and
returns what it means, or raises ValueError with a message that tells the person what to
write instead.
"""

import colorsys
import datetime
import re

from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils.datetime import from_excel

from actions.rag import RAG

BLANK_DATE_WORDS = {"", "tbc", "tba", "ongoing", "n/a", "na", "none", "-", "various"}


def header_key(value) -> str:
    """Headers match ignoring case, spacing and line breaks ("Named CSP\\nLead")."""
    return re.sub(r"\s+", "", str(value or "")).casefold()


def cell_text(value) -> str:
    """A cell as text: whole numbers without ".0", Windows line breaks made plain, ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def action_ref(value) -> str:
    """An action number as written: 1, 1.0, "1", "1a)", " 7b. " are "1", "1", "1", "1a", "7b".
    Only a plain number loses its trailing bracket or point: "(i)" stays "(i)"."""
    text = cell_text(value)
    tidied = text.rstrip(").").strip()
    return tidied if re.fullmatch(r"\d+[A-Za-z]{0,2}", tidied) else text


_RAG_WORDS = {
    "red": RAG.RED,
    "r": RAG.RED,
    "amber": RAG.AMBER,
    "a": RAG.AMBER,
    "green": RAG.GREEN,
    "g": RAG.GREEN,
    "complete": RAG.COMPLETE,
    "completed": RAG.COMPLETE,
    "blue": RAG.COMPLETE,
    "b": RAG.COMPLETE,
    "c": RAG.COMPLETE,
    "notrated": RAG.NOT_RATED,
    "": RAG.NOT_RATED,
}


def parse_rag(value) -> RAG:
    """Red/Amber/Green/Complete or R/A/G/B, any case, stray spaces; blank is Not rated."""
    word = re.sub(r"[\s\-_]+", "", cell_text(value)).casefold()
    if word not in _RAG_WORDS:
        raise ValueError(
            f"'{cell_text(value)}' is not a RAG status: write Red, Amber, Green or Complete "
            "(or R, A, G, B), or leave it blank for Not rated"
        )
    return _RAG_WORDS[word]


def rag_from_fill(fill) -> RAG | None:
    """The status a cell's fill colour shows, for sheets that give RAG by colour alone.

    Judged by hue, so Excel's many reds, ambers, greens and blues (bright or pale) all count;
    white, grey, black and theme colours (which need the workbook's theme) show nothing.
    """
    colour = getattr(getattr(fill, "fgColor", None), "rgb", None)
    if getattr(fill, "fill_type", None) != "solid":
        return None
    if not isinstance(colour, str):
        index = getattr(fill.fgColor, "indexed", None)
        if not isinstance(index, int) or index >= len(COLOR_INDEX):
            return None
        colour = COLOR_INDEX[index]
    rgb = colour[-6:]  # openpyxl gives ARGB ("FFFF0000"); the alpha is not used by Excel
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, brightness = colorsys.rgb_to_hsv(red, green, blue)
    # Pale fills count (Excel's "good" green is only 17% saturated); greys and near-whites do not.
    if saturation < 0.15 or brightness < 0.3:
        return None
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return RAG.RED
    if degrees < 65:
        return RAG.AMBER
    if degrees < 170:
        return RAG.GREEN
    if 180 <= degrees < 260:
        return RAG.COMPLETE
    return None


_DAY_FORMATS = ["%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
_MONTH_FORMATS = ["%B %Y", "%b %Y", "%m/%Y"]


def parse_date(value, *, end: bool = False) -> datetime.date | None:
    """A date from an Excel date, or from text such as "11 December 2021", "11/12/2021" (UK
    order) or "April 2019" (the first of the month, or the last when `end`). "TBC",
    "Ongoing", "N/A" and blank give no date.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its date format shows Excel's day number.
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise ValueError(f"{value} is not a date")
    text = cell_text(value)
    if text.casefold() in BLANK_DATE_WORDS:
        return None
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    cleaned = re.sub(r"\bsept\b", "Sep", re.sub(r"\s+", " ", cleaned), flags=re.IGNORECASE)
    cleaned = cleaned.replace(",", "")
    for form in _DAY_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, form).date()
        except ValueError:
            pass
    for form in _MONTH_FORMATS:
        try:
            first = datetime.datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
        if not end:
            return first
        following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)
    raise ValueError(
        f"'{text}' is not a date: write it as a date (e.g. 11 December 2021 or 11/12/2021), "
        "a month (April 2019), or TBC / Ongoing"
    )
