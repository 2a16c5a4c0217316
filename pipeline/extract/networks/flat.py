"""Networks in flattened tables: a table rendered as text without cell borders, one cell a
line and no labels (rules/networks.yaml, `flat_tables`).

A row is anchored on its member line (a line that is only a list of municipality mentions);
the nearest line above is the network's name, the line above that, when it reads like a
heading, its theme. A header of column words (one a members column) tells how many cells
follow the member cell in each row, so a row's description is never read as the next row's
theme. Without a header, a table needs several rows; either way the table, or the text just
above it, must talk about networks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Mention
from ..common import trimmed
from .text import Draft, NameCandidate, TextContext

# How far (in non-blank lines) a header may stand above a table's first member line, and how
# many lines a row may hold between two member lines before a new table starts.
HEADER_REACH = 8
ROW_REACH = 8


@dataclass
class Row:
    line: tuple[int, int]  # the member line
    members: list[Mention]
    cells_before: list[tuple[int, int]] = field(default_factory=list)  # lines above, top first
    cells_after: list[tuple[int, int]] = field(default_factory=list)  # the row's later cells


class Lines:
    """Non-blank lines of the text, found on demand around a position."""

    def __init__(self, text: str):
        self.text = text

    def line_of(self, pos: int) -> tuple[int, int]:
        text = self.text
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        return start, len(text) if end < 0 else end

    def above(self, pos: int, floor: int = 0) -> tuple[int, int] | None:
        """The nearest non-blank line before the line holding `pos`, stripped, not reaching
        above `floor`."""
        text = self.text
        line_start = text.rfind("\n", 0, pos) + 1
        while line_start > 0:
            end = line_start - 1  # the line break ending the line above
            if end < floor:
                return None
            line_start = text.rfind("\n", 0, end) + 1
            a, b = trimmed(text, max(line_start, floor), end)
            if a < b:
                return a, b
        return None

    def below(self, pos: int, limit: int) -> tuple[int, int] | None:
        """The nearest non-blank line after the line holding `pos`, stripped, before `limit`."""
        text = self.text
        brk = text.find("\n", pos, limit)
        while brk >= 0:
            start = brk + 1
            brk = text.find("\n", start, limit)
            a, b = trimmed(text, start, limit if brk < 0 else brk)
            if a < b:
                return a, b
        return None


def find_flat_tables(ctx: TextContext, claimed: list[Draft]) -> list[Draft]:
    rules = ctx.rules
    if len(ctx.municipalities) < rules.flat_min_members:
        return []
    lines = Lines(ctx.text)
    member_lines = [r for r in _member_lines(ctx, lines) if not any(d.covers(r.line[0]) for d in claimed)]
    if not member_lines:
        return []
    drafts: list[Draft] = []
    for table, after_cells in _tables(ctx, lines, member_lines):
        rows = _read_rows(ctx, lines, table, after_cells)
        if not rows or (after_cells is None and len(rows) < rules.flat_min_rows):
            continue
        lo = max(0, rows[0].cells_before[0][0] - rules.flat_context_reach)
        hi = rows[-1].cells_after[-1][1] if rows[-1].cells_after else rows[-1].line[1]
        if not rules.network_context.search(ctx.low, lo, hi):
            continue  # lists of municipalities under headings, but nothing about networks
        drafts.extend(_draft(ctx, row) for row in rows)
    return drafts


def _member_lines(ctx: TextContext, lines: Lines) -> list[Row]:
    """Member cells: lines that hold nothing but a list of municipality mentions; consecutive
    such lines (no blank line between: one cell broken over lines) are one cell."""
    rules, low, text = ctx.rules, ctx.low, ctx.text
    cells: list[Row] = []
    line_end = -1
    for m in ctx.municipalities:
        if m.start <= line_end:
            continue  # this line has been judged
        start, line_end = lines.line_of(m.start)
        a, b = trimmed(text, start, line_end)
        if a != m.start:
            continue
        found = ctx.list_from(ctx.index_of(m), line_end)
        if not rules.flat_line_tail.fullmatch(low, found[-1].end, b):
            continue
        prev = cells[-1] if cells else None
        if prev is not None and not text[prev.line[1]:a].strip() and text.count("\n", prev.line[1], a) == 1:
            prev.line, prev.members = (prev.line[0], b), prev.members + found
        else:
            cells.append(Row((a, b), found))
    return [c for c in cells if len({x.value for x in c.members}) >= rules.flat_min_members]


def _is_header_word(ctx: TextContext, line: tuple[int, int]) -> str | None:
    word = " ".join(ctx.low[line[0]:line[1]].split())
    if word in ctx.rules.flat_header_members:
        return "members"
    if word in ctx.rules.flat_header_other:
        return "other"
    return None


def _header_cells_after(ctx: TextContext, lines: Lines, row: Row) -> int | None:
    """Cells after the members column, from a header above the row's member line; None if
    there is no header."""
    pos, seen = row.line[0], 0
    run: list[str] = []
    while seen < HEADER_REACH:
        line = lines.above(pos)
        if line is None:
            break
        kind = _is_header_word(ctx, line)
        if kind:
            run.append(kind)
        elif run:
            break
        pos, seen = line[0], seen + 1
    run.reverse()  # top first
    if len(run) < 2 or "members" not in run:
        return None
    return len(run) - 1 - run.index("members")


def _tables(ctx: TextContext, lines: Lines, rows: list[Row]) -> list[tuple[list[Row], int | None]]:
    """Member lines grouped into tables (a new table where rows stand far apart), each with the
    number of cells its header puts after the members column (None: no header)."""
    tables: list[tuple[list[Row], int | None]] = []
    for row in rows:
        if tables and _near(lines, tables[-1][0][-1], row):
            tables[-1][0].append(row)
        else:
            tables.append(([row], _header_cells_after(ctx, lines, row)))
    return tables


def _near(lines: Lines, prev: Row, row: Row) -> bool:
    pos, count = prev.line[1], 0
    while count <= ROW_REACH:
        line = lines.below(pos, row.line[0])
        if line is None:
            return True
        pos, count = line[1], count + 1
    return False


def _read_rows(ctx: TextContext, lines: Lines, table: list[Row], after_cells: int | None) -> list[Row]:
    """Each row's cells: up to two lines above its member line (name, then theme) and, with a
    header, the cells after it. A row without a name line is dropped."""
    out = []
    for i, row in enumerate(table):
        limit = table[i + 1].line[0] if i + 1 < len(table) else len(ctx.text)
        pos = row.line[1]
        for _ in range(after_cells or 0):
            line = lines.below(pos, limit)
            if line is None:
                break
            row.cells_after.append(line)
            pos = line[1]
        floor = 0
        if i:
            prev = table[i - 1]
            floor = prev.cells_after[-1][1] if prev.cells_after else prev.line[1]
        row.cells_before = _cells_above(ctx, lines, row.line[0], floor)
        if row.cells_before:
            out.append(row)
    return out


def _cells_above(ctx: TextContext, lines: Lines, pos: int, floor: int) -> list[tuple[int, int]]:
    """[theme?, name]: the name line right above, and a heading-like line above it."""
    rules = ctx.rules
    name = lines.above(pos, floor)
    if name is None or not _cell_ok(ctx, name, rules.flat_name_max_words):
        return []
    theme = lines.above(name[0], floor)
    if theme is not None and _cell_ok(ctx, theme, rules.flat_theme_max_words):
        return [theme, name]
    return [name]


def _cell_ok(ctx: TextContext, line: tuple[int, int], max_words: int) -> bool:
    text = ctx.text
    a, b = line
    value = text[a:b]
    if not value[0].isupper() or len(value.split()) > max_words or ctx.rules.flat_reject.search(value):
        return False
    if _is_header_word(ctx, line) or ctx.municipalities_in(a, b):
        return False
    return True


def _draft(ctx: TextContext, row: Row) -> Draft:
    rules = ctx.rules
    *theme, name = row.cells_before
    end = row.cells_after[-1][1] if row.cells_after else row.line[1]
    draft = Draft(rules.flat_rule, row.cells_before[0][0], end, layout=True,
                  name=_candidate(ctx, name, rules.flat_name_rule))
    if theme:
        draft.theme = _candidate(ctx, theme[0], rules.flat_theme_rule)
    draft.add_members(row.members, rules.flat_rule)
    return draft


def _candidate(ctx: TextContext, line: tuple[int, int], rule: str) -> NameCandidate:
    value = " ".join(ctx.text[line[0]:line[1]].split())
    return NameCandidate(line[0], line[1], value, rule, standalone=False, consumed=True)
