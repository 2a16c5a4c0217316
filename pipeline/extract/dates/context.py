"""Cheap windowed look-ups around a date: sentence bounds, roles, tense.

All functions look at a few dozen characters around one mention; none walks the document.
`low` is the lower-cased text (same offsets as `text`).
"""

from __future__ import annotations

import re

from .normalise import Candidate
from .patterns import Compiled

# Sentence end: terminal punctuation, optional closing quote, space, then an upper-case letter
# or opening quote. "d. 1. maj" and "bl.a. social" do not end a sentence (no capital after).
_SENT_END = re.compile(r"[.!?][\"”»']?\s+(?=[\"“«']?[A-ZÆØÅ])")
_WORD = re.compile(r"\w+")


def sentence_bounds(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    """Start and end of the sentence/line holding text[start:end], looking at most `reach` away."""
    lo = max(0, start - reach)
    nl = text.rfind("\n", lo, start)
    if nl >= 0:
        lo = nl + 1
    last = None
    # endpos one past start: the look-ahead for the capital must see the first character
    for last in _SENT_END.finditer(text, lo, min(len(text), start + 1)):
        pass
    if last is not None:
        lo = last.end()
    hi = min(len(text), end + reach)
    nl = text.find("\n", end, hi)
    if nl >= 0:
        hi = nl
    m = _SENT_END.search(text, end, hi)
    if m is not None:
        hi = m.start() + 1
    return lo, hi


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return lo, (len(text) if hi < 0 else hi)


_LABEL_REACH = 300  # a label line, or the part of a line before a label, is never longer


def label_positions(low: str, lo: int, hi: int, separators: str):
    """Where a label may start in [lo, hi): the first character of the line (if the line starts
    in the window) and the first character after each separator."""
    nl = low.rfind("\n", max(0, lo - 1), hi)
    starts = []
    if lo == 0 or nl >= 0 or low[lo - 1] == "\n":
        starts.append(nl + 1 if nl >= 0 else lo)
    if separators:
        for i in range(lo, hi):
            if low[i] in separators:
                starts.append(i + 1)
    for p in starts:
        while p < hi and low[p] in " \t":
            p += 1
        if p < hi:
            yield p


def opens_line(low: str, pos: int, separators: str) -> bool:
    """Whether only whitespace stands between the start of pos's line and pos, or the last
    thing before pos is one of `separators` ("Nyhed | Udgivet ...")."""
    lo = max(0, pos - _LABEL_REACH)
    nl = low.rfind("\n", lo, pos)
    before = low[nl + 1 if nl >= 0 else lo:pos].rstrip()
    if not before:
        return nl >= 0 or lo == 0
    return before[-1] in separators


def within_top_lines(text: str, pos: int, max_lines: int) -> bool:
    """Whether fewer than `max_lines` non-empty lines stand before the line holding pos
    (stops after `max_lines` lines: never walks the document)."""
    lo = text.rfind("\n", 0, pos) + 1
    seen, p = 0, 0
    while p < lo:
        nl = text.find("\n", p, lo)
        if text[p:(lo if nl < 0 else nl)].strip():
            seen += 1
            if seen >= max_lines:
                return False
        if nl < 0:
            break
        p = nl + 1
    return True


def fills_line_after(low: str, end: int) -> bool:
    """Nothing but whitespace or a closing period/comma after `end` on its line."""
    hi = low.find("\n", end, end + _LABEL_REACH)
    if hi < 0:
        if end + _LABEL_REACH < len(low):
            return False
        hi = len(low)
    return not low[end:hi].strip(" \t\r.,;")


def starts_line(c: Compiled, low: str, start: int) -> int | None:
    """Start of the date's line when only `dateline_prefix` ("den") stands before the date."""
    lo = max(0, start - _LABEL_REACH)
    nl = low.rfind("\n", lo, start)
    if nl < 0 and lo > 0:
        return None
    lo = nl + 1 if nl >= 0 else 0
    before = low[lo:start].strip()
    if before and (c.dateline_prefix is None or not c.dateline_prefix.fullmatch(before)):
        return None
    return lo


def line_above_role(c: Compiled, low: str, cand: Candidate) -> tuple[str, str] | None:
    """(role, id) of a label on one of the lines right above a date that opens its own line:
    "Dato" and the date on the next line, a minutes' "mødet i ..." line over "den 5. april",
    a letter's closing over its date line."""
    if not c.line_above:
        return None
    lo = starts_line(c, low, cand.start)
    if lo is None or lo == 0:
        return None
    alone = None
    pos, seen = lo - 1, 0  # pos: the newline ending the line above
    while pos > 0 and seen < c.line_above_reach:
        bound = max(0, pos - 4 * _LABEL_REACH)
        prev = low.rfind("\n", bound, pos)
        line = low[prev + 1 if prev >= 0 else bound:pos].strip()
        pos = prev
        if not line:
            if prev < 0:
                break
            continue
        seen += 1
        for t in c.line_above:
            if seen > t.lines:
                continue
            if t.full:
                if len(line) > _LABEL_REACH or not t.regex.fullmatch(line):
                    continue
            elif not t.regex.search(line[-_LABEL_REACH:]):
                continue
            if t.top_lines and not within_top_lines(low, lo, t.top_lines):
                continue
            if t.alone:
                if alone is None:
                    alone = fills_line_after(low, cand.end)
                if not alone:
                    continue
            return t.role, t.id
        if prev < 0:
            break
    return None


def find_role(c: Compiled, low: str, cand: Candidate, sent: tuple[int, int],
              prev_end: int, next_start: int) -> tuple[str, str] | None:
    """(role, trigger id) of the nearest trigger around the candidate, or None."""
    best = None  # (distance, tie-break, role, id, regex index)
    ws = max(sent[0], cand.start - c.window_before, prev_end)
    if ws < cand.start:
        for k, rx in enumerate(c.before_rxs):
            if k == 0 and c.line_start_rx:
                found = (m for pos in label_positions(low, ws, cand.start, c.label_separators)
                         if (m := rx.match(low, pos, cand.start)) is not None)
            else:
                found = rx.finditer(low, ws, cand.start)
            for m in found:
                trig = c.triggers[m.lastgroup]
                gap = cand.start - m.end()
                if gap > trig.max_gap:
                    continue
                if trig.after_date and (ws != prev_end or low[prev_end:m.start()].strip()):
                    continue
                if trig.top_lines and not within_top_lines(low, m.start(), trig.top_lines):
                    continue
                if trig.alone and not fills_line_after(low, cand.end):
                    continue
                # nearer wins; within one regex a later match at the same distance too, across
                # regexes the earlier regex keeps a tie
                if best is None or gap < best[0] or (gap == best[0] and k == best[4]):
                    best = (gap, 0, trig.role, trig.id, k)
    if c.after_rx is not None:
        we = min(sent[1], cand.end + c.window_after, next_start)
        if cand.end < we:
            for m in c.after_rx.finditer(low, cand.end, we):
                trig = c.triggers[m.lastgroup]
                gap = m.start() - cand.end
                if gap > trig.max_gap:
                    continue
                if best is None or gap < best[0]:
                    best = (gap, 1, trig.role, trig.id, -1)
                break
    return (best[2], best[3]) if best else None


def find_tense(c: Compiled, low: str, cand: Candidate, sent: tuple[int, int]) -> str | None:
    """past | future | None: the tense marker nearest to the candidate within its sentence."""
    best = None  # (distance, tense)
    lo = max(sent[0], cand.start - c.tense_window)
    hi = min(sent[1], cand.end + c.tense_window)
    for m in _WORD.finditer(low, lo, cand.start):
        t = _tense_of(c, m.group().lower())
        if t:
            best = (cand.start - m.end(), t)  # later matches are nearer
    for m in _WORD.finditer(low, cand.end, hi):
        if best is not None and m.start() - cand.end >= best[0]:
            break
        t = _tense_of(c, m.group().lower())
        if t:
            best = (m.start() - cand.end, t)
            break
    if best is not None:
        return best[1]
    if cand.prep is not None:
        return c.prep_tense.get(cand.prep)
    return None


def _tense_of(c: Compiled, word: str) -> str | None:
    if word in c.future_words:
        return "future"
    if word in c.past_words:
        return "past"
    if (len(word) >= c.past_suffix_min and word.endswith(c.past_suffixes)
            and word not in c.past_exceptions):
        return "past"
    return None
