"""The workbench's view replays the whole log over the last run's output exactly."""

from __future__ import annotations

import json

from pipeline.review import log as review_log
from pipeline.review.apply import anchor_for, current_view, load_documents
from pipeline.review.log import Decision
from pipeline.run import run

TEXT = "Nyhed\n3. marts 2019\n\nOdder og Samsø Kommuner søger om frikommuneforsøg med frist 1. april 2019.\n"


def test_view_shows_decisions_made_before_and_after_the_last_run(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text(TEXT, encoding="utf-8")
    run(src, out)
    documents = load_documents(out)
    mentions = [json.loads(l) for l in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    samso = next(m for m in mentions if m["text"].startswith("Samsø"))
    date = next(m for m in mentions if m["value"] == "2019-04-01")
    review_log.append(out, Decision("reject", "mentions", samso["mention_id"], "ida",
                                    anchor=anchor_for("mentions", samso, documents)))
    review_log.append(out, Decision("correct", "mentions", date["mention_id"], "ida", field="value",
                                    old="2019-04-01", new="2019-04-02", anchor=anchor_for("mentions", date, documents)))
    run(src, out)  # the rejection and the correction are now in the published tables
    odder = next(m for m in mentions if m["text"].startswith("Odder"))
    review_log.append(out, Decision("accept", "mentions", odder["mention_id"], "ole",
                                    anchor=anchor_for("mentions", odder, documents)))

    tables, _ = current_view(out, list(review_log.read(out)))
    view = {m["mention_id"]: m for m in tables["mentions"]}
    assert view[samso["mention_id"]]["review_state"] == "rejected"  # shown, so it can be undone
    assert view[date["mention_id"]]["value"] == "2019-04-02"
    assert view[date["mention_id"]]["review"]["corrections"]["value"]["extracted"] == "2019-04-01"
    assert view[odder["mention_id"]]["review_state"] == "accepted"
    assert view[odder["mention_id"]]["review"]["reviewer"] == "ole"
