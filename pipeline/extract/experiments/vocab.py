"""Compiled vocabularies of the experiments component: status labels and application rounds.

Everything Danish comes from rules/experiment_status.yaml and rules/experiments.yaml; this
module only turns the word lists into regexes once, in the factory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...rules import Rules, RulesError
from ..common import alternation

STATUS_FILE = "experiment_status.yaml"
EXPERIMENTS_FILE = "experiments.yaml"


def _str_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{what}: expected a list of non-empty strings")
    return [v.strip() for v in value]


@dataclass(frozen=True)
class StatusHit:
    status: str  # canonical: approved | partially_approved | pending | rejected | withdrawn | undetermined
    rule: str
    start: int
    end: int
    label: str  # as written
    # an undetermined status (a heading naming two decisions) keeps every status it could be
    candidates: tuple[str, ...] = ()


class StatusVocabulary:
    """Status labels of rules/experiment_status.yaml, in file order (most specific first)."""

    def __init__(self, rules: Rules):
        data = rules.yaml(STATUS_FILE)
        try:
            entries = data["statuses"]
            prose_exclude = {w.lower() for w in _str_list(data.get("prose_exclude", []), "prose_exclude")}
            self.entries: list[tuple[str, str]] = []  # (rule id, canonical status), by group index
            self.candidates: dict[str, tuple[str, ...]] = {}  # rule id -> statuses an undetermined label may be
            full_parts, prose_parts = [], []
            for i, entry in enumerate(entries):
                labels = _str_list(entry["labels"], f"{STATUS_FILE}: {entry.get('id')}")
                self.entries.append((entry["id"], entry["status"]))
                if entry.get("candidates"):
                    self.candidates[entry["id"]] = tuple(_str_list(entry["candidates"], f"{entry['id']}: candidates"))
                full_parts.append(f"(?P<s{i}>{alternation(labels)})")
                in_prose = [lab for lab in labels if lab.lower() not in prose_exclude]
                if in_prose:
                    prose_parts.append(f"(?P<s{i}>{alternation(in_prose)})")
        except (KeyError, TypeError) as exc:
            raise RulesError(f"{STATUS_FILE}: missing or malformed key {exc}") from exc
        # A whole cell or line: the label, optionally closed by a period.
        self._whole = re.compile(r"(?:" + "|".join(full_parts) + r")\.?", re.IGNORECASE)
        # Inside a sentence: whole words only.
        self.prose_pattern = r"(?:" + "|".join(prose_parts) + r")(?!\w)"
        self._inside = re.compile(r"(?<!\w)" + self.prose_pattern, re.IGNORECASE)
        self.statuses = {status for _rule, status in self.entries}

    def whole(self, text: str, start: int, end: int) -> StatusHit | None:
        """The status if text[start:end] is exactly one status label (a cell, a line)."""
        m = self._whole.fullmatch(text, start, end)
        if m is None:
            return None
        return self.hit(m, text)

    def inside(self, text: str, start: int, end: int) -> list[StatusHit]:
        """Every status label standing as whole words in text[start:end] (a heading, a line)."""
        return [self.hit(m, text) for m in self._inside.finditer(text, start, end)]

    def hit(self, m: re.Match, text: str) -> StatusHit:
        """The StatusHit of a match of `_whole`, or of a regex embedding `prose_pattern`."""
        for i, (rule, status) in enumerate(self.entries):
            group = f"s{i}"
            if group in m.re.groupindex and m.group(group) is not None:
                s, e = m.span(group)
                return StatusHit(status=status, rule=rule, start=s, end=e, label=text[s:e],
                                 candidates=self.candidates.get(rule, ()))
        raise ValueError("match holds no status group")


@dataclass(frozen=True)
class RoundHit:
    value: int
    rule: str
    start: int
    end: int


class RoundFinder:
    """Application-round expressions ("i første runde", "runde 3", "2. ansøgningsrunde")."""

    def __init__(self, rules: Rules):
        cfg = rules.yaml(EXPERIMENTS_FILE)["round"]
        try:
            self.ordinals = {str(k).lower(): int(v) for k, v in cfg["ordinals"].items()}
            fills = {"ordinal": alternation(list(self.ordinals)),
                     "round": "(?:" + alternation(_str_list(cfg["round_words"], "round.round_words")) + ")"}
            self._patterns = [(pat["id"], re.compile(pat["regex"].format(**fills), re.IGNORECASE))
                              for pat in cfg["patterns"]]
        except (KeyError, TypeError, ValueError, IndexError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: round: missing or malformed key {exc}") from exc

    def find_all(self, text: str, start: int, end: int) -> list[RoundHit]:
        """Every round expression in text[start:end], in text order."""
        hits = [self._hit(rule, m) for rule, regex in self._patterns for m in regex.finditer(text, start, end)]
        return sorted(hits, key=lambda h: (h.start, -h.end))

    def first(self, text: str, start: int, end: int) -> RoundHit | None:
        hits = self.find_all(text, start, end)
        return hits[0] if hits else None

    def last(self, text: str, start: int, end: int) -> RoundHit | None:
        hits = self.find_all(text, start, end)
        return hits[-1] if hits else None

    def _hit(self, rule: str, m: re.Match) -> RoundHit:
        groups = m.groupdict()
        ordinal, number = groups.get("ordinal"), groups.get("number")
        value = self.ordinals[ordinal.lower()] if ordinal else int(number)
        return RoundHit(value=value, rule=rule, start=m.start(), end=m.end())
