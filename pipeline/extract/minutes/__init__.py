"""Committee minutes -> one Record(type="agenda_item") per agenda item: component `frikommune_minutes`.

Rules: rules/committee_minutes.yaml (gate, item headers, sections, case numbers, bodies,
municipality and meeting-date sources, absentees, frikommune keywords) and
rules/committee_decisions.yaml (decision phrases -> canonical values). No vocabulary lives here.

When it runs: on documents classified as committee_minutes; on any other document only if a
gate word occurs, and then it keeps only items that have a decision section or a line right
under their header that a labelled case number opens (so a numbered list in a news article never becomes an agenda, while
an agenda item cut off before its decision still counts).

How (regex over the document's text; the tokens are not looked at. Only the item-header and
section-heading patterns scan the whole text; every other rule is tried only on the lines that
hold one of its anchor words, found with str.find):
  1. item headers ("Punkt 3.", "Pkt. 12", "Sag nr. 4", "95. Title") are candidates, kept only
     if their title looks like a title, their number is not a date mention, item structure
     (section heading / case number) follows, and numbers count up (items.py);
  2. each item runs to the next header; its sections run to the next heading or absentee
     statement; case number, decision, absentees and body are read from them (fields.py);
  3. what the text before the first item says (body, municipality, meeting date, absentees)
     applies to every item; an item falls back on its own text where that says nothing.
Municipalities and dates come from the mentions earlier components put in doc._.mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ...model import Mention, Record, fact
from ...rules import Rules
from ..common import lowered
from .fields import (
    Absence, Section, absent_field, body_fact, body_in_item, case_number, choose_decision_section,
    decision_fields, find_absences, find_headings, item_sections, section_boundaries, sections_field,
)
from .items import (Item, Structure, TocEntry, accept_headers, case_line_items, find_candidates, find_toc,
                    item_spans)
from .ruleset import MinutesRules, load_minutes_rules
from .text import Lines

RECORD_TYPE = "agenda_item"


@Language.factory("frikommune_minutes", default_config={"rules_dir": None})
def make_component(nlp: Language, name: str, rules_dir: str | None) -> "MinutesComponent":
    return MinutesComponent(Rules(Path(rules_dir)) if rules_dir else Rules())


def _mention_fact(m: Mention, rule_id: str, **extra: Any) -> dict:
    return fact(m.value, m.start, m.end, m.text, rule_id, mention_rule=m.rule, **extra)


@dataclass
class Preamble:
    """What the text before the first item says about the whole meeting."""

    body: dict | None = None
    municipality: dict | None = None
    meeting_date: dict | None = None  # from a labelled date ("Mødedato: ...")
    meeting_role_date: dict | None = None  # a meeting-role date without a label
    absences: list[Absence] = field(default_factory=list)


class MinutesComponent:
    needs_tokens = False  # reads the text, not spaCy's tokens (extract/stages.py)

    def __init__(self, rules: Rules):
        self.r: MinutesRules = load_minutes_rules(rules)

    def __call__(self, doc: Doc) -> Doc:
        document = doc._.document
        if document is None or not document.text:
            return doc
        text = document.text
        strict = document.kind not in self.r.gate_kinds
        if strict and not self._gate_word_in(text, lowered(doc, text)):
            return doc
        records = self.read(text, doc._.mentions or [], doc._.published, strict)
        if records:
            if doc._.records is None:
                doc._.records = []
            doc._.records.extend(records)
        return doc

    def _gate_word_in(self, text: str, low: str | None = None) -> bool:
        low = text.lower() if low is None else low
        return any(word in low for word in self.r.gate_words)

    # ------------------------------------------------------------------ the document
    def read(self, text: str, mentions: list[Mention], published: str | None,
             strict: bool = False) -> list[Record]:
        r = self.r
        dates = sorted((m for m in mentions if m.type == "date"), key=lambda m: m.start)
        municipalities = sorted((m for m in mentions if m.type == "municipality"), key=lambda m: m.start)
        lines = Lines(text)
        headings = find_headings(text, r)
        structure = Structure(lines, r, {lines.index(h.start) for h in headings})
        candidates = find_candidates(text, lines, structure, r, {m.start for m in dates})
        items = item_spans(lines, accept_headers(candidates, lines, structure, r), r)
        toc = [] if strict else find_toc(text, lines, r, items[0].start if items else len(text))
        if not items and not toc:
            items = case_line_items(lines, structure.heading_lines, r)
        if not items and not toc:
            return []
        absences = find_absences(lines, r)
        boundaries = section_boundaries(lines, absences, r)
        first = min([i.start for i in items[:1]] + [e.start for e in toc[:1]])
        preamble = self.preamble(lines, first, dates, municipalities, absences)
        published_date = self.published_meeting_date(dates, published)
        numbers = {text[i.header.number[0]:i.header.number[1]] for i in items}
        records = [self.toc_record(text, e, preamble, published_date) for e in toc
                   if text[e.number[0]:e.number[1]] not in numbers]
        for item in items:
            sections = item_sections(text, item, headings, boundaries)
            case = case_number(text, lines, item, r)
            if strict and not any(s.heading.decision for s in sections) \
                    and not self._case_line_under_header(lines, item, case):
                continue
            records.append(self.record(text, lines, item, sections, case, preamble, published_date,
                                       dates, municipalities, absences))
        return sorted(records, key=lambda rec: rec.start)

    def _case_line_under_header(self, lines: Lines, item: Item, case: dict | None) -> bool:
        """A labelled case number opens one of the two lines right under the item's title
        ("Sagsnr.: 14/3087"), as in an agenda item, not a sentence that mentions one."""
        if case is None or case["rule"] not in self.r.labelled_case_ids:
            return False
        line = lines.index(case["start"])
        if line not in lines.next_nonblank(item.header.title_line, 2):
            return False
        return lines.text[lines.starts[line]:case["start"]].strip().startswith(case.get("label") or "\0")

    def preamble(self, lines: Lines, end: int, dates: list[Mention], municipalities: list[Mention],
                 absences: list[Absence]) -> Preamble:
        r = self.r
        text = lines.text
        p = Preamble(absences=[a for a in absences if a.start < end])
        head = lines.next_nonblank(-1, r.preamble_max_lines, lines.index(end))
        end = min(end, lines.ends[head[-1]]) if head else 0  # body, municipality, date: the top lines
        body = r.body_regex.search(text, 0, end)
        if body is not None:
            p.body = body_fact(body, r.body_header_id, r)
        before = [m for m in municipalities if m.end <= end]
        suffixed = [m for m in before if m.rule in r.municipality["suffix_mention_rules"]]
        chosen = (suffixed or before or [None])[0]
        if chosen is not None:
            p.municipality = _mention_fact(chosen, r.municipality["header_id"], name=chosen.attrs.get("name"))
        meeting = r.meeting
        for m in (d for d in dates if d.end <= end):
            line_start = text.rfind("\n", 0, m.start) + 1
            if p.meeting_date is None and r.meeting_label.search(text, line_start, m.start):
                p.meeting_date = _mention_fact(m, meeting["label_id"], role=m.attrs.get("role"))
            if p.meeting_role_date is None and m.attrs.get("role") in meeting["header_roles"]:
                p.meeting_role_date = _mention_fact(m, meeting["header_role_id"], role=m.attrs.get("role"))
        return p

    def published_meeting_date(self, dates: list[Mention], published: str | None) -> dict | None:
        """The date mention the publication date was read from, if that was a meeting label."""
        if not published:
            return None
        rules = self.r.meeting["published_from_rules"]
        for m in dates:
            if m.value == published and m.attrs.get("role_rule") in rules:
                return _mention_fact(m, self.r.meeting["published_id"], role=m.attrs.get("role"))
        return None

    # ------------------------------------------------------------------ one item
    def record(self, text: str, lines: Lines, item: Item, sections: list[Section], case: dict | None,
               preamble: Preamble, published_date: dict | None, dates: list[Mention],
               municipalities: list[Mention], absences: list[Absence]) -> Record:
        r = self.r
        h = item.header
        body = preamble.body
        decision_section = choose_decision_section(text, sections, body["value"] if body else None, r)
        if body is None:
            body = body_in_item(lines, item, decision_section, r)
        decision, decision_text = decision_fields(text, decision_section, r)
        item_absences = [a for a in absences if item.start <= a.start < item.end]
        fields = {
            "agenda_item": fact(text[h.number[0]:h.number[1]], *h.number, text[h.number[0]:h.number[1]], h.rule.id)
            if h.number[1] > h.number[0] else None,  # an item opened by its case number has none
            "title": fact(text[h.title[0]:h.title[1]], *h.title, text[h.title[0]:h.title[1]], r.title_id)
            if h.title else None,
            "case_number": case,
            "body": dict(body) if body else None,
            "municipality": self.municipality(item, preamble, municipalities),
            "meeting_date": self.meeting_date(item, decision_section, preamble, published_date, dates),
            "decision": decision,
            "decision_text": decision_text,
            "absent": absent_field(preamble.absences, item_absences),
            "sections": sections_field(text, sections),
            "mentions_frikommune": r.frikommune.search(text, item.start, item.end) is not None,
        }
        return Record(type=RECORD_TYPE, start=item.start, end=item.end, rule=h.rule.id, fields=fields)

    def toc_record(self, text: str, entry: TocEntry, preamble: Preamble, published_date: dict | None) -> Record:
        """An item the table of contents lists and the text does not give: number and title, and
        what the preamble says about the whole meeting."""
        r = self.r
        (ns, ne), (ts, te) = entry.number, entry.title
        meeting = preamble.meeting_date or preamble.meeting_role_date or published_date
        fields = {
            "agenda_item": fact(text[ns:ne], ns, ne, text[ns:ne], r.toc.id),
            "title": fact(text[ts:te], ts, te, text[ts:te], r.title_id),
            "case_number": None,
            "body": dict(preamble.body) if preamble.body else None,
            "municipality": dict(preamble.municipality) if preamble.municipality else None,
            "meeting_date": dict(meeting) if meeting else None,
            "decision": None,
            "decision_text": None,
            "absent": absent_field(preamble.absences, []),
            "sections": {},
            "mentions_frikommune": r.frikommune.search(text, ts, te) is not None,
        }
        return Record(type=RECORD_TYPE, start=entry.start, end=entry.end, rule=r.toc.id, fields=fields)

    def municipality(self, item: Item, preamble: Preamble, municipalities: list[Mention]) -> dict | None:
        if preamble.municipality is not None:
            return dict(preamble.municipality)
        suffix_rules = self.r.municipality["suffix_mention_rules"]
        for m in municipalities:
            if item.start <= m.start and m.end <= item.end and m.rule in suffix_rules:
                return _mention_fact(m, self.r.municipality["item_id"], name=m.attrs.get("name"))
        return None

    def meeting_date(self, item: Item, decision: Section | None, preamble: Preamble,
                     published_date: dict | None, dates: list[Mention]) -> dict | None:
        if preamble.meeting_date is not None:
            return dict(preamble.meeting_date)
        if decision is not None:
            lo, hi = decision.heading.start, decision.heading.end
            for m in dates:
                if lo <= m.start and m.end <= hi:
                    return _mention_fact(m, self.r.meeting["decision_heading_id"], role=m.attrs.get("role"))
        for found in (preamble.meeting_role_date, published_date):
            if found is not None:
                return dict(found)
        return None
