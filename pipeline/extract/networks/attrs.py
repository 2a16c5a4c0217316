"""Status and programme of network drafts, from trigger words and dates (rules/networks.yaml)."""

from __future__ import annotations

import re
from typing import Any

from ...model import Mention, fact
from .text import Draft, SpanIndex, TextContext

_YEARS = re.compile(r"(\d{4})(?:/(\d{4}))?")  # ISO date values: "2016-10", "2016/2020"


# ---------------------------------------------------------------------- status
def assign_status(ctx: TextContext, drafts: list[Draft]) -> None:
    if not drafts:
        return
    headings = None
    reach = ctx.rules.status_nearby_reach
    index = SpanIndex(drafts)
    for d in drafts:
        status = status_in(ctx, d.start, d.end)
        if status is None and not d.layout:
            status = _status_in_paragraph(ctx, d, index) or _status_nearby(ctx, d, index)
        if status is None:
            headings = _heading_statuses(ctx) if headings is None else headings
            status = next((h for h in reversed(headings) if h["end"] <= d.start
                           and (d.layout or _general_heading(ctx, h, d.start - reach))), None)
        d.status = status


def status_in(ctx: TextContext, start: int, end: int) -> dict[str, Any] | None:
    """The first status value (rule order) with a trigger in [start, end); its earliest trigger."""
    found = [(trigger.rank, s, e, trigger) for trigger, s, e in ctx.matches(ctx.rules.status, start, end)]
    if not found:
        return None
    _, s, e, trigger = min(found, key=lambda t: (t[0], t[1]))
    return fact(trigger.value, s, e, ctx.text[s:e], trigger.id)


def _general_heading(ctx: TextContext, h: dict[str, Any], floor: int) -> bool:
    """A heading statement near enough to running text, about networks in general: its
    sentence names no municipality ("Ministeren udpegede i går otte netværk")."""
    if h["start"] < floor:
        return False
    s, e = ctx.sentences.around(h["start"])
    return not ctx.municipalities_in(s, e)


def _heading_statuses(ctx: TextContext) -> list[dict[str, Any]]:
    out = []
    for rule_id, value, pattern in ctx.rules.heading_status:
        for m in ctx.anchored(pattern):
            out.append(fact(value, m.start(), m.end(), ctx.text[m.start():m.end()], rule_id))
    return sorted(out, key=lambda f: f["start"])


def _status_in_paragraph(ctx: TextContext, d: Draft, drafts: SpanIndex) -> dict[str, Any] | None:
    """The paragraph's other sentences that name one of the record's members and state no
    other network ("Syddjurs er udpeget … Sammen med Odder indgår Syddjurs i netværket …")."""
    codes = set(d.member_codes())
    if not codes:
        return None
    # Only the paragraph's sentences within `status_nearby.reach` of the record: a "paragraph"
    # of thousands of lines (no blank line anywhere) would make this quadratic.
    p_start, p_end = ctx.paragraphs.around(d.start)
    reach = ctx.rules.status_nearby_reach
    lo, hi = max(p_start, d.start - reach), min(p_end, d.end + reach)
    lo = ctx.sentences.around(lo)[0] if lo > p_start else p_start
    hi = ctx.sentences.around(hi - 1)[1] if hi < p_end else p_end
    for s, e in ctx.sentences.within(max(lo, p_start), min(hi, p_end)):
        names_member = any(m.value in codes for m in ctx.municipalities_in(s, e))
        if names_member and not any(o is not d for o in drafts.overlapping(s, e)):
            status = status_in(ctx, s, e)
            if status is not None:
                return status
    return None


def _status_nearby(ctx: TextContext, d: Draft, drafts: SpanIndex) -> dict[str, Any] | None:
    """The nearest sentence within reach that names one of the record's members, talks about
    networks or the programme, states a status, and holds no record with other members."""
    codes = set(d.member_codes())
    if not codes:
        return None
    reach, n = ctx.rules.status_nearby_reach, len(ctx.text)
    triggers = ctx.matches(ctx.rules.status, max(0, d.start - reach), d.start)
    triggers += ctx.matches(ctx.rules.status, d.end, min(n, d.end + reach))
    seen = set()
    for _, start, end in sorted(triggers, key=lambda t: d.start - t[2] if t[2] <= d.start else t[1] - d.end):
        s, e = ctx.sentences.around(start)
        if (s, e) in seen:
            continue
        seen.add((s, e))
        if any(o is not d and not set(o.member_codes()) <= codes for o in drafts.overlapping(s, e)):
            continue  # a statement about another network
        if not any(m.value in codes for m in ctx.municipalities_in(s, e)):
            continue
        if not ctx.rules.programme_context.search(ctx.low, s, e):
            continue
        return status_in(ctx, s, e)
    return None


