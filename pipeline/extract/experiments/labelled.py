"""A line naming one experiment after a label (rules/experiments.yaml `labelled`):

    Lemvig Kommunes ansøgning - Fælles tilsyn med dagplejen
    7 Frikommuneforsøg - Digital partshøring i byggesager
    2.1.3. Forsøg efter § 12 a: Digital partshøring i byggesager

No decision is stated. Lines about the experiments in general ("Frikommuneforsøg - status på
ansøgningerne") are kept out by `title_exclude`.
"""

from __future__ import annotations

import re

from ...rules import RulesError
from ..common import alternation
from .layouts import Found, Line, Span, open_lines
from .vocab import EXPERIMENTS_FILE


class LabelledLineParser:
    def __init__(self, cfg: dict):
        try:
            self.rule: str = cfg["id"]
            seps = "|".join(re.escape(s) for s in cfg["separators"])
            self.pattern = re.compile(
                rf"(?:\S+\s+){{0,{int(cfg['max_prefix_words'])}}}?(?:{alternation(cfg['labels'])})(?P<ref>{cfg['label_qualifier']})\s*(?:{seps})\s*"
                rf"(?P<title>[^\W\d_].*)", re.IGNORECASE)
            # a table of contents flattened onto one line: "Ansøgning nr. 1: X Ansøgning nr. 2: Y"
            self.entry = re.compile(rf"(?<!\w)(?:{alternation(cfg['labels'])}){cfg['label_qualifier']}\s*(?:{seps})",
                                    re.IGNORECASE)
            self.leader = re.compile(cfg["toc_leader"])
            self.max_words = int(cfg["max_words"])
            self.min_title_words = int(cfg["min_title_words"])
            self.single_word_chars = int(cfg["single_word_min_chars"])
            self.bad_first = {w.lower() for w in cfg["bad_first_words"]}
            self.exclude = re.compile(rf"(?<!\w)(?:{alternation(cfg['title_exclude'])})(?!\w)", re.IGNORECASE)
            self.gate = sorted({label.lower()[:6] for label in cfg["labels"]})
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: labelled: missing or malformed key {exc}") from exc

    def parse(self, text: str, low: str, lines: list[Line], taken: set[int]) -> list[Found]:
        if not any(g in low for g in self.gate):
            return []
        out = []
        for _i, line in open_lines(lines, taken):
            for start, end in self._entries(text, line):
                found = self._entry(text, start, end)
                if found is not None:
                    out.append(found)
        return out

    def _entries(self, text: str, line: Line) -> list[tuple[int, int]]:
        """The line, or each labelled entry of a contents list flattened onto it."""
        starts = [m.start() for m in self.entry.finditer(text, line.start, line.end)]
        if len(starts) < 2:
            return [(line.start, line.end)]
        bounds = [line.start] + starts[1:] + [line.end]
        out = []
        for s, e in zip(bounds, bounds[1:]):
            leader = self.leader.search(text, s, e)  # "X ....... 4": the page number of an entry
            e = leader.start() if leader is not None else e
            while e > s and text[e - 1].isspace():
                e -= 1
            out.append((s, e))
        return out

    def _entry(self, text: str, line_start: int, line_end: int) -> Found | None:
        s = text[line_start:line_end]
        if len(s.split()) > self.max_words or s.endswith((".", ":", "?", "!")):
            return None
        m = self.pattern.fullmatch(text, line_start, line_end)
        if m is None:
            return None
        start, end = m.span("title")
        title = text[start:end]
        words = title.split()
        # "Forsøg efter § 9: Mikrolån": after a legal reference one word names it
        least = 1 if m.group("ref") or len(words) == 1 and len(words[0]) >= self.single_word_chars \
            else self.min_title_words
        if len(words) < least or words[0].lower() in self.bad_first or self.exclude.search(title):
            return None
        return Found(self.rule, line_start, line_end, Span(start, end), None)
