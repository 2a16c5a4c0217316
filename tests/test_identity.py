"""Records keep their identity across runs; every run says what changed (README: Identity,
Run modes, Change report). Documents written for the test."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.review import log as review_log
from pipeline.review.apply import anchor_for, load_documents
from pipeline.review.log import Decision
from pipeline.rules import Rules
from pipeline.run import run

REPO = Path(__file__).resolve().parent.parent

NEWS = """Nyt netværk i Nordvestjylland

Viborg, Skive og Struer kommuner søger med temaet 'Flere unge i job gennem lokale partnerskaber'.

Flere unge i job gennem lokale partnerskaber
• Fælles jobcafé for unge ledige
Imødekommes
• Mentorordning i erhvervsskolerne
Afslag
"""

# A later, more authoritative document: a labelled block with a shorter name for the network.
BLOCK = """Frikommunenetværk 2024

Navn: Unge i job via partnerskaber
Deltagere: Viborg, Skive, Struer
"""

TRAFFIC_A = "Netværk\n\nNavn: Kollektiv trafik på landet\nDeltagere: Lejre, Køge, Roskilde\n"
TRAFFIC_B = "Netværk\n\nNavn: Trafik og mobilitet på landet\nDeltagere: Lejre, Køge, Roskilde\n"


def rows(out: Path, table: str) -> list[dict]:
    path = out / f"{table}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def folder(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    src = tmp_path / name
    src.mkdir()
    for filename, text in files.items():
        (src / filename).write_text(text, encoding="utf-8")
    return src


def rules_with(tmp_path: Path, name: str, edit) -> Rules:
    copy = tmp_path / name
    shutil.copytree(REPO / "rules", copy)
    path = copy / "reconcile.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return Rules(copy)


def decide(out: Path, action: str, table: str, row: dict, key: str, **kw) -> Decision:
    anchor = anchor_for(table, row, load_documents(out))
    return review_log.append(out, Decision(action, table, row[key], "ida", anchor=anchor, **kw))


def test_a_more_authoritative_document_keeps_network_and_experiment_ids_and_their_reviews(tmp_path):
    src, out = folder(tmp_path, "src", {"a.txt": NEWS}), tmp_path / "out"
    run(src, out)
    [network] = rows(out, "networks")
    experiments = {e["title"]: e for e in rows(out, "experiments")}
    decide(out, "accept", "networks", network, "network_id")
    cafe = experiments["Fælles jobcafé for unge ledige"]
    decide(out, "correct", "experiments", cafe, "experiment_id", field="status", old="approved", new="pending")

    (src / "b.txt").write_text(BLOCK, encoding="utf-8")
    summary = run(src, out)
    [after] = rows(out, "networks")
    assert after["name"] == "Unge i job via partnerskaber"  # renamed by the labelled block ...
    assert after["network_id"] == network["network_id"]  # ... and still the same record
    assert {e["experiment_id"] for e in rows(out, "experiments")} == {e["experiment_id"] for e in experiments.values()}
    assert summary.reviews["orphaned"] == 0
    assert after["review_state"] == "accepted"
    cafe_after = next(e for e in rows(out, "experiments") if e["experiment_id"] == cafe["experiment_id"])
    assert cafe_after["status"] == "pending" and cafe_after["review_state"] == "corrected"

    # Without the store (a fresh output folder), the same documents give other ids: the id was
    # kept, not recomputed.
    fresh = tmp_path / "fresh"
    run(src, fresh)
    assert rows(fresh, "networks")[0]["network_id"] != network["network_id"]


def test_a_rules_edit_that_keeps_the_record_recognisable_keeps_its_id(tmp_path):
    src, out = folder(tmp_path, "src", {"a.txt": NEWS}), tmp_path / "out"
    run(src, out)
    [network] = rows(out, "networks")
    stop_word = rules_with(tmp_path, "rules", lambda y: y.replace("stopwords: [en, et,", "stopwords: [gennem, en, et,"))
    run(src, out, stop_word)
    assert rows(out, "networks")[0]["network_id"] == network["network_id"]
    fresh = tmp_path / "fresh"
    run(src, fresh, stop_word)
    assert rows(fresh, "networks")[0]["network_id"] != network["network_id"]


def test_a_merge_keeps_the_survivors_id_lists_the_other_and_reviews_follow(tmp_path):
    src, out = folder(tmp_path, "src", {"a.txt": TRAFFIC_A, "b.txt": TRAFFIC_B}), tmp_path / "out"
    run(src, out)
    before = {n["name"]: n for n in rows(out, "networks")}
    assert len(before) == 2
    for n in before.values():
        decide(out, "accept", "networks", n, "network_id")

    looser = rules_with(tmp_path, "rules", lambda y: y.replace("min_overlap: 0.75", "min_overlap: 0.5"))
    summary = run(src, out, looser)
    [merged] = rows(out, "networks")
    ids = {n["network_id"] for n in before.values()}
    assert merged["network_id"] in ids
    assert merged["merged_ids"] == sorted(ids - {merged["network_id"]})
    assert summary.reviews["orphaned"] == 0 and merged["review_state"] == "accepted"
    [gone] = [c for c in rows(out, "changes") if c.get("table") == "networks" and c["change"] == "removed"]
    assert gone["id"] in ids and gone["merged_into"] == merged["network_id"]

    # The rules edit undone: the merged record stands apart again, with its own id back.
    run(src, out)
    assert {n["network_id"] for n in rows(out, "networks")} == ids


def test_a_split_gives_each_part_a_new_id_derived_from_the_old_one(tmp_path):
    src, out = folder(tmp_path, "src", {"a.txt": TRAFFIC_A, "b.txt": TRAFFIC_B}), tmp_path / "out"
    looser = rules_with(tmp_path, "rules", lambda y: y.replace("min_overlap: 0.75", "min_overlap: 0.5"))
    run(src, out, looser)
    [one] = rows(out, "networks")
    run(src, out)
    parts = rows(out, "networks")
    assert len(parts) == 2
    assert all(p["network_id"] != one["network_id"] and p["derived_from"] == one["network_id"] for p in parts)
    [retired] = [e for e in rows(out, "identity") if e["id"] == one["network_id"]]
    assert retired["state"] == "removed" and retired["split_into"] == sorted(p["network_id"] for p in parts)
    [line] = [c for c in rows(out, "changes") if c.get("id") == one["network_id"]]
    assert line["change"] == "removed" and line["split_into"] == retired["split_into"]


def test_a_removed_record_leaves_a_tombstone_and_comes_back_with_its_id(tmp_path):
    src, out = folder(tmp_path, "src", {"a.txt": TRAFFIC_A, "b.txt": NEWS}), tmp_path / "out"
    run(src, out)
    traffic = next(n for n in rows(out, "networks") if n["name"] == "Kollektiv trafik på landet")
    (src / "a.txt").rename(tmp_path / "a.txt")
    summary = run(src, out)
    assert summary.removed_documents == ["a.txt"]
    assert traffic["network_id"] not in {n["network_id"] for n in rows(out, "networks")}
    tomb = next(e for e in rows(out, "identity") if e["id"] == traffic["network_id"])
    assert tomb["state"] == "removed"
    changes = rows(out, "changes")
    assert {"kind": "document", "change": "removed", "source": "a.txt", "doc_id": traffic["documents"][0]} in changes
    assert any(c.get("id") == traffic["network_id"] and c["change"] == "removed" for c in changes)

    (tmp_path / "a.txt").rename(src / "a.txt")
    run(src, out)
    assert traffic["network_id"] in {n["network_id"] for n in rows(out, "networks")}


def test_the_same_history_gives_the_same_ids(tmp_path):
    src = folder(tmp_path, "src", {"a.txt": NEWS})
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        if (src / "b.txt").exists():
            (src / "b.txt").unlink()
        run(src, out)
        (src / "b.txt").write_text(BLOCK, encoding="utf-8")
        run(src, out)
    assert (outs[0] / "identity.jsonl").read_bytes() == (outs[1] / "identity.jsonl").read_bytes()
    assert (outs[0] / "networks.jsonl").read_bytes() == (outs[1] / "networks.jsonl").read_bytes()


def test_add_keeps_the_dataset_and_the_default_mirror_names_what_it_removed(tmp_path):
    src, out = folder(tmp_path, "src", {"a.txt": NEWS, "b.txt": TRAFFIC_A}), tmp_path / "out"
    run(src, out)
    feed = folder(tmp_path, "feed", {"c.txt": TRAFFIC_B})

    added = run(feed, out, mode="add")
    assert added.documents == 3 and added.kept_documents == 2 and added.removed_documents == []
    assert {d["source"] for d in rows(out, "documents")} == {"a.txt", "b.txt", "c.txt"}
    assert added.changes["documents"] == {"added": 1}

    mirrored = run(feed, out)
    assert mirrored.documents == 1 and mirrored.removed_documents == ["a.txt", "b.txt"]
    assert mirrored.changes["documents"] == {"removed": 2}
    # nothing lost: the removed documents' extractions stay cached until --prune
    cache = out / ".cache"
    assert len(list(cache.glob("*.json"))) == 3
    run(feed, out, prune=True)
    assert len(list(cache.glob("*.json"))) == 1
    assert len(list((cache / "ingest").glob("*.json"))) == 1


def test_an_edit_is_reported_as_a_change_and_untouched_mentions_keep_their_ids(tmp_path):
    src, out = folder(tmp_path, "src", {"a.txt": NEWS}), tmp_path / "out"
    run(src, out)
    before = {m["mention_id"]: m for m in rows(out, "mentions")}
    again = run(src, out)
    assert rows(out, "changes") == [] and again.changes["records"] == {}

    (src / "a.txt").write_text(NEWS.replace("Viborg, Skive og Struer", "Viborg, Skive og Lemvig"), encoding="utf-8")
    summary = run(src, out)
    after = {m["mention_id"]: m for m in rows(out, "mentions")}
    changes = rows(out, "changes")
    [doc] = [c for c in changes if c["kind"] == "document"]
    assert doc["change"] == "changed" and doc["source"] == "a.txt" and doc["old_doc_id"] != doc["doc_id"]
    assert sorted((c["change"], c["text"]) for c in changes if c["kind"] == "mention") == [
        ("added", "Lemvig"), ("removed", "Struer")]
    # every mention the edit did not touch kept its id, though the document's id changed
    kept = set(before) & set(after)
    assert len(kept) == len(before) - 1
    network = next(c for c in changes if c.get("table") == "networks")
    assert network["change"] == "updated" and "members" in network["fields"]
    assert summary.changes["documents"] == {"changed": 1}


@pytest.mark.parametrize("mode", ["mirror", "add"])
def test_a_rerun_over_an_unchanged_folder_changes_nothing(tmp_path, mode):
    src, out = folder(tmp_path, "src", {"a.txt": NEWS, "b.txt": TRAFFIC_A}), tmp_path / "out"
    run(src, out)
    before = {name: (out / name).read_bytes() for name in ("identity.jsonl", "networks.jsonl", "experiments.jsonl")}
    run(src, out, mode=mode)
    assert before == {name: (out / name).read_bytes() for name in before}
    assert rows(out, "changes") == []
