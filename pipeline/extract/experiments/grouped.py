"""Lists that take their meaning from the line above them (rules/experiments.yaml `grouped_list`).

    Godkendte forsøg:                 a status heading: every item below is approved,
    - Titel A                         until the next heading
    - Titel B (afslag)                an item's own status wins
    Afviste forsøg og forsøg til videre behandling:
    - Titel C                         two statuses named: undetermined, both kept as candidates
    Vi gennemfører disse forsøg:      an introduction naming experiments: no status stated
    -Titel D

Without bullets (a page whose text lost them), only a status heading starts a list, of short
lines. Lines already read by another layout are never read again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...rules import RulesError
from ..common import alternation
from .layouts import Found, Line, LayoutRules, Region, Span, StatusListParser
from .vocab import EXPERIMENTS_FILE, StatusHit


@dataclass(frozen=True)
class Heading:
    line: int  # index into lines
    span: Span  # the heading's text: the whole line, or the sentence closing it
    status: StatusHit | None  # None: an introduction, the items have no stated status
    rule: str  # experiment.status.heading | experiment.status.undetermined | experiment.list.intro


class GroupedListParser:
    def __init__(self, lr: LayoutRules, cfg: dict, status_lists: StatusListParser):
        self.lr = lr
        self.status_lists = status_lists  # for an item's own status on its line
        try:
            self.rule: str = cfg["id"]
            self.status_heading_rule: str = cfg["status_heading"]["id"]
            self.undetermined_rule: str = cfg["undetermined"]["id"]
            self.intro_rule: str = cfg["intro"]["id"]
            tight = "".join(re.escape(b) for b in cfg["tight_bullets"])
            self.tight_bullet = re.compile(rf"[{tight}](?=[^\W\d_])")
            self.numbered_bullet = re.compile(cfg["numbered_bullet"])
            self.cue = re.compile(rf"(?<!\w)(?:{alternation(cfg['cue_words'])})(?!\w)", re.IGNORECASE)
            self.not_cue = re.compile(rf"(?<!\w)(?:{alternation(cfg['not_cue_words'])})(?!\w)", re.IGNORECASE)
            self.heading_max_words = int(cfg["heading_max_words"])
            self.sentence_break = re.compile(cfg["sentence_break"])
            self.open_endings = tuple(cfg["open_endings"])
            self.chrome = {" ".join(w.lower().split()) for w in cfg["page_chrome_items"]}
            self.label_item = re.compile(r"(?:[^\W\d_][\w-]*\s+){0,%d}[^\W\d_][\w-]*:\s" % (int(cfg["label_item_max_words"]) - 1))
            self.item_max_words = int(cfg["item_max_words"])
            self.unbulleted_max_words = int(cfg["unbulleted_max_words"])
            self.status_item_max_words = int(cfg["status_item_max_words"])
            self.count_item = re.compile(cfg["count_item_regex"])
            self.intro_min_items = int(cfg["intro_min_items"])
            self.paragraph_cue_max_words = int(cfg["paragraph_cue_max_words"])
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: grouped_list: missing or malformed key {exc}") from exc

    def parse(self, text: str, lines: list[Line], taken: set[int], region_offset: int
              ) -> tuple[list[Found], list[Region]]:
        found: list[Found] = []
        regions: list[Region] = []
        i = 0
        while i < len(lines):
            heading = None if i in taken else self._heading(text, lines, i)
            if heading is None:
                i += 1
                continue
            items = self._items(text, lines, i + 1, taken, heading)
            if heading.status is None and len(items) < self.intro_min_items:
                items = []
            if not items:
                i += 1
                continue
            region = Region(first_line=i, last_line=items[-1][0])
            regions.append(region)
            for _idx, line, title, own in items:
                status = own if own is not None else heading.status
                f = Found(self.rule, line.start, line.end, title, status)
                f.status_via = None if own is not None or status is None else heading.rule
                f.scope = heading.span
                f.region = region_offset + len(regions) - 1
                found.append(f)
            i = items[-1][0] + 1
        return found, regions

    # ------------------------------------------------------------------ headings
    def _heading(self, text: str, lines: list[Line], i: int) -> Heading | None:
        line = lines[i]
        if self._bullet(text, line) is not None:
            return None
        start, end = line.start, line.end
        s = text[start:end]
        ends_open = s.endswith(self.open_endings)
        paragraph = s
        if ends_open:  # the introduction may be the last sentence of a paragraph
            breaks = list(self.sentence_break.finditer(s))
            cut = breaks[-1].end() if breaks else 0
            start, s = start + cut, s[cut:]
        words = len(s.split())
        if words > self.heading_max_words or self.lr.cell_separator in s or self.not_cue.search(s):
            return None
        # a heading is no sentence: it closes with a colon or with no punctuation at all
        if not ends_open and (s.endswith((".", "!", "?")) or self.sentence_break.search(s)):
            return None
        span = Span(start, end)
        hits = self.lr.statuses.inside(text, start, end)
        # "Enkelte forsøg evalueres eksternt. Det gør VIVE:": the paragraph names the experiments
        cue = self.cue.search(s) is not None or (
            ends_open and words <= self.paragraph_cue_max_words
            and self.cue.search(paragraph) is not None and not self.not_cue.search(paragraph))
        if hits and (cue or ends_open):
            return Heading(i, span, self._heading_status(text, hits), self._status_rule(hits))
        if cue and (ends_open or 2 <= words <= 8):
            return Heading(i, span, None, self.intro_rule)
        return None

    def _status_rule(self, hits: list[StatusHit]) -> str:
        statuses = {c for h in hits for c in (h.candidates or (h.status,))}
        return self.status_heading_rule if len(statuses) == 1 else self.undetermined_rule

    def _heading_status(self, text: str, hits: list[StatusHit]) -> StatusHit:
        statuses = tuple(dict.fromkeys(c for h in hits for c in (h.candidates or (h.status,))))
        if len(statuses) == 1:
            return hits[0]
        # Two decisions in one heading: the item is one of them, the text does not say which.
        start, end = hits[0].start, hits[-1].end
        return StatusHit(status="undetermined", rule=self.undetermined_rule, start=start, end=end,
                         label=text[start:end], candidates=statuses)

    # ------------------------------------------------------------------ items
    def _bullet(self, text: str, line: Line) -> Span | None:
        """The item after a bullet ("- X", "• X", "-X", "1. X"), or None if the line is no bullet."""
        m = (self.lr.bullet.match(text, line.start, line.end) or self.tight_bullet.match(text, line.start, line.end)
             or self.numbered_bullet.match(text, line.start, line.end))
        if m is None or m.end() >= line.end:
            return None
        return Span(m.end(), line.end)

    def _bullet_kind(self, text: str, line: Line) -> str:
        """Items of one list share their bullet: the character, or '#' for numbers."""
        return "#" if text[line.start].isdigit() else text[line.start]

    @staticmethod
    def _continues(text: str, item_line: Line, nxt: Line) -> bool:
        """A line wrapped inside an item (PDF text): the item's line breaks off mid-phrase and
        the next line goes on in lower case."""
        return text[nxt.start].islower() and (text[item_line.end - 1] in "-," or text[item_line.end - 1].islower())

    def _items(self, text: str, lines: list[Line], first: int, taken: set[int], heading: Heading
               ) -> list[tuple[int, Line, Span, StatusHit | None]]:
        items = []
        bullet_char = None
        unbulleted = heading.status is not None and first < len(lines) and self._bullet(text, lines[first]) is None
        j = first
        while j < len(lines) and j not in taken:
            line = lines[j]
            if unbulleted:
                if self._heading(text, lines, j) is not None or not self._short_line(text, line):
                    break
                title = Span(line.start, line.end)
            else:
                title = self._bullet(text, line)
                if title is None or (bullet_char is not None and self._bullet_kind(text, line) != bullet_char):
                    break
                bullet_char = self._bullet_kind(text, line)
                while (j + 1 < len(lines) and j + 1 not in taken and self._bullet(text, lines[j + 1]) is None
                       and self._continues(text, lines[j], lines[j + 1])):
                    j += 1  # the item goes on on the next line
                    title = Span(title.start, lines[j].end)
                item = text[title.start:title.end]
                if self.count_item.match(item):
                    break
                title = _first_sentence(text, title)
                first = text[title.start:title.end]
                if heading.status is None:
                    # under an introduction an item names its experiment (a sentence may follow)
                    if len(first.split()) > self.item_max_words:
                        break
                elif len(item.split()) > self.status_item_max_words:
                    break
            if " ".join(text[title.start:title.end].lower().split()) in self.chrome:
                break  # "Print", "Del": the page's tools, not a list of experiments
            own = self.status_lists.same_line_status(text, title)
            if own is not None:
                title, status = own
            elif self.label_item.match(text, title.start, title.end):
                break  # "Opdateret: 1. maj": a fact box, not a list of experiments
            else:
                status = None
            items.append((j, Line(line.start, lines[j].end), title, status))
            j += 1
        return items

    def _short_line(self, text: str, line: Line) -> bool:
        s = text[line.start:line.end]
        return len(s.split()) <= self.unbulleted_max_words and not s.endswith((":", ".", "?", "!"))


_SENTENCE_BREAK = re.compile(r"[.!?](?=\s+[A-ZÆØÅ])")


def _first_sentence(text: str, span: Span) -> Span:
    """An item describing its experiment in sentences is titled by the first (its closing
    period left out)."""
    m = _SENTENCE_BREAK.search(text, span.start, span.end)
    end = m.start() if m else span.end
    while end > span.start and text[end - 1] in ". ":
        end -= 1
    return Span(span.start, end)
