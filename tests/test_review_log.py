"""Review decisions survive reruns: applied while their anchor holds, reported when it does not."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from pipeline.review import log as review_log
from pipeline.review.log import Decision
from pipeline.run import run

TEXT = """Referat af Teknik- og Miljøudvalget
Mødedato: 2. september 2019

Punkt 4. Frikommuneforsøg
Varde og Billund Kommuner ansøger om forsøg. Fristen er den 1. november 2019.
Region Syddanmark støtter. Sagen behandles også i Esbjerg.
"""


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def anchor_of(out: Path, row: dict) -> dict:
    documents = {d["doc_id"]: d for d in read_jsonl(out / "documents.jsonl")}
    return {"doc_id": row["doc_id"], "sha256": documents[row["doc_id"]]["sha256"],
            "start": row["start"], "end": row["end"], "text": row["text"]}


def setup_run(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "referat.txt").write_text(TEXT, encoding="utf-8")
    run(src, out)
    return src, out, read_jsonl(out / "mentions.jsonl")


def test_accept_correct_reject_and_add_apply_on_the_next_run(tmp_path):
    src, out, mentions = setup_run(tmp_path)
    varde = next(m for m in mentions if m["type"] == "municipality" and m["text"].startswith("Varde"))
    deadline = next(m for m in mentions if m["type"] == "date" and m["value"] == "2019-11-01")
    esbjerg = next(m for m in mentions if m["type"] == "municipality" and m["text"] == "Esbjerg")
    text = (out / "text" / f"{varde['doc_id']}.txt").read_text(encoding="utf-8")
    start = text.index("Region Syddanmark")

    review_log.append(out, Decision("accept", "mentions", varde["mention_id"], "ida", anchor=anchor_of(out, varde)))
    review_log.append(out, Decision("correct", "mentions", deadline["mention_id"], "ida", field="value",
                                    old="2019-11-01", new="2019-11-02", anchor=anchor_of(out, deadline)))
    review_log.append(out, Decision("reject", "mentions", esbjerg["mention_id"], "ida", anchor=anchor_of(out, esbjerg)))
    added = {"doc_id": varde["doc_id"], "type": "region", "value": "1083", "start": start,
             "end": start + len("Region Syddanmark"), "text": "Region Syddanmark"}
    review_log.append(out, Decision("add", "mentions", "added-1", "ida", mention=added,
                                    anchor={**added, "sha256": anchor_of(out, varde)["sha256"]}))

    summary = run(src, out)
    assert summary.reviews == {"applied": 4, "orphaned": 0, "rejected": 1, "unreadable": 0}
    after = {m["mention_id"]: m for m in read_jsonl(out / "mentions.jsonl")}
    assert after[varde["mention_id"]]["review_state"] == "accepted"
    assert after[varde["mention_id"]]["review"]["reviewer"] == "ida"
    corrected = after[deadline["mention_id"]]
    assert corrected["value"] == "2019-11-02" and corrected["review_state"] == "corrected"
    assert corrected["review"]["corrections"]["value"]["extracted"] == "2019-11-01"
    assert esbjerg["mention_id"] not in after
    [audit] = read_jsonl(out / "rejected.jsonl")
    assert audit["id"] == esbjerg["mention_id"] and audit["row"]["text"] == "Esbjerg"
    assert after["added-1"]["text"] == "Region Syddanmark" and after["added-1"]["rule"] == "review.added"
    untouched = [m for m in after.values() if m["mention_id"] not in (varde["mention_id"], deadline["mention_id"], "added-1")]
    assert untouched and all(m["review_state"] == "unreviewed" for m in untouched)

    # The log is the reviewers' own: a run neither rewrote nor trimmed it.
    assert len(list(review_log.read(out))) == 4


def test_undo_takes_a_decision_back(tmp_path):
    src, out, mentions = setup_run(tmp_path)
    m = next(m for m in mentions if m["type"] == "municipality")
    d = review_log.append(out, Decision("reject", "mentions", m["mention_id"], "ole", anchor=anchor_of(out, m)))
    review_log.append(out, Decision("undo", "mentions", m["mention_id"], "ole", undoes=d.decision_id))
    run(src, out)
    after = {r["mention_id"]: r for r in read_jsonl(out / "mentions.jsonl")}
    assert after[m["mention_id"]]["review_state"] == "unreviewed"


def test_an_edit_elsewhere_in_the_document_keeps_the_mention_and_its_decision(tmp_path):
    src, out, mentions = setup_run(tmp_path)
    esbjerg = next(m for m in mentions if m["type"] == "municipality" and m["text"] == "Esbjerg")
    review_log.append(out, Decision("accept", "mentions", esbjerg["mention_id"], "ida", anchor=anchor_of(out, esbjerg)))
    # a sentence added before the mention: its offsets and the document's id both move
    (src / "referat.txt").write_text(TEXT.replace("Punkt 4. Frikommuneforsøg\n",
                                                  "Punkt 4. Frikommuneforsøg\nSagen er fremsendt af direktionen.\n"),
                                     encoding="utf-8")
    summary = run(src, out)
    assert summary.reviews["orphaned"] == 0
    after = next(m for m in read_jsonl(out / "mentions.jsonl") if m["text"] == "Esbjerg")
    assert after["mention_id"] == esbjerg["mention_id"] and after["start"] > esbjerg["start"]
    assert after["doc_id"] != esbjerg["doc_id"] and after["review_state"] == "accepted"


def test_an_orphan_says_whether_the_document_changed_was_removed_or_a_rule_changed(tmp_path):
    src, out, mentions = setup_run(tmp_path)
    esbjerg = next(m for m in mentions if m["type"] == "municipality" and m["text"] == "Esbjerg")
    billund = next(m for m in mentions if m["type"] == "municipality" and m["text"].startswith("Billund"))
    review_log.append(out, Decision("accept", "mentions", esbjerg["mention_id"], "ida", anchor=anchor_of(out, esbjerg)))
    # the mention itself is edited away
    (src / "referat.txt").write_text(TEXT.replace("Sagen behandles også i Esbjerg.", "Sagen behandles senere."),
                                     encoding="utf-8")
    run(src, out)
    [orphan] = read_jsonl(out / "review_orphans.jsonl")
    assert orphan["target"] == esbjerg["mention_id"] and orphan["reason"].startswith("document changed")

    # the document leaves the folder
    (src / "referat.txt").rename(tmp_path / "elsewhere.txt")
    (src / "other.txt").write_text("Nyt fra Tønder Kommune den 3. maj 2020.\n", encoding="utf-8")
    run(src, out)
    [orphan] = read_jsonl(out / "review_orphans.jsonl")
    assert orphan["reason"].startswith("document removed") and "referat.txt" in orphan["reason"]

    # the document unchanged, the rule no longer finding the mention
    (tmp_path / "elsewhere.txt").rename(src / "referat.txt")
    run(src, out)
    now = next(m for m in read_jsonl(out / "mentions.jsonl") if m["text"].startswith("Billund"))
    review_log.append(out, Decision("accept", "mentions", now["mention_id"], "ida", anchor=anchor_of(out, now)))
    rules = tmp_path / "rules"
    import shutil
    shutil.copytree(Path(__file__).resolve().parent.parent / "rules", rules)
    for name, row_of_530 in (("municipalities.csv", "530,"), ("municipalities_historic.csv", ",530,")):
        csv = rules / name
        csv.write_text("\n".join(line for line in csv.read_text(encoding="utf-8").splitlines()
                                 if row_of_530 not in line and not line.startswith(row_of_530)) + "\n",
                       encoding="utf-8")
    from pipeline.rules import Rules
    run(src, out, Rules(rules))
    reasons = {o["target"]: o["reason"] for o in read_jsonl(out / "review_orphans.jsonl")}
    assert reasons[now["mention_id"]].startswith("rule change")


def _append_many(args):
    out, reviewer, n = args
    for i in range(n):
        review_log.append(Path(out), Decision("note", "mentions", f"m{i}", reviewer, note="x" * 500))


def test_two_reviewers_writing_at_once_lose_nothing(tmp_path):
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_append_many, [(str(tmp_path), "ida", 300), (str(tmp_path), "ole", 300)])
    decisions = list(review_log.read(tmp_path))
    assert len(decisions) == 600
    assert {d.reviewer for d in decisions} == {"ida", "ole"}


# ------------------------------------------------------------ reviews reach what was built from them

NETWORK = """Netværk 2025

