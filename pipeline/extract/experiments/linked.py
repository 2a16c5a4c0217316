"""Titles each followed by links to their documents (rules/experiments.yaml `linked_titles`):

    Vi har otte forsøg; læs om hvert af dem herunder.
    Fælles plan for unge i uddannelse
    Vedtægt
    Mindre dokumentation i hjemmeplejen
    Vedtægt
    Evaluering
    Én indgang for borgere med flere sager

A municipal page lists its experiments as accordion titles, each with the same short link
lines under it ("Vedtægt", "Evaluering"). A line of at most `link_max_words` words that recurs
at least `link_min_repeats` times is a link label; a short line right after a label is a link
too, unless a label follows it (then it is a title). The line just before a label is a title,
and so is a title-like line after the last links when the text ends there. The list counts
only after a line naming experiments (a `grouped_list` cue word) and with `min_titles`
titles, under a line that names experiments and points below ("…nedenfor", a colon): a
contact block of names over repeated job titles is no list. No decision is stated: status null.
"""

from __future__ import annotations

import re
from collections import Counter

from ...rules import RulesError
from ..common import alternation
from .layouts import Found, Line, Span
from .vocab import EXPERIMENTS_FILE


class LinkedTitlesParser:
    def __init__(self, cfg: dict, cue_words: list[str]):
        try:
            self.rule: str = cfg["id"]
            self.link_max_words = int(cfg["link_max_words"])
            self.link_min_repeats = int(cfg["link_min_repeats"])
            self.title_max_words = int(cfg["title_max_words"])
            self.min_titles = int(cfg["min_titles"])
            self.intro_max_lines = int(cfg["intro_max_lines"])
            self.cue = re.compile(rf"(?<!\w)(?:{alternation(cue_words)})(?!\w)", re.IGNORECASE)
            self.pointer = re.compile(rf"(?<!\w)(?:{alternation(cfg['intro_words'])})(?!\w)|:\s*$", re.IGNORECASE)
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise RulesError(f"{EXPERIMENTS_FILE}: linked_titles: missing or malformed key {exc}") from exc

    def parse(self, text: str, lines: list[Line], taken: set[int]) -> list[Found]:
        words = [text[line.start:line.end].split() for line in lines]
        short = [0 < len(w) <= self.link_max_words and text[line.end - 1] not in ".:;?!"
                 for w, line in zip(words, lines)]
        repeats = Counter(" ".join(w).casefold() for w, s in zip(words, short) if s)
        label = [s and repeats[" ".join(w).casefold()] >= self.link_min_repeats for w, s in zip(words, short)]
        if sum(label) < self.link_min_repeats:
            return []
        titles: list[int] = []
        in_links = False
        for i in range(len(lines)):
            if label[i]:
                if not in_links and i > 0 and not label[i - 1] and self._title_like(text, lines[i - 1], words[i - 1]):
                    titles.append(i - 1)
                in_links = True
            elif in_links and short[i] and not (i + 1 < len(lines) and label[i + 1]):
                continue  # another link under the same title ("Evaluering" after "Vedtægt")
            else:
                in_links = False
        last = len(lines) - 1
        # the text ends on a title whose links are not shown (a page cut short), just after links
        if (titles and last not in titles and not label[last] and any(label[max(0, last - 3):last])
                and self._title_like(text, lines[last], words[last])):
            titles.append(last)
        titles = [i for i in titles if i not in taken]
        if len(titles) < self.min_titles:
            return []
        intro = self._intro(text, lines, titles[0])
        if intro is None:
            return []
        return [Found(layout=self.rule, start=lines[i].start, end=lines[i].end,
                      title=Span(lines[i].start, lines[i].end), status=None, scope=intro) for i in titles]

    def _title_like(self, text: str, line: Line, words: list[str]) -> bool:
        return (0 < len(words) <= self.title_max_words and text[line.end - 1] not in ".:;?!"
                and text[line.start].isupper())

    def _intro(self, text: str, lines: list[Line], first_title: int) -> Span | None:
        """The line naming experiments just above the list, within `intro_max_lines` lines."""
        for i in range(first_title - 1, max(-1, first_title - 1 - self.intro_max_lines), -1):
            line = lines[i]
            if self.cue.search(text, line.start, line.end) and self.pointer.search(text[line.start:line.end]):
                return Span(line.start, line.end)
        return None
