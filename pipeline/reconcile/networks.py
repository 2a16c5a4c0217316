"""One record per real-world network, whatever name variant each document uses.

Evidence is every network Record (name, members, status …) and every `network_name` mention
that no Record covers (e.g. a heading over a list of experiments). Evidence joins a cluster
when its name agrees with one of the cluster's names AND its members (if both sides list any)
agree; shared members alone never merge two networks, and an unnamed list joins only a
cluster with the same members.
"""

from __future__ import annotations

import bisect

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..model import Document, Record, content_id, fact
from ..rules import Rules
from .names import CandidateIndex, NameMatcher
from .provenance import provenance, sort_key


@dataclass
class Evidence:
    document: Document
    rule: str
    name: dict[str, Any] | None
    members: list[dict[str, Any]] = field(default_factory=list)
    status: dict[str, Any] | None = None
    programme: dict[str, Any] | None = None
    theme: dict[str, Any] | None = None

    @cached_property
    def member_codes(self) -> frozenset[str]:
        return frozenset(m["value"] for m in self.members)


@dataclass
class Cluster:
    index: int = 0  # its place in the order clusters were made
    evidence: list[Evidence] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # distinct names as written
    member_codes: frozenset[str] = frozenset()
    programmes: set[str] = field(default_factory=set)

    def add(self, e: Evidence) -> None:
        self.evidence.append(e)
        if e.name:
            self.names.add(e.name["value"])
        self.member_codes |= e.member_codes
        if e.programme:
            self.programmes.add(e.programme["value"])


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
    def evidence(self, items: list[tuple[Document, list[Record], list]]) -> list[Evidence]:
        """items: (document, records, mentions) per document."""
        found = []
        for document, records, mentions in items:
            covered = set()
            for r in records:
                if r.type != "network":
                    continue
                f = r.fields
                found.append(Evidence(document, r.rule, f.get("name"), list(f.get("members") or []),
                                      f.get("status"), f.get("programme"), f.get("theme")))
                if f.get("name"):
                    covered.add((f["name"]["start"], f["name"]["end"]))
            for m in mentions:
                if m.type == "network_name" and m.value and (m.start, m.end) not in covered:
                    found.append(Evidence(document, m.rule, fact(m.value, m.start, m.end, m.text, m.rule)))
                    covered.add((m.start, m.end))
            # An experiment names its network (a heading, a table cell): that too is evidence.
            for r in records:
                net = r.fields.get("network") if r.type == "experiment" else None
                if net and (net["start"], net["end"]) not in covered:
                    found.append(Evidence(document, net["rule"], net))
                    covered.add((net["start"], net["end"]))
        return sorted(found, key=self._evidence_order)

    def _rank(self, rule: str) -> int:
        return next((i for i, prefix in enumerate(self.authority) if rule.startswith(prefix)), len(self.authority))

    def _evidence_order(self, e: Evidence):
        # Authoritative, member-listing evidence first, so the clusters form around it.
        return (self._rank(e.rule), not e.members, e.document.source, e.name["start"] if e.name else 0)

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
            if e.name:
                candidates = by_name.candidates(None, e.name["value"])
            else:
                candidates = by_members.get(e.member_codes, []) if len(e.member_codes) >= 2 else []
            for c in (clusters[i] for i in candidates):
                if not self._programmes_agree(c, e):
                    continue
                if e.name:
                    sims = [self.matcher.similarity(n, e.name["value"]) for n in c.names
                            if self.matcher.same(n, e.name["value"])]
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
            codes_before, named_before = best.member_codes, e.name and e.name["value"] in best.names
            best.add(e)
            if e.name and not named_before:
                by_name.add(None, e.name["value"], best.index)
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
        return not e.programme or not c.programmes or e.programme["value"] in c.programmes

    # ------------------------------------------------------------------ output
    def canonical_name(self, c: Cluster) -> str | None:
        named = [e for e in c.evidence if e.name]
        if not named:
            return None
        counts: dict[str, int] = {}
        for e in named:
            counts[e.name["value"]] = counts.get(e.name["value"], 0) + 1
        best = min(named, key=lambda e: (self._rank(e.rule), -counts[e.name["value"]], -len(e.name["value"]),
                                         e.name["value"]))
        return best.name["value"]

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
        for e in c.evidence:
            for m in e.members:
                members.setdefault(m["value"], []).append(provenance(e.document, m))
        history = sorted(
            ({"status": e.status["value"], "doc_id": e.document.doc_id, "published": e.document.published,
              "source": provenance(e.document, e.status)} for e in c.evidence if e.status),
            key=lambda h: (h["published"] or "", h["source"]["source"], h["source"]["start"]))
        programmes = [e.programme for e in c.evidence if e.programme]
        themes = [e.theme for e in c.evidence if e.theme]
        return {
            "network_id": self.network_id(c, taken),
            "name": self.canonical_name(c),
            "aliases": sorted(c.names),
            "programme": programmes[0]["value"] if programmes else None,
            "status": self.current_status(history),
            "status_history": history,
            "theme": themes[0]["value"] if themes else None,
            "members": [{"kommunekode": code, "name": self.gazetteer.get(code),
                         "sources": sorted(srcs, key=sort_key)} for code, srcs in sorted(members.items())],
            "documents": sorted({e.document.doc_id for e in c.evidence}),
            "sources": sorted((provenance(e.document, e.name) for e in c.evidence if e.name), key=sort_key),
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
