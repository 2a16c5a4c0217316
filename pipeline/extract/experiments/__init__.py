"""Experiments and the ministry's decisions on them: spaCy component `frikommune_experiments`.

Rules: rules/experiment_status.yaml (status labels -> canonical status), rules/experiments.yaml
(layouts, column names, heading shape, round expressions).

Layouts, tried in this order; text one layout read is not read again:
  status lists (layouts.py)  a network heading, bullets, the status on the item's line or the next
  tables (layouts.py)        "Netværk | Forsøg | Afgørelse" rows
  grouped lists (grouped.py) a status heading or an introduction naming experiments over a list
  linked titles (linked.py)  accordion titles, each followed by the same link lines ("Vedtægt")
  statute fields (fields.py) "Forsøgstitel  Titel", the statute template's title field
  labelled lines (labelled.py) "Lemvig Kommunes ansøgning - Titel"
  prose (prose.py)           "Forsøget med X imødekommes", "fik afslag på X", "søgte om X",
                             'frikommuneforsøget "X"';
                             then "Begge ansøgninger fik afslag" gives statuses to those just named

Output per experiment:
  Record(type="experiment", fields={title, network, status, round, decided, programme, municipalities})
    title    fact(title as written, whitespace collapsed)
    network  fact(name as written in the heading or table cell) or None
    status   fact(canonical status, label=as written) or None: not stated. `via` names the rule
             that carried a status stated elsewhere (a heading, an anaphor) to the item;
             status `undetermined` keeps `candidates` and `needs_review`
    round    fact(int) from the list's heading, the line introducing it, or the nearest earlier
             round expression in the document; or None
    decided  the document's publication date (plain string) or None
    programme       fact("I" | "II" | "III") stated or implied by years (attrs.py), or None
    municipalities  [fact(kommunekode)] tied to the experiment by its line, heading or sentence
  Mention(type="experiment_status") for each status span, and Mention(type="network_name") for
  each heading of an experiment list, including a heading whose list is empty ("-").
"""

from __future__ import annotations

from bisect import bisect_left

import re

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ...model import Mention, Record, fact
from ...rules import Rules, RulesError
from ..common import document_text, lowered, outputs
from .attrs import Surroundings
from .fields import StatuteFieldsParser
from .grouped import GroupedListParser
from .labelled import LabelledLineParser
from .linked import LinkedTitlesParser
from .layouts import Found, LayoutRules, Region, StatusListParser, TableParser, non_blank_lines
from .prose import Anaphora, BracketedListParser, DecisionFirstParser, ProseParser, QuotedTitleParser
from .vocab import EXPERIMENTS_FILE, RoundFinder, RoundHit, StatusVocabulary


@Language.factory("frikommune_experiments", default_config={"rules_dir": None})
def make_component(nlp: Language, name: str, rules_dir: str | None):
    return ExperimentComponent(Rules(Path(rules_dir)) if rules_dir else Rules())


