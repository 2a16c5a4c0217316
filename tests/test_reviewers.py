"""Several reviewers: which decision counts, disagreements, second review, history and kappa."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_helpers import one_file_run
from pipeline.review import log as review_log
from pipeline.review.app import create_app
from pipeline.review.log import Decision
from pipeline.review.reviewers import cohen_kappa, read_reviews
from pipeline.run import run

NOTE = "Haderslev Kommune, Tønder Kommune, Aabenraa Kommune og Sønderborg Kommune holder møde.\n"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_kappa_against_a_hand_computed_example():
    # agree on 5 of 6; first rater 4 accept / 2 reject, second 3 / 3: chance 0.5, kappa 2/3
    first = ["accept", "accept", "reject", "accept", "reject", "accept"]
    second = ["accept", "reject", "reject", "accept", "reject", "accept"]
    assert cohen_kappa(list(zip(first, second))) == pytest.approx(2 / 3)
    assert cohen_kappa([("accept", "accept")] * 4) is None  # no variation: undefined, not 1
    assert cohen_kappa([("accept", "reject"), ("reject", "accept")]) == pytest.approx(-1.0)


def d(action, target, reviewer, **kw):
    return Decision(action, "mentions", target, reviewer, **kw)


def test_latest_verdicts_per_reviewer_make_disagreements_and_single_accepts():
    log = [d("accept", "m1", "ida"), d("reject", "m1", "ole"),          # disagree
           d("accept", "m2", "ida"), d("accept", "m2", "ole"),          # agree
           d("accept", "m3", "ida"),                                    # one reviewer only
           d("reject", "m4", "ida"), d("accept", "m4", "ole"), d("accept", "m4", "ida"),  # ida changed: agree now
           d("correct", "m5", "ida", field="value", new="510"), d("correct", "m5", "ole", field="value", new="550"),
           d("note", "m2", "ole", note="ok")]
    undo_target = d("reject", "m3", "ole")
    log += [undo_target, Decision("undo", "mentions", "m3", "ole", undoes=undo_target.decision_id)]
    reviews = read_reviews(log)
    assert reviews.disagreements == {"mentions:m1", "mentions:m5"}
    assert reviews.single_accepts == {"mentions:m3": "ida"}  # ole's reject was undone
    assert [h["action"] for h in reviews.history["mentions:m3"]] == ["accept", "reject"]
    assert reviews.history["mentions:m3"][1]["undone"] is True
    (pair,) = reviews.agreement
    # shared: m1 accept/reject, m2 accept/accept, m4 accept/accept, m5 correct/correct (categories)
    assert pair["reviewers"] == ["ida", "ole"] and pair["records"] == 4 and pair["agreed"] == 3


@pytest.fixture
def two_reviewers(tmp_path):
    src, out = one_file_run(tmp_path, "note.txt", NOTE)
    towns = {m["text"]: m for m in read_jsonl(out / "mentions.jsonl") if m["type"] == "municipality"}
    return src, out, towns


def post(client, app, action, mention, reviewer):
    return client.post("/api/decide", json={"action": action, "table": "mentions", "id": mention["mention_id"],
                                            "reviewer": reviewer},
                       headers={"X-CSRF-Token": app.config["CSRF_TOKEN"]})


def test_the_latest_decision_counts_and_the_disagreement_stays_visible(two_reviewers):
    src, out, towns = two_reviewers
    app = create_app(out)
    client = app.test_client()
    tonder, aabenraa, haderslev = towns["Tønder Kommune"], towns["Aabenraa Kommune"], towns["Haderslev Kommune"]
    assert post(client, app, "accept", tonder, "ida").status_code == 200
    assert post(client, app, "reject", tonder, "ole").status_code == 200  # later: this one counts
    post(client, app, "accept", aabenraa, "ida")
    post(client, app, "accept", haderslev, "ida")
    post(client, app, "accept", haderslev, "ole")

    queue = client.get("/queue?state=disagreements").get_data(as_text=True)
    assert tonder["mention_id"] in queue and aabenraa["mention_id"] not in queue
    assert "reviewers disagree" in queue and "ida" in queue and "ole" in queue  # the history names both

    second = client.get("/queue?state=second&reviewer=ole").get_data(as_text=True)
    assert aabenraa["mention_id"] in second and tonder["mention_id"] not in second
    assert aabenraa["mention_id"] not in client.get("/queue?state=second&reviewer=ida").get_data(as_text=True)

    front = client.get("/").get_data(as_text=True)
    assert "1 record two reviewers decided differently" in front
    # two shared records, one agreed; categories ida (accept, accept) vs ole (reject, accept): kappa 0
    assert '<td class="num kappa">0.00</td>' in front

    run(src, out)  # the dataset carries the latest decision
    rows = {m["mention_id"]: m for m in read_jsonl(out / "mentions.jsonl")}
    assert tonder["mention_id"] not in rows or rows[tonder["mention_id"]]["review_state"] == "rejected"
    assert any(r["id"] == tonder["mention_id"] and r["reviewer"] == "ole" for r in read_jsonl(out / "rejected.jsonl"))


def test_a_disagreement_ends_when_the_reviewers_latest_verdicts_agree(two_reviewers):
    _, out, towns = two_reviewers
    sonderborg = towns["Sønderborg Kommune"]
    for decision in (Decision("accept", "mentions", sonderborg["mention_id"], "ida"),
                     Decision("reject", "mentions", sonderborg["mention_id"], "ole")):
        review_log.append(out, decision)
    client = create_app(out).test_client()
    assert sonderborg["mention_id"] in client.get("/queue?state=disagreements").get_data(as_text=True)
    review_log.append(out, Decision("accept", "mentions", sonderborg["mention_id"], "ole"))
    assert sonderborg["mention_id"] not in client.get("/queue?state=disagreements").get_data(as_text=True)