# ---------------------------------------------------------------------- programme
def assign_programme(ctx: TextContext, drafts: list[Draft]) -> None:
    stated = _stated_programmes(ctx)
    for d in drafts:
        p_start, p_end = ctx.paragraphs.around(d.start)
        d.programme = (
            _nearest(stated, d, d.start, d.end)
            or _nearest(stated, d, min(p_start, d.start), max(p_end, d.end))
            or _nearest(stated, d, 0, len(ctx.text))
            or _from_dates(ctx, d, p_start, p_end)
            or _from_status_sentence(ctx, d)
            or _from_lead_in(ctx, d, p_start)
            or _from_published(ctx)
        )


def _stated_programmes(ctx: TextContext) -> list[dict[str, Any]]:
    rules, out = ctx.rules, []
    for m in ctx.anchored(rules.programme_stated):
        value = ctx.text[m.start("numeral"):m.end("numeral")]
        if value.isupper() and rules.has_networks(value):
            out.append(fact(value, m.start(), m.end(), ctx.text[m.start():m.end()], rules.programme_stated_rule))
    return out


def _nearest(stated: list[dict[str, Any]], d: Draft, start: int, end: int) -> dict[str, Any] | None:
    inside = [f for f in stated if start <= f["start"] and f["end"] <= end]
    if not inside:
        return None
    return min(inside, key=lambda f: (_distance(f, d), f["start"]))


def _distance(f: dict[str, Any], d: Draft) -> int:
    if f["end"] <= d.start:
        return d.start - f["end"]
    if f["start"] >= d.end:
        return f["start"] - d.end
    return 0


def _from_dates(ctx: TextContext, d: Draft, p_start: int, p_end: int, widen: bool = True) -> dict[str, Any] | None:
    """A programme from the nearest dated year in [p_start, p_end) (widened to the record)."""
    lo, hi = (min(p_start, d.start), max(p_end, d.end)) if widen else (p_start, p_end)
    dated = []
    for m in ctx.dates_in(lo, hi):
        if m.end <= hi:
            programme = _programme_of(ctx, m)
            if programme:
                dated.append((abs(m.start - d.start), m, programme))
    if not dated:
        return None
    _, m, programme = min(dated, key=lambda x: (x[0], x[1].start))
    return fact(programme, m.start, m.end, m.text, ctx.rules.programme_year_rule, date=m.value)


def _from_status_sentence(ctx: TextContext, d: Draft) -> dict[str, Any] | None:
    """A year in the sentence that gave the status, when that sentence lies outside the record
    ("I maj 2017 blev fire netværk udvalgt" above a table; "udpeget … i perioden 2016-2019")."""
    if d.status is None or d.start <= d.status["start"] < d.end:
        return None
    s, e = ctx.sentences.around(d.status["start"])
    return _from_dates(ctx, d, s, e, widen=False) if s < e else None


def _from_lead_in(ctx: TextContext, d: Draft, p_start: int) -> dict[str, Any] | None:
    """A year in the sentence that introduces the record's paragraph with a colon ("Fra maj
    2017 er Ikast-Brande med i netværkene:" over a list of networks)."""
    if p_start <= 0:
        return None
    s, e = ctx.sentences.around(p_start - 1)
    if not ctx.text[s:e].rstrip().endswith(":"):
        return None
    return _from_dates(ctx, d, s, e, widen=False)


def _from_published(ctx: TextContext) -> dict[str, Any] | None:
    """The publication date's year, where the text holds the date (a fact needs a span)."""
    if not ctx.published:
        return None
    for m in ctx.dates:
        if m.value == ctx.published:
            programme = _programme_of(ctx, m)
            if programme:
                return fact(programme, m.start, m.end, m.text, ctx.rules.programme_published_rule, date=m.value)
    return None


def _programme_of(ctx: TextContext, m: Mention) -> str | None:
    years = _YEARS.match(m.value or "")
    if not years:
        return None
    first = int(years.group(1))
    if years.group(2):
        return ctx.rules.programme_of_span(first, int(years.group(2))) or ctx.rules.programme_of_year(first)
    return ctx.rules.programme_of_year(first)
