"""Turn regex groups into partial dates, and resolve year-less / relative ones against an anchor.

Nothing here knows a Danish word: every vocabulary lookup goes through `Compiled` (rules/).
Missing parts stay missing (None -> "XXXX" in values); nothing is ever filled from today's date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .patterns import Branch, Compiled

_ISO_PREFIX = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass
class Candidate:
    start: int
    end: int
    rule: str
    granularity: str  # day | month | year | span
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_end: int | None = None  # spans
    year_source: str | None = None  # explicit | coordination | anchor | None
    relative: tuple[str, int] | None = None  # (unit, offset) from the anchor
    coord: bool = False  # bare day waiting for month and year of the next date
    prep: str | None = None
    tense_month: int | None = None  # month used to compare with the anchor (seasons)
    sentence: tuple[int, int] | None = None  # bounds of the sentence/line holding the date
    attrs: dict[str, Any] = field(default_factory=dict)
    role: str | None = None
    role_rule: str | None = None
    value: str | None = None


def parse_anchor(value: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of an ISO date or datetime string; missing parts None."""
    if not value:
        return None, None, None
    m = _ISO_PREFIX.match(str(value))
    if not m:
        return None, None, None
    y, mo, d = (int(g) if g else None for g in m.groups())
    if mo is not None and not 1 <= mo <= 12:
        return y, None, None
    if d is not None and (mo is None or not _valid_day(y, mo, d)):
        d = None
    return y, mo, d


def _valid_day(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= calendar.monthrange(year if year is not None else 2000, month)[1]


def _word(groups: dict[str, tuple[int, int, str]], name: str) -> str | None:
    g = groups.get(name)
    return " ".join(g[2].split()) if g else None


def candidate_from_match(c: Compiled, branch: Branch, groups: dict[str, tuple[int, int, str]],
                         start: int, end: int) -> Candidate | None:
    """Validate and normalise one pattern match; None when it is not a possible date."""
    st = c.settings
    if "t" in groups:
        start, end = groups["t"][0], groups["t"][1]
    attrs: dict[str, Any] = {}
    year = month = day = None

    # ---- spans of years ----
    if "ya" in groups:
        ya = int(groups["ya"][2])
        if "yb" in groups:
            yb = int(groups["yb"][2])
        else:
            yb = ya - ya % 100 + int(groups["yb2"][2])
        if not (st["year_min"] <= ya < yb <= st["year_max"]) or yb - ya > st["max_span_years"]:
            return None
        return Candidate(start, end, branch.rule, "span", year=ya, year_end=yb, year_source="explicit")

    # ---- relative expressions ----
    if "rel" in groups:
        rel = c.relative[_word(groups, "rel")]
        return Candidate(start, end, branch.rule, str(rel["unit"]),
                         relative=(str(rel["unit"]), int(rel["offset"])))
    if "unit" in groups:
        num_txt = _word(groups, "num")
        num = int(num_txt) if num_txt.isdigit() else c.number_words[num_txt]
        unit = c.units[_word(groups, "unit")]
        return Candidate(start, end, branch.rule, unit, relative=(unit, branch.direction * num))

    # ---- calendar dates ----
    if "y" in groups:
        year = int(groups["y"][2])
    elif "yy" in groups:
        year = int(st["two_digit_year_century"]) + int(groups["yy"][2])
        attrs["two_digit_year"] = True
    if year is not None and not st["year_min"] <= year <= st["year_max"]:
        return None
    if "m" in groups:
        month = int(groups["m"][2])
    elif "mon" in groups:
        month = c.months[_word(groups, "mon").rstrip(".")]
    if month is not None and not 1 <= month <= 12:
        return None
    if "d" in groups:
        day = int(groups["d"][2])
        if month is not None and not _valid_day(year, month, day):
            return None
        if month is None and not 1 <= day <= 31:
            return None
    if "hh" in groups:
        attrs["time"] = f"{int(groups['hh'][2]):02d}:{groups['mi'][2]}"
    if "wd" in groups:
        attrs["weekday"] = _word(groups, "wd")
    if "part" in groups:
        attrs["part"] = c.parts[_word(groups, "part")]
    tense_month = month
    if "season" in groups:
        season = c.seasons[_word(groups, "season")]
        attrs["season"] = season["season"]
        tense_month = int(season["month"])

    if branch.coord:
        gran = "day"
    elif day is not None:
        gran = "day"
    elif month is not None:
        gran = "month"
    elif year is not None or "season" in groups:
        gran = "year"
    else:  # pragma: no cover - a pattern without date groups
        return None
    return Candidate(
        start, end, branch.rule, gran, year=year, month=month, day=day,
        year_source="explicit" if year is not None else None, coord=branch.coord,
        prep=_word(groups, "prep"), tense_month=tense_month, attrs=attrs,
    )


def needs_year(cand: Candidate) -> bool:
    return cand.year is None and cand.relative is None and cand.granularity != "span"


def resolve_with_anchor(cand: Candidate, anchor: tuple[int | None, int | None, int | None],
                        tense: str | None) -> None:
    """Fill a year-less date's year from the anchor using tense (HeidelTime's news strategy)."""
    ay, am, ad = anchor
    if ay is None:
        return
    year = ay
    month = cand.tense_month
    if tense and month is not None and am is not None:
        here = (month, cand.day or 0) if cand.day is not None and ad is not None else (month,)
        there = (am, ad) if len(here) == 2 else (am,)
        if tense == "past" and here > there:
            year = ay - 1
        elif tense == "future" and here < there:
            year = ay + 1
    if cand.day is not None and cand.month is not None and not _valid_day(year, cand.month, cand.day):
        return  # 29 February in a non-leap year: leave the year unknown
    cand.year = year
    cand.year_source = "anchor"
    if tense:
        cand.attrs["tense"] = tense


def resolve_relative(cand: Candidate, anchor: tuple[int | None, int | None, int | None]) -> None:
    unit, offset = cand.relative
    ay, am, ad = anchor
    if unit == "day" and ad is not None:
        d = dt.date(ay, am, ad) + dt.timedelta(days=offset)
        cand.year, cand.month, cand.day = d.year, d.month, d.day
    elif unit == "month" and am is not None:
        idx = ay * 12 + (am - 1) + offset
        cand.year, cand.month = idx // 12, idx % 12 + 1
    elif unit == "year" and ay is not None:
        cand.year = ay + offset
    else:
        return
    cand.year_source = "anchor"


def format_value(cand: Candidate) -> str | None:
    if cand.granularity == "span":
        return f"{cand.year:04d}/{cand.year_end:04d}"
    if cand.relative is not None and cand.year is None:
        return None  # relative with no usable anchor: the offset is kept in attrs
    y = f"{cand.year:04d}" if cand.year is not None else "XXXX"
    if cand.granularity == "year" or cand.month is None:
        return y
    if cand.granularity == "month" or cand.day is None:
        return f"{y}-{cand.month:02d}"
    return f"{y}-{cand.month:02d}-{cand.day:02d}"


def check_weekday(cand: Candidate, weekdays: dict[str, int]) -> None:
    """Flag a weekday that contradicts the resolved date ("mandag den 4. april 2017")."""
    wd = cand.attrs.get("weekday")
    if wd is None or cand.year is None or cand.month is None or cand.day is None:
        return
    if dt.date(cand.year, cand.month, cand.day).isoweekday() != weekdays.get(wd):
        cand.attrs["weekday_mismatch"] = True
