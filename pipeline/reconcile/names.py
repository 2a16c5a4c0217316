"""Comparing theme names of networks (and titles of experiments) written in different ways.

Names are reduced to their content words (rules/reconcile.yaml: stopwords); two words agree
when equal or when they share a long common prefix (Danish inflection and compounding:
"indsats"/"indsatser", "samarbejder"/"samarbejdsformer"). Agreement is measured both against
the shorter name (a short variant may leave words out) and against both (so one shared word
in two long names is not enough).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..rules import Rules

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class NameMatcher:
    stopwords: frozenset[str]
    min_common_prefix: int
    min_prefix_share: float
    min_overlap: float
    min_dice: float
    # Corpora repeat the same few names thousands of times: remember each pair's answer.
    _words: dict = field(default_factory=dict, compare=False, repr=False)
    _similarity: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_rules(cls, rules: Rules) -> "NameMatcher":
        cfg = rules.yaml("reconcile.yaml")["network_names"]
        return cls(frozenset(fold(w) for w in cfg["stopwords"]), int(cfg["min_common_prefix"]),
                   float(cfg["min_prefix_share"]), float(cfg["min_overlap"]), float(cfg["min_dice"]))

    def words(self, name: str) -> tuple[str, ...]:
        found = self._words.get(name)
        if found is None:
            found = self._words[name] = tuple(
                w for w in WORD.findall(fold(name)) if w not in self.stopwords and not w.isdigit())
        return found

    def key(self, name: str) -> str:
        """A normal form for ids: content words in order."""
        return " ".join(self.words(name))

    def agree(self, a: str, b: str) -> bool:
        if a == b:
            return True
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        return common >= self.min_common_prefix and common >= self.min_prefix_share * min(len(a), len(b))

    def similarity(self, a: str, b: str) -> tuple[float, float]:
        """(overlap, dice) of the content words of two names."""
        key = (a, b)
        if key not in self._similarity:
            self._similarity[key] = self._compare(self.words(a), self.words(b))
        return self._similarity[key]

    def _compare(self, wa: tuple[str, ...], wb: tuple[str, ...]) -> tuple[float, float]:
        if not wa or not wb:
            return 0.0, 0.0
        unmatched = list(wb)
        matched = 0
        for w in wa:
            for i, v in enumerate(unmatched):
                if self.agree(w, v):
                    matched += 1
                    del unmatched[i]
                    break
        return matched / min(len(wa), len(wb)), 2 * matched / (len(wa) + len(wb))

    def same(self, a: str, b: str) -> bool:
        overlap, dice = self.similarity(a, b)
        return overlap >= self.min_overlap and dice >= self.min_dice


def fold(text: str) -> str:
    """Lower case without accents: "Én" -> "en"; æøå are letters of their own and stay."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c == "\u030a")
    return unicodedata.normalize("NFC", kept)
