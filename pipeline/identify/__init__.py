"""Identify stage: reconciled records -> the ids they were given before.

Reconcile names each network, experiment and agenda item with a provisional id derived from
its content. That id would move whenever the content does (a better name from a new document,
a new stop word), so it is only a proposal. This stage looks each record up in the output
folder's identity store (`OUT/identity.jsonl`: every id ever given, with the evidence it was
given for) and keeps the old id when the record is recognisably the same one:

  1. it shares a source quote with the old record: the same words, in the same source file,
     as a network's name, an experiment's title, or an agenda item's number and title;
  2. else its words and members agree (thresholds in rules/identity.yaml).

Best matches are taken first and each old id goes to one record. Then:

  kept     a matched record keeps the old id, whatever its provisional id says;
  merged   an old record whose evidence now lies inside a record that kept another id is
           merged into it: the survivor lists it in `merged_ids`, the store remembers it, and
           review decisions made on it follow the survivor;
  split    when two or more records (none with an id of its own) share quotes with one old
           record, each gets a new id with `derived_from`, and the old id is retired (a
           tombstone listing `split_into`);
  removed  an old record nothing matches becomes a tombstone; it comes back with its id when
           its evidence does (so does a merged record whose evidence stands apart again);
  new      anything else gets its provisional id (or, if a tombstone or another record holds
           that id, a derived one).

Same store and same records in, same ids out: every choice is ordered by score, then by id.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..model import content_id
from ..packed import PackedList
from ..reconcile import assign_conflict_ids
from ..rules import Rules, RulesError

STORE_FILE = "identity.jsonl"
ID_COLUMNS = {"networks": "network_id", "experiments": "experiment_id", "decisions": "decision_id"}
_WORD = re.compile(r"[^\W\d_]{3,}")
PACKED_KEYS_FROM = 16  # an entry with more quotes than this holds them packed (pipeline/packed.py)


@dataclass
class Entry:
    """One id ever given, with the evidence it was last seen with."""

    table: str
    id: str
    state: str = "live"  # live | removed | merged
    keys: list[str] = field(default_factory=list)  # source quotes: "source\x1fquote"
    words: list[str] = field(default_factory=list)  # content words of the name or title
    members: list[str] = field(default_factory=list)  # kommunekoder
    context: str | None = None  # experiments: network id; agenda items: source and number
    merged_into: str | None = None
    derived_from: str | None = None
    merged: list[str] = field(default_factory=list)  # ids merged into this one
    split_into: list[str] = field(default_factory=list)  # a retired id: the records it split into


@dataclass
class Identities:
    """What the stage decided: the new store, and every change of identity, for the change report."""

    entries: dict[tuple[str, str], Entry]
    events: list[dict[str, Any]]
    aliases: dict[str, str]  # a merged id -> the id that took it over

    def lines(self) -> Iterator[dict[str, Any]]:
        """The store's lines, in key order, made one at a time as they are written."""
        return (asdict(self.entries[key]) for key in sorted(self.entries))

    @classmethod
    def from_store(cls, out: Path) -> "Identities":
        """The identities a published dataset was built with (for the workbench's replay)."""
        entries = read_store(out)
        aliases = {e.id: e.merged_into for e in entries.values() if e.state == "merged" and e.merged_into}
        return cls(entries, [], aliases)

    def source_of(self, doc_id: str | None) -> str | None:
        """The source path a document id was read from, in any run this store remembers."""
        e = self.entries.get(("documents", doc_id or ""))
        return e.keys[0] if e is not None and e.keys else None

    def resolve(self, record_id: str) -> str:
        """The id a decision made on `record_id` applies to now (through merges)."""
        seen = set()
        while record_id in self.aliases and record_id not in seen:
            seen.add(record_id)
            record_id = self.aliases[record_id]
        return record_id


def read_store(out: Path) -> dict[tuple[str, str], Entry]:
    """The previous run's store; an unreadable line is skipped (its record then gets a new id)."""
    path = Path(out) / STORE_FILE
    entries: dict[tuple[str, str], Entry] = {}
    if not path.is_file():
        return entries
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                e = Entry(**json.loads(line))
            except (ValueError, TypeError):
                continue
            entries[(e.table, e.id)] = e
    return entries


def thresholds(rules: Rules) -> dict[str, dict[str, float]]:
    try:
        cfg = rules.yaml("identity.yaml")
        return {table: {k: float(v) for k, v in cfg[table].items()} for table in ID_COLUMNS}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RulesError(f"identity.yaml: missing or malformed key {exc}") from exc


