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
    granularity: str  # day | week | month | quarter | half | season | year | span
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_end: int | None = None  # spans
    sub: str | None = None  # the part of the year for week/quarter/half/season: "W12", "Q1", "H2", "FA"
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


SECOND = "z_"  # prefix of the groups of a second date in the same match


def candidates_from_match(c: Compiled, branch: Branch, groups: dict[str, tuple[int, int, str]],
                          start: int, end: int) -> list[Candidate]:
    """The match's date, and a second one where the pattern has `z_` groups: the end of a
    mixed span ("2011 - juli 2017": the span 2011/2017 and juli 2017), the second month of a
    range ("februar-marts"). A second date's groups are read like a first one's."""
    second = {k[len(SECOND):]: v for k, v in groups.items() if k.startswith(SECOND)}
    first = {k: v for k, v in groups.items() if not k.startswith(SECOND)}
    if second and "ya" in first and "yb" not in first and "yb2" not in first and "y" in second:
        first["yb"] = second["y"]  # a mixed span ends in the second date's year
    out = []
    cand = candidate_from_match(c, branch, first, start, end)
    if cand is not None:
        out.append(cand)
    if second and "t" in second:
        s0, s1 = second["t"][0], second["t"][1]
        plain = Branch(rule=branch.rule, trap=False, groups=[])
        cand2 = candidate_from_match(c, plain, second, s0, s1)
        if cand2 is not None:
            cand2.attrs["second_of_match"] = True
            out.append(cand2)
    return out


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
    sub = None
    if branch.period is not None:  # week / quarter / half: number as digits or an ordinal word
        num_txt = _word(groups, "n").rstrip(".")
        num = int(num_txt) if num_txt.isdigit() else c.ordinals.get(num_txt)
        limit, letter = _PERIODS[branch.period]
        if num is None or not 1 <= num <= limit:
            return None
        if branch.period == "week" and year is not None and num == 53 and not _has_week_53(year):
            return None
        sub = f"{letter}{num:02d}" if branch.period == "week" else f"{letter}{num}"
        month = None
    if "hh" in groups:
        attrs["time"] = f"{int(groups['hh'][2]):02d}:{groups['mi'][2]}"
    if "wd" in groups:
        attrs["weekday"] = _word(groups, "wd")
    if "part" in groups:
        attrs["part"] = c.parts[_word(groups, "part")]
    tense_month = month
    if sub is not None:
        tense_month = _period_month(branch.period, int(sub[1:]))
    if "season" in groups:
        season = c.seasons[_word(groups, "season")]
        attrs["season"] = season["season"]
        tense_month = int(season["month"])
        sub = str(season["code"]) if season.get("code") else None

    if branch.coord:
        gran = "day"
    elif day is not None:
        gran = "day"
    elif branch.period is not None:
        gran = branch.period
    elif month is not None:
        gran = "month"
    elif "season" in groups:
        gran = "season" if sub else "year"
    elif year is not None:
        gran = "year"
    else:  # pragma: no cover - a pattern without date groups
        return None
    return Candidate(
        start, end, branch.rule, gran, year=year, month=month, day=day,
        year_source="explicit" if year is not None else None, coord=branch.coord, sub=sub,
        prep=_word(groups, "prep"), tense_month=tense_month, attrs=attrs,
    )


# period -> (highest number, ISO letter)
_PERIODS = {"week": (53, "W"), "quarter": (4, "Q"), "half": (2, "H")}


def _has_week_53(year: int) -> bool:
    return dt.date(year, 12, 28).isocalendar()[1] == 53


def _period_month(period: str | None, num: int) -> int:
    """A representative month of a week / quarter / half, to compare with the anchor."""
    if period == "week":
        return min(12, (num * 7 - 4) // 31 + 1)
    if period == "quarter":
        return (num - 1) * 3 + 2
    return (num - 1) * 6 + 3  # half


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
    if cand.granularity == "week" and int(cand.sub[1:]) == 53 and not _has_week_53(year):
        return
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
    elif unit == "week" and ad is not None:
        iso = (dt.date(ay, am, ad) + dt.timedelta(weeks=offset)).isocalendar()
        cand.year, cand.sub = iso[0], f"W{iso[1]:02d}"
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
    if cand.year is None and cand.granularity in ("season", "year"):
        return None  # a season without a year ("i foråret"): deictic, like a relative date
    y = f"{cand.year:04d}" if cand.year is not None else "XXXX"
    if cand.sub is not None:
        return f"{y}-{cand.sub}"
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
