"""Layouts that experiments are read from by their lines: status lists and tables.
Lists under a heading are in grouped.py, running text in prose.py.

Each parser works on the document text (offsets are kept, nothing is copied into new strings
that would lose them) and returns plain `Found` items; experiments.py turns them into Records
and Mentions. All words come from rules/experiments.yaml via `LayoutRules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...rules import Rules, RulesError
from ..common import alternation, trimmed
from .vocab import EXPERIMENTS_FILE, StatusHit, StatusVocabulary


@dataclass(frozen=True)
class Line:
    """A non-blank line: offsets of its first and after its last non-space character."""

    start: int
    end: int


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Found:
    """One experiment as a layout read it."""

    layout: str  # rule id of the layout
    start: int
    end: int
    title: Span
    status: StatusHit | None
    network: Span | None = None
    network_rule: str | None = None
    network_continued: bool = False
    round_cell: Span | None = None
    region: int | None = None  # index of the list region / table, for the round lookup
    status_via: str | None = None  # rule that gave the item a status stated elsewhere (a heading)
    scope: Span | None = None  # the heading, introduction or sentence the item belongs to


@dataclass
class Region:
    """A run of lists under consecutive headings, or one table: shares one round."""

    first_line: int  # index into lines of its first line (a heading, a header row)
    last_line: int
    headings: list[tuple[Line, int]] = field(default_factory=list)  # (heading, number of experiments)


def open_lines(lines: list[Line], taken: set[int]):
    """(index, line) of the lines no earlier layout read."""
    return ((i, line) for i, line in enumerate(lines) if i not in taken)


def non_blank_lines(text: str) -> list[Line]:
    lines = []
    pos, n = 0, len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        stop = n if nl < 0 else nl
        s, e = trimmed(text, pos, stop)
        if s < e:
            lines.append(Line(s, e))
        if nl < 0:
            break
        pos = nl + 1
    return lines


class LayoutRules:
    def __init__(self, rules: Rules, statuses: StatusVocabulary):
        cfg = rules.yaml(EXPERIMENTS_FILE)
        self.statuses = statuses
        try:
            sl, tb = cfg["status_list"], cfg["table"]
            self.list_rule: str = sl["id"]
            bullets = "".join(re.escape(b) for b in sl["bullets"])
            # bullet, then whitespace and the item, or nothing: "-" alone is an empty list
            self.bullet = re.compile(rf"[{bullets}](?:[ \t\u00a0]+|$)")
            self.bullet_line = re.compile(rf"^[ \t\u00a0]*[{bullets}](?:[ \t\u00a0]|$)", re.MULTILINE)
            self.separators: list[str] = list(sl["same_line_separators"])
            self.brackets: list[tuple[str, str]] = [(b[0], b[1]) for b in sl.get("status_brackets", [])]
            self.column_headers = {h.lower() for h in sl["column_headers"]}
            self.heading_rule: str = sl["heading"]["id"]
            self.heading_max_words = int(sl["heading"]["max_words"])
            self.heading_max_chars = int(sl["heading"]["max_chars"])
            self.heading_bad_endings = tuple(sl["heading"]["not_ending_with"])
            self.empty_rule: str = sl["empty_bullet"]["id"]

            self.table_rule: str = tb["id"]
            self.cell_separator: str = tb["cell_separator"]
            self.column_role = {name.lower(): role for role, names in tb["columns"].items() for name in names}
            self.network_cell_rule: str = tb["network_cell"]["id"]
            self.network_continued_rule: str = tb["network_continued"]["id"]

        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: missing or malformed key {exc}") from exc


# ---------------------------------------------------------------------------- status lists
class StatusListParser:
    """Headings, bullets and status lines (sources like the ministry's release of Feb. 2017)."""

    def __init__(self, lr: LayoutRules):
        self.lr = lr

    def parse(self, text: str, lines: list[Line]) -> tuple[list[Found], list[Region]]:
        items = self._items(text, lines)
        groups = _consecutive(items)
        found: list[Found] = []
        regions: list[Region] = []
        for group in groups:
            first_idx = group[0][0]
            heading_idx = self._heading_before(text, lines, first_idx)
            heading = lines[heading_idx] if heading_idx is not None else None
            top = heading_idx if heading_idx is not None else first_idx
            # a list whose heading directly follows the previous list belongs to its region
            region = regions[-1] if regions and top - 1 == regions[-1].last_line else None
            if region is None:
                region = Region(first_line=top, last_line=group[-1][1])
                regions.append(region)
            region.last_line = group[-1][1]
            if heading is not None:
                region.headings.append((heading, len(group)))
            for _first, _last, f in group:
                if heading is not None:
                    f.network, f.network_rule = Span(heading.start, heading.end), self.lr.heading_rule
                f.region = len(regions) - 1
                found.append(f)
        self._empty_lists(text, lines, regions)
        return found, regions

    def _items(self, text: str, lines: list[Line]) -> list[tuple[int, int, Found]]:
        """(first line, last line, item) of every bullet that carries a title and a status."""
        out = []
        i = 0
        while i < len(lines):
            line = lines[i]
            title = self._bullet_title(text, line)
            if title is None or title.start == title.end:
                i += 1
                continue
            same = self.same_line_status(text, title)
            if same is not None:
                title_span, status = same
                out.append((i, i, Found(self.lr.list_rule, line.start, line.end, title_span, status)))
                i += 1
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            status = self.lr.statuses.whole(text, nxt.start, nxt.end) if nxt is not None else None
            if status is not None:
                out.append((i, i + 1, Found(self.lr.list_rule, line.start, nxt.end, title, status)))
                i += 2
            else:
                i += 1
        return out

    def _bullet_title(self, text: str, line: Line) -> Span | None:
        """The item text after the bullet (maybe empty), or None if the line is no bullet."""
        m = self.lr.bullet.match(text, line.start, line.end)
        if m is None:
            return None
        return Span(m.end(), line.end)

    def same_line_status(self, text: str, title: Span) -> tuple[Span, StatusHit] | None:
        """'Mikrolån – Imødekommes', 'Mikrolån (afslag)': the status fills the rest of the line
        after the last separator, or the brackets closing it."""
        bracketed = self._bracketed_status(text, title)
        if bracketed is not None:
            return bracketed
        best = None
        for sep in self.lr.separators:
            cut = text.rfind(sep, title.start, title.end)
            if cut > title.start and (best is None or cut > best[0]):
                best = (cut, sep)
        if best is None:
            return None
        cut, sep = best
        s, e = cut + len(sep), title.end
        while s < e and text[s].isspace():
            s += 1
        status = self.lr.statuses.whole(text, s, e)
        if status is None:
            return None
        te = cut
        while te > title.start and text[te - 1].isspace():
            te -= 1
        return Span(title.start, te), status

    def _bracketed_status(self, text: str, title: Span) -> tuple[Span, StatusHit] | None:
        for opening, closing in self.lr.brackets:
            if title.end - title.start < 3 or text[title.end - 1] != closing:
                continue
            cut = text.rfind(opening, title.start, title.end - 1)
            if cut <= title.start:
                continue
            s, e = cut + 1, title.end - 1
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            status = self.lr.statuses.whole(text, s, e)
            if status is None:
                continue
            te = cut
            while te > title.start and text[te - 1].isspace():
                te -= 1
            return Span(title.start, te), status
        return None

    def _is_column_header(self, text: str, line: Line) -> bool:
        return text[line.start:line.end].lower() in self.lr.column_headers

    def _is_heading(self, text: str, line: Line) -> bool:
        s = text[line.start:line.end]
        return (
            len(s) <= self.lr.heading_max_chars
            and len(s.split()) <= self.lr.heading_max_words
            and not s.endswith(self.lr.heading_bad_endings)
            and self.lr.bullet.match(text, line.start, line.end) is None
            and self.lr.statuses.whole(text, line.start, line.end) is None
            and not self._is_column_header(text, line)
            and self.lr.cell_separator not in s
        )

    def _heading_before(self, text: str, lines: list[Line], idx: int) -> int | None:
        """Index of the heading over the bullet at lines[idx], skipping a column header line."""
        j = idx - 1
        while j >= 0 and self._is_column_header(text, lines[j]):
            j -= 1
        if j >= 0 and self._is_heading(text, lines[j]):
            return j
        return None

    def _empty_lists(self, text: str, lines: list[Line], regions: list[Region]) -> None:
        """Headings over a lone bullet ("-") next to a region: networks with no experiments."""
        for i, line in enumerate(lines):
            title = self._bullet_title(text, line)
            if title is None or title.start != title.end:
                continue
            heading_idx = self._heading_before(text, lines, i)
            if heading_idx is None:
                continue
            for region in regions:
                after = heading_idx - 1 == region.last_line
                before = i + 1 == region.first_line
                if after or before:
                    region.headings.append((lines[heading_idx], 0))
                    if after:
                        region.last_line = i
                    else:
                        region.first_line = heading_idx
                    break


def _consecutive(items: list[tuple[int, int, Found]]) -> list[list[tuple[int, int, Found]]]:
    """Items whose lines follow each other with nothing in between form one list."""
    groups: list[list[tuple[int, int, Found]]] = []
    for item in items:
        if groups and groups[-1][-1][1] + 1 == item[0]:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


# ---------------------------------------------------------------------------- tables
class TableParser:
    """Rows "Netværk | Forsøg | Afgørelse" as ingest renders HTML tables."""

    def __init__(self, lr: LayoutRules):
        self.lr = lr

    def parse(self, text: str, lines: list[Line], region_offset: int) -> tuple[list[Found], list[Region]]:
        found: list[Found] = []
        regions: list[Region] = []
        sep = self.lr.cell_separator
        i = 0
        while i < len(lines):
            line = lines[i]
            roles = self._header_roles(text, line) if sep in text[line.start:line.end] else None
            if roles is None:
                i += 1
                continue
            region = Region(first_line=i, last_line=i)
            regions.append(region)
            network: tuple[Span, str] | None = None
            j = i + 1
            while j < len(lines):
                cells = self._cells(text, lines[j])
                if len(cells) != len(roles):
                    break
                row = dict(zip(roles, cells))
                f, network = self._row(text, lines[j], row, network)
                if f is not None:
                    f.region = region_offset + len(regions) - 1
                    found.append(f)
                region.last_line = j
                j += 1
            i = j
        return found, regions

    def _header_roles(self, text: str, line: Line) -> list[str | None] | None:
        """Role of each column if every cell names a known column and title + status are there."""
        roles: list[str | None] = []
        for cell in self._cells(text, line):
            if cell is None:
                return None
            role = self.lr.column_role.get(text[cell.start:cell.end].lower())
            roles.append(role)
        if "title" not in roles or "status" not in roles:
            return None
        return roles

    def _cells(self, text: str, line: Line) -> list[Span | None]:
        """Cells of a row with stripped offsets; an empty cell is None."""
        cells: list[Span | None] = []
        sep = self.lr.cell_separator
        pos = line.start
        while True:
            cut = text.find(sep, pos, line.end)
            stop = line.end if cut < 0 else cut
            s, e = pos, stop
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            cells.append(Span(s, e) if s < e else None)
            if cut < 0:
                return cells
            pos = cut + len(sep)

    def _row(self, text: str, line: Line, row: dict, network: tuple[Span, str] | None):
        """The experiment of one data row, and the network later rows continue."""
        title = row.get("title")
        net_cell = row.get("network")
        continued = False
        if net_cell is not None:
            network = (net_cell, self.lr.network_cell_rule)
        elif "network" in row and network is not None:
            continued = True
        elif "network" not in row:
            network = None
        if title is None:
            return None, network
        status_cell = row.get("status")
        status = self.lr.statuses.whole(text, status_cell.start, status_cell.end) if status_cell else None
        f = Found(self.lr.table_rule, line.start, line.end, title, status, round_cell=row.get("round"))
        if network is not None:
            f.network = network[0]
            f.network_rule = self.lr.network_continued_rule if continued else network[1]
            f.network_continued = continued
        return f, network
