"""Stated counts: spaCy component `frikommune_counts`.

"44 forskellige kommuner", "op til seks kommuner", "Kun fem forsøg afvises",
"Af dem er 28 imødekommet" -> Mention(type="count", value=int, rule=<unit or elliptical rule>,
attrs={unit, status, qualifier, noun, elliptical, ...}). Every word is data in rules/counts.yaml.

Steps, all regexes over the lower-cased text (a literal pre-check skips texts with no unit noun):
  1. full counts: one regex, number (digits, or number words compiled as a trie), at most
     `between.max_words` adjectives, a unit noun; a digit number inside a guard (year, paragraph,
     range, fraction, amount, phone, case or agenda number) is dropped;
     a digit number before a capitalised word numbers a heading ("9 Ansøgning om ...");
     partitive counts: the first number of "Syv af otte netværk", "3 af vores forsøg" counts
     the noun that follows;
  2. elliptical counts: a bare number before "af dem", or a few words before a status trigger
     after "af dem"/"heraf" or after a full count in the same sentence ("tre forsøg imødekommes,
     to imødekommes delvist"); it takes unit and noun from the nearest earlier full count;
  3. status: the nearest trigger after the count in its sentence (up to the next count), else
     the nearest one before it that the previous count did not take; triggers, markers and
     sentence ends are only looked for in windows around the counts;
  4. anaphora: a count without status inherits the status of the first earlier count with the
     same number and unit ("De 11 forsøg ..."); bound counts ("op til seks") take no part.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ...model import Mention
from ...rules import Rules
from ..common import document_text, lowered, outputs
from .ruleset import Compiled, CountRules, Trigger


@Language.factory("frikommune_counts", default_config={"rules_dir": None})
def make_component(nlp: Language, name: str, rules_dir: str | None):
    return CountComponent(Rules(Path(rules_dir)) if rules_dir else Rules())


@dataclass
class Count:
    start: int  # the number
    end: int  # after the noun (full count) or the number (elliptical)
    num_end: int  # after the number
    value: int
    sentence: int = 0  # index of its sentence
    sentence_start: int = 0
    rule: str = ""
    unit: str | None = None
    noun: tuple[int, int] | None = None
    elliptical: bool = False
    marker: tuple[int, int, str] | None = None  # (start, end, rule) of "af dem" etc.
    status: str | list[str] | None = None
    status_hit: tuple[int, int, int] | None = None  # (start, end, trigger index)
    status_from: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TriggerHit:
    start: int
    end: int
    index: int  # into CountRules.triggers


class CountComponent:
    needs_tokens = False  # reads the text, not spaCy's tokens (extract/stages.py)

    def __init__(self, rules: Rules):
        self.r = CountRules(rules)
        self._direct_rules = frozenset(rule for rule, _ in self.r.direct_markers)

    def __call__(self, doc: Doc) -> Doc:
        text = document_text(doc)
        outputs(doc)
        doc._.mentions.extend(self.find(text, lowered(doc, text)))
        return doc

    def find(self, text: str, low: str | None = None) -> list[Mention]:
        low = text.lower() if low is None else low
        if not any(stem in low for stem in self.r.noun_stems):
            return []  # no unit noun at all: nothing can be counted
        ignorecase = len(low) != len(text)
        if ignorecase:
            low = text  # keep offsets; the regexes ignore case instead
        c = self.r.compiled(ignorecase)
        counts = self._full_counts(c, text, low)
        partitive = self._partitive_counts(c, low, {x.start for x in counts})
        if partitive:
            counts = sorted(counts + partitive, key=lambda x: x.start)
        if not counts:
            return []
        # Everything else only looks near the counts: status triggers, markers, sentence ends.
        lo = max(0, counts[0].start - self.r.max_before)
        hi = min(len(low), counts[-1].end + self.r.antecedent_max_chars + self.r.max_after)
        breaks = self._sentence_breaks(c, text, lo, hi)
        for x in counts:
            self._place(x, breaks)
        triggers = self._triggers(c, low, self._regions(counts, len(low)))
        counts = self._add_elliptical(c, low, counts, triggers, breaks)
        self._assign_status(counts, triggers, breaks, len(text))
        self._anaphora(c, low, counts)
        return [self._mention(c, text, low, x) for x in counts]

    # ------------------------------------------------------------------ numbers
    def _full_counts(self, c: Compiled, text: str, low: str) -> list[Count]:
        """Number, at most max_between adjectives, unit noun."""
        counts: list[Count] = []
        for m in self._full_matches(c, low):
            s, e = m.span("num")
            if low[s].isdigit() and (self._guarded(c, low, s, e) or self._numbers_a_heading(text, e)):
                continue  # guards are about digits: a number word needs no check
            unit = self.r.units[self.r.unit_of[m.group("noun").lower()]]
            counts.append(Count(start=s, end=m.end(), num_end=e, value=self.r.number_value(m.group("num")),
                                rule=unit.rule, unit=unit.unit, noun=m.span("noun")))
        return counts

    def _numbers_a_heading(self, text: str, num_end: int) -> bool:
        """A digit number followed by a capitalised word: "9 Ansøgning om ...", "2 Nyt forsøg"."""
        if self.r.heading_rule is None:
            return False
        i, n = num_end, min(len(text), num_end + 40)
        while i < n and text[i].isspace():
            i += 1
        return i < n and i > num_end and text[i].isupper()

    def _partitive_counts(self, c: Compiled, low: str, taken: set[int]) -> list[Count]:
        """"Syv af otte nye netværk", "tre ud af fem forslag", "3 af vores forsøg": the first
        number counts the noun after it."""
        if c.partitive_after is None:
            return []
        out = []
        for m in c.partitive_after.finditer(low):
            a = m.start()
            if a and (low[a - 1].isalnum() or low[a - 1] == "_"):
                continue  # inside a word ("straf")
            num = c.partitive_before.search(low, max(0, a - 30), a)
            if num is None:
                continue
            s, e = num.span("num")
            if s in taken or (low[s].isdigit() and self._guarded(c, low, s, e)):
                continue
            value = self.r.number_value(num.group("num"))
            if value < self.r.partitive_min:
                continue
            unit = self.r.units[self.r.unit_of[m.group("noun").lower()]]
            x = Count(start=s, end=e, num_end=e, value=value,
                      rule=self.r.partitive_rule, unit=unit.unit, noun=m.span("noun"))
            x.attrs["partitive"] = True
            x.attrs["unit_rule"] = unit.rule
            if m.group("inner") is not None:
                x.attrs["of"] = self.r.number_value(m.group("inner"))
            out.append(x)
        return out

    @staticmethod
    def _full_matches(c: Compiled, low: str):
        """The matches of `c.full.finditer(low)`: a number at offset 0 has no character before
        it for `c.full_scan` to consume, so that one position is tried with `c.full`."""
        first = c.full.match(low, 0)
        if first is not None:
            yield first
        yield from c.full_scan.finditer(low, first.end() if first is not None else 0)

    @staticmethod
    def _guarded(c: Compiled, low: str, s: int, e: int) -> bool:
        """Inside a year, paragraph, range, amount, phone or case number (guards reach 30 chars back)."""
        return any(g.start() <= s < g.end() for g in c.guards.finditer(low, max(0, s - 30), min(len(low), e + 12)))

    @staticmethod
    def _sentence_breaks(c: Compiled, text: str, lo: int, hi: int) -> list[int]:
        """Sentence starts between lo and hi (the edges count as starts: far from any count)."""
        scan_lo, scan_hi = max(0, lo - 400), min(len(text), hi + 400)
        breaks = [m.end() for m in c.sentence_break.finditer(text, scan_lo, scan_hi)]
        return ([scan_lo] if scan_lo else []) + breaks + ([scan_hi] if scan_hi < len(text) else [])

    @staticmethod
    def _place(x: Count, breaks: list[int]) -> None:
        x.sentence = bisect_right(breaks, x.start)
        x.sentence_start = breaks[x.sentence - 1] if x.sentence else 0

    def _regions(self, counts: list[Count], n: int) -> list[tuple[int, int]]:
        """Merged text windows around the counts where triggers and markers matter."""
        out: list[tuple[int, int]] = []
        for x in counts:
            lo = max(0, x.start - self.r.max_before)
            hi = min(n, x.end + self.r.antecedent_max_chars + self.r.max_after)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        return out

    def _triggers(self, c: Compiled, low: str, regions: list[tuple[int, int]]) -> list[TriggerHit]:
        """Status triggers in the regions; one inside a longer trigger of another status is dropped."""
        hits = []
        for lo, hi in regions:
            for m in c.any_trigger.finditer(low, lo, hi):
                # the same words may start triggers of several statuses ("godkendt"): try each
                for i, rx in enumerate(c.triggers):
                    t = rx.match(low, m.start(), hi)
                    if t is not None:
                        hits.append(TriggerHit(t.start(), t.end(), i))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept = []
        for h in hits:
            inside = any(g.start <= h.start and h.end <= g.end and g.end - g.start > h.end - h.start
                         for g in hits if g is not h and g.start <= h.start)
            if not inside:
                kept.append(h)
        return kept

    # ------------------------------------------------------------------ elliptical
    def _add_elliptical(self, c: Compiled, low: str, counts: list[Count], triggers: list[TriggerHit],
                        breaks: list[int]) -> list[Count]:
        """Bare numbers that count the noun of an earlier count: "14 af dem", "af dem er 28 imødekommet"."""
        out = list(counts)
        taken = {x.start for x in counts}
        for x in self._bare_numbers(c, low, counts, triggers):
            if x.start in taken or (low[x.start].isdigit() and self._guarded(c, low, x.start, x.num_end)):
                continue
            self._place(x, breaks)
            if x.marker is None:
                x.marker = self._marker_before(c, low, x, counts)
                if x.marker is None:
                    continue
            antecedent = self._antecedent(counts, x)
            if antecedent is None:
                continue
            if x.marker[2] in self._direct_rules and antecedent.sentence != x.sentence:
                continue  # "i stedet for fem", "hvoraf 57": the noun of its own sentence only
            taken.add(x.start)
            x.elliptical, x.rule, x.unit, x.noun = True, x.marker[2], antecedent.unit, antecedent.noun
            x.attrs["antecedent"] = {"start": antecedent.start, "end": antecedent.end}
            x.attrs["unit_rule"] = antecedent.rule
            out.append(x)
        out.sort(key=lambda x: x.start)
        return out

    def _bare_numbers(self, c: Compiled, low: str, counts: list[Count], triggers: list[TriggerHit]):
        """Numbers right before "af dem" (marker set), or a few words before a status trigger."""
        lo, hi = counts[0].end, min(len(low), counts[-1].end + self.r.antecedent_max_chars)
        for m in c.after_marker.finditer(low, lo, hi):
            num = c.number_before_anchor.search(low, max(0, m.start() - 20), m.start())
            if num is not None and not low[num.end("num"):m.start()].strip():
                i = next(i for i in range(len(self.r.after_markers)) if m.group(f"a{i}") is not None)
                x = self._bare(num)
                x.marker = (m.start(), m.end(), self.r.after_markers[i][0])
                yield x
        if c.direct is not None:
            for m in c.direct.finditer(low, lo, hi):
                a = m.start()
                if a and (low[a - 1].isalnum() or low[a - 1] == "_"):
                    continue  # inside a word
                if c.full.match(low, m.start("num")) is not None:
                    continue  # a full count of its own
                x = self._bare(m)
                x.marker = (m.start("phrase"), m.end("phrase"), self.r.direct_rule(m.group("phrase")))
                yield x
        for h in triggers:
            if h.start < lo or h.start > hi:
                continue
            num = c.number_before_anchor.search(low, max(0, h.start - 60), h.start)
            if num is not None:
                yield self._bare(num)

    def _bare(self, m) -> Count:
        s, e = m.span("num")
        return Count(start=s, end=e, num_end=e, value=self.r.number_value(m.group("num")))

    def _marker_before(self, c: Compiled, low: str, x: Count, counts: list[Count]) -> tuple[int, int, str] | None:
        """'Af dem er 28 imødekommet': a marker earlier in the sentence; else a full count before it there."""
        m = c.before_marker.search(low, x.sentence_start, x.start)
        if m is not None:
            i = next(i for i in range(len(self.r.before_markers)) if m.group(f"b{i}") is not None)
            return m.start(), m.end(), self.r.before_markers[i][0]
        if any(y.sentence_start == x.sentence_start and y.end <= x.start for y in counts):
            return x.start, x.end, self.r.coordinated_rule
        return None

    def _antecedent(self, counts: list[Count], x: Count) -> Count | None:
        before = [y for y in counts if y.end <= x.start and x.start - y.end <= self.r.antecedent_max_chars]
        return before[-1] if before else None

    # ------------------------------------------------------------------ status
    def _assign_status(self, counts: list[Count], triggers: list[TriggerHit], breaks: list[int], n: int) -> None:
        by_sentence: dict[int, list[Count]] = {}
        for x in counts:
            by_sentence.setdefault(x.sentence, []).append(x)
        for sentence, members in by_sentence.items():
            s_start = breaks[sentence - 1] if sentence > 0 else 0
            s_end = breaks[sentence] if sentence < len(breaks) else n
            taken: set[TriggerHit] = set()
            # first pass: a trigger after the count ("Kun fem forsøg afvises")
            for i, x in enumerate(members):
                stop = min(members[i + 1].start if i + 1 < len(members) else s_end, x.end + self.r.max_after)
                # from the number on: an adjective may be the trigger ("ni udvalgte kommuner")
                hit = next((h for h in triggers if x.num_end <= h.start and h.end <= stop and self._applies(h, x)),
                           None)
                if hit is not None:
                    self._set_status(x, hit)
                    taken.add(hit)
            # second pass: a trigger before it ("sagt helt eller delvist ja til 17 forsøg")
            for i, x in enumerate(members):
                if x.status is not None:
                    continue
                lo = max(members[i - 1].end if i else s_start, x.start - self.r.max_before)
                hits = [h for h in triggers if lo <= h.start and h.end <= x.start and h not in taken
                        and self._applies(h, x)]
                if hits:
                    self._set_status(x, hits[-1])

    def _applies(self, h: TriggerHit, x: Count) -> bool:
        units = self.r.triggers[h.index].units
        return units is None or x.unit in units

    def _set_status(self, x: Count, h: TriggerHit) -> None:
        trigger: Trigger = self.r.triggers[h.index]
        x.status = trigger.status
        x.status_hit = (h.start, h.end, h.index)
        x.status_from = "trigger"

    def _anaphora(self, c: Compiled, low: str, counts: list[Count]) -> None:
        """'De 11 forsøg' or a later bare '11 forsøg' takes the status of the first '11 forsøg' that had one."""
        first: dict[tuple[int, str | None], Count] = {}
        for x in counts:
            definite = c.definite.search(low, max(0, x.start - 30), x.start) is not None
            if definite:
                x.attrs["definite"] = True
            if self._qualifier(c, low, x) is not None:
                continue  # "op til seks kommuner" neither refers back nor is referred to
            key = (x.value, x.unit)
            if x.status is not None:
                first.setdefault(key, x)
            elif key in first:
                src = first[key]
                x.status, x.status_hit, x.status_from = src.status, src.status_hit, "anaphora"
                x.attrs["status_antecedent"] = {"start": src.start, "end": src.end}
                x.attrs["anaphora_rule"] = self.r.definite_rule if definite else self.r.repeat_rule

    # ------------------------------------------------------------------ output
    def _qualifier(self, c: Compiled, low: str, x: Count) -> tuple[int, int, str, str] | None:
        m = c.qualifier.search(low, max(0, x.start - 30), x.start)
        if m is None:
            return None
        i = next(i for i in range(len(self.r.qualifiers)) if m.group(f"q{i}") is not None)
        rule, qualifier, _phrases = self.r.qualifiers[i]
        s, e = m.span(f"q{i}")
        return s, e, rule, qualifier

    def _mention(self, c: Compiled, text: str, low: str, x: Count) -> Mention:
        attrs: dict[str, Any] = {
            "unit": x.unit,
            "status": x.status,
            "qualifier": None,
            "noun": text[x.noun[0]:x.noun[1]] if x.noun else None,
            "elliptical": x.elliptical,
            "status_from": x.status_from,
        }
        q = self._qualifier(c, low, x)
        if q is not None:
            attrs["qualifier"] = q[3]
            attrs["qualifier_text"] = text[q[0]:q[1]]
            attrs["qualifier_rule"] = q[2]
        if x.status_hit is not None:
            s, e, i = x.status_hit
            attrs["status_rule"] = self.r.triggers[i].rule
            attrs["status_text"] = text[s:e]
        if x.marker is not None and x.marker[2] != self.r.coordinated_rule:
            attrs["marker"] = text[x.marker[0]:x.marker[1]]
        attrs.update(x.attrs)
        return Mention(type="count", start=x.start, end=x.end, text=text[x.start:x.end], value=x.value,
                       rule=x.rule, attrs=attrs)
