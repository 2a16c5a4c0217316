"""Text helpers for the network component: sentences, paragraphs, membership lists, names.

Everything works on character offsets of Document.text; municipality mentions come from the
earlier component and are only grouped here, never re-detected.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from typing import Any

from ...model import Mention
from .ruleset import MASK_FIRST, MASK_REST, Anchored, NetworkRules


@dataclass
class NameCandidate:
    """A span that may be a network's name, with the rule that proposed it."""

    start: int
    end: int
    value: str
    rule: str
    standalone: bool  # may make a record without members
    consumed: bool = False


class Segments:
    """Sentences or paragraphs, found on demand: the break regex runs in a window around the
    asked position (widened until a break or the text's edge is found on each side)."""

    def __init__(self, text: str, breaks: list[re.Pattern], window: int):
        self.text, self.patterns, self.window = text, breaks, window
        self._found: list[tuple[int, int]] = []  # segments found so far, sorted

    def breaks(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Break spans in [lo, hi), overlapping ones merged (each pattern starts with a literal,
        so several cheap scans beat one alternation)."""
        spans = []
        for pattern in self.patterns:
            for m in pattern.finditer(self.text, lo, hi):
                spans.append(m.span("gap") if "gap" in pattern.groupindex else m.span())
        return _merge(sorted(spans))

    def around(self, pos: int) -> tuple[int, int]:
        """The segment holding `pos`; a position inside a break belongs to the segment before."""
        found = self._found
        i = bisect_right(found, (pos, len(self.text) + 1))
        # the nearest segments starting at or before pos (two found in different windows may overlap)
        for start, end in found[max(0, i - 2):i][::-1]:
            if start <= pos < end:
                return start, end
        segment = self._find(pos)
        insort(found, segment)
        return segment

    def _find(self, pos: int) -> tuple[int, int]:
        n, width = len(self.text), self.window
        while True:
            lo, hi = max(0, pos - width), min(n, pos + width)
            start = 0 if lo == 0 else None
            end = n if hi == n else None
            for b_start, b_end in self.breaks(lo, hi):
                if b_end <= pos:
                    start = b_end
                elif b_start <= pos:  # inside a break: the segment before it
                    return self._find(b_start - 1) if b_start > 0 else (0, 0)
                else:
                    end = b_start
                    break
            if start is not None and end is not None:
                return start, end
            width *= 4

    def within(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The segments of [lo, hi) (lo and hi being segment bounds of a coarser level)."""
        out, pos = [], lo
        for b_start, b_end in self.breaks(lo, hi):
            if b_start > pos:
                out.append((pos, b_start))
            pos = b_end
        if pos < hi:
            out.append((pos, hi))
        return out


def find_anchored(pattern: Anchored, target: str, positions: list[list[int]],
                  lo: int = 0, hi: int | None = None, keep=None) -> list[re.Match]:
    """Matches of `pattern.regex` in `target` within [lo, hi), looked for only near an anchor
    (`positions`: the sorted offsets of each anchor). Same as a full scan as long as every
    match holds an anchor and reaches no further from it than the rule's `reach`.
    `keep(start, end)`, if given, says which windows can hold a match at all."""
    hi = len(target) if hi is None else hi
    before, after = pattern.before, pattern.after
    spans = []
    for anchor, offsets in zip(pattern.anchors, positions):
        reach = len(anchor) + after
        for p in offsets[bisect_left(offsets, lo):bisect_left(offsets, hi)]:
            spans.append((max(lo, p - before), min(hi, p + reach)))
    if not spans:
        return []
    if len(positions) > 1:
        spans.sort()
    out: list[re.Match] = []
    finditer = pattern.regex.finditer
    for start, end in _merge(spans):
        if keep is None or keep(start, end):
            out.extend(finditer(target, start, end))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass
class TextContext:
    """One document's text with what the network rules need, computed once."""

    text: str
    rules: NetworkRules
    municipalities: list[Mention]
    dates: list[Mention]
    published: str | None
    sentences: Segments = field(init=False)
    paragraphs: Segments = field(init=False)

    low: str | None = None  # lower-cased, same length and offsets as text

    def __post_init__(self) -> None:
        self.low = lower_same_length(self.text, self.low)
        # anchors are found here: a line break reads as a space (str.replace is fast, translate is not)
        self.flat = self.low.replace("\n", " ").replace("\t", " ").replace("\r", " ")
        window = self.rules.segment_window
        self.sentences = Segments(self.text, self.rules.sentence_break, window)
        self.paragraphs = Segments(self.text, self.rules.paragraph_break, window)
        self._muni_starts = [m.start for m in self.municipalities]
        self._muni_ends = [m.end for m in self.municipalities]
        self._date_starts = [m.start for m in self.dates]
        self._anchors: dict[str, list[int]] = {}
        # ids of a list of rules -> (sorted anchor offsets, [(offset, end, rule index)])
        self._anchor_index: dict[tuple[int, ...], tuple[list[int], list[tuple[int, int, int]]]] = {}

    @property
    def masked(self) -> str:
        """The lower-cased text with every municipality mention masked (MASK_FIRST, then
        MASK_REST to its end): same length and offsets. Built on first use."""
        masked = self.__dict__.get("_masked")
        if masked is None:
            parts, pos, low = [], 0, self.low
            for m in self.municipalities:
                if m.start < pos:
                    continue
                parts.append(low[pos:m.start])
                parts.append(MASK_FIRST + MASK_REST * (m.end - m.start - 1))
                pos = m.end
            parts.append(low[pos:])
            masked = self.__dict__["_masked"] = "".join(parts)
        return masked

    def anchored(self, pattern: Anchored, lo: int = 0, hi: int | None = None,
                 original: bool = False, masked: bool = False, keep=None) -> list[re.Match]:
        """Matches of a rule in [lo, hi) (on the lower-cased text unless `original` or
        `masked`): near its anchors, or by a direct scan when the span is short. `keep`: see
        find_anchored."""
        target = self.text if original else self.masked if masked else self.low
        hi = len(target) if hi is None else hi
        if hi - lo < self.rules.direct_scan:
            flat = self.flat
            if not any(flat.find(a, lo, hi) >= 0 for a in pattern.anchors):
                return []
            if keep is not None and not keep(lo, hi):
                return []
            return list(pattern.regex.finditer(target, lo, hi))
        positions = [self.anchor_offsets(a) for a in pattern.anchors]
        return find_anchored(pattern, target, positions, lo, hi, keep)

    def has_municipality(self, start: int, end: int) -> bool:
        """Some municipality mention starts in [start, end)."""
        i = bisect_left(self._muni_starts, start)
        return i < len(self._muni_starts) and self._muni_starts[i] < end

    def matches(self, rules: list[Any], lo: int = 0, hi: int | None = None) -> list[tuple[Any, int, int]]:
        """(rule, start, end) for every match of each rule's anchored pattern in [lo, hi)."""
        hi = len(self.low) if hi is None else hi
        if hi - lo < self.rules.direct_scan:
            return self._short_matches(rules, lo, hi)
        return [(rule, m.start(), m.end()) for rule in rules for m in self.anchored(rule.pattern, lo, hi)]

    def _short_matches(self, rules: list[Any], lo: int, hi: int) -> list[tuple[Any, int, int]]:
        """`matches` for a span short enough to scan directly (as `anchored` does), but which
        rules have an anchor in [lo, hi) is read from one sorted list of the rules' anchor
        offsets: a sentence is asked about all ~16 status rules, and a str.find per anchor
        and rule cost more than the scans themselves."""
        key = tuple(map(id, rules))
        index = self._anchor_index.get(key)
        if index is None:
            entries = sorted((p, p + len(a), i) for i, rule in enumerate(rules)
                             for a in rule.pattern.anchors for p in self.anchor_offsets(a))
            index = self._anchor_index[key] = ([e[0] for e in entries], entries)
        starts, entries = index
        present = {i for _p, end, i in entries[bisect_left(starts, lo):bisect_left(starts, hi)] if end <= hi}
        if not present:
            return []
        low = self.low
        return [(rule, m.start(), m.end()) for i, rule in enumerate(rules) if i in present
                for m in rule.pattern.regex.finditer(low, lo, hi)]

    def anchor_offsets(self, anchor: str) -> list[int]:
        """Every offset of `anchor` in the lower-cased text, found once per document."""
        offsets = self._anchors.get(anchor)
        if offsets is None:
            offsets, find, p = [], self.flat.find, self.flat.find(anchor)
            while p >= 0:
                offsets.append(p)
                p = find(anchor, p + 1)
            self._anchors[anchor] = offsets
        return offsets

    # ------------------------------------------------------------------ municipalities
    def municipalities_in(self, start: int, end: int) -> list[Mention]:
        """Mentions that lie wholly in [start, end)."""
        lo, hi = bisect_left(self._muni_starts, start), bisect_left(self._muni_starts, end)
        return [m for m in self.municipalities[lo:hi] if m.end <= end]

    def dates_in(self, start: int, end: int) -> list[Mention]:
        """Date mentions starting in [start, end)."""
        return self.dates[bisect_left(self._date_starts, start):bisect_left(self._date_starts, end)]

    def list_after(self, pos: int, limit: int) -> list[Mention]:
        """The list of municipality mentions starting right after `pos` (only `lead` between)."""
        i = bisect_left(self._muni_starts, pos)
        if i >= len(self.municipalities) or self.municipalities[i].start >= limit:
            return []
        first = self.municipalities[i]
        if not self.rules.list_lead.fullmatch(self.low, pos, first.start):
            return []
        return self._extend_forward(i, limit)

    def list_from(self, index: int, limit: int) -> list[Mention]:
        return self._extend_forward(index, limit)

    def _extend_forward(self, i: int, limit: int) -> list[Mention]:
        munis, gap = self.municipalities, self.rules.list_gap
        out = [munis[i]]
        j = i + 1
        while j < len(munis) and munis[j].end <= limit and gap.fullmatch(self.low, munis[j - 1].end, munis[j].start):
            out.append(munis[j])
            j += 1
        return out

    def list_before(self, pos: int, floor: int, adjacent: bool) -> list[Mention]:
        """The list of mentions ending before `pos` (at or after `floor`). adjacent=True: only
        `tail` may stand between the list and `pos`; else any text within the bounds."""
        i = bisect_right(self._muni_ends, pos) - 1
        if i < 0 or self.municipalities[i].start < floor:
            return []
        last = self.municipalities[i]
        if adjacent and not self.rules.list_tail.fullmatch(self.low, last.end, pos):
            return []
        munis, gap = self.municipalities, self.rules.list_gap
        j = i
        while j > 0 and munis[j - 1].start >= floor and gap.fullmatch(self.low, munis[j - 1].end, munis[j].start):
            j -= 1
        return munis[j:i + 1]

    def list_broken(self, last: Mention) -> bool:
        """The list ending at `last` goes on with a name broken over a line end (lists.broken)."""
        return self.rules.list_broken.match(self.low, last.end, last.end + 80) is not None

    def index_of(self, mention: Mention) -> int:
        return bisect_left(self._muni_starts, mention.start)

    def starts_with_municipality(self, pos: int) -> bool:
        i = bisect_left(self._muni_starts, pos)
        return i < len(self._muni_starts) and self._muni_starts[i] == pos

    # ------------------------------------------------------------------ names
    def name_after(self, pos: int, limit: int, rule: str, standalone: bool) -> NameCandidate | None:
        """A name right after a name phrase: a quote, or a capitalised phrase up to `name_end`."""
        rules, text = self.rules, self.text
        q = rules.quote.match(text, pos, limit)
        if q is not None:
            return self.quote_candidate(q, rule, standalone)
        if pos >= limit or not text[pos].isupper() or self.starts_with_municipality(pos):
            return None
        stop = rules.name_end.search(self.low, pos, limit)
        end = stop.start() if stop else limit
        return self.clean_name(pos, end, rule, standalone, rules.name_max_words)

    def quote_candidate(self, q: re.Match, rule: str, standalone: bool) -> NameCandidate | None:
        group = q.lastgroup
        return self.clean_name(q.start(group), q.end(group), rule, standalone, self.rules.quote_max_words)

    def clean_name(self, start: int, end: int, rule: str, standalone: bool, max_words: int) -> NameCandidate | None:
        """Trim spaces and outer punctuation; None if nothing name-like is left."""
        text = self.text
        while start < end and (text[start].isspace() or text[start] in "-–•·*"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:-–"):
            end -= 1
        value = " ".join(text[start:end].split())
        if not value or not any(ch.isalpha() for ch in value) or len(value.split()) > max_words:
            return None
        return NameCandidate(start, end, value, rule, standalone)

    def quotes_in(self, start: int, end: int) -> list[NameCandidate]:
        out = []
        for q in self.rules.quote.finditer(self.text, start, end):
            cand = self.quote_candidate(q, self.rules.quote_rule, standalone=False)
            if cand is not None:
                out.append(cand)
        return out

    def names_in(self, start: int, end: int, standalone_only: bool = False,
                 context: tuple[int, int] | None = None) -> list[NameCandidate]:
        """Every name a name phrase introduces in [start, end), in text order. A phrase's
        `context` is looked for in its sentence, or in `context` (a span) if given."""
        found: dict[tuple[int, int], NameCandidate] = {}
        phrases = [p for p in self.rules.name_phrases if p.standalone or not standalone_only]
        for phrase, phrase_start, phrase_end in self.matches(phrases, start, end):
            if phrase.context is not None:
                s, e = context or self.sentences.around(phrase_start)
                if not phrase.context.search(self.low, s, e):
                    continue
            cand = self.name_after(phrase_end, end, phrase.id, phrase.standalone)
            if cand is not None and (cand.start, cand.end) not in found:
                found[(cand.start, cand.end)] = cand
        return sorted(found.values(), key=lambda c: c.start)


def lower_same_length(text: str, low: str | None = None) -> str:
    """text.lower(), keeping every offset: a character whose lower case is longer stays as is."""
    low = text.lower() if low is None else low
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


class SpanIndex:
    """Records (anything with start and end) by position, so that asking which of them overlap
    a span costs a bisection, not a scan of them all. Build it once their spans are final."""

    def __init__(self, items: list[Any]):
        self.items = sorted(items, key=lambda d: d.start)
        self.starts = [d.start for d in self.items]
        self.longest = max((d.end - d.start for d in self.items), default=0)

    def overlapping(self, start: int, end: int) -> list[Any]:
        """The items with item.start < end and start < item.end."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_left(self.starts, end)
        return [d for d in self.items[lo:hi] if d.end > start]

    def count_starting_in(self, start: int, end: int) -> int:
        return bisect_left(self.starts, end) - bisect_left(self.starts, start)

    def starting_in(self, start: int, end: int) -> list[Any]:
        """The items with start <= item.start < end."""
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]


@dataclass
class Draft:
    """A network record under construction."""

    rule: str  # the form that found it
    start: int
    end: int
    layout: bool  # a labelled block or table row (heading status applies)
    members: list[tuple[Mention, str]] = field(default_factory=list)  # (mention, membership rule)
    name: NameCandidate | None = None
    theme: NameCandidate | None = None
    status: dict | None = None
    programme: dict | None = None

    def add_members(self, mentions: list[Mention], rule: str) -> None:
        for m in mentions:
            if all(m is not seen for seen, _ in self.members):
                self.members.append((m, rule))
        self.members.sort(key=lambda pair: pair[0].start)

    def member_codes(self) -> list[str]:
        codes: list[str] = []
        for m, _ in self.members:
            if m.value not in codes:
                codes.append(m.value)
        return codes

    def covers(self, pos: int) -> bool:
        return self.start <= pos < self.end
