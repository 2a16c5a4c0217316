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
    for last in _SENT_END.finditer(text, lo, start):
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


def find_role(c: Compiled, low: str, cand: Candidate, sent: tuple[int, int],
              prev_end: int, next_start: int) -> tuple[str, str] | None:
    """(role, trigger id) of the nearest trigger around the candidate, or None."""
    best = None  # (distance, tie-break, role, id)
    if c.before_rx is not None:
        ws = max(sent[0], cand.start - c.window_before, prev_end)
        if ws < cand.start:
            for m in c.before_rx.finditer(low, ws, cand.start):
                trig = c.triggers[m.lastgroup]
                gap = cand.start - m.end()
                if gap > trig.max_gap:
                    continue
                if trig.after_date and (ws != prev_end or low[prev_end:m.start()].strip()):
                    continue
                if best is None or gap <= best[0]:
                    best = (gap, 0, trig.role, trig.id)
    if c.after_rx is not None:
        we = min(sent[1], cand.end + c.window_after, next_start)
        if cand.end < we:
            for m in c.after_rx.finditer(low, cand.end, we):
                trig = c.triggers[m.lastgroup]
                gap = m.start() - cand.end
                if gap > trig.max_gap:
                    continue
                if best is None or gap < best[0]:
                    best = (gap, 1, trig.role, trig.id)
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
