"""rules/counts.yaml compiled once: number, noun, qualifier, trigger and guard regexes.

All regexes run on the lower-cased text. `CountRules.compile(flags)` builds the same set with
re.IGNORECASE for the rare text whose lower-casing changes its length (offsets must hold).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...rules import Rules, RulesError
from ..common import alternation

COUNTS_FILE = "counts.yaml"


def _lower_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{COUNTS_FILE}: {what}: expected a list of non-empty strings")
    return [v.strip().lower() for v in value]


@dataclass(frozen=True)
class Unit:
    rule: str
    unit: str


@dataclass(frozen=True)
class Trigger:
    rule: str
    status: str | list[str]
    units: frozenset[str] | None  # None: any unit


@dataclass
class Compiled:
    full: re.Pattern  # number (group num), adjectives, noun (group noun; unit via CountRules.unit_of)
    full_scan: re.Pattern  # `full` with the character before the number consumed: for finditer
    number_before_anchor: re.Pattern  # search(low, pos, anchor): number, up to max_gap words, the end
    qualifier: re.Pattern  # search(low, pos, number start): group q<i> at the end
    definite: re.Pattern
    after_marker: re.Pattern  # search for "af dem" etc.; groups a<i>
    before_marker: re.Pattern  # groups b<i>
    direct: re.Pattern | None  # "i stedet for", "hvoraf" + number: groups c<i>, num
    any_trigger: re.Pattern  # every trigger in one alternation: finds where to try `triggers`
    triggers: list[re.Pattern]  # parallel to CountRules.triggers, tried with .match at those places
    guards: re.Pattern
    sentence_break: re.Pattern
    # partitive counts, found from the phrase's last word ("af"): a regex starting with that
    # literal (the engine jumps between its occurrences), then the number before it
    partitive_after: re.Pattern | None  # anchor word, [skip], [inner number | determiner], adjectives, noun
    partitive_before: re.Pattern | None  # search(low, pos, anchor start): number (num), phrase's first words


class CountRules:
    def __init__(self, rules: Rules):
        data = rules.yaml(COUNTS_FILE)
        try:
            self._load(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RulesError(f"{COUNTS_FILE}: missing or malformed key {exc}") from exc
        self.plain = self.compile(0)
        self._ignorecase: Compiled | None = None

    def _load(self, data: dict) -> None:
        nums = data["numbers"]
        self.digits: str = nums["digits"]
        self.number_words: dict[str, int] = {str(k).lower(): int(v) for k, v in nums["words"].items()}
        comp = nums.get("compound")
        if comp:
            for u, uv in comp["units"].items():
                for t, tv in comp["tens"].items():
                    self.number_words.setdefault(f"{u}{comp['joiner']}{t}".lower(), int(uv) + int(tv))

        self.units: list[Unit] = []
        self.nouns: list[list[str]] = []
        for entry in data["units"]:
            self.units.append(Unit(entry["id"], entry["unit"]))
            self.nouns.append(_lower_list(entry["nouns"], f"units.{entry['id']}"))
        self.unit_of = {n: i for i, ns in enumerate(self.nouns) for n in ns}
        # literal pre-check: a document naming none of these cannot hold a count
        every = sorted({n for ns in self.nouns for n in ns}, key=len)
        self.noun_stems = [n for i, n in enumerate(every) if not any(s in n for s in every[:i])]

        between = data["between"]
        self.max_between = int(between["max_words"])
        self.between_regex: str = between["word_regex"]
        self.between_words = _lower_list(between.get("words", []), "between.words")
        self.between_never = _lower_list(between.get("never", []), "between.never")

        self.qualifiers: list[tuple[str, str, list[str]]] = [
            (q["id"], q["qualifier"], _lower_list(q["phrases"], f"qualifiers.{q['id']}")) for q in data["qualifiers"]]
        definite = data["definite"]
        self.definite_rule: str = definite["id"]
        self.determiners = _lower_list(definite["determiners"], "definite.determiners")
        self.definite_skip = _lower_list(definite.get("skip", []), "definite.skip")
        self.repeat_rule: str = data["repeat"]["id"]

        ell = data["elliptical"]
        self.after_markers = [(m["id"], _lower_list(m["phrases"], f"elliptical.after.{m['id']}")) for m in ell["after"]]
        self.before_markers = [(m["id"], _lower_list(m["phrases"], f"elliptical.before.{m['id']}"))
                               for m in ell["before"]]
        self.direct_markers = [(m["id"], _lower_list(m["phrases"], f"elliptical.direct.{m['id']}"))
                                 for m in ell.get("direct", [])]
        self.coordinated_rule: str = ell["coordinated"]["id"]
        self.max_gap_words = int(ell["coordinated"]["max_gap_words"])
        self.antecedent_max_chars = int(ell["antecedent_max_chars"])

        scope = data["status_scope"]
        self.max_after = int(scope["max_after_chars"])
        self.max_before = int(scope["max_before_chars"])
        self.triggers: list[Trigger] = []
        self.trigger_patterns: list[list[str]] = []
        for entry in data["status_triggers"]:
            status = entry["status"]
            status = [str(s) for s in status] if isinstance(status, list) else str(status)
            units = frozenset(entry["units"]) if entry.get("units") else None
            self.triggers.append(Trigger(entry["id"], status, units))
            self.trigger_patterns.append(_lower_list(entry["patterns"], f"status_triggers.{entry['id']}"))

        self.guards: list[tuple[str, str]] = [(g["id"], g["regex"]) for g in data["guards"]]

        part = data.get("partitive") or {}
        self.partitive_rule: str | None = part.get("id")
        self.partitive_phrases = _lower_list(part["phrases"], "partitive.phrases") if part else []
        ends = {ph.split()[-1] for ph in self.partitive_phrases}
        if len(ends) > 1 or any(len(ph.split()) > 2 for ph in self.partitive_phrases):
            raise RulesError(f"{COUNTS_FILE}: partitive.phrases must end in one word, with at most one before it")
        self.partitive_skip = _lower_list(part.get("skip", []), "partitive.skip") if part else []
        self.partitive_determiners = _lower_list(part.get("determiners", []), "partitive.determiners") if part else []
        self.partitive_min = int(part.get("min_value", 0)) if part else 0
        self.heading_rule: str | None = (data.get("numbered_heading") or {}).get("id")

    def compiled(self, ignorecase: bool) -> Compiled:
        if not ignorecase:
            return self.plain
        if self._ignorecase is None:
            self._ignorecase = self.compile(re.IGNORECASE)
        return self._ignorecase

    def compile(self, flags: int) -> Compiled:
        try:
            words = _trie(list(self.number_words))  # a trie: one test per position, not one per word
            # not glued to a word, a date, a time, a decimal, a case number or a "6-by" compound
            glued = r"\w§./:,-"
            number_body = rf"(?P<num>{self.digits}|{words})(?![\w])(?![.,:/]\d)(?!-\w)"
            number = rf"(?<![{glued}]){number_body}"
            never = "|".join(re.escape(w) for w in self.between_never) or "(?!)"
            allowed = "|".join([self.between_regex] + [re.escape(w) for w in self.between_words])
            between_word = rf"(?!(?:{never})\s)(?:{allowed})"
            nouns = _trie([n for ns in self.nouns for n in ns])
            # a hyphen after the noun makes it part of a compound ("fire frikommune-temaer")
            full_tail = rf"\s+(?:{between_word}\s+){{0,{self.max_between}}}?(?P<noun>{nouns})(?!\w)(?!-\w)"
            full = re.compile(number + full_tail, flags)
            # The same matches, but consuming the character before the number instead of
            # looking behind: a leading character class lets the engine skip ahead in C
            # (see CountComponent._full_matches; ~35% faster over the corpus).
            full_scan = re.compile(rf"[^{glued}]{number_body}{full_tail}", flags)
            before_anchor = re.compile(rf"{number}\s+(?:[^\W\d]+\s+){{0,{self.max_gap_words}}}$", flags)
            quals = "|".join(f"(?P<q{i}>{alternation(ps)})" for i, (_r, _q, ps) in enumerate(self.qualifiers))
            qualifier = re.compile(rf"(?<!\w)(?:{quals})\s+$", flags)
            skip = f"(?:(?:{alternation(self.definite_skip)})\\s+)?" if self.definite_skip else ""
            definite = re.compile(rf"(?<!\w)(?:{alternation(self.determiners)})\s+{skip}$", flags)
            after = "|".join(f"(?P<a{i}>{alternation(ps)})" for i, (_r, ps) in enumerate(self.after_markers))
            after_marker = re.compile(rf"(?<!\w)(?:{after})(?!\w)", flags)
            before = "|".join(f"(?P<b{i}>{alternation(ps)})" for i, (_r, ps) in enumerate(self.before_markers))
            before_marker = re.compile(rf"(?<!\w)(?:{before})(?!\w)", flags)
            direct = None
            if self.direct_markers:
                # the phrases as a trie, first (no look-behind in front: the engine then tests
                # one character per position; the word boundary before is the caller's check);
                # which marker matched is read from the phrase (see CountRules.direct_rule)
                trie = _trie(sorted({p for _r, ps in self.direct_markers for p in ps})).replace("\\ ", r"\s+")
                direct = re.compile(rf"(?P<phrase>{trie})\s+{number}", flags)
            triggers = [re.compile(rf"(?:{'|'.join(_spaced(p) for p in ps)})(?!\w)", flags)
                        for ps in self.trigger_patterns]
            every = "|".join(_spaced(p) for ps in self.trigger_patterns for p in ps)
            any_trigger = re.compile(rf"(?<!\w)(?:{every})(?!\w)", flags)
            guards = re.compile("|".join(f"(?:{rx})" for _id, rx in self.guards), flags)
            partitive_after = partitive_before = None
            if self.partitive_rule:
                anchors = sorted({ph.split()[-1] for ph in self.partitive_phrases})
                leads = [" ".join(ph.split()[:-1]) for ph in self.partitive_phrases if len(ph.split()) > 1]
                pskip = f"(?:(?:{alternation(self.partitive_skip)})\\s+)?" if self.partitive_skip else ""
                dets = alternation(self.partitive_determiners) if self.partitive_determiners else "(?!)"
                partitive_after = re.compile(
                    rf"(?:{alternation(anchors)})\s+{pskip}"
                    rf"(?:(?P<inner>{self.digits}|{words})(?![\w])\s+|(?:{dets})\s+)?"
                    rf"(?:{between_word}\s+){{0,{self.max_between}}}?(?P<noun>{nouns})(?!\w)(?!-\w)", flags)
                lead = f"(?:(?:{alternation(leads)})\\s+)?" if leads else ""
                partitive_before = re.compile(rf"{number}\s+{lead}$", flags)
        except re.error as exc:
            raise RulesError(f"{COUNTS_FILE}: bad regex: {exc}") from exc
        # a sentence ends at . ! ? before a capital letter, or at a blank line (charset first: fast scan)
        sentence_break = re.compile(r"[.!?…\n](?:(?<=\n)[ \t\u00a0]*\n|(?<!\n)[.!?…]*[\"”’)]*\s+(?=[A-ZÆØÅ\"”]))")
        return Compiled(full, full_scan, before_anchor, qualifier, definite, after_marker, before_marker,
                        direct, any_trigger, triggers, guards, sentence_break, partitive_after, partitive_before)

    def direct_rule(self, phrase: str) -> str:
        """The rule id of the direct marker whose phrase this is."""
        key = " ".join(phrase.lower().split())
        return next(rule for rule, ps in self.direct_markers if key in ps)

    def number_value(self, s: str) -> int:
        return int(s) if s.isdigit() else self.number_words[" ".join(s.lower().split())]


def _trie(words: list[str]) -> str:
    """The words as one regex shaped like a trie ("t(?:o|re|i)"): Python's re tries the branches
    of a flat alternation one by one at every position; a trie needs one test per character."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _spaced(pattern: str) -> str:
    """A trigger regex whose literal spaces match any run of whitespace (wrapped PDF lines)."""
    return pattern.replace(" ", r"\s+")
