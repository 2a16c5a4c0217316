"""Fields of one agenda item read from its text: sections, case number, decision, absentees,
body names. Every value is a `fact` whose text is exactly document.text[start:end]."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...model import fact
from ..common import trimmed
from .items import Item
from .text import Lines
from .ruleset import MinutesRules

# End of the first sentence: sentence punctuation before whitespace or the end, or a blank line.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*\n")


def _span_fact(text: str, start: int, end: int, rule: str, value: Any = None, **extra: Any) -> dict:
    chunk = text[start:end]
    return fact(chunk if value is None else value, start, end, chunk, rule, **extra)


# ------------------------------------------------------------------------------ sections
@dataclass
class Heading:
    rule_id: str
    key: str
    decision: bool
    start: int  # heading start (its owner, else its name)
    end: int  # end of the heading proper (before inline text)
    content_from: int  # where the section's text begins
    qualifier: tuple[int, int] | None
    owner: tuple[int, int] | None = None  # "Udvalgets" in "Udvalgets beslutning"


def _group_span(m: re.Match, name: str) -> tuple[int, int] | None:
    return m.span(name) if name in m.re.groupindex and m.group(name) else None


def _heading(m: re.Match, r: MinutesRules) -> Heading:
    idx = next(i for i in range(len(r.section_rules)) if m.group(f"s{i}") is not None)
    rule = r.section_rules[idx]
    inline = m.start("inline") if m.group("inline") else -1
    owner = _group_span(m, "owner")
    return Heading(rule.id, rule.key, rule.decision, owner[0] if owner else m.start("name"),
                   inline if inline >= 0 else m.end(), inline if inline >= 0 else m.end(),
                   _group_span(m, "qualifier"), owner)


def find_headings(text: str, r: MinutesRules) -> list[Heading]:
    """Headings at the start of a line, and headings glued to the end of a paragraph."""
    out = [_heading(m, r) for m in r.section_heading.finditer(text)]
    glued = []
    for after in r.section_heading_glued_after.finditer(text):
        m = r.section_heading_glued.match(text, after.end())
        if m is not None:
            glued.append(_heading(m, r))
    if glued:
        out = sorted(out + glued, key=lambda h: h.start)
    return out


@dataclass
class Section:
    heading: Heading
    start: int
    end: int


def section_boundaries(lines: Lines, absences: list["Absence"], r: MinutesRules) -> list[tuple[int, int]]:
    """(start, end) of every statement that ends a section: absentee statements and section_end
    lines. `end` is the end of the statement's last line (where a section right below it begins)."""
    out = [(a.start, lines.ends[lines.index(max(a.end - 1, a.start))]) for a in absences]
    for rule in r.section_end:
        for m in lines.finditer(rule):
            out.append((m.start(), lines.ends[lines.index(m.start())]))
    return sorted(out)


def item_sections(text: str, item: Item, headings: list[Heading],
                  boundaries: list[tuple[int, int]]) -> list[Section]:
    """The item's sections; each runs to the next heading, boundary statement or the item's end.
    Boundary statements right below a heading ("Fraværende: ..." under "Beslutning") are passed
    over: the section begins after them."""
    inside = [h for h in headings if item.start < h.start < item.end]
    bounds = [b for b in boundaries if item.start < b[0] < item.end]
    heading_starts = [h.start for h in inside]
    out = []
    for h in inside:
        begin = h.content_from
        for b_start, b_end in bounds:
            if b_start < begin:
                continue
            if text[begin:b_start].strip():
                break
            begin = max(begin, b_end)
        stop = min([s for s in heading_starts if s >= begin] + [b for b, _ in bounds if b >= begin]
                   + [item.end])
        if stop < begin:
            continue
        start, end = trimmed(text, begin, stop)
        if end > start:
            out.append(Section(h, start, end))
    return out


