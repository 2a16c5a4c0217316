"""Date expressions -> Mention(type="date"), and the document's publication date.

Component `frikommune_dates`. One combined regex (rules/dates.yaml) runs once over the
lower-cased text; traps in it consume phone numbers, case numbers, amounts etc. Then, per
candidate only: roles from trigger words nearby (rules/date_roles.yaml), the anchor
(metadata hint, else the first date found by a rule listed in `publication_date_from`), coordination ("1. maj og
1. november 2017"), and year-less / relative dates resolved against the anchor using the
sentence's tense (rules/tense.yaml). No vocabulary lives in this code.

Values hold what the text states: "2016-05-01" | "2016-09" | "2016" | "2016/2019" |
"2018-W12" | "2018-Q1" | "2018-H2" | "2016-FA"; an unknown year stays "XXXX-09"; a relative
expression or a season without a year has value None. Their reading against the publication
date goes to attrs["anchored_value"] (into the value only with settings.inferred_in_value).
The publication date: HTML metadata, else the publication rules of date_roles.yaml in order
(labels, datelines, letter date lines, minutes headers ...), a " date YYYY-MM" metadata prefix
refined by a same-month date from those rules.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ...model import Mention
from ...rules import Rules
from ..common import document_text, lowered
from .context import (
    find_role, find_tense, line_above_role, sentence_bounds, starts_line, within_top_lines,
)
from .normalise import (
    Candidate, candidates_from_match, check_weekday, format_value, needs_year, parse_anchor,
    resolve_relative, resolve_with_anchor,
)
from .patterns import Compiled, compile_rules


@Language.factory("frikommune_dates", default_config={"rules_dir": None})
def make_component(nlp: Language, name: str, rules_dir: str | None):
    return DateComponent(Rules(Path(rules_dir)) if rules_dir else Rules())


class DateComponent:
    needs_tokens = False  # reads the text, not spaCy's tokens (extract/stages.py)

    def __init__(self, rules: Rules):
        self.c: Compiled = compile_rules(rules)
        self._ci: tuple | None = None  # case-insensitive regexes, if lower() changes the length
        # most words in a connector phrase (see _joined)
        self._connector_words = max((len(k.split()) for k in self.c.connectors | self.c.role_connectors),
                                    default=0)

    # ------------------------------------------------------------------ pipeline entry
    def __call__(self, doc: Doc) -> Doc:
        document = doc._.document
        text = document_text(doc)
        hint = doc._.published or (document.published_hint if document is not None else None)
        cands, low = self.find(text, lowered(doc, text))
        self.assign_roles(text, low, cands)
        published = hint or self.publication_date(low, cands)
        self.resolve(low, cands, parse_anchor(published))
        doc._.published = published
        mentions = doc._.mentions
        if mentions is None:
            mentions = doc._.mentions = []
        for x in cands:
            attrs = {"role": x.role, "role_rule": x.role_rule, "granularity": x.granularity,
                     "anchored": x.year_source == "anchor" or "anchored_value" in x.attrs}
            attrs.update(x.attrs)
            mentions.append(Mention(type="date", start=x.start, end=x.end, text=text[x.start:x.end],
                                    value=x.value, rule=x.rule, attrs=attrs))
        return doc

    # ------------------------------------------------------------------ matching
    def find(self, text: str, low: str | None = None) -> tuple[list[Candidate], str]:
        """All date candidates in text order (traps removed); also returns the lower-cased text
        (`low`: text.lower() if the caller has it already)."""
        c = self.c
        low = text.lower() if low is None else low
        regex, prefilter = c.regex, c.prefilter
        if len(low) != len(text):  # a character whose lower case has another length: keep offsets
            low = text
            if self._ci is None:
                self._ci = (re.compile(c.regex.pattern, re.IGNORECASE),
                            c.prefilter and re.compile(c.prefilter.pattern, re.IGNORECASE))
            regex, prefilter = self._ci
        out: list[Candidate] = []
        branches = c.branches
        for m in self._matches(regex, prefilter, low):
            branch = branches[m.lastgroup]
            if branch.trap:
                continue
            groups = {}
            for name, idx in branch.groups:
                s = m.start(idx)
                if s >= 0:
                    groups[name] = (s, m.end(idx), m.group(idx).lower())
            out.extend(candidates_from_match(c, branch, groups, m.start(), m.end()))
        return out, low

    # ------------------------------------------------------------------ publication date
    def publication_date(self, low: str, cands: list[Candidate]) -> str | None:
        """The document's own date when its metadata gave none: the first date found by the
        rules of `publication_date_from`, tried in their order, at a granularity each allows.
        A metadata prefix at the very start of the text ("date 2020-01") gives the date unless
        one of those dates refines it (same month, but the day too)."""
        found = [format_value(x) for rule_id, grans in self.c.publication_rules for x in cands
                 if x.role_rule == rule_id and x.granularity in grans and x.year_source == "explicit"]
        meta = self.metadata_date(low)
        if meta:
            return next((v for v in found if v.startswith(meta)), meta)
        return found[0] if found else None

    def metadata_date(self, low: str) -> str | None:
        rx = self.c.metadata_rx
        m = rx.match(low) if rx is not None else None
        if m is None:
            return None
        y, mo, d = (m.groupdict().get(k) for k in ("y", "m", "d"))
        if not y or not self.c.settings["year_min"] <= int(y) <= self.c.settings["year_max"]:
            return None
        if not mo or not 1 <= int(mo) <= 12:
            return y
        if not d or not _valid(int(y), int(mo), int(d)):
            return f"{y}-{mo}"
        return f"{y}-{mo}-{d}"

    @staticmethod
    def _matches(regex: re.Pattern, prefilter: re.Pattern | None, low: str):
        """Same matches as regex.finditer(low), trying the big regex only where it can start."""
        if prefilter is None:
            yield from regex.finditer(low)
            return
        match = regex.match
        m = match(low, 0)  # the prefilter cannot report a lead at offset 0 (nothing before it)
        done = 0
        if m is not None:
            done = m.end()
            yield m
        for lead in prefilter.finditer(low):
            p = lead.end()  # the prefilter consumed the non-word character before the lead
            if p < done:
                continue
            m = match(low, p)
            if m is not None:
                done = m.end()
                yield m

    # ------------------------------------------------------------------ roles
    def assign_roles(self, text: str, low: str, cands: list[Candidate]) -> None:
        c = self.c
        reach = max(c.window_before, c.window_after, c.tense_window)
        dl = c.dateline
        yl = dict(dl.get("year_line") or {}, granularity=["year"]) if dl.get("year_line") else None
        for i, x in enumerate(cands):
            prev_end = cands[i - 1].end if i else -1
            next_start = cands[i + 1].start if i + 1 < len(cands) else len(text)
            x.sentence = sentence_bounds(text, x.start, x.end, reach)
            found = find_role(c, low, x, x.sentence, prev_end, next_start)
            if x.granularity == "span":
                if found and found[0] == c.span_role.get("role"):
                    x.role, x.role_rule = found
                else:
                    x.role, x.role_rule = c.span_role["role"], c.span_role["id"]
                continue
            if not found and x.year is not None:
                found = line_above_role(c, low, x)
            if found:
                x.role, x.role_rule = found
            elif dl and self._standalone_dateline(text, low, x, dl):
                x.role, x.role_rule = dl["role"], dl["id"]
            elif yl and x.granularity == "year" and self._standalone_dateline(text, low, x, yl):
                x.role, x.role_rule = yl["role"], yl["id"]
            elif i and cands[i - 1].role != c.default_role["role"] and self._joined(
                    low, cands[i - 1], x, c.role_connectors):
                x.role, x.role_rule = cands[i - 1].role, cands[i - 1].role_rule
                x.attrs["role_inherited"] = True
            else:
                x.role, x.role_rule = c.default_role["role"], c.default_role["id"]

    def _standalone_dateline(self, text: str, low: str, x: Candidate, dl: dict) -> bool:
        """A line holding only a date (after an optional `date_prefix`, "den") near the top."""
        if x.granularity not in dl.get("granularity", ["day"]) or x.year is None:
            return False
        lo = starts_line(self.c, low, x.start)
        if lo is None:
            return False
        hi = text.find("\n", x.end)
        if text[x.end:(len(text) if hi < 0 else hi)].strip():
            return False
        return within_top_lines(text, x.start, int(dl.get("max_lines", 5)))

    def _joined(self, low: str, a: Candidate, b: Candidate, connectors: frozenset[str]) -> bool:
        # The gap between two dates may be pages long: split at most a connector's word
        # count + 1 times (same result as stripping and collapsing the whole gap).
        words = low[a.end:b.start].split(None, self._connector_words)
        return len(words) <= self._connector_words and " ".join(words) in connectors

    # ------------------------------------------------------------------ resolution
    def resolve(self, low: str, cands: list[Candidate],
                anchor: tuple[int | None, int | None, int | None]) -> None:
        """Coordination, then anchor-relative years and values; drops unusable bare days."""
        c = self.c
        # coordination, right to left so "1. maj, 1. august og 1. november 2017" chains
        for i in range(len(cands) - 2, -1, -1):
            x, nxt = cands[i], cands[i + 1]
            if not (x.coord or (needs_year(x) and x.granularity in ("day", "month"))):
                continue
            if not self._joined(low, x, nxt, c.connectors):
                continue
            if x.coord and x.month is None and nxt.month is not None and nxt.relative is None:
                x.month = nxt.month
                x.tense_month = nxt.month
            if nxt.year is not None and nxt.relative is None and nxt.granularity in ("day", "month"):
                if x.day is not None and x.month is not None and not _valid(nxt.year, x.month, x.day):
                    continue
                x.year, x.year_source = nxt.year, "coordination"
                x.attrs["coordinated"] = True
        kept = []
        for x in cands:
            if x.coord and x.month is None:
                continue  # a bare "1." that found no month after all
            if x.relative is not None:
                resolve_relative(x, anchor)
                x.attrs["relative"] = {"unit": x.relative[0], "offset": x.relative[1]}
            elif needs_year(x):
                tense = None
                if anchor[0] is not None and x.tense_month is not None:
                    tense = find_tense(c, low, x, x.sentence)
                resolve_with_anchor(x, anchor, tense)
            check_weekday(x, c.weekdays)
            if x.year_source == "anchor":
                # the reading against the publication date; the value keeps what the text
                # states unless the rules put inferred readings in the value
                x.attrs["anchored_value"] = format_value(x)
                if not c.inferred_in_value:
                    x.year, x.year_source = None, None
            x.value = format_value(x)
            kept.append(x)
        cands[:] = kept


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]
