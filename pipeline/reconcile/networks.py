"""One record per real-world network, whatever name variant each document uses.

Evidence is every network Record (name, members, status …) and every `network_name` mention
that no Record covers (e.g. a heading over a list of experiments). Evidence joins a cluster
when its name agrees with one of the cluster's names AND its members (if both sides list any)
agree; shared members alone never merge two networks, and an unnamed list joins only a
cluster with the same members.
"""

from __future__ import annotations

import bisect
import sys

from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Record, content_id, fact
from ..packed import InMemory, PackedList, pack, unpack
from ..rules import Rules
from .names import CandidateIndex, NameMatcher
from .provenance import provenance, sort_key


@dataclass(slots=True)
class Evidence:
    """One document's statement about a network. Held for every document while clusters form,
    so it keeps unpacked only what clustering compares (the name as written, the member codes
    as a set shared by all evidence listing the same, the programme); its facts, with their
    spans, are packed in the spill (see `facts`) and read when its cluster becomes a row."""

    document: Document
    rule: str
    name_value: str | None
    name_start: int
    programme_value: str | None
    status_value: str | None
    member_codes: frozenset[str]
    spill: Any
    facts_at: Any  # the spill's handle of {"name", "members", "status", "programme", "theme"}

    @property
    def facts(self) -> dict[str, Any]:
        return unpack(self.spill.get(self.facts_at))

    @property
    def name(self) -> dict[str, Any] | None:
        return self.facts["name"]

    @property
    def members(self) -> list[dict[str, Any]]:
        return self.facts["members"]

    @property
    def status(self) -> dict[str, Any] | None:
        return self.facts["status"]


@dataclass
class Cluster:
    index: int = 0  # its place in the order clusters were made
    evidence: list[Evidence] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # distinct names as written
    member_codes: frozenset[str] = frozenset()
    programmes: set[str] = field(default_factory=set)

    def add(self, e: Evidence) -> None:
        self.evidence.append(e)
        if e.name_value is not None:
            self.names.add(e.name_value)
        self.member_codes |= e.member_codes
        if e.programme_value is not None:
            self.programmes.add(e.programme_value)


