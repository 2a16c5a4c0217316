"""Splitting minutes into agenda items: candidate headers, the guards that reject list lines and
dates, and the item spans. The guards are described in rules/committee_minutes.yaml."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .ruleset import HeaderRule, MinutesRules
from .text import Lines


@dataclass
class Header:
    rule: HeaderRule
    start: int  # first character of the header line's text
    line: int
    number: tuple[int, int]
    title: tuple[int, int] | None
    title_line: int  # the header line, or the line the title was read from


@dataclass
class Item:
    header: Header
    start: int
    end: int  # whitespace at the end trimmed


@dataclass
class Structure:
    """Which lines show item structure: a section heading or a case number. Headings are found
    once for the whole text (the sections need them anyway); case numbers line by line, lazily."""

    lines: Lines
    rules: MinutesRules
    heading_lines: set[int]
    _known: dict[int, bool] = field(default_factory=dict)

    def __contains__(self, i: int) -> bool:
        if i in self.heading_lines:
            return True
        if i not in self._known:
            self._known[i] = self._has_case_number(i)
        return self._known[i]

    def _has_case_number(self, i: int) -> bool:
        lines, r = self.lines, self.rules
        s, e = lines.starts[i], lines.ends[i]
        if any(rule.regex.match(lines.text, s, e) for rule in r.bare_case):
            return True
        return any(lines.search(rule, s, e) for rule in r.labelled_case)

    def first_after(self, line: int, stop: int) -> int | None:
        """The first structure line after `line` and before `stop`."""
        for j in range(line + 1, min(stop, len(self.lines))):
            if j in self:
                return j
        return None


def _looks_like_title(text: str, span: tuple[int, int], r: MinutesRules) -> bool:
    s, e = span
    return 0 < e - s <= r.title_max_chars and r.title_regex.match(text[s:e]) is not None


def _is_list_line(lines: Lines, i: int, r: MinutesRules) -> bool:
    # on the line's own string: a pattern's ^ does not match at a `pos` inside a longer string
    return r.list_line.match(lines.text[lines.starts[i]:lines.ends[i]]) is not None


def _candidate(m: re.Match, rule: HeaderRule, text: str, lines: Lines, structure: Structure,
               r: MinutesRules, date_starts: set[int]) -> Header | None:
    """A header from one regex match, or None when its title or number rules it out."""
    number = m.span("number")
    if number[0] in date_starts:
        return None  # "1. maj 2016 ..." is a date, not item 1
    line = lines.index(m.start("number"))
    title_group = m.span("title") if m.group("title") else None
    if title_group:
        if not _looks_like_title(text, title_group, r):
            return None  # "Punkt 3 i aftalen ...", "1. at Økonomiudvalget ..."
        return Header(rule, lines.stripped(line)[0], line, number, title_group, line)
    following = lines.next_nonblank(line, 1)
    if following and following[0] not in structure:
        span = lines.stripped(following[0])
        if _looks_like_title(text, span, r) and not _is_list_line(lines, following[0], r):
            return Header(rule, lines.stripped(line)[0], line, number, span, following[0])
    if not rule.strong:
        return None  # a bare "12." needs its title on the next line
    return Header(rule, lines.stripped(line)[0], line, number, None, line)


def find_candidates(text: str, lines: Lines, structure: Structure, r: MinutesRules,
                    date_starts: set[int]) -> list[Header]:
    """Every line that could open an item, in text order; the first rule in file order wins a line."""
    by_line: dict[int, Header] = {}
    if r.header_lines is None:
        for rule in r.headers:
            for m in rule.regex.finditer(text):
                line = lines.index(m.start("number"))
                if line in by_line:
                    continue
                header = _candidate(m, rule, text, lines, structure, r, date_starts)
                if header is not None:
                    by_line[line] = header
        return [by_line[i] for i in sorted(by_line)]
    for found in r.header_lines.finditer(text):  # the lines some header matches, each tried in rule order
        start = found.start()
        for rule in r.headers:
            m = rule.regex.match(text, start)
            if m is None:
                continue
            header = _candidate(m, rule, text, lines, structure, r, date_starts)
            if header is not None:
                by_line[lines.index(m.start("number"))] = header
                break
    return [by_line[i] for i in sorted(by_line)]


def _has_structure(h: Header, next_strong_line: int, lines: Lines, structure: Structure,
                   r: MinutesRules) -> bool:
    if h.rule.strong:
        return structure.first_after(h.title_line, next_strong_line) is not None
    for j in lines.next_nonblank(h.title_line, r.structure_within_lines):
        if j in structure:
            return True
        if _is_list_line(lines, j, r):
            return False  # a numbered list follows: this is a list entry
    return False


def _after_list_line(h: Header, lines: Lines, r: MinutesRules) -> bool:
    """The line right above is a numbered line: this one continues a list (a table of contents,
    "1. at …" under Indstilling). A blank line in between ends the list, so the first real item
    after a table of contents still counts."""
    prev = lines.prev_nonblank(h.line)
    return prev is not None and prev == h.line - 1 and _is_list_line(lines, prev, r)


def accept_headers(candidates: list[Header], lines: Lines, structure: Structure,
                   r: MinutesRules) -> list[Header]:
    """The candidates that pass the structure, list and counting-up guards."""
    strong_lines = [h.line for h in candidates if h.rule.strong] + [len(lines.starts)]
    accepted: list[Header] = []
    last_number = -1
    for h in candidates:
        next_strong = strong_lines[bisect_right(strong_lines, h.line)]
        if not h.rule.strong and _after_list_line(h, lines, r):
            continue
        if not _has_structure(h, next_strong, lines, structure, r):
            continue
        number = int(lines.text[h.number[0]:h.number[1]])
        if number <= last_number:
            continue  # items count up
        accepted.append(h)
        last_number = number
    return accepted


def item_spans(lines: Lines, headers: list[Header], r: MinutesRules) -> list[Item]:
    """Each accepted header's item: to the next header, a document-end line, or the end of text."""
    text = lines.text
    items = []
    for i, h in enumerate(headers):
        if i + 1 < len(headers):
            end = headers[i + 1].start
        else:
            end = len(text)
            body_from = h.title[1] if h.title else h.number[1]
            for rule in r.document_end:
                m = lines.search(rule, body_from)
                if m is not None:
                    end = min(end, m.start())
        while end > h.start and text[end - 1].isspace():
            end -= 1
        items.append(Item(h, h.start, end))
    return items


