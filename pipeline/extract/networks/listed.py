"""Lists tied to a network cue: the general form for running text (rules `listed`).

Triggers and clauses (prose.py) read sentences whose wording says where the members stand.
The lists they leave are read here by layout alone: a coordinated list of municipality
mentions in one sentence, tied to a network by a cue in that sentence or the one next to it
("Kommunerne A, B, C og D fik i dag grønt lys … ¶ Kommunerne indgår i et netværk …",
"Det er A, B og C kommuner, der har søgt om at blive såkaldte frikommuner"), with guards
that keep out lists which are no network: a second list or place in the sentence, a count
that disagrees, several networks, the first programme's free municipalities, a list that
runs on with a name no mention covers. Each found list is returned as (members, sentence,
cue sentence); prose.py makes records of them like of any other hit.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ...model import Mention
from .text import Draft, TextContext

_YEARS = re.compile(r"(\d{4})(?:/(\d{4}))?")  # ISO date values: "2016-10", "2016/2020"

Span = tuple[int, int]


def find_listed(ctx: TextContext, taken: list[Draft]) -> list[tuple[list[Mention], Span, Span]]:
    """Every list no record in `taken` uses, in a sentence no record covers, that a cue ties
    to a network: (members, the list's sentence, the cue's sentence)."""
    out = []
    munis, i = ctx.municipalities, 0
    used = {id(m) for d in taken for m, _ in d.members}
    while i < len(munis):
        found = ctx.list_from(i, len(ctx.text))
        i += len(found)
        if len({m.value for m in found}) < 2 or any(id(m) in used for m in found):
            continue
        judged = _judge(ctx, found, taken)
        if judged is not None:
            out.append(judged)
    return out


def _judge(ctx: TextContext, found: list[Mention], taken: list[Draft]) -> tuple[list[Mention], Span, Span] | None:
    spec, low, text = ctx.rules.listed, ctx.low, ctx.text
    first, last = found[0], found[-1]
    s = ctx.sentences.around(first.start)[0]
    e = ctx.sentences.around(max(first.start, last.end - 1))[1]
    if any(d.start < e and s < d.end for d in taken):
        return None  # the sentence belongs to another record
    codes = {m.value for m in found}
    if len(codes) > spec.max_members:
        return None
    # the sentence's other municipalities: a member only after a partner lead ("Sammen med A,
    # B og C er D …"), and then only one
    inside = {id(m) for m in found}
    extra = [m for m in ctx.municipalities_in(s, e) if id(m) not in inside and m.value not in codes]
    if extra:
        led = spec.partner_lead.search(low, max(s, first.start - 40), first.start)
        if led is None or len({m.value for m in extra}) != 1:
            return None
    members = sorted(found + extra, key=lambda m: m.start)
    n = len({m.value for m in members})
    # (the words right before a list may stand in the sentence before: "bl.a." ends one)
    lead = max(0, first.start - 40)
    if spec.place_lead.search(low, lead, first.start):
        return None  # places: "møder i A, B og C"
    if spec.some_before.search(low, lead, first.start) or spec.some_in_sentence.search(low, s, first.start) or \
            spec.some_after.match(low, last.end, min(len(low), last.end + 40)):
        return None  # examples: the list names only some of them
    if spec.runs_on_before.search(text, max(s, first.start - 40), first.start) or \
            spec.runs_on_after.match(text, last.end, min(len(text), last.end + 40)):
        return None  # the list goes on with a name no mention covers
    cue = _cue(ctx, s, e)
    if cue is None:
        return None
    counted = _counts_agree(ctx, n, [(s, e)] if cue == (s, e) else [(s, e), cue])
    if counted is None or (n < spec.min_members and not counted):
        return None
    if spec.several.search(low, s, e) or spec.several.search(low, *cue):
        return None
    if _networkless(ctx, s, e):
        return None
    return members, (s, e), cue


def _counts_agree(ctx: TextContext, n: int, spans: list[Span]) -> bool | None:
    """Whether the sentences count the n members (True), count nothing (False), or count
    another number of municipalities (None)."""
    counted = False
    for s, e in spans:
        for c in ctx.rules.listed.count.finditer(ctx.low, s, e):
            if _count(ctx, c.group("count")) != (n - 1 if c.group("others") else n):
                return None
            counted = True
    return counted


def _cue(ctx: TextContext, s: int, e: int) -> Span | None:
    """The sentence that ties [s, e) to a network: itself, else the one right before or after
    that talks about networks and names no municipality, else itself when it uses a free
    municipality word and a network word stands within reach."""
    rules, low = ctx.rules, ctx.low
    if rules.network_context.search(low, s, e):
        return s, e
    for adjacent in _adjacent(ctx, s, e):
        if rules.network_context.search(low, *adjacent) and not ctx.municipalities_in(*adjacent):
            return adjacent
    spec = rules.listed
    if spec.free_word.search(low, s, e) and _network_word_near(ctx, s, e):
        return s, e
    return None


def _adjacent(ctx: TextContext, s: int, e: int) -> list[Span]:
    text, out = ctx.text, []
    if s > 0:
        ps, pe = ctx.sentences.around(s - 1)
        if pe <= s and ps < pe:
            out.append((ps, pe))
    pos = e
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos < len(text):
        ns, ne = ctx.sentences.around(pos)
        if ns >= e and ns < ne:
            out.append((ns, ne))
    return out


def _network_word_near(ctx: TextContext, s: int, e: int) -> bool:
    spec = ctx.rules.listed
    for word in ctx.rules.listed_nearby:
        offsets = ctx.anchor_offsets(word)
        i = bisect_left(offsets, s - spec.reach)
        if i < len(offsets) and offsets[i] < e + spec.reach:
            return True
    return False


def _networkless(ctx: TextContext, s: int, e: int) -> bool:
    """The sentence dates itself only to a programme without networks: a stated programme
    numeral ("Frikommuneforsøg I"), or a date whose year lies only in such periods."""
    rules = ctx.rules
    for m in ctx.anchored(rules.programme_stated, s, e):
        numeral = ctx.text[m.start("numeral"):m.end("numeral")]
        if numeral.isupper() and not rules.has_networks(numeral):
            return True
    for m in ctx.dates_in(s, e):
        years = _YEARS.match(m.value or "")
        if not years:
            continue
        held = [p for p in rules.periods if p.first <= int(years.group(1)) <= p.last]
        if held and not any(p.networks for p in held):
            return True
    return False


def _count(ctx: TextContext, raw: str) -> int | None:
    return int(raw) if raw.isdigit() else ctx.rules.group_numbers.get(" ".join(raw.lower().split()))
