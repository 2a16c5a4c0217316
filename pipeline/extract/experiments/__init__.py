"""Experiments and the ministry's decisions on them: spaCy component `frikommune_experiments`.

Rules: rules/experiment_status.yaml (status labels -> canonical status), rules/experiments.yaml
(layouts, column names, heading shape, round expressions).

Output per experiment:
  Record(type="experiment", fields={title, network, status, round, decided})
    title    fact(title as written, whitespace collapsed)
    network  fact(name as written in the heading or table cell) or None
    status   fact(canonical status, label=as written) or None
    round    fact(int) from the list's heading, the line introducing it, or the nearest earlier
             round expression in the document; or None
    decided  the document's publication date (plain string) or None
  Mention(type="experiment_status") for each status span, and Mention(type="network_name") for
  each heading of an experiment list, including a heading whose list is empty ("-").
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ...model import Mention, Record, fact
from ...rules import Rules
from ..common import document_text, lowered, outputs
from .layouts import (
    Found, LayoutRules, ProseParser, Region, StatusListParser, TableParser, non_blank_lines,
)
from .vocab import RoundFinder, RoundHit, StatusVocabulary


@Language.factory("frikommune_experiments", default_config={"rules_dir": None})
def make_component(nlp: Language, name: str, rules_dir: str | None):
    return ExperimentComponent(Rules(Path(rules_dir)) if rules_dir else Rules())


class ExperimentComponent:
    def __init__(self, rules: Rules):
        self.statuses = StatusVocabulary(rules)
        self.layout = LayoutRules(rules, self.statuses)
        self.lists = StatusListParser(self.layout)
        self.tables = TableParser(self.layout)
        self.prose = ProseParser(self.layout)
        self.rounds = RoundFinder(rules)

    def __call__(self, doc: Doc) -> Doc:
        text = document_text(doc)
        outputs(doc)
        found, regions, lines = self.find(text, lowered(doc, text))
        decided = doc._.published
        rounds: dict[tuple[int, int], list[RoundHit]] = {}  # per document: items of one list share spans
        for f in found:
            round_hit = self._round_of(text, f, regions, lines, rounds)
            doc._.records.append(self._record(text, f, round_hit, decided))
            if f.status is not None:
                doc._.mentions.append(self._status_mention(text, f))
        for region in regions:
            for heading, count in region.headings:
                doc._.mentions.append(Mention(
                    type="network_name", start=heading.start, end=heading.end,
                    text=text[heading.start:heading.end], value=_collapse(text[heading.start:heading.end]),
                    rule=self.layout.heading_rule if count else self.layout.empty_rule,
                    attrs={"experiments": count, "source": "experiment_list"}))
        return doc

    def find(self, text: str, low: str | None = None) -> tuple[list[Found], list[Region], list]:
        """Every experiment in the text, the regions (lists, tables) they sit in, the lines."""
        low = text.lower() if low is None else low
        has_bullets = self.layout.bullet_line.search(text) is not None
        has_table = self.layout.cell_separator in text
        found: list[Found] = []
        regions: list[Region] = []
        lines = []
        if has_bullets or has_table:
            lines = non_blank_lines(text)
        if has_bullets:
            found, regions = self.lists.parse(text, lines)
        if has_table:
            table_found, table_regions = self.tables.parse(text, lines, len(regions))
            found += table_found
            regions += table_regions
        taken = [(lines[r.first_line].start, lines[r.last_line].end) for r in regions]
        found += self.prose.parse(text, low, taken)
        found.sort(key=lambda f: f.start)
        return found, regions, lines

    # ------------------------------------------------------------------ round
    def _round_of(self, text: str, f: Found, regions: list[Region], lines: list,
                  memo: dict[tuple[int, int], list[RoundHit]] | None = None) -> RoundHit | None:
        """Round cell, else the list's heading, the line introducing the list, the earlier text."""
        memo = {} if memo is None else memo

        def hits(start: int, end: int) -> list[RoundHit]:
            # Every item of a list asks about the same heading, intro line and (long) earlier
            # text: scan each span once per document.
            key = (start, end)
            if key not in memo:
                memo[key] = self.rounds.find_all(text, start, end)
            return memo[key]

        if f.round_cell is not None:
            found = hits(f.round_cell.start, f.round_cell.end)
            return (found[0] if found else None) or self._bare_round(text, f)
        if f.region is None:
            return None  # prose: no list context to borrow a round from
        if f.network is not None and f.network_rule == self.layout.heading_rule:
            found = hits(f.network.start, f.network.end)
            if found:
                return found[0]
        region = regions[f.region]
        if region.first_line > 0:
            intro = lines[region.first_line - 1]
            found = hits(intro.start, intro.end)
            if found:
                return found[0]
        start = lines[region.first_line].start
        earlier_end = max((lines[r.last_line].end for r in regions if lines[r.last_line].end <= start), default=0)
        found = hits(earlier_end, start)
        return found[-1] if found else None

    def _bare_round(self, text: str, f: Found) -> RoundHit | None:
        """A round column holding just a number ("3")."""
        cell = text[f.round_cell.start:f.round_cell.end]
        if cell.isdigit():
            return RoundHit(int(cell), self.layout.table_rule, f.round_cell.start, f.round_cell.end)
        return None

    # ------------------------------------------------------------------ output
    def _record(self, text: str, f: Found, round_hit: RoundHit | None, decided: str | None) -> Record:
        title = fact(_collapse(text[f.title.start:f.title.end]), f.title.start, f.title.end,
                     text[f.title.start:f.title.end], f.layout)
        network = None
        if f.network is not None:
            raw = text[f.network.start:f.network.end]
            extra = {"continued": True} if f.network_continued else {}
            network = fact(_collapse(raw), f.network.start, f.network.end, raw, f.network_rule, **extra)
        status = None
        if f.status is not None:
            s = f.status
            status = fact(s.status, s.start, s.end, text[s.start:s.end], s.rule, label=s.label)
        round_fact = None
        if round_hit is not None:
            round_fact = fact(round_hit.value, round_hit.start, round_hit.end,
                              text[round_hit.start:round_hit.end], round_hit.rule)
        return Record(type="experiment", start=f.start, end=f.end, rule=f.layout, fields={
            "title": title, "network": network, "status": status, "round": round_fact, "decided": decided,
        })

    @staticmethod
    def _status_mention(text: str, f: Found) -> Mention:
        s = f.status
        return Mention(type="experiment_status", start=s.start, end=s.end, text=text[s.start:s.end],
                       value=s.status, rule=s.rule,
                       attrs={"label": s.label, "experiment": _collapse(text[f.title.start:f.title.end])})


def _collapse(s: str) -> str:
    return " ".join(s.split())
