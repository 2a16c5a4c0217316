"""Document kind (cue scoring) and headline title, both driven by rule files."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..rules import Rules, RulesError
from .ruleset import cached, compile_pattern, entries, setting

KINDS_FILE = "document_kinds.yaml"
TITLES_FILE = "titles.yaml"


def _kind_cues(rules: Rules):
    kinds = setting(rules, KINDS_FILE, "kinds")
    if not isinstance(kinds, dict):
        raise RulesError(f"{KINDS_FILE}: 'kinds' must map a kind to its cues")
    compiled = []
    for kind in kinds:
        for cue in _cue_list(kinds, kind):
            compiled.append((kind, cue.get("field", "text"), float(cue.get("weight", 1)),
                             compile_pattern(KINDS_FILE, cue["id"], cue["pattern"])))
    return (compiled, list(kinds), float(setting(rules, KINDS_FILE, "min_score")),
            setting(rules, KINDS_FILE, "fallback"))


def _cue_list(kinds: dict, kind: str) -> list[dict]:
    cues = kinds[kind]
    if not isinstance(cues, list) or any(not isinstance(c, dict) or not c.get("id") or "pattern" not in c for c in cues):
        raise RulesError(f"{KINDS_FILE}: every cue of '{kind}' needs an id and a pattern")
    return cues


def kind_scores(text: str, rules: Rules, signals: Mapping[str, str] | None = None) -> dict[str, float]:
    cues, kinds, _, _ = cached(rules, "kinds", _kind_cues)
    fields = {"text": text, **(signals or {})}
    scores = dict.fromkeys(kinds, 0.0)
    for kind, field, weight, pattern in cues:
        value = fields.get(field)
        if value and pattern.search(value):
            scores[kind] += weight
    return scores


def classify_kind(text: str, rules: Rules, signals: Mapping[str, str] | None = None) -> str:
    """Highest-scoring kind if it reaches min_score (ties go to the kind listed first), else the fallback.

    `signals` holds extra fields cues may look at, e.g. og_type and html_labels from the HTML reader.
    """
    _, kinds, min_score, fallback = cached(rules, "kinds", _kind_cues)
    scores = kind_scores(text, rules, signals)
    best = max(kinds, key=lambda k: (scores[k], -kinds.index(k)))
    return best if scores[best] >= min_score else fallback


def _title_rules(rules: Rules):
    skips = [compile_pattern(TITLES_FILE, e["id"], e["pattern"], re.IGNORECASE)
             for e in entries(rules, TITLES_FILE, "skip")]
    return (skips, int(setting(rules, TITLES_FILE, "scan_lines")), int(setting(rules, TITLES_FILE, "min_words")),
            int(setting(rules, TITLES_FILE, "max_words")), int(setting(rules, TITLES_FILE, "max_fallback_chars")))


def headline_title(text: str, rules: Rules) -> str | None:
    """First line near the top that looks like a headline: 2-20 words, no final period.

    Lines that are only a time, a date, a counter, an agenda or case number are skipped.
    """
    skips, scan_lines, min_words, max_words, max_chars = cached(rules, "titles", _title_rules)
    candidates = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if not line or any(p.fullmatch(line) for p in skips):
            continue
        candidates.append(line)
        if len(candidates) >= scan_lines:
            break
    for line in candidates:
        words = line.split()
        if min_words <= len(words) <= max_words and not line.endswith(".") and any(c.isalpha() for c in line):
            return line.lstrip("•-–*· ").strip() or line
    if candidates:
        return candidates[0][:max_chars].rstrip()
    return None