class ExperimentComponent:
    needs_tokens = False  # reads the text, not spaCy's tokens (extract/stages.py)

    def __init__(self, rules: Rules):
        self.statuses = StatusVocabulary(rules)
        self.layout = LayoutRules(rules, self.statuses)
        self.lists = StatusListParser(self.layout)
        self.tables = TableParser(self.layout)
        cfg = rules.yaml(EXPERIMENTS_FILE)
        try:
            self.grouped = GroupedListParser(self.layout, cfg["grouped_list"], self.lists)
            self.prose = ProseParser(cfg["prose"], self.statuses)
            self.decision_first = DecisionFirstParser(cfg["decision_first"])
            self.quoted = QuotedTitleParser(cfg["quoted"])
            self.bracketed = BracketedListParser(cfg["bracketed"])
            context = cfg["prose_context"]
            self.context_words = [w.lower() for w in context["words"]]
            self.context_reach = (int(context["before"]), int(context["after"]))
            self.enough_alone = [w.lower() for w in context["enough_alone"]]
            self.labelled = LabelledLineParser(cfg["labelled"])
            self.statute_fields = StatuteFieldsParser(cfg["statute_fields"], cfg["decision_first"]["clause_words"],
                                                      self.layout.bullet)
            self.linked = LinkedTitlesParser(cfg["linked_titles"], cfg["grouped_list"]["cue_words"])
            self.anaphora = Anaphora(cfg["anaphora"], cfg["prose"]["auxiliaries"], self.statuses)
        except KeyError as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: missing key {exc}") from exc
        self.rounds = RoundFinder(rules)
        self.surroundings = Surroundings(rules)

    def __call__(self, doc: Doc) -> Doc:
        text = document_text(doc)
        outputs(doc)
        found, regions, lines = self.find(text, lowered(doc, text))
        found = self._not_network_names(text, found, doc._.mentions)
        decided = doc._.published
        rounds: dict[tuple[int, int], list[RoundHit]] = {}  # per document: items of one list share spans
        context = self._context(text, doc._.mentions) if found else None
        status_mentions: dict[tuple[int, int], Mention] = {}
        for f in found:
            round_hit = self._round_of(text, f, regions, lines, rounds)
            doc._.records.append(self._record(text, f, round_hit, decided, context))
            if f.status is not None:
                self._status_mention(text, f, status_mentions)
        doc._.mentions.extend(status_mentions.values())
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
        lines = non_blank_lines(text)
        found: list[Found] = []
        regions: list[Region] = []

        def add(parsed: tuple[list[Found], list[Region]]) -> None:
            found.extend(parsed[0])
            regions.extend(parsed[1])

        def read_lines() -> set[int]:
            return {i for r in regions for i in range(r.first_line, r.last_line + 1)}

        # Line layouts, most specific first; each reads only lines no earlier one read.
        if self.layout.bullet_line.search(text) is not None:
            add(self.lists.parse(text, lines))
        if self.layout.cell_separator in text:
            add(self.tables.parse(text, lines, len(regions)))
        add(self.grouped.parse(text, lines, read_lines(), len(regions)))
        linked = self.linked.parse(text, lines, read_lines())
        found += linked
        fields = self.statute_fields.parse(text, low, lines, read_lines() | _lines_of(lines, linked))
        found += fields
        found += self.labelled.parse(text, low, lines, read_lines() | _lines_of(lines, linked + fields))
        # Prose layouts skip text that a line layout or an earlier prose layout read; a quoted
        # title is surer than a title cut from a sentence.
        taken = [(lines[r.first_line].start, lines[r.last_line].end) for r in regions]
        taken += [(f.start, f.end) for f in found if f.region is None]
        near_scheme = self._scheme_talk(low)
        for parser in (self.prose, self.quoted, self.bracketed, self.decision_first):
            new = [f for f in parser.parse(text, low, taken) if self._names_an_experiment(low, f)
                   or near_scheme(f.start, f.end)]
            found += new
            taken += [(f.start, f.end) for f in new]
        found.sort(key=lambda f: (f.start, f.title.start))
        self.anaphora.apply(text, low, found)
        return found, regions, lines

    def _names_an_experiment(self, low: str, f: Found) -> bool:
        """The words before the title (the phrase, its noun), or a bracketed list's noun, or
        the words after it ("X er godkendt" of a prose opener), say "experiment"."""
        lead = low[min(f.start, f.title.start):f.title.start] or low[f.start:f.end]
        return any(w in lead for w in self.enough_alone)

    def _scheme_talk(self, low: str):
        """start, end -> whether a word about the scheme stands within reach (prose_context).
        The words are looked for only when a prose experiment asks (most documents have none)."""
        where: list[int] = []
        before, after = self.context_reach

        def near(start: int, end: int) -> bool:
            if not where:
                where.extend(sorted(i for w in self.context_words for i in _all_positions(low, w)) or [-1 << 40])
            i = bisect_left(where, start - before)
            return i < len(where) and where[i] <= end + after

        return near

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
    @staticmethod
    def _not_network_names(text: str, found: list[Found], mentions: list[Mention]) -> list[Found]:
        """A title the networks component read as a network's name is the network, not an
        experiment ("Frikommuneforsøg: <the network's theme>")."""
        names = [m for m in mentions if m.type == "network_name" and m.rule.startswith("network.")]
        if not names:
            return found
        spans = [(m.start, m.end) for m in names]
        written = {" ".join(m.text.lower().split()) for m in names}
        return [f for f in found
                if not any(s < f.title.end and f.title.start < e for s, e in spans)
                and " ".join(text[f.title.start:f.title.end].lower().split()) not in written]

    def _context(self, text: str, mentions: list[Mention]) -> dict:
        """What every record of the document looks up: municipality and date mentions, stated
        programmes. Built once per document that has experiments."""
        municipalities = sorted((m for m in mentions if m.type == "municipality"), key=lambda m: m.start)
        return {
            "municipalities": municipalities,
            "starts": [m.start for m in municipalities],
            "dates": [m for m in mentions if m.type == "date"],
            "stated": self.surroundings.stated_programmes(text),
        }

    def _record(self, text: str, f: Found, round_hit: RoundHit | None, decided: str | None,
                context: dict) -> Record:
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
            extra = {"via": f.status_via} if f.status_via else {}
            if s.candidates:
                extra.update(candidates=list(s.candidates), needs_review=True)
            status = fact(s.status, s.start, s.end, text[s.start:s.end], s.rule, label=s.label, **extra)
        round_fact = None
        if round_hit is not None:
            round_fact = fact(round_hit.value, round_hit.start, round_hit.end,
                              text[round_hit.start:round_hit.end], round_hit.rule)
        return Record(type="experiment", start=f.start, end=f.end, rule=f.layout, fields={
            "title": title, "network": network, "status": status, "round": round_fact, "decided": decided,
            "programme": self.surroundings.programme(text, f, context["stated"], context["dates"]),
            "municipalities": self.surroundings.municipalities(
                text, f, context["municipalities"], context["starts"]),
        })

    @staticmethod
    def _status_mention(text: str, f: Found, seen: dict[tuple[int, int], Mention]) -> None:
        """One mention per status span: a heading or an anaphor deciding several experiments
        is one span, listing every experiment it decides."""
        s = f.status
        title = _collapse(text[f.title.start:f.title.end])
        if (s.start, s.end) in seen:
            seen[(s.start, s.end)].attrs["experiments"].append(title)
            return
        attrs = {"label": s.label, "experiment": title, "experiments": [title]}
        if s.candidates:
            attrs["candidates"] = list(s.candidates)
        seen[(s.start, s.end)] = Mention(type="experiment_status", start=s.start, end=s.end,
                                         text=text[s.start:s.end], value=s.status, rule=s.rule, attrs=attrs)


_WRAPPED_WORD = re.compile(r"(\w)-[ \t]*\n\s*(?=[a-zæøå])")


def _collapse(s: str) -> str:
    """Whitespace collapsed, and a word hyphenated over a line break (PDF text) joined."""
    return " ".join(_WRAPPED_WORD.sub(r"\1", s).split())


def _all_positions(text: str, word: str):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _lines_of(lines: list, found: list[Found]) -> set[int]:
    """Indexes of the lines that experiments read line by line cover."""
    spans = [(f.start, f.end) for f in found]
    return {i for i, line in enumerate(lines) if any(s <= line.start and line.end <= e for s, e in spans)}
