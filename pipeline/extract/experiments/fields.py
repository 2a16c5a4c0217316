"""The title field of an experiment's statute (rules/experiments.yaml `statute_fields`):

    Frikommunevedtægt for forsøget
    Element      Forklaring
    Forsøgstitel Fælles tilsyn med dagplejen, som ...      the value on the label's line
    Forsøgsperiode  Maj 2018 - april 2021

    • Fælles tilsyn                                        a bullet just above the label:
    Forsøgstitel                                           the experiment's short name, which
    Tilsyn på tværs af dagpleje og vuggestue               the page lists it by; the title

Municipal pages publish the ministry's statute template as a two-column table; the page's text
keeps one field per line, its value after the label or on the next line. No decision is
stated: status null.
"""

from __future__ import annotations

import re

from ...rules import RulesError
from ..common import alternation, trimmed
from .layouts import Found, Line, Span, open_lines
from .vocab import EXPERIMENTS_FILE


class StatuteFieldsParser:
    def __init__(self, cfg: dict, clause_words: list[str], bullet: re.Pattern):
        try:
            self.rule: str = cfg["id"]
            self.short_name_rule: str = cfg["short_name"]["id"]
            labels = alternation(cfg["title_labels"])
            separators = "".join(re.escape(s) for s in cfg["separators"])
            # the label alone, or the label, a separator and the value
            self.label = re.compile(rf"(?:{labels})(?:\s*[{separators}]\s*|\s+|$)", re.IGNORECASE)
            self.next_field = re.compile(rf"\s(?:{alternation(cfg['other_labels'])})(?!\w)", re.IGNORECASE)
            self.clause = re.compile(rf",\s*(?:{alternation(clause_words)})(?!\w)", re.IGNORECASE)
            self.sentence_end = re.compile(r"\.(?=\s|$)")
            self.max_words = int(cfg["max_title_words"])
            self.gate = [w.lower() for w in cfg["title_labels"]]
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: statute_fields: missing or malformed key {exc}") from exc
        self.bullet = bullet

    def parse(self, text: str, low: str, lines: list[Line], taken: set[int]) -> list[Found]:
        if not any(g in low for g in self.gate):
            return []
        out = []
        for i, line in open_lines(lines, taken):
            m = self.label.match(text, line.start, line.end)
            if m is None:
                continue
            if m.end() < line.end:
                value = Span(m.end(), line.end)  # "Forsøgstitel Titel"
            elif i + 1 < len(lines) and i + 1 not in taken:
                value = Span(lines[i + 1].start, lines[i + 1].end)  # the value on the next line
            else:
                continue
            short = self._short_name(text, lines, i, taken)
            if short is not None:
                out.append(Found(self.short_name_rule, lines[i - 1].start, value.end, short, None))
                continue
            title = self._title(text, value)
            if title is not None:
                out.append(Found(self.rule, line.start, value.end, title, None))
        return out

    def _short_name(self, text: str, lines: list[Line], i: int, taken: set[int]) -> Span | None:
        """The bullet right above the label: the name the page lists the experiment by."""
        if i == 0 or i - 1 in taken:
            return None
        above = lines[i - 1]
        m = self.bullet.match(text, above.start, above.end)
        if m is None or m.end() >= above.end:
            return None
        s, e = trimmed(text, m.end(), above.end)
        return Span(s, e) if 0 < len(text[s:e].split()) <= self.max_words else None

    def _title(self, text: str, value: Span) -> Span | None:
        """The value up to the next field's label (a flattened row), a relative clause or the
        end of its first sentence."""
        end = value.end
        for cut in (self.next_field, self.clause, self.sentence_end):
            m = cut.search(text, value.start, end)
            if m is not None:
                end = m.start()
        s, e = trimmed(text, value.start, end)
        words = text[s:e].split()
        if not words or len(words) > self.max_words or not text[s].isupper():
            return None
        return Span(s, e)
