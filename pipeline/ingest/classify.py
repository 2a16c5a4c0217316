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
            patterns = cue["pattern"] if isinstance(cue["pattern"], list) else [cue["pattern"]]
            requires = cue.get("requires", [])
            if not isinstance(requires, list) or not all(isinstance(r, str) and r for r in requires):
                raise RulesError(f"{KINDS_FILE}: cue {cue['id']}: 'requires' must be a list of strings")
            compiled.append((kind, cue.get("field", "text"), float(cue.get("weight", 1)), tuple(requires),
                             tuple(compile_pattern(KINDS_FILE, cue["id"], p) for p in patterns)))
    return (compiled, list(kinds), float(setting(rules, KINDS_FILE, "min_score")),
            setting(rules, KINDS_FILE, "fallback"))


def _cue_list(kinds: dict, kind: str) -> list[dict]:
    cues = kinds[kind]
    if not isinstance(cues, list) or any(not isinstance(c, dict) or not c.get("id") or "pattern" not in c for c in cues):
        raise RulesError(f"{KINDS_FILE}: every cue of '{kind}' needs an id and a pattern")
    return cues


# str.lower() agrees with how re.IGNORECASE compares letters except for these: "İ" lowers to two
# characters (re: "i"), and re also equates dotless "ı" with "i" and long "ſ" with "s".
_FOLD_AFTER_LOWER = str.maketrans({"\u0131": "i", "\u017f": "s"})


def fold_case(text: str) -> str:
    """`text` in lower case as re.IGNORECASE sees it, character for character (same length)."""
    if text.isascii():
        return text.lower()
    if "\u0130" in text:
        text = text.replace("\u0130", "i")
    lower = text.lower()
    if "\u0131" in lower or "\u017f" in lower:
        lower = lower.translate(_FOLD_AFTER_LOWER)
    return lower


def cue_fields(text: str, signals: Mapping[str, str] | None = None) -> dict[str, str]:
    """The fields a cue can search (see rules/document_kinds.yaml); signals may add or replace some."""
    lines = "\n" + text if text else ""
    return {"text": text, "lines": lines, "lower": fold_case(lines), **(signals or {})}


def kind_scores(text: str, rules: Rules, signals: Mapping[str, str] | None = None) -> dict[str, float]:
    cues, kinds, _, _ = cached(rules, "kinds", _kind_cues)
    fields = cue_fields(text, signals)
    scores = dict.fromkeys(kinds, 0.0)
    for kind, field, weight, requires, patterns in cues:
        value = fields.get(field)
        if not value:
            continue
        if requires:
            for literal in requires:
                if literal in value:
                    break
            else:
                continue  # no match can exist without one of them
        for pattern in patterns:
            if pattern.search(value):
                scores[kind] += weight
                break
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
    return (_any_fullmatch(skips), int(setting(rules, TITLES_FILE, "scan_lines")),
            int(setting(rules, TITLES_FILE, "min_words")), int(setting(rules, TITLES_FILE, "max_words")),
            int(setting(rules, TITLES_FILE, "max_fallback_chars")))


# Inside an alternation a backreference would count groups differently and an inline flag is an error.
_NOT_COMBINABLE = re.compile(r"\\\d|\(\?P=|\\g<|\(\?[aiLmsux]")


def _any_fullmatch(patterns: list[re.Pattern]):
    """line -> whether any of `patterns` matches the whole line. One alternation does that in one
    call (fullmatch backtracks into the next alternative), unless a pattern cannot be combined."""
    if patterns and not any(_NOT_COMBINABLE.search(p.pattern) for p in patterns):
        try:
            return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE).fullmatch
        except re.error:
            pass
    return lambda line: any(p.fullmatch(line) for p in patterns)


def headline_title(text: str, rules: Rules) -> str | None:
    """First line near the top that looks like a headline: 2-20 words, no final period.

    Lines that are only a time, a date, a counter, an agenda or case number are skipped.
    """
    skipped, scan_lines, min_words, max_words, max_chars = cached(rules, "titles", _title_rules)
    # The first of the first `scan_lines` usable lines that looks like a headline: lines are read
    # one by one and only until that one is found.
    first = None
    seen, scan_lines = 0, max(scan_lines, 1)  # the first usable line is always looked at
    start, end = 0, len(text)
    while start <= end and seen < scan_lines:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        line = " ".join(text[start:stop].split())
        start = stop + 1
        if not line or skipped(line):
            continue
        seen += 1
        if first is None:
            first = line
        words = line.split()
        if min_words <= len(words) <= max_words and not line.endswith(".") and any(c.isalpha() for c in line):
            return line.lstrip("•-–*· ").strip() or line
    if first is not None:
        return first[:max_chars].rstrip()
    return None