Navn: Fælles om grøn energi
Deltagere: Thisted, Morsø, Skive

Afviste forsøg og forsøg til videre behandling:
- Lokal tilladelse til husstandsvindmøller
"""


def _review_setup(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "net.txt").write_text(NETWORK, encoding="utf-8")
    run(src, out)
    return src, out


def test_rejecting_the_only_evidence_of_a_member_removes_the_membership_and_recounts(tmp_path):
    src, out = _review_setup(tmp_path)
    [network] = read_jsonl(out / "networks.jsonl")
    assert [m["kommunekode"] for m in network["members"]] == ["773", "779", "787"]
    skive = next(m for m in read_jsonl(out / "mentions.jsonl") if m["text"] == "Skive")
    review_log.append(out, Decision("reject", "mentions", skive["mention_id"], "ida", anchor=anchor_of(out, skive)))
    thisted = next(m for m in read_jsonl(out / "mentions.jsonl") if m["text"] == "Thisted")
    review_log.append(out, Decision("correct", "mentions", thisted["mention_id"], "ida", field="value",
                                    old="787", new="810", anchor=anchor_of(out, thisted)))
    run(src, out)
    [network] = read_jsonl(out / "networks.jsonl")
    assert [m["kommunekode"] for m in network["members"]] == ["773", "787"]
    municipalities = {r["kommunekode"]: r for r in read_jsonl(out / "municipalities.jsonl")}
    assert "779" not in municipalities  # its one mention was rejected
    assert municipalities["810"]["mentions"] == 1 and "787" not in municipalities  # the corrected value counts


def test_choosing_a_side_of_a_conflict_sets_the_records_value(tmp_path):
    src, out = _review_setup(tmp_path)
    [experiment] = read_jsonl(out / "experiments.jsonl")
    assert experiment["status"] == "undetermined"
    [conflict] = [c for c in read_jsonl(out / "conflicts.jsonl") if c["type"] == "undetermined_status"]
    review_log.append(out, Decision("resolve", "conflicts", conflict["conflict_id"], "ole",
                                    new={"value": "pending", "doc_id": experiment["documents"][0]}))
    run(src, out)
    [experiment] = read_jsonl(out / "experiments.jsonl")
    assert experiment["status"] == "pending" and experiment["status_candidates"] is None
    assert experiment["review_state"] == "corrected"
    correction = experiment["review"]["corrections"]["status"]
    assert correction["extracted"] == "undetermined" and correction["conflict_id"] == conflict["conflict_id"]


# ------------------------------------------------------------ the log never loses an acknowledged decision

def test_a_short_write_raises_and_the_next_decision_starts_a_new_line(tmp_path, monkeypatch):
    import os as _os

    out = tmp_path
    first = review_log.append(out, Decision("note", "mentions", "m1", "ida", note="før"))
    real_write = _os.write
    calls = {"n": 0}

    def torn(fd, data):  # the disk fills up halfway through the line
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(review_log.os, "write", torn)
    import pytest as _pytest
    with _pytest.raises(review_log.LogWriteError):
        review_log.append(out, Decision("note", "mentions", "m2", "ida", note="tabt"))
    monkeypatch.setattr(review_log.os, "write", real_write)
    third = review_log.append(out, Decision("note", "mentions", "m3", "ida", note="efter"))

    bad: list = []
    read = list(review_log.read(out, bad))
    assert [d.decision_id for d in read] == [first.decision_id, third.decision_id]  # none glued together
    assert len(bad) == 1 and bad[0]["line"] == 2


def test_unreadable_log_lines_are_counted_and_listed_by_the_run(tmp_path):
    src, out, mentions = setup_run(tmp_path)
    m = next(m for m in mentions if m["type"] == "municipality")
    review_log.append(out, Decision("accept", "mentions", m["mention_id"], "ida", anchor=anchor_of(out, m)))
    with review_log.log_path(out).open("a", encoding="utf-8") as fh:
        fh.write('{"action": "accept", "table": "ment\n')  # torn
        fh.write("not json at all\n")
        fh.write('{"action": "fly", "table": "mentions", "target": "x", "reviewer": "ida"}\n')  # unknown action
    summary = run(src, out)
    assert summary.reviews["applied"] == 1 and summary.reviews["unreadable"] == 3
    errors = read_jsonl(out / "review_errors.jsonl")
    assert [e["line"] for e in errors] == [2, 3, 4]


def test_the_workbench_answers_507_when_the_log_cannot_be_written(tmp_path, monkeypatch):
    from pipeline.review.app import create_app

    src, out, mentions = setup_run(tmp_path)
    m = next(m for m in mentions if m["type"] == "municipality")
    app = create_app(out, reviewer="ida")
    app.config["TESTING"] = True
    client = app.test_client()
    token = app.config["CSRF_TOKEN"]

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(review_log.os, "write", full)
    r = client.post("/api/decide", json={"action": "accept", "table": "mentions", "id": m["mention_id"]},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 507 and r.get_json()["ok"] is False
    monkeypatch.undo()
    assert list(review_log.read(out)) == []


def test_a_mention_a_reviewer_added_follows_its_quote_into_the_changed_document(tmp_path):
    """The source file is edited before the added span: the run finds the quote again (by its
    context) in the new text, which it reads back from the staged texts."""
    src, out, mentions = setup_run(tmp_path)
    varde = next(m for m in mentions if m["type"] == "municipality" and m["text"].startswith("Varde"))
    text = (out / "text" / f"{varde['doc_id']}.txt").read_text(encoding="utf-8")
    start = text.index("Region Syddanmark")
    end = start + len("Region Syddanmark")
    added = {"doc_id": varde["doc_id"], "type": "region", "value": "1083", "start": start, "end": end,
             "text": "Region Syddanmark"}
    anchor = {**added, "sha256": anchor_of(out, varde)["sha256"], "source": "referat.txt",
              "prefix": text[max(0, start - 32):start], "suffix": text[end:end + 32]}
    review_log.append(out, Decision("add", "mentions", "added-1", "ida", mention=added, anchor=anchor))
    (src / "referat.txt").write_text(TEXT.replace("Punkt 4.", "Punkt 4. (tilføjet linje om dagsordenen)"),
                                     encoding="utf-8")

    summary = run(src, out)
    assert summary.reviews["orphaned"] == 0 and summary.reviews["applied"] == 1
    after = {m["mention_id"]: m for m in read_jsonl(out / "mentions.jsonl")}
    moved = after["added-1"]
    new_text = (out / "text" / f"{moved['doc_id']}.txt").read_text(encoding="utf-8")
    assert moved["doc_id"] != varde["doc_id"] and moved["start"] > start
    assert new_text[moved["start"]:moved["end"]] == "Region Syddanmark" == moved["text"]
