"""Networks stated in running text.

Per sentence: a membership trigger ("i netværk med", "består af", "sammen med", "er gået
sammen") with the municipality list it governs, plus the sentence's own subject list; the
name comes from a name phrase or quote in the trigger's part of the sentence. Unnamed
records then take a name from their paragraph, or from a sentence about the same group of
municipalities ("De 11 nordjyske kommuner … 'X'"). Names no record claims, introduced by a
standalone phrase ('underemnet "X"'), become records without members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Mention
from .ruleset import Membership
from .text import Draft, NameCandidate, TextContext


@dataclass
class Hit:
    """One membership trigger in one sentence."""

    rule: Membership
    start: int
    end: int
    sentence: tuple[int, int]
    members: list[Mention]
    subject: list[Mention]


def find_prose(ctx: TextContext, claimed: list[Draft]) -> list[Draft]:
    hits = _hits(ctx, claimed)
    names_by_sentence: dict[tuple[int, int], list[NameCandidate]] = {}
    drafts: list[Draft] = []
    for i, hit in enumerate(hits):
        names = names_by_sentence.setdefault(hit.sentence, _sentence_names(ctx, *hit.sentence))
        nxt = hits[i + 1].start if i + 1 < len(hits) and hits[i + 1].sentence == hit.sentence else hit.sentence[1]
        prv = hits[i - 1] if i and hits[i - 1].sentence == hit.sentence else None
        name = _pick_name(names, hit, nxt, prv)
        if not _requirements_met(ctx, hit, name):
            continue
        draft = Draft(hit.rule.id, *_trim(ctx.text, *hit.sentence), layout=False)
        draft.add_members(hit.subject, hit.rule.id)
        draft.add_members(hit.members, hit.rule.id)
        if name is not None:
            name.consumed = True
            draft.name = name
        drafts.append(draft)
    drafts = _merge_same_sentence(drafts)
    _names_from_paragraph(ctx, drafts, names_by_sentence)
    _names_from_groups(ctx, drafts, claimed)
    return drafts


def standalone_names(ctx: TextContext, taken: list[Draft]) -> list[Draft]:
    """Name-only records: names a standalone phrase introduces that nothing else claimed."""
    used = {(d.name.start, d.name.end) for d in taken if d.name}
    drafts = []
    for cand in ctx.names_in(0, len(ctx.text), standalone_only=True):
        if not cand.standalone or (cand.start, cand.end) in used or any(d.covers(cand.start) for d in taken):
            continue
        start, end = _trim(ctx.text, *ctx.sentences.around(cand.start))
        draft = Draft(ctx.rules.name_only_rule, start, end, layout=False, name=cand)
        drafts.append(draft)
        used.add((cand.start, cand.end))
    return drafts


# ---------------------------------------------------------------------- triggers
def _hits(ctx: TextContext, claimed: list[Draft]) -> list[Hit]:
    hits = []
    for rule, start, end in sorted(ctx.matches(ctx.rules.membership), key=lambda x: x[1]):
        if any(d.covers(start) for d in claimed):
            continue
        s, e = ctx.sentences.around(start)
        if rule.requires == "network" and not ctx.rules.network_context.search(ctx.low, s, e):
            continue
        if rule.members == "after":
            members = ctx.list_after(end, e)
        else:
            members = ctx.list_before(start, s, adjacent=True)
        if members:
            hits.append(Hit(rule, start, end, (s, e), members, []))
    hits.sort(key=lambda h: h.start)
    for i, hit in enumerate(hits):
        hit.subject = _subject(ctx, hit, [h for h in hits[:i] if h.sentence == hit.sentence])
    return hits


def _requirements_met(ctx: TextContext, hit: Hit, name: NameCandidate | None) -> bool:
    """`requires: network` was checked with the trigger; name-dependent ones need the name."""
    required = hit.rule.requires
    if required == "name":
        return name is not None
    if required == "network_or_name":
        return name is not None or bool(ctx.rules.network_context.search(ctx.low, *hit.sentence))
    return True


def _subject(ctx: TextContext, hit: Hit, earlier: list[Hit]) -> list[Mention]:
    """The sentence's own list: before the trigger (shared with an earlier trigger whose
    members it would otherwise be), else, if the rule allows, the first list after."""
    if not hit.rule.subject or hit.rule.members == "before":
        return []
    s, e = hit.sentence
    before = ctx.list_before(hit.start, s, adjacent=False)
    for prev in reversed(earlier):
        if before and before[-1] in prev.members:
            return prev.subject or ([] if prev.rule.members == "after" else prev.members)
    if before:
        return before
    if hit.rule.subject == "before_or_after":
        after = ctx.municipalities_in(hit.members[-1].end, e)
        if after:
            return ctx.list_from(ctx.index_of(after[0]), e)
    return []


# ---------------------------------------------------------------------- names
def _sentence_names(ctx: TextContext, start: int, end: int) -> list[NameCandidate]:
    names = ctx.names_in(start, end)
    if ctx.rules.quote_context.search(ctx.low, start, end):
        spans = {(n.start, n.end) for n in names}
        names += [q for q in ctx.quotes_in(start, end) if (q.start, q.end) not in spans]
        names.sort(key=lambda n: n.start)
    return names


def _pick_name(names: list[NameCandidate], hit: Hit, next_start: int, prev: Hit | None) -> NameCandidate | None:
    """The first free name after the trigger's list (before the next trigger), else the last
    free one between the previous trigger's list and this trigger."""
    after_from = max(hit.end, hit.members[-1].end)
    floor = prev.members[-1].end if prev else hit.sentence[0]
    free = [n for n in names if not n.consumed and not _inside_members(n, hit)]
    after = [n for n in free if after_from <= n.start < next_start]
    if after:
        return after[0]
    before = [n for n in free if floor <= n.start and n.end <= hit.start]
    return before[-1] if before else None