# ------------------------------------------------------------------------------ table of contents
@dataclass
class TocEntry:
    number: tuple[int, int]
    title: tuple[int, int]
    start: int
    end: int


def _title_starts(text: str, start: int, end: int, r: MinutesRules) -> bool:
    """The text at start looks like the beginning of a title (on a short slice: see _is_list_line)."""
    return end > start and r.title_regex.match(text[start:min(end, start + 8)]) is not None


def _key(number: str) -> tuple[int, ...]:
    """'3.1' -> (3, 1): item numbers compare part by part."""
    return tuple(int(part) for part in number.split(".") if part)


def _one_up(number: str) -> str:
    """The number right after `number` at its last level: '2' -> '3', '3.1' -> '3.2'."""
    key = _key(number)
    return ".".join(map(str, key[:-1] + (key[-1] + 1,)))


def _next_entry_line(text: str, lines: Lines, line: int, number: str, labelled: bool, r: MinutesRules,
                     stop: int) -> re.Match | None:
    """The entry after `number` opening one of the next non-empty lines (other lines between)."""
    gap = r.toc.labelled_max_gap_lines if labelled else r.toc.max_gap_lines
    wanted = _one_up(number)
    for j in lines.next_nonblank(line, gap + 1, lines.index(stop) + 1):
        m = r.toc.entry.match(text, lines.starts[j], min(lines.ends[j], stop))
        if m is None:
            continue  # a group heading, page number or attachment line between entries
        found = m.group("number")
        follows = found == wanted or (labelled and _key(found) > _key(number))
        return m if follows and _title_starts(text, *m.span("title"), r) else None
    return None


def _under_heading(lines: Lines, line: int, r: MinutesRules) -> bool:
    """A table-of-contents heading stands within heading_within_lines non-empty lines above `line`."""
    j = line
    for _ in range(r.toc.heading_within_lines):
        j = lines.prev_nonblank(j)
        if j is None:
            return False
        if r.toc.heading.match(lines.line(j)):
            return True
    return False


def _toc_chain(text: str, lines: Lines, first: re.Match, r: MinutesRules, stop: int) -> list[TocEntry]:
    """The chain of entries that starts with `first` (a match of the entry pattern), up to `stop`.
    An entry ends with its line when the next entry opens a following line, else where the next
    number follows on the same line (a run-on list), else with its line."""
    out: list[TocEntry] = []
    number_span, title_from = first.span("number"), first.start("title")
    line = lines.index(first.start("number"))
    labelled = _under_heading(lines, line, r)
    while True:
        number = text[number_span[0]:number_span[1]]
        line_end = min(lines.ends[line], stop)
        below = _next_entry_line(text, lines, line, number, labelled, r, stop)
        inline = None
        if below is None:
            inline = r.toc.next_entry(_one_up(number)).search(text, title_from + 1, line_end)
        ts, te = title_from, inline.start() if inline is not None else line_end
        while te > ts and text[te - 1].isspace():
            te -= 1
        if te <= ts:
            break
        out.append(TocEntry(number_span, (ts, te), number_span[0], te))
        if below is not None:
            line, number_span, title_from = lines.index(below.start()), below.span("number"), below.start("title")
        elif inline is not None:
            number_span, title_from = inline.span("number"), inline.end()
        else:
            break
    return out


def find_toc(text: str, lines: Lines, r: MinutesRules, stop: int) -> list[TocEntry]:
    """The entries of every table of contents before `stop` (see rules: table_of_contents)."""
    out: list[TocEntry] = []
    pos = 0
    while pos < stop:
        m = r.toc.entry.search(text, pos, stop)
        if m is None:
            break
        chain = _toc_chain(text, lines, m, r, stop) if _title_starts(text, *m.span("title"), r) else []
        if len(chain) >= r.toc.min_entries:
            out.extend(chain)
            pos = lines.ends[lines.index(chain[-1].end)] + 1
        else:
            pos = lines.ends[lines.index(m.start())] + 1
    return out


def case_line_items(lines: Lines, heading_lines: set[int], r: MinutesRules) -> list[Item]:
    """Items opened by a labelled case number at the start of a line, for an item page with no
    numbered header: each runs to the next such line, and only if a section heading follows."""
    text = lines.text
    opened = []  # (line, offset of its first non-blank character)
    for i in range(len(lines)):
        s, e = lines.starts[i], lines.ends[i]
        first = s + len(text[s:e]) - len(text[s:e].lstrip())
        if any((m := lines.search(rule, s, e)) is not None and m.start() == first for rule in r.labelled_case):
            opened.append((i, first))
    items = []
    for k, (i, start) in enumerate(opened):
        stop = opened[k + 1][0] if k + 1 < len(opened) else len(lines)
        if not any(i < j < stop for j in heading_lines):
            continue
        end = lines.starts[stop] if stop < len(lines) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        # no number and no title: an empty number span at the line's start; the case number is
        # read from the line itself (the "title line" is the one before it)
        header = Header(r.case_line_rule, start, i, (start, start), None, i - 1)
        items.append(Item(header, start, end))
    return items