def identify(tables: dict[str, list[dict]], store: dict[tuple[str, str], Entry], rules: Rules,
             sources: dict[str, str]) -> Identities:
    """Rewrites the ids in `tables` (and every reference to them) in place. `sources`: doc_id ->
    source path of this run's documents."""
    cfg = thresholds(rules)
    entries = {k: Entry(**asdict(e)) for k, e in store.items()}
    events: list[dict[str, Any]] = []
    aliases = {e.id: e.merged_into for e in entries.values() if e.state == "merged" and e.merged_into}
    taken = {e.id for e in entries.values()}

    network_ids = _identify_table("networks", tables.get("networks", []), entries, cfg, taken, events, sources)
    for row in tables.get("experiments", []):
        row["network_id"] = network_ids.get(row["network_id"], row["network_id"])
    experiment_ids = _identify_table("experiments", tables.get("experiments", []), entries, cfg, taken, events, sources)
    _identify_table("decisions", tables.get("decisions", []), entries, cfg, taken, events, sources)

    renamed = {**network_ids, **experiment_ids}
    for conflict in tables.get("conflicts", []):
        conflict["subject"] = renamed.get(conflict["subject"], conflict["subject"])
    # conflict ids as reconcile gives them, now from the kept subjects
    assign_conflict_ids(tables.get("conflicts", []))

    for e in entries.values():
        if e.state == "merged" and e.merged_into:
            aliases[e.id] = e.merged_into
        if len(e.keys) > PACKED_KEYS_FROM:
            # held until published: a record many documents cite has a quote for each of them
            e.keys = PackedList(e.keys)
    _register_documents(entries, sources, events)
    return Identities(entries, events, aliases)


# ---------------------------------------------------------------------- evidence

def _quote(source: str, text: str) -> str:
    return f"{source}\x1f{' '.join(text.lower().split())}"


def _words(text: str | None) -> list[str]:
    return sorted(set(_WORD.findall((text or "").lower())))


def evidence(table: str, row: dict[str, Any], sources: dict[str, str]) -> Entry:
    """What a row can be recognised by in a later run."""
    key = row[ID_COLUMNS[table]]
    if table == "networks":
        return Entry(table, key, keys=sorted({_quote(s["source"], s["text"]) for s in row["sources"]}),
                     words=_words(row["name"]), members=sorted(m["kommunekode"] for m in row["members"]))
    if table == "experiments":
        return Entry(table, key, keys=sorted({_quote(s["source"], s["text"]) for s in row["sources"]}),
                     words=_words(row["title"]), members=sorted(m["kommunekode"] for m in row["municipalities"]),
                     context=row["network_id"])
    source = sources.get(row["doc_id"], row["doc_id"])
    item = str(row.get("agenda_item") or "")
    keys = {_quote(source, f"{item}\x1f{row.get('title') or ''}")}
    if row.get("case_number"):
        keys.add(_quote(source, f"{item}\x1f{row['case_number']}"))
    return Entry(table, key, keys=sorted(keys), words=_words(row.get("title")), context=f"{source}\x1f{item}")


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a or b else 0.0


def _score(table: str, new: Entry, old: Entry, cfg: dict[str, float]) -> float:
    """> 2: shares source quotes; (0, 1]: agrees by words and members; 0: another record."""
    shared = set(new.keys) & set(old.keys)
    if shared:
        return 2.0 + _jaccard(new.keys, old.keys)
    words = _jaccard(new.words, old.words)
    if table == "networks":
        if new.members and old.members:
            members = _jaccard(new.members, old.members)
            if new.words and old.words:
                return words if words >= cfg["min_word_jaccard"] and members >= cfg["min_member_jaccard"] else 0.0
            return members if members >= cfg["min_member_jaccard_unnamed"] else 0.0
        return words if words >= cfg["min_word_jaccard"] else 0.0
    if table == "experiments":
        if new.context != old.context:
            return 0.0
        if new.context is None and new.members and old.members and not set(new.members) & set(old.members):
            return 0.0
        return words if words >= cfg["min_word_jaccard"] else 0.0
    if new.context != old.context:
        return 0.0
    return words if words >= cfg["min_word_jaccard"] else 0.0


# ---------------------------------------------------------------------- matching