def sections_field(text: str, sections: list[Section]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for s in sections:
        key, n = s.heading.key, 2
        while key in out:
            key, n = f"{s.heading.key}_{n}", n + 1
        heading_text = text[s.heading.start:s.heading.end].rstrip(" \t:")
        out[key] = _span_fact(text, s.start, s.end, s.heading.rule_id, heading=heading_text)
    return out


# ------------------------------------------------------------------------------ case number
def case_number(text: str, lines: Lines, item: Item, r: MinutesRules) -> dict | None:
    h = item.header
    from_pos = h.title[1] if h.title else h.number[1]
    best = None
    for rules, within in ((r.labelled_case, r.labelled_case_within), (r.bare_case, r.bare_case_within)):
        following = lines.next_nonblank(h.title_line, within, lines.index(item.end) + 1)
        if not following:
            continue
        until = min(lines.ends[following[-1]], item.end)
        for rule in rules:
            m = lines.search(rule, from_pos, until)
            if m is not None and (best is None or m.start("value") < best[0].start("value")):
                best = (m, rule.id)
    if best is None:
        return None
    m, rule_id = best
    label = m.group("label") if "label" in m.re.groupindex and m.group("label") else None
    extra = {"label": label} if label else {}
    return _span_fact(text, *m.span("value"), rule_id, **extra)


# ------------------------------------------------------------------------------ decision
def decision_fields(text: str, section: Section | None, r: MinutesRules) -> tuple[dict | None, dict | None]:
    """(decision, decision_text) from the chosen decision section."""
    if section is None:
        return None, None
    decision_text = _span_fact(text, section.start, section.end, section.heading.rule_id)
    end_m = _SENTENCE_END.search(text, section.start, section.end)
    first_end = end_m.end() if end_m else section.end
    m = r.decision_regex.search(text, section.start, first_end)
    scope = "first_sentence"
    if m is None:
        m = r.decision_regex.search(text, first_end, section.end)
        scope = "section"
    if m is None:
        return None, decision_text
    phrase_id, value = r.decision_phrases[int(m.lastgroup[1:])]
    decision = fact(value, m.start(), m.end(), m.group(), phrase_id, label=m.group(), scope=scope)
    return decision, decision_text


def choose_decision_section(text: str, sections: list[Section], body: str | None,
                            r: MinutesRules) -> Section | None:
    """The decision of the minutes' own body ("Beslutning i Byrådet" in Byrådet's minutes), else
    the last decision section (earlier ones are the committees that prepared the case)."""
    decisions = [s for s in sections if s.heading.decision]
    if body is not None:
        for s in reversed(decisions):
            named = qualifier_body(text, s.heading, r)
            if named is not None and named[0] == body:
                return s
    return decisions[-1] if decisions else None


# ------------------------------------------------------------------------------ bodies
def normalise_body(m: re.Match, r: MinutesRules) -> str:
    name = m.group("body")
    suffix = m.group("suffix")
    if suffix:
        return " ".join((name[: -len(suffix)] + r.body_suffixes[suffix]).split())
    g = r.body_genitive
    if name not in r.body_names and name.endswith(g) and name[: -len(g)] in r.body_names:
        return name[: -len(g)]
    return " ".join(name.split())


def body_fact(m: re.Match, rule_id: str, r: MinutesRules) -> dict:
    s, e = m.span("body")
    return fact(normalise_body(m, r), s, e, m.group("body"), rule_id)


def qualifier_body(text: str, heading: Heading, r: MinutesRules) -> tuple[str, re.Match] | None:
    """The body a heading names: in its owner ("Økonomiudvalgets beslutning"), else its qualifier."""
    for span in (heading.owner, heading.qualifier):
        if span is not None:
            m = r.body_regex.search(text, *span)
            if m is not None:
                return normalise_body(m, r), m
    return None


def body_in_item(lines: Lines, item: Item, decision: Section | None, r: MinutesRules) -> dict | None:
    text = lines.text
    if decision is not None:
        named = qualifier_body(text, decision.heading, r)
        if named is not None:
            return body_fact(named[1], r.body_decision_heading_id, r)
    best = None
    for rule in r.body_context:
        m = lines.search(rule, item.start, item.end)
        if m is not None and (best is None or m.start() < best[0].start()):
            best = (m, rule.id)
    return body_fact(best[0], best[1], r) if best else None


# ------------------------------------------------------------------------------ absentees
@dataclass
class Absence:
    """One statement about who was absent: a labelled list (replaces) or a sentence (adds)."""

    start: int  # where the statement begins (a boundary for sections)
    labelled: bool
    names: list[dict]
    end: int = -1  # where it ends (-1: at its start)


def _name_facts(text: str, start: int, end: int, rule_id: str, r: MinutesRules) -> list[dict]:
    """Names in a comma/og-separated list between start and end."""
    out = []
    pos = start
    pieces = []
    for sep in r.absent_separators.finditer(text, start, end):
        pieces.append((pos, sep.start()))
        pos = sep.end()
    pieces.append((pos, end))
    for s, e in pieces:
        s, e = trimmed(text, s, e)
        while e > s and text[e - 1] in ".;":
            e -= 1
        if e <= s or not text[s].isupper():
            continue  # "…, der kom under punkt 3": not a name
        name = r.absent_name.match(text, s, e)
        if name is not None:
            e = name.end()  # "Hans Jensen fra kl. 17.30": the name only
        value, extra = text[s:e], {}
        party = r.absent_party.search(value)
        if party is not None:
            extra["party"] = party.group("party")
            value = value[: party.start()].rstrip()
        out.append(fact(value, s, e, text[s:e], rule_id, **extra))
    return out


def find_absences(lines: Lines, r: MinutesRules) -> list[Absence]:
    text = lines.text
    out = []
    for rule in r.absent_labelled:
        for m in lines.finditer(rule):
            s, e = m.span("list")
            if text[s:e].strip().rstrip(".").strip().lower() in r.absent_none:
                out.append(Absence(m.start("label"), True, [], m.end()))
                continue
            if s == e:  # "Fraværende:" with the names on the next line
                nxt = lines.next_nonblank(lines.index(m.start()), 1)
                if not nxt:
                    continue
                s, e = lines.stripped(nxt[0])
                if not r.absent_names_line.fullmatch(text, s, e):
                    continue
            out.append(Absence(m.start("label"), True, _name_facts(text, s, e, rule.id, r), e))
    for rule in r.absent_sentences:
        for m in lines.finditer(rule):
            out.append(Absence(m.start("names"), False, _name_facts(text, *m.span("names"), rule.id, r),
                               m.end()))
    out.sort(key=lambda a: a.start)
    return out


def absent_field(header_absences: list[Absence], item_absences: list[Absence]) -> list[dict] | None:
    """Document-level list, replaced by the item's own labelled list, plus the item's sentences."""
    if not header_absences and not item_absences:
        return None
    item_lists = [a for a in item_absences if a.labelled]
    if item_lists:
        base = [dict(f, scope="item") for a in item_lists for f in a.names]
    else:
        base = [dict(f, scope="document") for a in header_absences for f in a.names]
    added = [dict(f, scope="item") for a in item_absences if not a.labelled for f in a.names]
    out, seen = [], set()
    for f in base + added:
        if f["value"] not in seen:
            seen.add(f["value"])
            out.append(f)
    return out
