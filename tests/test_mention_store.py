"""The run's mention store (pipeline/publish/mentionstore.py): mention rows on disk in the
published order, changed by review and re-anchoring, compared with the previous version's; and
a run that keeps them there publishes what holding them in memory published."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.publish import OWNED
from pipeline.publish.mentionstore import MentionStore
from pipeline.review.log import Decision, append
from pipeline.run import run

ROOT = Path(__file__).resolve().parent.parent


def row(doc, start, end, kind="municipality", value="101", mention_id=None, **extra):
    return {"mention_id": mention_id or f"{doc}-{kind}-{start}", "doc_id": doc, "type": kind, "text": "x",
            "start": start, "end": end, "page": None, "value": value, "rule": "r", "role": None, "attrs": {}, **extra}


@pytest.fixture
def store(tmp_path):
    s = MentionStore(tmp_path / "m.sqlite")
    yield s
    s.close()


def test_rows_come_back_in_the_published_order_whatever_order_they_were_added_in(store):
    store.add([row("bb", 5, 9), row("bb", 0, 4, "date", "2018")])
    store.add([row("aa", 7, 8), row("aa", 7, 8, "count", 3), row("aa", 2, 3, mention_id="first-of-two"),
               row("aa", 2, 3, mention_id="second-of-two")])
    got = [(r["doc_id"], r["start"], r["type"], r["mention_id"]) for r in store]
    assert got == [("aa", 2, "municipality", "first-of-two"), ("aa", 2, "municipality", "second-of-two"),
                   ("aa", 7, "count", "aa-count-7"), ("aa", 7, "municipality", "aa-municipality-7"),
                   ("bb", 0, "date", "bb-date-0"), ("bb", 5, "municipality", "bb-municipality-5")]
    assert len(store) == 6 and store.counts_by_type() == {"municipality": 4, "count": 1, "date": 1}


def test_a_row_never_reviewed_reads_as_unreviewed_and_a_reviewed_one_keeps_its_review(store):
    store.add([row("aa", 0, 3), row("aa", 4, 6)])
    reviewed = store.get("aa-municipality-4")
    assert reviewed["review_state"] == "unreviewed" and reviewed["review"] is None
    reviewed.update(value="147", review_state="corrected", review={"reviewer": "ane"})
    store.upsert(reviewed)
    added = row("aa", 9, 12, mention_id="added-by-reviewer", review_state="accepted")
    store.upsert(added)  # a new id goes after every other row of equal place
    store.delete("aa-municipality-0")
    assert [(r["mention_id"], r["value"], r["review_state"]) for r in store] == [
        ("aa-municipality-4", "147", "corrected"), ("added-by-reviewer", "101", "accepted")]
    assert [r["mention_id"] for r in store.of_type("municipality")] == ["aa-municipality-4", "added-by-reviewer"]


def test_the_change_lines_compare_with_the_previous_versions_mentions_by_id(store):
    store.load_previous([row("aa", 0, 3, mention_id="kept"), row("aa", 4, 6, mention_id="gone"),
                         row("aa", 8, 9, "count", 2, mention_id="recounted")])
    store.add([row("aa", 0, 3, mention_id="kept"), row("aa", 8, 9, "count", 3, mention_id="recounted"),
               row("bb", 1, 2, mention_id="new")])
    lines = list(store.changes())
    assert [(line["change"], line["id"]) for line in lines] == [("removed", "gone"), ("added", "new"),
                                                                ("updated", "recounted")]
    assert lines[2]["fields"] == {"value": {"old": 2, "new": 3}}
    assert store.change_counts() == {"removed": 1, "added": 1, "updated": 1}
    assert [mention_id for mention_id, _ in store.previous_of(["aa"])] == ["kept", "gone", "recounted"]


def test_reanchoring_moves_an_id_only_to_a_row_of_its_document(store):
    store.add([row("aa", 0, 3, mention_id="x1"), row("aa", 4, 6, mention_id="x2")])
    (seq, first), _ = store.rows_of("aa")
    first["mention_id"] = "old-id"
    store.replace(seq, first)
    assert store.has("old-id") and not store.has("x1") and store.get("old-id")["start"] == 0


# ------------------------------------------------------------------ a run with the store

@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "sources", src)
    return src, tmp_path / "out"


def table(out: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_run_leaves_no_working_files_and_publishes_none_of_them(folder):
    src, out = folder
    run(src, out)
    version = (out / "current").resolve()
    assert not list(version.glob("*.sqlite-journal")) and not (version / "mentions.sqlite").exists()
    assert not list((out / ".versions").glob(".staging-*"))
    assert {p.name for p in version.iterdir()} == set(OWNED)  # the published files, and nothing else


def test_review_decisions_reach_the_stored_mentions_and_the_recount(folder):
    src, out = folder
    run(src, out)
    municipalities = [m for m in table(out, "mentions") if m["type"] == "municipality"]
    # a municipality named by exactly one mention, so rejecting it drops it from the recount
    named = {}
    for m in municipalities:
        named.setdefault(m["value"], []).append(m)
    once = next(ms[0] for code, ms in sorted(named.items()) if len(ms) == 1)
    corrected = next(m for m in municipalities if m["mention_id"] != once["mention_id"])
    append(out, Decision("reject", "mentions", once["mention_id"], "ane"))
    append(out, Decision("correct", "mentions", corrected["mention_id"], "ane", field="value",
                         old=corrected["value"], new="825"))
    run(src, out)
    after = {m["mention_id"]: m for m in table(out, "mentions")}
    assert once["mention_id"] not in after
    assert after[corrected["mention_id"]]["value"] == "825"
    assert after[corrected["mention_id"]]["review_state"] == "corrected"
    assert all(m["review_state"] == "unreviewed" for i, m in after.items() if i != corrected["mention_id"])
    codes = {r["kommunekode"] for r in table(out, "municipalities")}
    assert once["value"] not in codes and "825" in codes
    assert [r["id"] for r in table(out, "rejected") if r["table"] == "mentions"] == [once["mention_id"]]
