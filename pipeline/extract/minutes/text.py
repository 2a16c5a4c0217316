"""One document's text as the minutes component scans it: line geometry, a lower-cased copy for
literal pre-checks, and rules tried only on the lines holding one of their anchor words."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ...ingest.classify import fold_case
from .ruleset import ContextRule

_NEWLINE = re.compile("\n")


class Lines:
    """Line i runs from starts[i] to ends[i] (without the newline). `low` has text's offsets."""

    def __init__(self, text: str):
        self.text = text
        self.low = fold_case(text)  # same length as text, so offsets agree
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.ends = [s - 1 for s in self.starts[1:]] + [len(text)]

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def line(self, i: int) -> str:
        return self.text[self.starts[i]:self.ends[i]]

    def stripped(self, i: int) -> tuple[int, int]:
        """Span of line i without its leading and trailing whitespace (empty: start == end)."""
        s, e = self.starts[i], self.ends[i]
        line = self.text[s:e]
        lead = len(line) - len(line.lstrip())
        return s + lead, s + len(line.rstrip())

    def is_blank(self, i: int) -> bool:
        return not self.text[self.starts[i]:self.ends[i]].strip()

    def next_nonblank(self, i: int, limit: int | None = None, stop: int | None = None) -> list[int]:
        """Up to `limit` non-blank line indexes after line i, before line `stop`."""
        out: list[int] = []
        end = len(self.starts) if stop is None else min(stop, len(self.starts))
        j = i + 1
        while j < end and (limit is None or len(out) < limit):
            if not self.is_blank(j):
                out.append(j)
            j += 1
        return out

    def prev_nonblank(self, i: int) -> int | None:
        j = i - 1
        while j >= 0:
            if not self.is_blank(j):
                return j
            j -= 1
        return None

    # ------------------------------------------------------------------ anchored rules
    def anchor_lines(self, anchors: tuple[str, ...], lo: int = 0, hi: int | None = None) -> list[int]:
        """Sorted indexes of the lines in [lo, hi) holding one of the anchor words (str.find, no regex)."""
        hi = len(self.text) if hi is None else hi
        found: set[int] = set()
        low = self.low
        for word in anchors:
            pos = low.find(word, lo, hi)
            while pos >= 0:
                found.add(self.index(pos))
                pos = low.find(word, pos + 1, hi)
        return sorted(found)

    def finditer(self, rule: ContextRule, lo: int = 0, hi: int | None = None) -> Iterator[re.Match]:
        """rule's matches in [lo, hi), one line at a time; only lines with an anchor when it has any."""
        hi = len(self.text) if hi is None else hi
        if not rule.anchors:
            yield from rule.regex.finditer(self.text, lo, hi)
            return
        for i in self.anchor_lines(rule.anchors, lo, hi):
            yield from rule.regex.finditer(self.text, max(lo, self.starts[i]), min(hi, self.ends[i]))

    def search(self, rule: ContextRule, lo: int = 0, hi: int | None = None) -> re.Match | None:
        return next(self.finditer(rule, lo, hi), None)