def _inside_members(name: NameCandidate, hit: Hit) -> bool:
    return any(name.start < m.end and m.start < name.end for m in hit.members + hit.subject)


def _names_from_paragraph(ctx: TextContext, drafts: list[Draft],
                          names_by_sentence: dict[tuple[int, int], list[NameCandidate]]) -> None:
    """An unnamed record takes the nearest free name of its paragraph, if it is the only
    unnamed record there (two lists and one name: we don't guess)."""
    unnamed = [d for d in drafts if d.name is None]
    for d in unnamed:
        p_start, p_end = ctx.paragraphs.around(d.start)
        rivals = [o for o in unnamed if o is not d and p_start <= o.start < p_end]
        if rivals:
            continue
        names = [n for n in _paragraph_names(ctx, p_start, p_end, names_by_sentence) if not n.consumed]
        names = [n for n in names if not any(o.covers(n.start) for o in drafts if o is not d)]
        if names:
            best = min(names, key=lambda n: abs(n.start - d.start))
            best.consumed = True
            d.name = NameCandidate(best.start, best.end, best.value, ctx.rules.paragraph_name_rule, False, True)


def _paragraph_names(ctx: TextContext, start: int, end: int,
                     cache: dict[tuple[int, int], list[NameCandidate]]) -> list[NameCandidate]:
    out = []
    for s, e in ctx.sentences.within(start, end):
        out += cache.setdefault((s, e), _sentence_names(ctx, s, e))
    return out


def _names_from_groups(ctx: TextContext, drafts: list[Draft], claimed: list[Draft]) -> None:
    """'De 11 nordjyske kommuner … "X"': X names the one unnamed record with 11 members, all
    in Nordjylland. The group phrase never adds members."""
    unnamed = [d for d in drafts if d.name is None]
    if not unnamed:
        return
    rules = ctx.rules
    for g in ctx.anchored(rules.group):
        count, region = _group_terms(ctx, g)
        matching = [d for d in unnamed if d.name is None and _group_fits(d, count, region)]
        if len(matching) != 1:
            continue
        s, e = ctx.sentences.around(g.start())
        names = [n for n in ctx.names_in(s, e) + ctx.quotes_in(s, e)
                 if not n.consumed and not any(o.covers(n.start) for o in drafts + claimed)]
        if names:
            best = names[0]
            best.consumed = True
            matching[0].name = NameCandidate(best.start, best.end, best.value, rules.group_rule, False, True)


def _group_terms(ctx: TextContext, g: re.Match) -> tuple[int | None, str]:
    raw = g.group("count")
    count = None
    if raw:
        count = int(raw) if raw.isdigit() else ctx.rules.group_numbers.get(" ".join(raw.lower().split()))
    return count, ctx.rules.group_regions[g.group("adj").lower()]


def _group_fits(d: Draft, count: int | None, region: str) -> bool:
    codes = d.member_codes()
    if count is not None and len(codes) != count:
        return False
    return all(m.attrs.get("region") == region for m, _ in d.members)


# ---------------------------------------------------------------------- merging
def _merge_same_sentence(drafts: list[Draft]) -> list[Draft]:
    """Two triggers of one sentence that share a municipality mention and do not disagree on
    the name describe one network ("A og B er gået sammen i et netværk med C")."""
    out: list[Draft] = []
    for d in drafts:
        target = next((o for o in out if (o.start, o.end) == (d.start, d.end) and _shares_member(o, d)
                       and (o.name is None or d.name is None or o.name.value == d.name.value)), None)
        if target is None:
            out.append(d)
            continue
        for m, rule in d.members:
            target.add_members([m], rule)
        target.name = target.name or d.name
    return out


def _shares_member(a: Draft, b: Draft) -> bool:
    return any(x is y for x, _ in a.members for y, _ in b.members)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
