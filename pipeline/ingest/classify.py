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
    strips = [compile_pattern(TITLES_FILE, e["id"], e["pattern"], re.IGNORECASE)
              for e in (setting(rules, TITLES_FILE, "strip") or [])] if _has(rules, "strip") else []
    menu = setting(rules, TITLES_FILE, "menu_block") if _has(rules, "menu_block") else None
    prefer = [compile_pattern(TITLES_FILE, e["id"], e["pattern"], re.IGNORECASE)
              for e in (setting(rules, TITLES_FILE, "prefer") or [])] if _has(rules, "prefer") else []
    return (_any_fullmatch(skips), int(setting(rules, TITLES_FILE, "scan_lines")),
            int(setting(rules, TITLES_FILE, "min_words")), int(setting(rules, TITLES_FILE, "max_words")),
            int(setting(rules, TITLES_FILE, "max_fallback_chars")), strips,
            (int(menu["min_lines"]), int(menu["max_words"])) if menu else None,
            str(setting(rules, TITLES_FILE, "bullets")) if _has(rules, "bullets") else "•-–*· ",
            prefer, tuple(str(setting(rules, TITLES_FILE, "not_final"))) if _has(rules, "not_final") else (".",))


def _has(rules: Rules, key: str) -> bool:
    data = rules.yaml(TITLES_FILE)
    return isinstance(data, dict) and key in data


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

    Lines that are only a time, a date, a counter, an agenda or case number, page furniture
    (skip links, photo credits, bylines) are skipped, a metadata prefix is cut off the first
    line, and a run of short lines (a navigation menu) is passed over as a whole.
    """
    skipped, scan_lines, min_words, max_words, max_chars, strips, menu, bullets, prefer, not_final = cached(
        rules, "titles", _title_rules)
    scan_lines = max(scan_lines, 1)  # the first usable line is always looked at
    lines = _top_lines(text, scan_lines, menu)
    first = None
    seen = 0
    for i, raw in enumerate(lines):
        if raw is None:
            continue  # a blank line, or a line of a menu block
        line = raw
        if i == 0:
            for rx in strips:
                m = rx.match(line)
                if m is not None and m.end() < len(line):
                    line = line[m.end():].strip()
        bare = line.lstrip(bullets).strip()
        if not bare or skipped(line) or skipped(bare):
            continue
        seen += 1
        for rx in prefer:  # a line that names the title: "Titel: ...", "L 168 Forslag til lov om ..."
            m = rx.fullmatch(bare)
            if m is not None and m.group("title").strip():
                return m.group("title").strip()
        listed = bare != line.strip()  # a list item (bulleted) is no headline
        if first is None and not listed:
            first = line
        words = bare.split()
        if (not listed and min_words <= len(words) <= max_words and not line.endswith(not_final)
                and any(c.isalpha() for c in line)):
            return bare
        if seen >= scan_lines:
            break
    if first is not None:
        return first[:max_chars].rstrip()
    return None


def _top_lines(text: str, scan_lines: int, menu: tuple[int, int] | None) -> list[str | None]:
    """The lines at the top of the text, whitespace collapsed; None for blank lines and for the
    lines of a menu block (at least min_lines consecutive non-blank lines of at most max_words
    words each, ended by a blank line). Reads a bounded number of lines, never the whole text."""
    limit = scan_lines * 4 + (menu[0] * 4 if menu else 0)
    out: list[str | None] = []
    start, end = 0, len(text)
    while start <= end and len(out) < limit:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        out.append(" ".join(text[start:stop].split()) or None)
        start = stop + 1
    if menu:
        min_lines, max_w = menu
        i = 0
        while i < len(out):
            if out[i] is None:
                i += 1
                continue
            j = i
            while j < len(out) and out[j] is not None and len(out[j].split()) <= max_w:
                j += 1
            if j - i >= min_lines and j < len(out) and out[j] is None:  # ended by a blank line
                for k in range(i, j):
                    out[k] = None
            i = max(j, i + 1)
    return out