def _identify_table(table: str, rows: list[dict], entries: dict[tuple[str, str], Entry], cfg: dict,
                    taken: set[str], events: list[dict], sources: dict[str, str]) -> dict[str, str]:
    """Gives every row its final id; returns provisional -> final."""
    column = ID_COLUMNS[table]
    new = [evidence(table, row, sources) for row in rows]
    # A merged record is a candidate too: when its evidence stands apart again, it gets its id back.
    old = {e.id: e for (t, _), e in entries.items() if t == table}

    # Candidates share a quote or a word: no record is compared with every other.
    by_key: dict[str, set[str]] = {}
    for e in old.values():
        for token in [*e.keys, *e.words, *(f"#{m}" for m in e.members if not e.words)]:
            by_key.setdefault(token, set()).add(e.id)
    pairs = []
    for i, e in enumerate(new):
        candidates = set()
        for token in [*e.keys, *e.words, *(f"#{m}" for m in e.members if not e.words)]:
            candidates |= by_key.get(token, set())
        for oid in candidates:
            s = _score(table, e, old[oid], cfg[table])
            if s > 0:
                pairs.append((-s, e.id, oid, i))
    pairs.sort()

    owner: dict[int, str] = {}  # new index -> old id it keeps
    kept_by: dict[str, int] = {}
    for _s, _pid, oid, i in pairs:
        if i in owner or oid in kept_by:
            continue
        owner[i], kept_by[oid] = oid, i

    sharing: dict[str, list[int]] = {}  # old id -> new records sharing a quote with it
    for _s, _pid, oid, i in pairs:
        if set(new[i].keys) & set(old[oid].keys):
            sharing.setdefault(oid, []).append(i)

    # A split: two or more records, none holding an id of its own, share quotes with one old
    # record. None of them is that record any more: each gets a new id derived from it.
    split_parts: dict[str, list[int]] = {}
    for oid, i in sorted(kept_by.items()):
        parts = sorted({j for j in sharing.get(oid, []) if j == i or j not in owner})
        if len(parts) >= 2:
            split_parts[oid] = parts
            del kept_by[oid], owner[i]
    parent_of = {j: oid for oid, parts in split_parts.items() for j in parts}

    final: dict[int, str] = dict(owner)
    derived: dict[int, str] = {}
    for i, e in enumerate(new):
        if i in final:
            continue
        final[i] = _fresh_id(e.id, taken)
        taken.add(final[i])
        if i in parent_of:
            derived[i] = parent_of[i]
            events.append({"table": table, "id": final[i], "event": "split", "from": parent_of[i]})
        else:
            events.append({"table": table, "id": final[i], "event": "new"})

    merged_into: dict[str, str] = {}
    for oid, e in sorted(old.items()):
        if oid in kept_by:
            if e.state == "removed":
                events.append({"table": table, "id": oid, "event": "revived"})
            elif e.state == "merged":
                events.append({"table": table, "id": oid, "event": "unmerged", "from": e.merged_into})
            continue
        if e.state == "merged":
            continue  # still inside the record it was merged into
        if oid in split_parts:
            parts = sorted(final[j] for j in split_parts[oid])
            entries[(table, oid)] = Entry(**{**asdict(e), "state": "removed", "split_into": parts})
            events.append({"table": table, "id": oid, "event": "retired", "into": parts})
            continue
        holders = [i for i in sharing.get(oid, []) if i in owner]
        if holders and e.state == "live":
            survivor = final[holders[0]]
            merged_into[oid] = survivor
            entries[(table, oid)] = Entry(**{**asdict(e), "state": "merged", "merged_into": survivor})
            events.append({"table": table, "id": oid, "event": "merged", "into": survivor})
        elif e.state == "live":
            entries[(table, oid)] = Entry(**{**asdict(e), "state": "removed"})
            events.append({"table": table, "id": oid, "event": "removed"})

    mapping = {}
    live_now = set(final.values())
    for i, (row, e) in enumerate(zip(rows, new)):
        record_id = final[i]
        mapping[e.id] = record_id
        previous = entries.get((table, record_id))
        merged = sorted({*(previous.merged if previous else []),
                         *(oid for oid, into in merged_into.items() if into == record_id)} - live_now)
        entries[(table, record_id)] = Entry(
            table, record_id, "live", e.keys, e.words, e.members, e.context,
            derived_from=derived.get(i, previous.derived_from if previous else None), merged=merged)
        row[column] = record_id
        row["merged_ids"] = merged
        row["derived_from"] = entries[(table, record_id)].derived_from
    return mapping


def _fresh_id(provisional: str, taken: set[str]) -> str:
    """The provisional id, unless a tombstone or another record holds it."""
    if provisional not in taken:
        return provisional
    prefix = provisional.split("_", 1)[0]
    n = 2
    while (candidate := f"{prefix}_{content_id(provisional, n, length=12)}") in taken:
        n += 1
    return candidate


def _register_documents(entries: dict[tuple[str, str], Entry], sources: dict[str, str],
                        events: list[dict]) -> None:
    """Every document ever read, so a review decision on a vanished record can say whether its
    document was removed or changed."""
    for (table, doc_id), e in list(entries.items()):
        if table == "documents" and e.state == "live" and doc_id not in sources:
            entries[(table, doc_id)] = Entry(**{**asdict(e), "state": "removed"})
    for doc_id, source in sources.items():
        entries[("documents", doc_id)] = Entry("documents", doc_id, "live", keys=[source])
