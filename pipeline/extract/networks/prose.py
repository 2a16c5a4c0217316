"""Networks stated in running text.

Per sentence: a membership trigger ("i netværk med", "består af", "sammen med", "er gået
sammen") with the municipality list it governs, plus the sentence's own subject list; or a
whole clause (rules `clauses`, matched on the text with municipality mentions masked) whose
groups say which mentions are members, whose anaphor ("De seks kommuner …") stands for the
list ending an earlier sentence, or which puts one list in several quoted networks. The
name comes from a name phrase or quote in the trigger's part of the sentence. Unnamed
records then take a name from their paragraph, from a sentence about the same group of
municipalities ("De 11 nordjyske kommuner … 'X'"), or from a standalone name phrase in a
nearby paragraph. The lists no trigger or clause used are then judged by layout
(listed.py). Names no record claims, introduced by a standalone phrase ('underemnet "X"'),
become records without members, or with the one municipality their paragraph names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Mention
from ..common import trimmed
from .listed import find_listed
from .ruleset import Clause, Listed, Membership
from .text import Draft, NameCandidate, SpanIndex, TextContext


@dataclass
class Hit:
    """One membership trigger (or clause) in one sentence."""

    rule: Membership | Clause | Listed
    start: int
    end: int
    sentence: tuple[int, int]
    members: list[Mention]
    subject: list[Mention]
    count: int | None = None  # a clause's stated count (fanout: how many networks)
    first: int | None = None  # where the record starts, when its members precede the sentence
    name: NameCandidate | None = None  # a clause's own `name` group
    context: tuple[int, int] | None = None  # where a name phrase's context is looked for


def find_prose(ctx: TextContext, claimed: list[Draft]) -> list[Draft]:
    names_by_sentence: dict[tuple[int, int], list[NameCandidate]] = {}
    drafts: list[Draft] = []
    partial: dict[int, int | None] = {}  # id(draft) -> how many partners it counts
    _draft_hits(ctx, _hits(ctx, claimed), names_by_sentence, drafts, partial)
    # then the lists no trigger or clause used, tied to a network by a cue (listed.py)
    _draft_hits(ctx, _listed_hits(ctx, claimed + drafts), names_by_sentence, drafts, partial)
    drafts.sort(key=lambda d: (d.start, d.end))
    drafts = _merge_same_sentence(drafts)
    drafts = _drop_superseded(drafts, claimed, partial)
    _names_from_paragraph(ctx, drafts, names_by_sentence)
    _names_from_groups(ctx, drafts, claimed)
    _names_nearby(ctx, drafts, claimed)
    return drafts


def _draft_hits(ctx: TextContext, hits: list[Hit], names_by_sentence: dict[tuple[int, int], list[NameCandidate]],
                drafts: list[Draft], partial: dict[int, int | None]) -> None:
    """A draft for each hit whose requirements are met, with the name its sentence gives."""
    for i, hit in enumerate(hits):
        if getattr(hit.rule, "fanout", False):
            drafts += _fanout(ctx, hit)
            continue
        names = names_by_sentence.setdefault(hit.sentence, _sentence_names(ctx, *hit.sentence, hit.context))
        nxt = hits[i + 1].start if i + 1 < len(hits) and hits[i + 1].sentence == hit.sentence else hit.sentence[1]
        prv = hits[i - 1] if i and hits[i - 1].sentence == hit.sentence else None
        name = hit.name or _pick_name(names, hit, nxt, prv)
        if not _requirements_met(ctx, hit, name):
            continue
        start, end = trimmed(ctx.text, *hit.sentence)
        host = _anchor_host(hit, drafts)
        if host is not None:  # the sentence before stated this network: one record
            host.end = max(host.end, end)
            host.add_members(hit.members, hit.rule.id)
            if host.name is None and name is not None:
                name.consumed = True
                host.name = name
            continue
        draft = Draft(hit.rule.id, min(start, hit.first if hit.first is not None else start), end, layout=False)
        draft.add_members(hit.subject, hit.rule.id)
        draft.add_members(hit.members, hit.rule.id)
        if name is not None:
            name.consumed = True
            draft.name = name
        if getattr(hit.rule, "partial", False):
            partial[id(draft)] = hit.count
        drafts.append(draft)


def _anchor_host(hit: Hit, drafts: list[Draft]) -> Draft | None:
    """For an anchor clause whose member the sentence before names: the record of that
    sentence with that member, if there is one."""
    if not getattr(hit.rule, "anchor", False) or hit.first is None:
        return None
    return next((d for d in drafts if d.covers(hit.first) or hit.first <= d.start < hit.start
                 if any(m is x for m in hit.members for x, _ in d.members)), None)


def _listed_hits(ctx: TextContext, taken: list[Draft]) -> list[Hit]:
    rule = ctx.rules.listed
    hits = []
    for members, sentence, cue in find_listed(ctx, taken):
        context = (min(sentence[0], cue[0]), max(sentence[1], cue[1]))
        hits.append(Hit(rule, members[0].start, members[-1].end, sentence, members, [], context=context))
    return hits


def standalone_names(ctx: TextContext, taken: list[Draft]) -> list[Draft]:
    """Name-only records: names a standalone phrase introduces that nothing else claimed."""
    used = {(d.name.start, d.name.end) for d in taken if d.name}
    drafts = []
    for cand in ctx.names_in(0, len(ctx.text), standalone_only=True):
        if not cand.standalone or (cand.start, cand.end) in used or any(d.covers(cand.start) for d in taken):
            continue
        start, end = trimmed(ctx.text, *ctx.sentences.around(cand.start))
        draft = Draft(ctx.rules.name_only_rule, start, end, layout=False, name=cand)
        _sole_member(ctx, draft, taken + drafts)
        drafts.append(draft)
        used.add((cand.start, cand.end))
    return drafts


def _sole_member(ctx: TextContext, draft: Draft, others: list[Draft]) -> None:
    """A name-only record whose paragraph names one municipality and holds no other record:
    that municipality is its member (its experiments run under the network)."""
    p_start, p_end = ctx.paragraphs.around(draft.name.start)
    found = ctx.municipalities_in(p_start, p_end)
    if len({m.value for m in found}) != 1 or any(o.start < p_end and p_start < o.end for o in others):
        return
    draft.add_members(found, ctx.rules.sole_member_rule)
    draft.start, draft.end = min(draft.start, found[0].start), max(draft.end, found[-1].end)


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
            if not members and ctx.rules.list_lead.fullmatch(ctx.low, end, e) and e < len(ctx.text):
                # the sentence ends at the trigger ("… bestående af kommunerne:"): the list opens the next
                nxt = ctx.sentences.around(e + len(ctx.text[e:]) - len(ctx.text[e:].lstrip()))
                members = ctx.list_after(end, nxt[1])
                e = nxt[1] if members else e
        else:
            members = ctx.list_before(start, s, adjacent=True)
        if members and len({m.value for m in members}) >= rule.min_members and not ctx.list_broken(members[-1]):
            hits.append(Hit(rule, start, end, (s, e), members, []))
    hits += _clause_hits(ctx, claimed)
    hits.sort(key=lambda h: h.start)
    earlier: dict[tuple[int, int], list[Hit]] = {}  # the hits before each, in its sentence
    for hit in hits:
        same = earlier.setdefault(hit.sentence, [])
        hit.subject = _subject(ctx, hit, list(same))
        same.append(hit)
    return hits


def _clause_hits(ctx: TextContext, claimed: list[Draft]) -> list[Hit]:
    """Whole clauses on the masked text: members from the `members…` groups, or the earlier
    list an `anaphor` stands for."""
    hits = []
    if not ctx.municipalities:
        return hits
    for clause in ctx.rules.clauses:
        # a window without a mention holds no match (an anaphor's list lies before its window)
        # (nor does an anchor clause's: it names no municipality)
        keep = None if "anaphor" in clause.pattern.regex.groupindex or clause.anchor else ctx.has_municipality
        for m in ctx.anchored(clause.pattern, masked=True, keep=keep):
            start = m.start()
            if any(d.covers(start) for d in claimed):
                continue
            s, e = ctx.sentences.around(start)
            if m.end() > e:  # a clause may run over a colon ("… kommuner i X: A, B og C")
                e = max(e, ctx.sentences.around(m.end() - 1)[1])
            if clause.requires == "network" and not ctx.rules.network_context.search(ctx.low, s, e):
                continue
            if clause.requires == "network_nearby" and not ctx.rules.network_context.search(
                    ctx.low, max(0, start - ctx.rules.clause_context_reach), e):
                continue
            if clause.requires == "programme_nearby" and not ctx.rules.programme_context.search(
                    ctx.low, max(0, start - ctx.rules.clause_context_reach), e):
                continue
            groups = m.groupdict()
            members = [x for g, v in groups.items() if v is not None and g.startswith("members")
                       for x in ctx.municipalities_in(m.start(g), m.end(g))]
            first = None
            if clause.anchor:
                if ctx.municipalities_in(s, e):
                    continue  # the sentence names its municipalities: other clauses read it
                members, first = _anchor(ctx, s, e)
                if not members:
                    continue
            if members and ctx.list_broken(max(members, key=lambda x: x.end)):
                continue  # the list goes on with a name no mention covers
            count = _count(ctx, groups.get("count"))
            if clause.count_is_members and len({x.value for x in members}) != count:
                continue
            if clause.others_next:
                named, e = _others_next(ctx, e, count)
                members += named
            name = None
            if groups.get("name") is not None:
                name = ctx.clean_name(m.start("name"), m.end("name"), ctx.rules.clause_name_rule, False,
                                      ctx.rules.name_max_words * 2)
            if groups.get("anaphor") is not None:
                if ctx.text[s:m.start("anaphor")].strip(" \t\n\"'„“”«»–-"):
                    continue  # an anaphor opens its sentence
                earlier = _resolve_anaphor(ctx, s, count)
                if not earlier:
                    continue
                first = ctx.sentences.around(earlier[0].start)[0]
                members = earlier + members
            if members:
                hits.append(Hit(clause, start, m.end(), (s, e), sorted(members, key=lambda x: x.start), [],
                                count=count, first=first, name=name))
    return hits


def _others_next(ctx: TextContext, end: int, count: int | None) -> tuple[list[Mention], int]:
    """Counted partners named at the start of the next sentence ("De øvrige kommuner er A, B og
    C"), in the same paragraph, or with a count also the next one: the mentions, and where that
    sentence ends (else `end`)."""
    text = ctx.text
    pos = end + len(text[end:end + 40]) - len(text[end:end + 40].lstrip())
    if pos >= len(text):
        return [], end
    if count is None and ctx.paragraphs.around(pos) != ctx.paragraphs.around(max(0, end - 1)):
        return [], end  # only a counted list may open the next paragraph
    s, e = ctx.sentences.around(pos)
    m = ctx.rules.others_next.match(ctx.masked, pos, e)
    if m is None:
        return [], end
    named = ctx.municipalities_in(m.start("members"), m.end("members"))
    if count is not None and len({x.value for x in named}) != count:
        return [], end
    return named, e


def _anchor(ctx: TextContext, s: int, e: int) -> tuple[list[Mention], int | None]:
    """The municipality a sentence naming none speaks of: the one (one code) the sentence right
    before names, else the one the whole document names; and where the record starts (the
    sentence before, if it named it). That sentence or this one must talk about networks or the
    programme. Two municipalities in the sentence before: nobody."""
    context = ctx.rules.programme_context
    if s > 0:
        ps, pe = ctx.sentences.around(s - 1)
        before = ctx.municipalities_in(ps, pe) if pe <= s else []
        codes = {m.value for m in before}
        if len(codes) > 1:
            return [], None
        if codes:
            if not (context.search(ctx.low, s, e) or context.search(ctx.low, ps, pe)):
                return [], None
            return before, ps
    if len({m.value for m in ctx.municipalities}) != 1 or not context.search(ctx.low, s, e):
        return [], None
    earlier = [m for m in ctx.municipalities if m.end <= s]
    return [earlier[-1] if earlier else ctx.municipalities[0]], None


def _count(ctx: TextContext, raw: str | None) -> int | None:
    if not raw:
        return None
    return int(raw) if raw.isdigit() else ctx.rules.group_numbers.get(" ".join(raw.lower().split()))


def _resolve_anaphor(ctx: TextContext, sentence_start: int, count: int | None) -> list[Mention]:
    """The list an anaphor at `sentence_start` stands for: one that ends its sentence, in the
    sentence right before (no count), or the nearest with `count` municipalities within the
    window (a count)."""
    rules = ctx.rules
    if sentence_start <= 0:
        return []
    if count is None:
        ps, pe = ctx.sentences.around(sentence_start - 1)
        found = ctx.list_before(pe, ps, adjacent=False)
        return found if found and _ends_sentence(ctx, found) else []
    floor, pos = max(0, sentence_start - rules.anaphor_window), sentence_start
    while True:
        found = ctx.list_before(pos, floor, adjacent=False)
        if not found:
            return []
        if len({m.value for m in found}) == count and _ends_sentence(ctx, found):
            return found
        pos = found[0].start


def _ends_sentence(ctx: TextContext, found: list[Mention]) -> bool:
    if len({m.value for m in found}) < ctx.rules.anaphor_min_members:
        return False
    _, pe = ctx.sentences.around(found[-1].start)
    return bool(ctx.rules.anaphor_end.fullmatch(ctx.low, found[-1].end, max(pe, found[-1].end)))


def _fanout(ctx: TextContext, hit: Hit) -> list[Draft]:
    """One list in `count` networks: the names are the next `count` quotes of the paragraph."""
    if not hit.count:
        return []
    _, p_end = ctx.paragraphs.around(hit.start)
    quotes = [q for q in ctx.quotes_in(hit.end, min(p_end, hit.end + ctx.rules.fanout_window)) if not q.consumed]
    if len(quotes) < hit.count:
        return []
    start = trimmed(ctx.text, *hit.sentence)[0]
    drafts = []
    for q in quotes[:hit.count]:
        q.consumed = True
        draft = Draft(hit.rule.id, start, q.end, layout=False, name=q)
        draft.add_members(hit.members, hit.rule.id)
        drafts.append(draft)
    return drafts


def _requirements_met(ctx: TextContext, hit: Hit, name: NameCandidate | None) -> bool:
    """`requires: network` was checked with the trigger; name-dependent ones need the name."""
    required = hit.rule.requires
    if required == "name":
        return name is not None
    if required == "network_or_name":
        return name is not None or bool(ctx.rules.network_context.search(ctx.low, *hit.sentence))
    if required == "network_or_programme":
        return bool(ctx.rules.programme_context.search(ctx.low, *hit.sentence))
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
def _sentence_names(ctx: TextContext, start: int, end: int,
                    context: tuple[int, int] | None = None) -> list[NameCandidate]:
    """Names of a sentence: those name phrases introduce, and quotes where the sentence (or
    `context`, a span holding it) talks about networks or themes."""
    names = ctx.names_in(start, end, context=context)
    if ctx.rules.quote_context.search(ctx.low, *(context or (start, end))):
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
    by_start, index = SpanIndex(unnamed), SpanIndex(drafts)
    for d in unnamed:
        p_start, p_end = ctx.paragraphs.around(d.start)
        if by_start.count_starting_in(p_start, p_end) > 1:
            continue  # another unnamed record in the paragraph (counted, not listed: long paragraphs)
        names = [n for n in _paragraph_names(ctx, p_start, p_end, names_by_sentence) if not n.consumed]
        names = [n for n in names if not any(o is not d for o in index.overlapping(n.start, n.start + 1))]
        if names:
            best = min(names, key=lambda n: abs(n.start - d.start))
            best.consumed = True
            d.name = NameCandidate(best.start, best.end, best.value, ctx.rules.paragraph_name_rule, False, True)


def _names_nearby(ctx: TextContext, drafts: list[Draft], claimed: list[Draft]) -> None:
    """An unnamed record takes the nearest name a standalone phrase introduces within reach
    ("… ¶ Ansøgningen har under overskriften 'X' …"), if no other record stands between them
    and no other unnamed record is within reach of that name."""
    unnamed = [d for d in drafts if d.name is None]
    if not unnamed:
        return
    reach, n = ctx.rules.nearby_name_reach, len(ctx.text)
    others = SpanIndex(drafts + claimed)
    unnamed_index = SpanIndex(unnamed)
    used = {(o.name.start, o.name.end) for o in others.items if o.name is not None}
    for d in unnamed:
        lo, hi = max(0, d.start - reach), min(n, d.end + reach)
        cands = [c for c in ctx.names_in(lo, hi, standalone_only=True)
                 if (c.start, c.end) not in used and not others.overlapping(c.start, c.start + 1)]
        best = None
        for c in sorted(cands, key=lambda c: d.start - c.end if c.end <= d.start else c.start - d.end):
            a, b = (c.end, d.start) if c.end <= d.start else (d.end, c.start)
            if any(o is not d for o in others.starting_in(a, b)):
                continue  # another record stands between
            if any(o is not d and o.name is None for o in unnamed_index.starting_in(c.start - reach, c.start + reach + 1)):
                break  # two unnamed records could take it: we don't guess
            best = c
            break
        if best is not None:
            d.name = NameCandidate(best.start, best.end, best.value, ctx.rules.nearby_name_rule, False, True)
            used.add((best.start, best.end))


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
    by_span: dict[tuple[int, int], list[Draft]] = {}
    for d in drafts:
        target = next((o for o in by_span.get((d.start, d.end), []) if _shares_member(o, d)
                       and (o.name is None or d.name is None or o.name.value == d.name.value)), None)
        if target is None:
            out.append(d)
            by_span.setdefault((d.start, d.end), []).append(d)
            continue
        for m, rule in d.members:
            target.add_members([m], rule)
        target.name = target.name or d.name
    return out


def _drop_superseded(drafts: list[Draft], claimed: list[Draft], partial: dict[int, int | None]) -> list[Draft]:
    """A record that names some members and counts the rest ("Randers har sammen med fem andre
    kommuner søgt …") gives way to a record of the document that holds its members and as many
    more as counted (the six named later); that record takes its name if it has none."""
    if not partial:
        return drafts
    out = []
    for d in drafts:
        if id(d) not in partial:
            out.append(d)
            continue
        codes, count = set(d.member_codes()), partial[id(d)]
        full = next((o for o in drafts + claimed if o is not d and id(o) not in partial
                     and codes < set(o.member_codes())
                     and (count is None or len(set(o.member_codes())) == len(codes) + count)), None)
        if full is None:
            out.append(d)
        elif full.name is None and d.name is not None:
            full.name = d.name
    return out


def _shares_member(a: Draft, b: Draft) -> bool:
    return any(x is y for x, _ in a.members for y, _ in b.members)
