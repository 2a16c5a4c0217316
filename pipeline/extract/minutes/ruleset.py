"""rules/committee_minutes.yaml and rules/committee_decisions.yaml, compiled once per component.

Only structure lives here: every word and pattern comes from the two rule files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...rules import Rules, RulesError

MINUTES_FILE = "committee_minutes.yaml"
DECISIONS_FILE = "committee_decisions.yaml"

_M = re.MULTILINE


@dataclass(frozen=True)
class HeaderRule:
    id: str
    strong: bool
    regex: re.Pattern


@dataclass(frozen=True)
class SectionRule:
    id: str
    key: str
    decision: bool


@dataclass(frozen=True)
class ContextRule:
    """A rule matched within one line; tried only on lines holding one of its `anchors` (if any)."""

    id: str
    regex: re.Pattern
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class TocRules:
    id: str
    entry: re.Pattern  # groups number, title; one line
    inline_next: str  # pattern with {number}: the next entry of a run-on list
    min_entries: int
    max_gap_lines: int
    heading: re.Pattern  # a line that announces a table of contents
    heading_within_lines: int
    labelled_max_gap_lines: int
    _next: dict = None  # number -> compiled inline_next

    def next_entry(self, number: str) -> re.Pattern:
        pattern = self._next.get(number)
        if pattern is None:
            pattern = self._next[number] = re.compile(self.inline_next.replace("{number}", re.escape(number)))
        return pattern


def _toc_rules(data: dict) -> TocRules:
    toc = _need(data, "table_of_contents")
    tid = _need(toc, "id")
    entry = _compile(MINUTES_FILE, tid, _need(toc, "entry"))
    if not {"number", "title"} <= set(entry.groupindex):
        raise RulesError(f"{MINUTES_FILE}: {tid}: entry needs (?P<number>...) and (?P<title>...) groups")
    inline_next = _need(toc, "inline_next")
    if "{number}" not in inline_next:
        raise RulesError(f"{MINUTES_FILE}: {tid}: inline_next needs a {{number}} placeholder")
    if "number" not in _compile(MINUTES_FILE, tid, inline_next.replace("{number}", "1")).groupindex:
        raise RulesError(f"{MINUTES_FILE}: {tid}: inline_next needs a (?P<number>...) group")
    return TocRules(tid, entry, inline_next, int(_need(toc, "min_entries")), int(_need(toc, "max_gap_lines")),
                    _compile(MINUTES_FILE, tid, _need(toc, "heading"), 0),
                    int(_need(toc, "heading_within_lines")), int(_need(toc, "labelled_max_gap_lines")), {})


@dataclass
class MinutesRules:
    gate_kinds: frozenset[str]
    gate_words: tuple[str, ...]
    headers: list[HeaderRule]
    header_lines: re.Pattern | None  # every header pattern in one: finds the lines worth trying
    structure_within_lines: int
    case_line_rule: HeaderRule  # opens an item at a case number line (no numbered header)
    toc: "TocRules"
    title_id: str
    title_regex: re.Pattern
    title_max_chars: int
    list_line: re.Pattern
    document_end: list[ContextRule]
    section_heading: re.Pattern  # groups: owner (optional), name, qualifier, inline
    section_heading_glued: re.Pattern  # the same without the line start: matched at a position
    section_heading_glued_after: re.Pattern  # where a glued heading may begin (its match's end)
    section_rules: list[SectionRule]  # in the order of the heading regex's groups s0, s1, ...
    section_end: list[ContextRule]  # lines that end the section they stand in
    labelled_case: list[ContextRule]
    labelled_case_ids: frozenset[str]
    bare_case: list[ContextRule]
    labelled_case_within: int
    bare_case_within: int
    preamble_max_lines: int
    body_regex: re.Pattern  # group "body"; compound suffix in group "suffix"
    body_genitive: str
    body_names: frozenset[str]
    body_suffixes: dict[str, str]
    body_header_id: str
    body_decision_heading_id: str
    body_context: list[ContextRule]
    municipality: dict[str, Any]
    meeting: dict[str, Any]
    meeting_label: re.Pattern
    absent_labelled: list[ContextRule]
    absent_sentences: list[ContextRule]
    absent_name: re.Pattern  # one name, with its party letters
    absent_names_line: re.Pattern  # a line holding only a list of names
    absent_separators: re.Pattern
    absent_party: re.Pattern
    absent_none: frozenset[str]
    frikommune: re.Pattern
    decision_regex: re.Pattern  # one group per phrase: d0, d1, ...
    decision_phrases: list[tuple[str, str]]  # (phrase id, canonical value) by group index


def _compile(file: str, rule_id: str, pattern: Any, flags: int = _M) -> re.Pattern:
    if not isinstance(pattern, str):
        raise RulesError(f"{file}: {rule_id}: pattern must be a string")
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RulesError(f"{file}: {rule_id}: bad pattern: {exc}") from exc


def _need(data: dict, key: str, file: str = MINUTES_FILE) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise RulesError(f"{file}: missing setting '{key}'")
    return data[key]


def _context_rules(items: Any, what: str, **subst: str) -> list[ContextRule]:
    if not isinstance(items, list):
        raise RulesError(f"{MINUTES_FILE}: '{what}' must be a list")
    out = []
    for item in items:
        if not isinstance(item, dict) or not item.get("id") or "pattern" not in item:
            raise RulesError(f"{MINUTES_FILE}: every entry of '{what}' needs an id and a pattern")
        pattern = item["pattern"]
        for key, value in subst.items():
            pattern = pattern.replace("{" + key + "}", value)
        anchors = item.get("anchors", [])
        if not isinstance(anchors, list) or not all(isinstance(a, str) and a for a in anchors):
            raise RulesError(f"{MINUTES_FILE}: {item['id']}: anchors must be a list of words")
        out.append(ContextRule(item["id"], _compile(MINUTES_FILE, item["id"], pattern),
                               tuple(a.lower() for a in anchors)))
    return out


def _body_pattern(bodies: dict) -> tuple[str, frozenset[str], dict[str, str], str]:
    """One alternation for every body name: fixed names (+ genitive) and suffix compounds."""
    genitive = _need(bodies, "genitive_suffix")
    names = [str(n) for n in _need(bodies, "names")]
    compound = _need(bodies, "compound")
    suffixes = {str(k): str(v) for k, v in _need(compound, "suffixes").items()}
    fixed = sorted({n + genitive for n in names} | set(names), key=len, reverse=True)
    suffix_alt = "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))
    alternatives = [f"(?:{_need(compound, 'prefix')})(?P<suffix>{suffix_alt})"]
    alternatives += [f"(?:{p})" for p in bodies.get("patterns", [])]
    alternatives.append("|".join(re.escape(n) for n in fixed))
    pattern = r"(?<![\w-])(?P<body>" + "|".join(alternatives) + r")(?!\w)"
    return pattern, frozenset(names), suffixes, genitive


def _decision_regex(data: dict) -> tuple[re.Pattern, list[tuple[str, str]]]:
    parts, phrases = [], []
    for cls in _need(data, "decisions", DECISIONS_FILE):
        value = _need(cls, "value", DECISIONS_FILE)
        for phrase in _need(cls, "phrases", DECISIONS_FILE):
            pid = _need(phrase, "id", DECISIONS_FILE)
            _compile(DECISIONS_FILE, pid, phrase.get("pattern"))  # report a bad phrase by its id
            parts.append(f"(?P<d{len(phrases)}>{phrase['pattern']})")
            phrases.append((pid, value))
    regex = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
    return regex, phrases


def _union(headers: list[HeaderRule]) -> re.Pattern | None:
    """One regex matching where any header pattern matches (groups unnamed): one scan of the text
    finds the candidate lines instead of one scan per pattern. None if the patterns do not combine."""
    parts = [re.sub(r"\(\?P<\w+>", "(?:", h.regex.pattern) for h in headers]
    if any(re.search(r"\(\?P=|\\\d|\(\?[aiLmsux]+\)", p) for p in parts):
        return None  # a backreference or a global inline flag does not survive the union
    try:
        return re.compile("|".join(f"(?:{p})" for p in parts), _M)
    except re.error:
        return None


def load_minutes_rules(rules: Rules) -> MinutesRules:
    data = rules.yaml(MINUTES_FILE) or {}
    gate = _need(data, "gate")
    headers = []
    for h in _need(data, "item_headers"):
        hid = _need(h, "id")
        regex = _compile(MINUTES_FILE, hid, _need(h, "pattern"))
        if "number" not in regex.groupindex:
            raise RulesError(f"{MINUTES_FILE}: {hid}: needs a (?P<number>...) group")
        headers.append(HeaderRule(hid, _need(h, "strength") == "strong", regex))
    title = _need(data, "title")

    section_rules, name_parts = [], []
    for i, s in enumerate(_need(data, "sections")):
        sid = _need(s, "id")
        section_rules.append(SectionRule(sid, _need(s, "key"), bool(s.get("decision", False))))
        name_parts.append(f"(?P<s{i}>{_need(s, 'pattern')})")
    heading = _need(data, "section_heading").replace("{name}", "|".join(name_parts))
    if "{start}" not in heading:
        raise RulesError(f"{MINUTES_FILE}: section_heading needs a {{start}} placeholder")
    heading_regex = _compile(MINUTES_FILE, "section_heading",
                             heading.replace("{start}", _need(data, "section_heading_start")))
    glued_heading = _compile(MINUTES_FILE, "section_heading", heading.replace("{start}", "[ \t]*"))
    glued_after = _compile(MINUTES_FILE, "section_heading_glued_after", _need(data, "section_heading_glued_after"))
    for group in ("name", "qualifier", "inline"):
        if group not in heading_regex.groupindex:
            raise RulesError(f"{MINUTES_FILE}: section_heading needs a (?P<{group}>...) group")

    cases = _need(data, "case_numbers")
    labelled_case = _context_rules(_need(cases, "labelled"), "case_numbers.labelled")
    bodies = _need(data, "bodies")
    body_pattern, body_names, body_suffixes, genitive = _body_pattern(bodies)
    absentees = _need(data, "absentees")
    name, seps = _need(absentees, "name"), _need(absentees, "separators")
    names_pattern = f"{name}(?:(?:{seps}){name})*"
    meeting = _need(data, "meeting_date")
    decision_regex, decision_phrases = _decision_regex(rules.yaml(DECISIONS_FILE) or {})

    return MinutesRules(
        gate_kinds=frozenset(_need(gate, "kinds")),
        gate_words=tuple(w.lower() for w in _need(gate, "other_kinds_need_any_of")),
        headers=headers,
        header_lines=_union(headers),
        structure_within_lines=int(_need(data, "structure_within_lines")),
        case_line_rule=HeaderRule(_need(_need(data, "case_line_items"), "id"), True, re.compile("(?!)")),
        toc=_toc_rules(data),
        title_id=_need(title, "id"),
        title_regex=_compile(MINUTES_FILE, "title", _need(title, "pattern"), 0),
        title_max_chars=int(title.get("max_chars", 200)),
        list_line=_compile(MINUTES_FILE, "list_line", _need(data, "list_line"), 0),
        document_end=_context_rules(_need(data, "document_end"), "document_end"),
        section_heading=heading_regex,
        section_heading_glued=glued_heading,
        section_heading_glued_after=glued_after,
        section_rules=section_rules,
        section_end=_context_rules(data.get("section_end", []), "section_end"),
        labelled_case=labelled_case,
        labelled_case_ids=frozenset(rule.id for rule in labelled_case),
        bare_case=_context_rules(_need(cases, "bare"), "case_numbers.bare"),
        labelled_case_within=int(_need(cases, "labelled_within_lines")),
        bare_case_within=int(_need(cases, "bare_within_lines")),
        preamble_max_lines=int(_need(data, "preamble_max_lines")),
        body_regex=_compile(MINUTES_FILE, "bodies", body_pattern),
        body_genitive=genitive,
        body_names=body_names,
        body_suffixes=body_suffixes,
        body_header_id=_need(bodies, "header_id"),
        body_decision_heading_id=_need(bodies, "decision_heading_id"),
        body_context=_context_rules(_need(bodies, "context"), "bodies.context", body=body_pattern),
        municipality=_need(data, "municipality"),
        meeting=meeting,
        meeting_label=_compile(MINUTES_FILE, meeting["label_id"], _need(meeting, "label"), 0),
        absent_labelled=_context_rules(_need(absentees, "labelled"), "absentees.labelled"),
        absent_sentences=_context_rules(_need(absentees, "sentences"), "absentees.sentences",
                                        names=names_pattern),
        absent_name=_compile(MINUTES_FILE, "absentees.name", name, 0),
        absent_names_line=_compile(MINUTES_FILE, "absentees.name", names_pattern + r"[ \t]*\.?", 0),
        absent_separators=_compile(MINUTES_FILE, "absentees.separators", seps, 0),
        absent_party=_compile(MINUTES_FILE, "absentees.party", _need(absentees, "party"), 0),
        absent_none=frozenset(str(v).lower() for v in _need(absentees, "none_values")),
        frikommune=_compile(MINUTES_FILE, "frikommune_keywords", _need(data, "frikommune_keywords")),
        decision_regex=decision_regex,
        decision_phrases=decision_phrases,
    )
