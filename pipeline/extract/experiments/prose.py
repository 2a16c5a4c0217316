"""Experiments named in running text (rules/experiments.yaml `prose`, `decision_first`, `anaphora`).

    Forsøget med at lade X ... er godkendt.        title, then the decision (ProseParser)
    Kommunen fik afslag på ansøgningen om X.       the decision, then the title (DecisionFirstParser)
    ... fik afvist ansøgninger om X og Y.          a plural noun: one experiment per title
    Begge ansøgninger fik afslag.                  the decision of experiments just named (Anaphora)

Text inside a list or table another layout read is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...rules import RulesError
from ..common import alternation, phrase_regex, trimmed
from .layouts import Found, Span
from .vocab import EXPERIMENTS_FILE, StatusHit, StatusVocabulary

# Where a title in running text ends: sentence punctuation, a line break, a quote or a cell.
# A period ends a title only where a sentence ends ("f.eks. x" does not): before a capital, a
# digit or a paragraph sign, or at the end of its line.
_TITLE_END = re.compile(r"[;:!?\n|\"”(]|\.(?=\s+[A-ZÆØÅ\d§]|[ \t]*(?:\n|$))")


def _matches(pattern: re.Pattern, text: str, low: str, starts: re.Pattern):
    """pattern.finditer(text), tried only where `starts` finds a word that can begin a match
    (a short alternation of words, scanned in C over the lower-cased text): a long alternation
    of phrases then costs little, where finditer would try all of it at every character."""
    last_end = 0
    # The lower-cased copy has the text's offsets unless lower() changed a character's length.
    same = len(low) == len(text)
    hits = starts.finditer(low) if same else re.compile(starts.pattern, re.IGNORECASE).finditer(text)
    for w in hits:
        if w.start() < last_end:
            continue
        m = pattern.match(text, w.start())
        if m is not None:
            last_end = m.end()
            yield m


def _first_words(phrases) -> re.Pattern:
    """A regex of the words that can begin one of `phrases`."""
    words = set()
    for p in phrases:
        first = re.match(r"\w+", p.lower())
        if first is None:  # the literal scan finds a phrase by its first word
            raise RulesError(f"{EXPERIMENTS_FILE}: phrase {p!r} must start with a letter or digit")
        words.add(first.group())
    return re.compile(rf"(?<!\w)(?:{alternation(sorted(words))})(?!\w)")


_WORD = re.compile(r"\w+")


def _first_word(text: str, at: int) -> str:
    """The lower-cased word starting at `at` ("" if none)."""
    m = _WORD.match(text, at)
    return m.group().lower() if m else ""


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in taken)


class ProseParser:
    """'Forsøget med X imødekommes.' in running text."""

    def __init__(self, cfg: dict, statuses: StatusVocabulary):
        self.statuses = statuses
        try:
            self.rule: str = cfg["id"]
            self.openers = [o.lower() for o in cfg["openers"]]
            self.first_words = _first_words(cfg["openers"])
            aux = alternation(cfg["auxiliaries"])
            self.pattern = re.compile(
                rf"\b(?:{alternation(cfg['openers'])})\s+"
                rf"(?P<title>[^\W\d](?:(?!\n\s*\n)[^.,;:!?|\"”])"
                + "{2," + str(int(cfg["max_title_chars"])) + "}?)"
                rf"\s+(?:(?:{aux})\s+)*{statuses.prose_pattern}",
                re.IGNORECASE,
            )
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: prose: missing or malformed key {exc}") from exc

    def parse(self, text: str, low: str, taken: list[tuple[int, int]]) -> list[Found]:
        if not any(o in low for o in self.openers):
            return []
        out = []
        for m in _matches(self.pattern, text, low, self.first_words):
            if _overlaps(m.start(), m.end(), taken):
                continue  # inside a list or table already read
            status = self.statuses.hit(m, text)
            out.append(Found(self.rule, m.start(), status.end, Span(*m.span("title")), status))
        return out


@dataclass(frozen=True)
class _PhraseGroup:
    rule: str
    status: str | None
    plural: bool  # its titles may be coordinated
    requires_noun: bool  # decides only with an experiment noun after the phrase
    title_starts: frozenset[str] = frozenset()  # if given: the first words a title may have
    title_capitalised: bool = False  # the title must start with a capital letter
    clause: bool = False  # the phrase ends in "hvor": the title is a clause (see clause_nouns)
    range_steps: tuple[re.Pattern, ...] = ()  # "lige fra X over Y til Z": the words between the titles
    preceded_by: re.Pattern | None = None  # what must stand right before the phrase ("§ 6.")
    asides: re.Pattern | None = None  # an aside after the phrase, skipped ("kan ud over …, give X")


class DecisionFirstParser:
    """'fik afslag på forsøget med X', 'har fået grønt lys til at X', 'søgte om X'."""

    def __init__(self, cfg: dict):
        try:
            self.rule: str = cfg["id"]
            self.groups: list[_PhraseGroup] = []
            parts = []
            for i, entry in enumerate(cfg["phrases"]):
                self.groups.append(_PhraseGroup(
                    entry["id"], entry.get("status"), bool(entry.get("plural")), bool(entry.get("requires_noun")),
                    frozenset(w.lower() for w in entry.get("title_starts") or ()),
                    bool(entry.get("title_capitalised")), bool(entry.get("clause")),
                    tuple(re.compile(rf",?\s+{phrase_regex(w)}\s+", re.IGNORECASE) for w in entry.get("range_steps") or ()),
                    re.compile(rf"(?:{entry['preceded_by']})\s*$") if entry.get("preceded_by") else None,
                    re.compile(rf"(?:{alternation(entry['asides'])})(?!\w)", re.IGNORECASE) if entry.get("asides") else None))
                parts.append(f"(?P<p{i}>{self._phrases(entry['phrases'], cfg['phrase_adverbs'], int(cfg['gap_words']))})")
            nouns = alternation(cfg["nouns"])
            self.plural = {n.lower() for n in cfg["plural_nouns"]}
            self.clause_nouns = {" ".join(n.lower().split()) for n in cfg.get("clause_nouns") or []}
            self.pattern = re.compile(
                rf"(?<!\w)(?:{'|'.join(parts)})\s+(?:(?P<noun>{nouns})\s+)?(?=[^\W\d_])", re.IGNORECASE)
            self.coordinator = re.compile("|".join(re.escape(c) for c in cfg["coordinators"]))
            self.repeated = {n.lower(): re.compile(rf"\s*(?:,\s*(?:og\s+)?|\s+og\s+){phrase_regex(n)}\s+", re.IGNORECASE)
                             for n in cfg["nouns"]}
            self.leading_noun = {n.lower(): re.compile(rf"{phrase_regex(n)}\s+", re.IGNORECASE) for n in cfg["nouns"]}
            lead_ins = sorted(cfg["title_lead_ins"], key=len, reverse=True)
            self.lead_in = re.compile(rf"(?:{alternation(lead_ins)})\s+", re.IGNORECASE)
            self.max_title = int(cfg["max_title_chars"])
            self.max_coordinated = int(cfg["max_coordinated_titles"])
            self.finite_verb = re.compile(rf"\s(?:{alternation(cfg['finite_verbs'])})(?!\w)", re.IGNORECASE)
            self.clause = re.compile(rf",\s*(?:{alternation(cfg['clause_words'])})(?!\w)", re.IGNORECASE)
            self.preceding_chars = int(cfg["preceding_chars"])
            self.min_words = int(cfg["min_title_words"])
            self.max_aside = int(cfg["max_aside_chars"])
            # "X, Y og Z mm.": the list's "and so on" is not part of its last title
            self.trailer = re.compile(rf"\s+(?:{alternation(cfg['list_trailers'])})(?!\w)\s*$", re.IGNORECASE)
            self.single_word_chars = int(cfg["single_word_min_chars"])
            self.exclude = re.compile(rf"(?<!\w)(?:{alternation(cfg['title_exclude'])})(?!\w)", re.IGNORECASE)
            self.bad_first = {w.lower() for w in cfg["bad_first_words"]}
            self.generic = re.compile(rf"(?<!\w)(?:{alternation(cfg['generic_endings'])})\s*$", re.IGNORECASE)
            self.first_words = _first_words(p for e in cfg["phrases"] for p in e["phrases"])
        except (KeyError, TypeError, ValueError, IndexError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: decision_first: missing or malformed key {exc}") from exc

    @staticmethod
    def _phrases(phrases: list[str], adverbs: list[str], gap_words: int) -> str:
        """The phrases, longest first, each allowing adverbs between its words ("får nu
        alligevel lov til at"); `…` stands for one to `gap_words` words."""
        gap = rf"\s+(?:(?:{alternation(adverbs)})\s+)*"
        some_words = rf"\w+(?:\s+\w+){{0,{gap_words - 1}}}"

        def word(w: str) -> str:
            return some_words + re.escape(w[1:]) if w.startswith("…") else re.escape(w)

        return "|".join(gap.join(word(w) for w in p.split())
                        for p in sorted(set(phrases), key=len, reverse=True))

    def parse(self, text: str, low: str, taken: list[tuple[int, int]]) -> list[Found]:
        out: list[Found] = []
        for m in _matches(self.pattern, text, low, self.first_words):
            group_index = next(i for i in range(len(self.groups)) if m.group(f"p{i}") is not None)
            group = self.groups[group_index]
            phrase = m.span(f"p{group_index}")
            noun = " ".join((m.group("noun") or "").lower().split())
            if group.requires_noun and not noun:
                continue
            if group.preceded_by is not None and not group.preceded_by.search(
                    text, max(0, phrase[0] - self.preceding_chars), phrase[0]):
                continue
            title_start = m.end()
            if group.asides is not None and group.asides.match(text, title_start):
                title_start = self._after_aside(text, title_start)
                if title_start is None:
                    continue
            if group.range_steps:  # "lige fra X over Y til Z": the range's words part the titles
                end = self._title_end(text, title_start, plural=True, clause=True)
                if _overlaps(m.start(), end, taken):
                    continue
                titles = self._range_titles(text, title_start, end, group.range_steps)
            else:
                if group.title_starts and _first_word(text, title_start) not in group.title_starts:
                    continue
                if group.title_capitalised and (noun or not text[title_start].isupper()
                                                or "\n" in text[phrase[1]:title_start]):
                    continue  # "Forsøget Titel ...": the title on the phrase's own line, capitalised
                clause = noun in self.clause_nouns or group.clause
                plural = (noun in self.plural or group.plural) and not clause
                end = self._title_end(text, title_start, plural, clause=clause)
                if group.title_capitalised and self._new_sentence_inside(text, title_start, end):
                    continue
                if _overlaps(m.start(), end, taken):
                    continue
                titles = self._titles(text, title_start, end, plural, noun)
                repeated = self.repeated.get(noun)
                while repeated is not None and (more := repeated.match(text, end)) is not None:
                    end = self._title_end(text, more.end(), plural)
                    titles += self._titles(text, more.end(), end, plural, noun)
            status = None
            if group.status is not None:
                status = StatusHit(status=group.status, rule=group.rule, start=phrase[0], end=phrase[1],
                                   label=text[phrase[0]:phrase[1]])
            out += [Found(self.rule, m.start(), end, title, status) for title in titles]
        return out

    def _after_aside(self, text: str, start: int) -> int | None:
        """Where the words after an aside start: after its first comma that opens no relative
        clause ("kan ud over de tilfælde, der nævnes i § 3, give X" goes on at "give")."""
        stop = min(len(text), start + self.max_title)
        pos = start
        while (comma := text.find(",", pos, stop)) >= 0:
            if self.clause.match(text, comma) is None:
                after = comma + 1
                while after < stop and text[after].isspace():
                    after += 1
                return after if after < stop and text[after].isalpha() else None
            pos = comma + 1
        return None

    def _range_titles(self, text: str, start: int, end: int, steps: tuple[re.Pattern, ...]) -> list[Span]:
        """'lige fra X, over Y til Z': one title per stretch between the range's words, each
        word used once and in order (so "mikrolån til ledige" before "over" stays whole)."""
        bounds, pos = [], start
        for step in steps:
            m = step.search(text, pos, end)
            if m is not None:
                bounds.append((pos, m.start()))
                pos = m.end()
        bounds.append((pos, end))
        if len(bounds) < 2:
            return []  # no range after all
        titles = []
        for s, e in bounds:
            s, e = trimmed(text, s, e)
            while e > s and text[e - 1] == ",":
                e -= 1
            if len(text[s:e].split()) >= self.min_words or len(text[s:e]) >= self.single_word_chars:
                titles.append(Span(s, e))
        return titles

    def _new_sentence_inside(self, text: str, start: int, end: int) -> bool:
        """A capitalised function word inside ("Indledning og baggrund Det overordnede ..."):
        headings run together in converted text, not one title."""
        words = text[start:end].split()[1:]
        return any(w[:1].isupper() and w.lower() in self.bad_first for w in words)

    def _title_end(self, text: str, start: int, plural: bool, clause: bool = False) -> int:
        # several coordinated titles may run longer than one
        stop = min(len(text), start + self.max_title * (self.max_coordinated if plural else 1))
        m = _TITLE_END.search(text, start, stop)
        while m is not None and m.group() == "(":
            # a short aside in brackets belongs to the title ("bofællesskaber (deleboliger)")
            close = text.find(")", m.end(), min(stop, m.end() + self.max_aside))
            if close < 0 or "\n" in text[m.end():close]:
                break
            m = _TITLE_END.search(text, close + 1, stop)
        end = m.start() if m else stop
        trailer = self.trailer.search(text, start, end)
        if trailer is not None:
            end = trailer.start()
        if clause:  # a clause set off by dashes ends at the closing one
            dash = re.search(r"\s[-–—]\s", text[start:end])
            if dash is not None:
                end = start + dash.start()
        else:  # after "et forsøg, hvor" the title is a clause: its verb is its own
            relative = self.clause.search(text, start, end)
            if relative is not None:
                end = relative.start()
            verb = self.finite_verb.search(text, start, end)
            if verb is not None:  # "forsøget med X har tidligere været ...": the sentence goes on
                end = verb.start()
        if not plural:
            comma = text.find(",", start, end)
            if comma >= 0:
                end = comma
        while end > start and text[end - 1].isspace():
            end -= 1
        return end

    def _titles(self, text: str, start: int, end: int, plural: bool, noun: str = "") -> list[Span]:
        pieces = [(start, end)]
        again = self.repeated.get(noun)
        if again is not None and again.search(text, start, end):
            # "forsøg med X, Y og Z, forsøg med W": the repeated noun separates the titles
            pieces, pos = [], start
            for c in again.finditer(text, start, end):
                pieces.append((pos, c.start()))
                pos = c.end()
            pieces.append((pos, end))
        elif plural:
            pieces, pos = [], start
            for c in self.coordinator.finditer(text, start, end):
                pieces.append((pos, c.start()))
                pos = c.end()
            pieces.append((pos, end))
        # One long word may name an experiment ("udslusningsboliger"): alone, or first in a list
        # of longer titles. Single words after a longer title go on its own coordination
        # ("skoledage via fagdage, holddeling og lektiecafeer" is one title).
        lone_first = len(pieces) == 1 or any(len(text[s:e].split()) >= self.min_words for s, e in pieces[1:])
        titles = []
        for index, (s, e) in enumerate(pieces):
            while s < e and text[s].isspace():
                s += 1
            again = self.leading_noun.get(noun)  # "..., forsøg med Y": the noun said again
            if again is not None and (m := again.match(text, s, e)) is not None:
                s = m.end()
            lead = self.lead_in.match(text, s, e)
            if lead is not None:
                s = lead.end()
            while s < e and text[s].isspace():
                s += 1
            words = text[s:e].split()
            one_long_word = index == 0 and lone_first and len(words) == 1 and len(words[0]) >= self.single_word_chars
            too_short = len(words) < self.min_words and not one_long_word
            if (too_short or words[0].lower().strip(".") in self.bad_first
                    or self.exclude.search(text, s, e) or self.generic.search(text[s:e])):
                continue
            titles.append(Span(s, e))
        return titles


class BracketedListParser:
    """'de igangværende forsøg (X samt Y)': titles in brackets after an experiment noun."""

    def __init__(self, cfg: dict):
        try:
            self.rule: str = cfg["id"]
            self.pattern = re.compile(
                rf"(?<!\w)(?:{alternation(cfg['nouns'])})\s*\((?P<list>[^()\n]{{3,{int(cfg['max_chars'])}}})\)",
                re.IGNORECASE)
            self.split = re.compile("|".join(re.escape(c) for c in cfg["coordinators"]))
            self.min_words = int(cfg["min_title_words"])
            self.single_word_chars = int(cfg["single_word_min_chars"])
            self.first_words = _first_words(cfg["nouns"])
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: bracketed: missing or malformed key {exc}") from exc

    def parse(self, text: str, low: str, taken: list[tuple[int, int]]) -> list[Found]:
        out = []
        for m in _matches(self.pattern, text, low, self.first_words):
            if _overlaps(m.start(), m.end(), taken):
                continue
            start, end = m.span("list")
            pieces, pos = [], start
            for c in self.split.finditer(text, start, end):
                if c.end() < end and text[c.end()].isupper():  # a coordinator splits only before a capital
                    pieces.append((pos, c.start()))
                    pos = c.end()
            pieces.append((pos, end))
            titles = []
            for s, e in pieces:
                s, e = trimmed(text, s, e)
                words = text[s:e].split()
                if not words or not text[s].isupper():
                    titles = []
                    break  # not a list of titles ("forsøgene (se bilag 3)")
                if len(words) >= self.min_words or len(words[0]) >= self.single_word_chars:
                    titles.append(Span(s, e))
            out += [Found(self.rule, m.start(), m.end(), title, None) for title in titles]
        return out


class QuotedTitleParser:
    """'deltagelse i frikommuneforsøget ”X”': an experiment noun, then its title in quotes."""

    def __init__(self, cfg: dict):
        try:
            self.rule: str = cfg["id"]
            parts = []
            for pair in cfg["quotes"]:
                opening, closing = re.escape(pair[0]), re.escape(pair[1])
                parts.append(rf"{opening}(?P<t{len(parts)}>[^\n{opening}{closing}]{{3,{int(cfg['max_title_chars'])}}}){closing}")
            linking = alternation(cfg["linking_words"])
            self.pattern = re.compile(rf"(?<!\w)(?:{alternation(cfg['nouns'])})\s+(?:(?:{linking})\s+)?(?:{'|'.join(parts)})",
                                      re.IGNORECASE)
            self.groups = [f"t{i}" for i in range(len(parts))]
            self.min_words = int(cfg["min_title_words"])
            self.first_words = _first_words(cfg["nouns"])
        except (KeyError, TypeError, ValueError, IndexError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: quoted: missing or malformed key {exc}") from exc

    def parse(self, text: str, low: str, taken: list[tuple[int, int]]) -> list[Found]:
        out = []
        for m in _matches(self.pattern, text, low, self.first_words):
            group = next(g for g in self.groups if m.group(g) is not None)
            s, e = trimmed(text, *m.span(group))
            if _overlaps(m.start(), m.end(), taken) or len(text[s:e].split()) < self.min_words:
                continue
            out.append(Found(self.rule, m.start(), m.end(), Span(s, e), None))
        return out


class Anaphora:
    """'Begge ansøgninger fik afslag': a status for the experiments just named without one."""

    def __init__(self, cfg: dict, aux: list[str], statuses: StatusVocabulary):
        self.statuses = statuses
        try:
            self.rule: str = cfg["id"]
            self.quantity = {" ".join(k.lower().split()): int(v) for k, v in cfg["quantifiers"].items()}
            self.reach = int(cfg["reach"])
            self.pattern = re.compile(
                rf"(?<!\w)(?P<q>{alternation(list(cfg['quantifiers']))})\s+(?:{alternation(cfg['nouns'])})\s+"
                rf"(?:(?:{alternation(aux)})\s+)*{statuses.prose_pattern}", re.IGNORECASE)
            self.first_words = _first_words(cfg["quantifiers"])
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: anaphora: missing or malformed key {exc}") from exc

    def apply(self, text: str, low: str, found: list[Found]) -> None:
        """Sets the status of the last N status-less experiments before each anaphor; with none
        before it, of the next N after it (a counted quantifier only: "begge", "de tre")."""
        if not found:
            return
        for m in _matches(self.pattern, text, low, self.first_words):
            hit = self.statuses.hit(m, text)
            wanted = self.quantity.get(" ".join(m.group("q").lower().split()), 0)
            before = [f for f in found if f.end <= m.start() and f.start >= m.start() - self.reach and f.status is None]
            chosen = before[-wanted:] if wanted else before
            if not before and wanted:
                # "Begge ansøgninger fik afslag." before the two are named: the next ones it counts
                after = [f for f in found if f.start >= m.end() and f.start <= m.end() + self.reach
                         and f.status is None]
                chosen = after[:wanted]
            if wanted and len(chosen) < wanted:
                continue  # "begge" with one candidate: the text refers to something we did not read
            for f in chosen:
                f.status = StatusHit(status=hit.status, rule=hit.rule, start=hit.start, end=hit.end, label=hit.label)
                f.status_via = self.rule
