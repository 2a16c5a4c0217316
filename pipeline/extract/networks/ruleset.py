"""rules/networks.yaml compiled once per component: regexes, label tables, periods.

No vocabulary lives here; this module only turns the rule file into ready-to-use objects and
fails early (RulesError) when the file is malformed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...rules import Rules, RulesError

RULES_FILE = "networks.yaml"


@dataclass(frozen=True)
class Anchored:
    """A regex run only near its anchors (literal strings every match contains)."""

    regex: re.Pattern
    anchors: tuple[str, ...]
    before: int  # how far a match may start before an anchor
    after: int  # how far it may end after the anchor's end


@dataclass(frozen=True)
class Trigger:
    id: str
    value: str  # status value
    pattern: Anchored
    rank: int  # position of the value in the status order: lower wins


@dataclass(frozen=True)
class NamePhrase:
    id: str
    pattern: Anchored
    standalone: bool
    context: re.Pattern | None = None  # the phrase counts only in a sentence matching this


@dataclass(frozen=True)
class Membership:
    id: str
    pattern: Anchored
    members: str  # after | before
    subject: str | None  # before | before_or_after | None
    requires: str | None  # network | name | network_or_name | network_or_programme | None
    min_members: int = 1  # distinct municipalities the governed list must name


@dataclass(frozen=True)
class Clause:
    """A whole membership clause, matched on the masked text (see TextContext.masked)."""

    id: str
    pattern: Anchored
    requires: str | None
    fanout: bool
    count_is_members: bool = False
    others_next: bool = False  # the counted partners may be listed in the next sentence
    partial: bool = False  # names some members, counts the rest
    anchor: bool = False  # names no member: the member is the municipality the sentence speaks of
    members: str = "clause"  # so a clause reads like a Membership where prose code asks
    subject: str | None = None


@dataclass(frozen=True)
class Listed:
    """The general running-text form: a list tied to a network cue (rules `listed`)."""

    id: str
    min_members: int
    max_members: int
    free_word: re.Pattern
    reach: int
    partner_lead: re.Pattern
    place_lead: re.Pattern
    count: re.Pattern
    several: re.Pattern
    some_before: re.Pattern
    some_in_sentence: re.Pattern
    some_after: re.Pattern
    runs_on_before: re.Pattern
    runs_on_after: re.Pattern
    requires: str | None = None  # so a listed record reads like a Membership where prose code asks
    fanout: bool = False
    partial: bool = False
    members: str = "clause"
    subject: str | None = None


# Municipality mentions in the masked text: the first character of a mention and the rest.
MASK_FIRST, MASK_REST = "\x01", "\x02"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Period:
    programme: str
    first: int
    last: int
    networks: bool


def _words_regex(words: list[str]) -> str:
    """Alternation of words, longest first, spaces matching any whitespace."""
    ordered = sorted({w.strip().lower() for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ordered)


def _compile(pattern: str, what: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RulesError(f"{RULES_FILE}: {what}: {exc}") from exc


def _anchored(entry: dict[str, Any], what: str, pattern: str | None = None) -> Anchored:
    anchors = tuple(a.lower() for a in entry.get("anchors") or [])
    reach = entry.get("reach")
    if not anchors or not all(isinstance(a, str) and a for a in anchors):
        raise RulesError(f"{RULES_FILE}: {what}: a whole-text regex needs `anchors`")
    if not (isinstance(reach, list) and len(reach) == 2):
        raise RulesError(f"{RULES_FILE}: {what}: `reach` must be [before, after]")
    return Anchored(_compile(pattern or entry["regex"], what), anchors, int(reach[0]), int(reach[1]))


class NetworkRules:
    def __init__(self, rules: Rules):
        cfg = rules.yaml(RULES_FILE)
        try:
            # The programmes' years are shared with the experiments component.
            self.periods = [
                Period(str(x["programme"]), int(x["from"]), int(x["to"]), bool(x.get("networks", True)))
                for x in rules.yaml("programmes.yaml")["periods"]
            ]
            self._load(cfg)
        except (KeyError, TypeError, ValueError) as exc:
            raise RulesError(f"{RULES_FILE}: missing or malformed key {exc}") from exc

    def _load(self, cfg: dict[str, Any]) -> None:
        self.prefilter = tuple(w.lower() for w in cfg["prefilter"])
        self.direct_scan = int(cfg["direct_scan"])
        text = cfg["text"]
        self.sentence_break = [_compile(p, "sentence_break") for p in text["sentence_break"]]
        self.paragraph_break = [_compile(p, "paragraph_break") for p in text["paragraph_break"]]
        self.block_break = _compile(text["block_break"], "block_break")
        self.segment_window = int(text["window"])

        lists = cfg["lists"]
        self.list_gap = _compile(lists["gap"], "lists.gap")
        self.list_lead = _compile(lists["lead"], "lists.lead")
        self.list_tail = _compile(lists["tail"], "lists.tail")
        self.list_broken = _compile(lists["broken"], "lists.broken")

        self.block_rule = cfg["blocks"]["id"]
        self.name_only_rule = cfg["name_only"]["id"]
        self.sole_member_rule = cfg["name_only"]["sole_member_rule"]
        self._load_labels(cfg["labels"])
        heading = cfg["theme_heading"]
        self.theme_heading_rule = heading["id"]
        self.theme_heading_max_words = int(heading["max_words"])
        self.theme_heading_reject = _compile(heading["reject"], "theme_heading.reject")
        self.theme_heading_separator = _compile(heading["separator"], "theme_heading.separator")

        self._load_tables(cfg["tables"])
        self._load_flat_tables(cfg["flat_tables"])
        self._load_quotes(cfg["quotes"])
        self.name_phrases = [
            NamePhrase(p["id"], _anchored(p, p["id"]), bool(p.get("standalone", False)),
                       _compile(p["context"], p["id"]) if p.get("context") else None)
            for p in cfg["name_phrases"]
        ]
        self.name_end = _compile(cfg["name_end"], "name_end")
        self.name_max_words = int(cfg["name_max_words"])
        self.paragraph_name_rule = cfg["paragraph_name"]["id"]
        self.nearby_name_rule = cfg["nearby_name"]["id"]
        self.nearby_name_reach = int(cfg["nearby_name"]["reach"])

        self.membership = [
            Membership(m["id"], _anchored(m, m["id"]), m["members"], m.get("subject"), m.get("requires"),
                       int(m.get("min_members", 1)))
            for m in cfg["membership"]
        ]
        for m in self.membership:
            if m.members not in ("after", "before"):
                raise RulesError(f"{RULES_FILE}: {m.id}: members must be after|before")
        self.network_context = _compile(cfg["network_context"], "network_context")
        self.programme_context = _compile(cfg["programme_context"], "programme_context")
        self._load_groups(cfg["groups"])
        self._load_clauses(cfg["clauses"], cfg["lists"]["gap"])
        self._load_listed(cfg["listed"])
        anaphora = cfg["anaphora"]
        self.anaphor_min_members = int(anaphora["min_members"])
        self.anaphor_window = int(anaphora["window"])
        self.anaphor_end = _compile(anaphora["end"], "anaphora.end")

        self.status = [
            Trigger(t["id"], block["value"], _anchored(t, t["id"]), rank)
            for rank, block in enumerate(cfg["status"]) for t in block["triggers"]
        ]
        self.status_nearby_reach = int(cfg["status_nearby"]["reach"])
        self.heading_status = [(h["id"], h["value"], _anchored(h, h["id"])) for h in cfg["heading_status"]]
        self._load_programme(cfg["programme"])

    def _load_labels(self, labels: dict[str, Any]) -> None:
        self.label_kind: dict[str, tuple[str, str]] = {}  # normalised word -> (kind, rule id)
        self.label_suffices: set[str] = set()  # rule ids of labels that alone make a network block
        words = []
        for entry in labels["kinds"]:
            if entry["kind"] not in ("name", "theme", "members", "other"):
                raise RulesError(f"{RULES_FILE}: {entry['id']}: unknown label kind {entry['kind']!r}")
            if entry.get("suffices"):
                self.label_suffices.add(entry["id"])
            for w in entry["words"]:
                self.label_kind[" ".join(w.lower().split())] = (entry["kind"], entry["id"])
                words.append(w)
        # A label starts a line or follows whitespace, and starts with a capital: both checked
        # by the code on the original text.
        self.label = _anchored(labels, "labels", rf"(?P<word>{_words_regex(words)}){labels['separator']}")
        self.label_max_words = int(labels["max_words"])

    def _load_tables(self, t: dict[str, Any]) -> None:
        self.table_rule = t["id"]
        self.cell_separator = t["cell_separator"]
        self.table_columns = {kind: {w.lower() for w in words} for kind, words in t["columns"].items()}
        self.table_skip = {w.lower() for w in t["skip_if_column"]}
        self.table_name_rule = t["name_rule"]
        self.table_theme_rule = t["theme_rule"]

    def _load_flat_tables(self, t: dict[str, Any]) -> None:
        self.flat_rule = t["id"]
        self.flat_name_rule = t["name_rule"]
        self.flat_theme_rule = t["theme_rule"]
        self.flat_min_members = int(t["min_members"])
        self.flat_min_rows = int(t["min_rows"])
        self.flat_line_tail = _compile(t["line_tail"], "flat_tables.line_tail")
        self.flat_name_max_words = int(t["name_max_words"])
        self.flat_theme_max_words = int(t["theme_max_words"])
        self.flat_reject = _compile(t["reject"], "flat_tables.reject")
        self.flat_context_reach = int(t["context_reach"])
        header = t["header"]
        self.flat_header_members = {" ".join(w.lower().split()) for w in header["members"]}
        self.flat_header_other = {" ".join(w.lower().split()) for w in header["other"]}

    def _load_quotes(self, q: dict[str, Any]) -> None:
        self.quote_rule = q["id"]
        self.quote_max_words = int(q["max_words"])
        self.quote_context = _compile(q["context"], "quotes.context")
        branches = []
        for open_, close in q["pairs"]:
            o, c = re.escape(open_), re.escape(close)
            inner = rf"[^{o}{c}\n]{{1,{int(q['max_chars'])}}}"
            if open_.isascii() and not open_ == '"':
                # apostrophes double as elision marks: no letter outside the quote
                branches.append(rf"(?<!\w){o}(?P<q{len(branches)}>{inner}){c}(?!\w)")
            else:
                branches.append(rf"{o}(?P<q{len(branches)}>{inner}){c}")
        self.quote = _compile("|".join(branches), "quotes.pairs")

    def _load_groups(self, g: dict[str, Any]) -> None:
        self.group_rule = g["id"]
        self.group_numbers = {k.lower(): int(v) for k, v in g["numbers"].items()}
        self.group_regions = {k.lower(): v for k, v in g["adjectives"].items()}
        pattern = g["regex"].replace("{numbers}", _words_regex(list(self.group_numbers)))
        pattern = pattern.replace("{adjectives}", _words_regex(list(self.group_regions)))
        self.group = _anchored({**g, "anchors": list(self.group_regions)}, "groups.regex", pattern)

    def _load_clauses(self, c: dict[str, Any], gap: str) -> None:
        known = {
            "m": re.escape(MASK_FIRST) + re.escape(MASK_REST) + "*",
            "notname": "[^.\n" + re.escape(MASK_FIRST) + "]",
            "gap": gap,
            "count": rf"(?:\d{{1,2}}|{_words_regex(list(self.group_numbers))})",
            "adjective": f"(?:{_words_regex(list(self.group_regions))})",
        }

        def expand(pattern: str, what: str) -> str:
            def sub(m: re.Match) -> str:
                if m.group(1) not in known:
                    raise RulesError(f"{RULES_FILE}: {what}: unknown placeholder {{{m.group(1)}}}")
                return known[m.group(1)]
            return _PLACEHOLDER.sub(sub, pattern)

        self._expand = expand

        for key, fragment in (c.get("fragments") or {}).items():
            known[key] = f"(?:{expand(fragment, 'clauses.fragments.' + key)})"
        self.fanout_window = int(c["fanout_window"])
        self.clause_context_reach = int(c["context_reach"])
        self.clause_name_rule = c["name_rule"]
        self.others_next = _compile(expand(c["others_next"], "clauses.others_next"), "clauses.others_next")
        self.clauses = []
        for entry in c["rules"]:
            pattern = _anchored(entry, entry["id"], expand(entry["regex"], entry["id"]))
            anchor = bool(entry.get("anchor"))
            if not anchor and not any(g.startswith("members") or g == "anaphor" for g in pattern.regex.groupindex):
                raise RulesError(f"{RULES_FILE}: {entry['id']}: a clause needs a members… or anaphor group")
            self.clauses.append(Clause(
                entry["id"], pattern, entry.get("requires"), bool(entry.get("fanout")),
                bool(entry.get("count_is_members")), bool(entry.get("others_next")), bool(entry.get("partial")),
                anchor))

    def _load_listed(self, c: dict[str, Any]) -> None:
        def regex(key: str) -> re.Pattern:
            return _compile(self._expand(c[key], "listed." + key), "listed." + key)

        runs_on, some = c["runs_on"], c["some"]
        self.listed = Listed(
            c["id"], int(c["min_members"]), int(c["max_members"]), regex("free_word"), int(c["reach"]),
            regex("partner_lead"), regex("place_lead"), regex("count"), regex("several"),
            _compile(some["before"], "listed.some.before"), _compile(some["in_sentence"], "listed.some.in_sentence"),
            _compile(some["after"], "listed.some.after"),
            _compile(runs_on["before"], "listed.runs_on.before"), _compile(runs_on["after"], "listed.runs_on.after"))
        self.listed_nearby = tuple(w.lower() for w in c["nearby_words"])

    def _load_programme(self, p: dict[str, Any]) -> None:
        stated = p["stated"]
        self.programme_stated_rule = stated["id"]
        self.programme_stated = _anchored(stated, stated["id"])
        self.programme_year_rule = p["year_rule"]
        self.programme_published_rule = p["published_rule"]

    # ------------------------------------------------------------------ queries
    def programme_of_year(self, year: int) -> str | None:
        """The one programme with networks whose period holds `year`; None if none or several."""
        hits = {p.programme for p in self.periods if p.first <= year <= p.last}
        if len(hits) != 1:
            return None
        (prog,) = hits
        return prog if self.has_networks(prog) else None

    def programme_of_span(self, first: int, last: int) -> str | None:
        for p in self.periods:
            if (p.first, p.last) == (first, last):
                return p.programme if p.networks else None
        return None

    def has_networks(self, programme: str) -> bool:
        return any(p.programme == programme and p.networks for p in self.periods)
