"""Comparing theme names of networks (and titles of experiments) written in different ways.

Names are reduced to their content words (rules/reconcile.yaml: stopwords); two words agree
when equal or when they share a long common prefix (Danish inflection and compounding:
"indsats"/"indsatser", "samarbejder"/"samarbejdsformer"). Agreement is measured both against
the shorter name (a short variant may leave words out) and against both (so one shared word
in two long names is not enough).
"""

from __future__ import annotations

import math
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

    def tokens(self, name: str) -> set[str]:
        """What two agreeing words share: their first `min_common_prefix` letters (a shorter
        word agrees only with itself). Two names that `same` or `_same_title` match share at
        least one token, so an index on tokens finds every candidate."""
        p = self.min_common_prefix
        return {w[:p] if len(w) >= p else w for w in self.words(name)} or {""}


def fold(text: str) -> str:
    """Lower case without accents: "Én" -> "en"; æøå are letters of their own and stay."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c == "\u030a")
    return unicodedata.normalize("NFC", kept)


class CandidateIndex:
    """Items (clusters, groups) found by the tokens of their names within a scope (a network, a
    programme), so a new name is compared with its likely matches only, not with every item
    (quadratic on a large corpus). Two names matching with a dice of at least d share at least
    k = ceil(d * n / (2 - d)) - (n - t) of the new name's t distinct tokens (n: its words), so
    every match holds one of its t - k + 1 rarest tokens; a match's word counts also meet the
    dice bound, and with `full_overlap` (every word of the shorter name agrees) the shorter's
    tokens are all the longer's. Candidates come in the order the items were made, so the
    first or best match is the one a comparison with every item found."""

    def __init__(self, matcher: NameMatcher, min_dice: float, full_overlap: bool = False):
        self.matcher = matcher
        self.min_dice = min_dice
        self.full_overlap = full_overlap
        self.postings: dict[tuple[object, str], list[int]] = {}
        self.shapes: dict[int, list[tuple[frozenset[str], int]]] = {}  # item -> (tokens, words) of its names

    def add(self, scope: object, name: str, item: int) -> None:
        tokens = frozenset(self.matcher.tokens(name))
        self.shapes.setdefault(item, []).append((tokens, len(self.matcher.words(name))))
        for token in tokens:
            posting = self.postings.setdefault((scope, token), [])
            if not posting or posting[-1] != item:
                posting.append(item)

    def candidates(self, scope: object, name: str) -> list[int]:
        tokens = frozenset(self.matcher.tokens(name))
        n = len(self.matcher.words(name))
        shared = max(1, math.ceil(self.min_dice * n / (2 - self.min_dice) - 1e-9) - (n - len(tokens)))
        postings = sorted((self.postings.get((scope, t), ()) for t in tokens), key=len)
        found: set[int] = set()
        for posting in postings[:max(1, len(tokens) - shared + 1)]:
            found.update(posting)
        return [item for item in sorted(found) if any(self._possible(tokens, n, shape) for shape in self.shapes[item])]

    def _possible(self, tokens: frozenset[str], n: int, shape: tuple[frozenset[str], int]) -> bool:
        other, m = shape
        if n and m and 2 * min(n, m) < self.min_dice * (n + m) - 1e-9:
            return False  # too different in length to reach the dice
        if self.full_overlap and n and m:
            return tokens <= other if n <= m else other <= tokens
        return True
