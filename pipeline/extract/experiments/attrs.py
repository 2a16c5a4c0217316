"""What an experiment's surroundings say about it: the municipalities tied to it and the
programme (I, II, III) it belongs to. Rules: rules/programmes.yaml."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from ...model import Mention, fact
from ...rules import Rules, RulesError
from .layouts import Found

PROGRAMMES_FILE = "programmes.yaml"
_YEARS = re.compile(r"^(\d{4})(?:-\d\d(?:-\d\d)?)?(?:/(\d{4}))?$")
# A sentence, or a field of a "Navn: … Deltagere: …" block, ends here.
_SENTENCE_END = ".!?\n:"


@dataclass(frozen=True)
class Period:
    programme: str
    first: int
    last: int


class Surroundings:
    def __init__(self, rules: Rules):
        cfg = rules.yaml(PROGRAMMES_FILE)
        try:
            self.stated_rule: str = cfg["stated"]["id"]
            self.stated = re.compile(cfg["stated"]["regex"], re.IGNORECASE)
            self.year_rule: str = cfg["year_rule"]
            self.periods = [Period(str(p["programme"]), int(p["from"]), int(p["to"])) for p in cfg["periods"]]
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{PROGRAMMES_FILE}: missing or malformed key {exc}") from exc

    # ------------------------------------------------------------------ programme
    def stated_programmes(self, text: str) -> list[dict[str, Any]]:
        out = []
        for m in self.stated.finditer(text):
            numeral = m.group("numeral")
            if numeral.isupper():
                out.append(fact(numeral, m.start(), m.end(), m.group(0), self.stated_rule))
        return out

    def programme(self, text: str, f: Found, stated: list[dict[str, Any]], dates: list[Mention]
                  ) -> dict[str, Any] | None:
        if stated:
            before = [s for s in stated if s["end"] <= f.start]
            return before[-1] if before else stated[0]
        scope = self.scope(text, f)
        local = [m for m in dates if scope[0] <= m.start and m.end <= scope[1]]
        spans = [m for m in dates if m.value and "/" in m.value]
        for m in local + spans[:1]:
            programme = self._of_years(m.value or "")
            if programme:
                return fact(programme, m.start, m.end, m.text, self.year_rule, date=m.value)
        return None

    def _of_years(self, value: str) -> str | None:
        years = _YEARS.match(value)
        if not years:
            return None
        first = int(years.group(1))
        last = int(years.group(2)) if years.group(2) else first
        holding = {p.programme for p in self.periods if p.first <= first and last <= p.last}
        if len(holding) == 1:
            return holding.pop()
        if last != first:
            starting = {p.programme for p in self.periods if p.first <= first <= p.last}
            if len(starting) == 1:
                return starting.pop()
        return None

    # ------------------------------------------------------------------ municipalities
    def municipalities(self, text: str, f: Found, municipalities: list[Mention], starts: list[int]
                       ) -> list[dict[str, Any]]:
        """Municipality mentions in the title, else the item's line, else its heading or sentence."""
        areas = [(f.title.start, f.title.end), (f.start, f.end)]
        areas.append((f.scope.start, f.scope.end) if f.scope is not None else self.scope(text, f))
        for start, end in areas:
            inside = municipalities[bisect_left(starts, start):bisect_left(starts, end)]
            inside = [m for m in inside if m.end <= end]
            if inside:
                seen, out = set(), []
                for m in inside:
                    if m.value not in seen:
                        seen.add(m.value)
                        out.append(fact(m.value, m.start, m.end, m.text, m.rule))
                return out
        return []

    @staticmethod
    def scope(text: str, f: Found) -> tuple[int, int]:
        """The sentence (or line) around the item."""
        start = max(text.rfind(c, 0, f.start) for c in _SENTENCE_END) + 1
        ends = [i for i in (text.find(c, f.end) for c in _SENTENCE_END) if i >= 0]
        return start, min(ends) if ends else len(text)