class NetworkReconciler:
    def __init__(self, rules: Rules):
        cfg = rules.yaml("reconcile.yaml")
        self.matcher = NameMatcher.from_rules(rules)
        self.min_jaccard = float(cfg["network_names"]["min_member_jaccard"])
        self.authority = list(cfg["name_authority"])
        self.status_precedence = list(cfg["network_status_precedence"])
        self.enumerating = tuple(cfg["enumerating_rules"])
        self.full_lists = tuple(cfg["full_member_lists"])
        self.gazetteer = {row["kode"]: row["navn"] for row in rules.csv("municipalities.csv")}

    # ------------------------------------------------------------------ evidence
    def evidence(self, items: list[tuple[Document, list[Record], list]], spill: Any = None) -> list[Evidence]:
        """items: (document, records, mentions) per document. `spill` (packed.SpillFile) holds
        each evidence's facts until its row is built (default: in memory, packed)."""
        spill = spill if spill is not None else InMemory()
        found = []
        code_sets: dict[frozenset[str], frozenset[str]] = {}  # one set per distinct member list

        def add(document: Document, rule: str, name, members=(), status=None, programme=None, theme=None):
            codes = frozenset(sys.intern(m["value"]) for m in members)
            found.append(Evidence(
                document, sys.intern(rule), sys.intern(name["value"]) if name else None, name["start"] if name else 0,
                sys.intern(programme["value"]) if programme else None, status["value"] if status else None,
                code_sets.setdefault(codes, codes), spill,
                spill.put(pack({"name": name, "members": list(members), "status": status, "programme": programme,
                                "theme": theme}))))

        for document, records, mentions in items:
            covered = set()
            for r in records:
                if r.type != "network":
                    continue
                f = r.fields
                add(document, r.rule, f.get("name"), f.get("members") or [], f.get("status"), f.get("programme"),
                    f.get("theme"))
                if f.get("name"):
                    covered.add((f["name"]["start"], f["name"]["end"]))
            for m in mentions:
                if m.type == "network_name" and m.value and (m.start, m.end) not in covered:
                    add(document, m.rule, fact(m.value, m.start, m.end, m.text, m.rule))
                    covered.add((m.start, m.end))
            # An experiment names its network (a heading, a table cell): that too is evidence.
            for r in records:
                net = r.fields.get("network") if r.type == "experiment" else None
                if net and (net["start"], net["end"]) not in covered:
                    add(document, net["rule"], net)
                    covered.add((net["start"], net["end"]))
        return sorted(found, key=self._evidence_order)

    def _rank(self, rule: str) -> int:
        return next((i for i, prefix in enumerate(self.authority) if rule.startswith(prefix)), len(self.authority))

    def _evidence_order(self, e: Evidence):
        # Authoritative, member-listing evidence first, so the clusters form around it.
        return (self._rank(e.rule), not e.member_codes, e.document.source, e.name_start)

    # ------------------------------------------------------------------ clustering
    def members_agree(self, a: frozenset[str], b: frozenset[str]) -> bool:
        if not a or not b:
            return True
        return a <= b or b <= a or len(a & b) / len(a | b) >= self.min_jaccard

    def cluster(self, evidence: list[Evidence]) -> list[Cluster]:
        """Each piece of evidence joins the cluster it agrees with best, or starts one. Only
        the clusters that can agree are looked at: those with a name sharing the evidence
        name's rarer words (names.CandidateIndex), or, for evidence without a name, those with
        its member list; in the order they were made, so ties go as before."""
        clusters: list[Cluster] = []
        by_name = CandidateIndex(self.matcher, self.matcher.min_dice)
        by_members: dict[frozenset[str], list[int]] = {}
        for e in evidence:
            best, best_score = None, (0.0, 0.0)
            name = e.name_value
            if name is not None:
                candidates = by_name.candidates(None, name)
            else:
                candidates = by_members.get(e.member_codes, []) if len(e.member_codes) >= 2 else []
            for c in (clusters[i] for i in candidates):
                if not self._programmes_agree(c, e):
                    continue
                if name is not None:
                    sims = [self.matcher.similarity(n, name) for n in c.names if self.matcher.same(n, name)]
                    if not sims or not self.members_agree(c.member_codes, e.member_codes):
                        continue
                    score = (max(s[1] for s in sims), self._jaccard(c.member_codes, e.member_codes))
                elif len(e.member_codes) >= 2 and e.member_codes == c.member_codes:
                    score = (1.0, 1.0)
                else:
                    continue
                if score > best_score:
                    best, best_score = c, score
            if best is None:
                best = Cluster(index=len(clusters))
                clusters.append(best)
            codes_before, named_before = best.member_codes, name is not None and name in best.names
            best.add(e)
            if name is not None and not named_before:
                by_name.add(None, name, best.index)
            if best.member_codes != codes_before:
                if codes_before in by_members:
                    by_members[codes_before].remove(best.index)
                bisect.insort(by_members.setdefault(best.member_codes, []), best.index)
        return clusters

    @staticmethod
    def _jaccard(a: frozenset, b: frozenset) -> float:
        return len(a & b) / len(a | b) if a and b else 0.0

    @staticmethod
    def _programmes_agree(c: Cluster, e: Evidence) -> bool:
        return e.programme_value is None or not c.programmes or e.programme_value in c.programmes

    # ------------------------------------------------------------------ output
    def canonical_name(self, c: Cluster) -> str | None:
        named = [e for e in c.evidence if e.name_value is not None]
        if not named:
            return None
        counts: dict[str, int] = {}
        for e in named:
            counts[e.name_value] = counts.get(e.name_value, 0) + 1
        best = min(named, key=lambda e: (self._rank(e.rule), -counts[e.name_value], -len(e.name_value), e.name_value))
        return best.name_value

    def network_id(self, c: Cluster, taken: set[str] = frozenset()) -> str:
        """From the canonical name's content words; two networks of one name (their member
        lists disagree, so they stay two) are told apart by their members, then by position."""
        name = self.canonical_name(c)
        members = ",".join(sorted(c.member_codes))
        candidates = [self.matcher.key(name), f"{self.matcher.key(name)}|{members}"] if name else [members]
        for basis in candidates:
            network_id = "net_" + content_id("network", basis, length=12)
            if network_id not in taken:
                return network_id
        n = 2
        while (network_id := "net_" + content_id("network", candidates[-1], n, length=12)) in taken:
            n += 1
        return network_id

    def row(self, c: Cluster, taken: set[str] = frozenset()) -> dict[str, Any]:
        members: dict[str, list] = {}
        history, names, programmes, themes = [], [], [], []
        for e in c.evidence:  # each one's facts decoded once, in evidence order
            f = e.facts
            for m in f["members"]:
                members.setdefault(m["value"], []).append(provenance(e.document, m))
            if f["status"]:
                history.append({"status": f["status"]["value"], "doc_id": e.document.doc_id,
                                "published": e.document.published, "source": provenance(e.document, f["status"])})
            if f["name"]:
                names.append(provenance(e.document, f["name"]))
            if f["programme"]:
                programmes.append(f["programme"]["value"])
            if f["theme"]:
                themes.append(f["theme"]["value"])
        history.sort(key=lambda h: (h["published"] or "", h["source"]["source"], h["source"]["start"]))
        return {
            "network_id": self.network_id(c, taken),
            "name": self.canonical_name(c),
            "aliases": sorted(c.names),
            "programme": programmes[0] if programmes else None,
            "status": self.current_status(history),
            "status_history": PackedList(history),
            "theme": themes[0] if themes else None,
            "members": [{"kommunekode": code, "name": self.gazetteer.get(code),
                         "sources": PackedList(sorted(srcs, key=sort_key))} for code, srcs in sorted(members.items())],
            "documents": sorted({e.document.doc_id for e in c.evidence}),
            "sources": PackedList(sorted(names, key=sort_key)),
        }

    def current_status(self, history: list[dict]) -> str | None:
        """The latest dated statement; statements no date can order are ranked by precedence."""
        if not history:
            return None
        latest_date = max(h["published"] or "" for h in history)
        candidates = [h["status"] for h in history if (h["published"] or "") == latest_date]
        return min(candidates, key=lambda s: self.status_precedence.index(s)
                   if s in self.status_precedence else len(self.status_precedence))

    def member_conflicts(self, c: Cluster, network_id: str) -> list[dict[str, Any]]:
        """Member lists that differ between documents (within one document, lists may be partial)."""
        # One representative per distinct list: a corpus repeats the same list many times.
        distinct: dict[frozenset[str], Evidence] = {}
        for e in c.evidence:
            if len(e.member_codes) >= 2 and e.rule.startswith(self.full_lists):
                distinct.setdefault(e.member_codes, e)
        listed = list(distinct.values())
        conflicts, seen = [], set()
        for i, a in enumerate(listed):
            for b in listed[i + 1:]:
                if a.document.doc_id == b.document.doc_id or a.member_codes == b.member_codes:
                    continue
                pair = tuple(sorted((a.document.doc_id, b.document.doc_id)))
                if pair in seen:
                    continue
                seen.add(pair)
                conflicts.append({
                    "type": "member_list",
                    "subject": network_id,
                    "description": "documents list different members for the same network",
                    "sides": [self._side(a), self._side(b)],
                })
        return conflicts

    def _side(self, e: Evidence) -> dict[str, Any]:
        return {"value": sorted(e.member_codes), "doc_id": e.document.doc_id,
                "sources": sorted((provenance(e.document, m) for m in e.members), key=sort_key)}

    def is_enumeration(self, e: Evidence) -> bool:
        return e.rule.startswith(self.enumerating)
