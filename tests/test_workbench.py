"""The reviewer's workbench through Flask's test client: pages, safety, and the decisions it logs."""

from __future__ import annotations

import json
import re
import shutil
import socket
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.review import log as review_log
from pipeline.review.apply import added_mention_id, anchor_for, load_documents
from pipeline.review.app import create_app, render_text
from pipeline.review.log import Decision
from pipeline.run import run

ROOT = Path(__file__).resolve().parent.parent
EVIL = ("Farlig side\n\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n\n"
        "Esbjerg Kommune og Varde Kommune søger om frikommuneforsøg med frist 1. april 2019. Tre runder.\n")


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The sample corpus plus a document carrying markup, run once."""
    base = tmp_path_factory.mktemp("wb")
    src = base / "src"
    shutil.copytree(ROOT / "sources", src)
    (src / "zz_farlig.txt").write_text(EVIL, encoding="utf-8")
    run(src, base / "out")
    return base


@pytest.fixture
def corpus(published, tmp_path):
    """A private copy (sources + output) per test, so decisions do not leak between tests."""
    shutil.copytree(published / "src", tmp_path / "src")
    shutil.copytree(published / "out", tmp_path / "out")
    return tmp_path / "src", tmp_path / "out"


@pytest.fixture
def app(corpus):
    app = create_app(corpus[1])
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def token(app) -> dict[str, str]:
    return {"X-CSRF-Token": app.config["CSRF_TOKEN"]}


def post(client, app, url, data, **headers):
    return client.post(url, json={"reviewer": "ida", **data}, headers={**token(app), **headers})


def evil_doc(out: Path) -> dict:
    return next(d for d in read_jsonl(out / "documents.jsonl") if d["source"] == "zz_farlig.txt")


def mention(out: Path, doc_id: str, text: str) -> dict:
    return next(m for m in read_jsonl(out / "mentions.jsonl") if m["doc_id"] == doc_id and m["text"].startswith(text))


def state(client) -> dict:
    return client.get("/api/state").get_json()


# ------------------------------------------------------------------------- pages


def test_front_page_lists_documents_with_counts_and_queues_conflicts_first(client, app, corpus):
    out = corpus[1]
    html = client.get("/").get_data(as_text=True)
    documents = read_jsonl(out / "documents.jsonl")
    for d in documents:
        assert f'data-doc="{d["doc_id"]}"' in html and d["source"] in html
    assert re.findall(r'data-queue="(\w+)"', html) == ["conflicts", "networks", "experiments", "decisions", "mentions"]

    doc = evil_doc(out)
    # The evil document's records: its mentions, plus any record with a source span in it.
    expected = sum(m["doc_id"] == doc["doc_id"] for m in read_jsonl(out / "mentions.jsonl"))
    for table in ("networks", "experiments", "decisions", "conflicts"):
        expected += sum(f'"{doc["doc_id"]}"' in json.dumps(r) for r in read_jsonl(out / f"{table}.jsonl"))

    def counts(page):
        row = re.search(rf'<tr data-doc="{doc["doc_id"]}">(.*?)</tr>', page, re.S).group(1)
        return [int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', row)]

    assert counts(html) == [expected, expected]
    m = mention(out, doc["doc_id"], "Esbjerg")
    assert post(client, app, "/api/decide", {"action": "accept", "table": "mentions", "id": m["mention_id"]}).status_code == 200
    assert counts(client.get("/").get_data(as_text=True)) == [expected, expected - 1]


def test_document_view_highlights_every_mention_with_rule_and_page_breaks(client, corpus):
    out = corpus[1]
    pdf = next(d for d in read_jsonl(out / "documents.jsonl") if d["format"] == "pdf")
    html = client.get(f"/doc/{pdf['doc_id']}").get_data(as_text=True)
    for m in (m for m in read_jsonl(out / "mentions.jsonl") if m["doc_id"] == pdf["doc_id"]):
        assert f'mentions:{m["mention_id"]}' in html
        assert f'rule {m["rule"]}' in html
    assert html.count('class="page-break"') == len(pdf["page_starts"])
    for key in ("<kbd>a</kbd>", "<kbd>x</kbd>", "<kbd>e</kbd>", "<kbd>n</kbd>", "<kbd>u</kbd>", "<kbd>j</kbd>"):
        assert key in html


def test_text_is_split_at_every_span_boundary_so_overlaps_render():
    text = "Aalborg Kommune og Region"
    spans = [{"start": 0, "end": 15, "key": "mentions:a", "cls": "t-municipality", "mention": True,
              "state": "unreviewed", "tip": "municipality"},
             {"start": 8, "end": 18, "key": "networks:n", "cls": "r-networks", "mention": False,
              "state": "unreviewed", "tip": "network"}]
    html = str(render_text(text, spans, [0, 19]))
    pieces = re.findall(r'<span data-s="(\d+)" data-e="(\d+)"(?: class="([^"]*)")?[^>]*>([^<]*)</span>', html)
    assert "".join(p[3] for p in pieces) == text
    by_start = {int(p[0]): p for p in pieces}
    assert "t-municipality" in by_start[0][2] and "r-networks" not in by_start[0][2]
    assert "t-municipality" in by_start[8][2] and "r-networks" in by_start[8][2]  # the overlap: both
    assert "r-networks" in by_start[15][2] and "t-municipality" not in by_start[15][2]
    assert html.count("page-break") == 2


# ------------------------------------------------------------------------- safety


def test_markup_in_a_document_is_shown_as_text(client, corpus):
    doc = evil_doc(corpus[1])
    response = client.get(f"/doc/{doc['doc_id']}")
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/workbench.js" defer>']
    queue = client.get(f"/queue?doc={doc['doc_id']}").get_data(as_text=True)
    assert "<script>alert" not in queue and "<img src=x" not in queue


def test_requests_that_change_state_need_the_csrf_token_and_same_origin(client, app, corpus):
    out = corpus[1]
    m = mention(out, evil_doc(out)["doc_id"], "Esbjerg")
    data = {"action": "accept", "table": "mentions", "id": m["mention_id"], "reviewer": "ida"}
    assert client.post("/api/decide", json=data).status_code == 403
    assert client.post("/api/decide", json=data, headers={"X-CSRF-Token": "guess"}).status_code == 403
    assert client.post("/api/undo", json={"reviewer": "ida"}).status_code == 403
    assert client.post("/api/add", json={"reviewer": "ida"}).status_code == 403
    cross = client.post("/api/decide", json=data, headers={**token(app), "Origin": "http://evil.example"})
    assert cross.status_code == 403
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 403  # DNS rebinding
    assert not review_log.log_path(out).exists()
    ok = client.post("/api/decide", json=data, headers={**token(app), "Origin": "http://localhost"})
    assert ok.status_code == 200 and len(list(review_log.read(out))) == 1


@pytest.mark.parametrize("url", ["/doc/../../etc/passwd", "/doc/..%2F..%2Fetc%2Fpasswd", "/doc/%2e%2e",
                                 "/doc/0000000000000000", "/doc/..", "/queue?doc=../../etc/passwd",
                                 "/static/../app.py", "/static/..%2Fapp.py"])
def test_unknown_or_traversing_paths_give_404(client, url):
    assert client.get(url).status_code == 404


def test_adding_to_a_document_outside_the_dataset_is_refused(client, app):
    r = post(client, app, "/api/add", {"doc_id": "../../etc/passwd", "type": "date", "start": 0, "end": 3})
    assert r.status_code == 404


# ------------------------------------------------------------------------- decisions


def test_accept_and_reject_append_decisions_with_anchors(client, app, corpus):
    out = corpus[1]
    doc = evil_doc(out)
    esbjerg, varde = mention(out, doc["doc_id"], "Esbjerg"), mention(out, doc["doc_id"], "Varde")
    assert post(client, app, "/api/decide", {"action": "accept", "table": "mentions", "id": esbjerg["mention_id"]}).get_json()["ok"]
    assert post(client, app, "/api/decide", {"action": "reject", "table": "mentions", "id": varde["mention_id"],
                                             "reviewer": "ole"}).status_code == 200
    accepted, rejected = review_log.read(out)
    documents = load_documents(out)
    assert (accepted.action, accepted.table, accepted.target, accepted.reviewer) == ("accept", "mentions", esbjerg["mention_id"], "ida")
    assert accepted.anchor == anchor_for("mentions", esbjerg, documents)
    assert accepted.anchor["sha256"] == doc["sha256"] and accepted.anchor["text"] == esbjerg["text"]
    assert accepted.old == esbjerg["value"] and accepted.at
    assert (rejected.action, rejected.reviewer) == ("reject", "ole")

    states = state(client)
    assert states[f"mentions:{esbjerg['mention_id']}"] == {"state": "accepted", "reviewer": "ida", "at": accepted.at}
    assert states[f"mentions:{varde['mention_id']}"]["state"] == "rejected"  # still shown, so it can be undone
    html = client.get(f"/doc/{doc['doc_id']}").get_data(as_text=True)
    assert "accepted by <b>ida</b>" in html and "rejected by <b>ole</b>" in html


def test_corrections_are_validated_against_the_vocabulary(client, app, corpus):
    out = corpus[1]
    experiment = read_jsonl(out / "experiments.jsonl")[0]
    new = "rejected" if experiment["status"] != "rejected" else "approved"
    base = {"action": "correct", "table": "experiments", "id": experiment["experiment_id"]}
    assert post(client, app, "/api/decide", {**base, "fields": {"status": "sort of"}}).status_code == 400
    assert post(client, app, "/api/decide", {**base, "fields": {"decided": "last week"}}).status_code == 400
    assert post(client, app, "/api/decide", {**base, "fields": {"experiment_id": "x"}}).status_code == 400
    assert post(client, app, "/api/decide", {**base, "fields": {"status": experiment["status"]}}).status_code == 400
    assert not review_log.log_path(out).exists()

    assert post(client, app, "/api/decide", {**base, "fields": {"status": new, "decided": "2019-05"}}).status_code == 200
    decisions = list(review_log.read(out))
    assert [(d.field, d.old, d.new) for d in decisions] == [("status", experiment["status"], new),
                                                            ("decided", experiment["decided"], "2019-05")]
    assert decisions[0].anchor == anchor_for("experiments", experiment, load_documents(out))


def test_an_experiment_may_be_marked_withdrawn_or_given_its_programme_but_not_undetermined(client, app, corpus):
    out = corpus[1]
    experiment = read_jsonl(out / "experiments.jsonl")[0]
    base = {"action": "correct", "table": "experiments", "id": experiment["experiment_id"]}
    # undetermined is what the text leaves open; a reviewer decides
    assert post(client, app, "/api/decide", {**base, "fields": {"status": "undetermined"}}).status_code == 400
    assert post(client, app, "/api/decide", {**base, "fields": {"programme": "IV"}}).status_code == 400
    assert post(client, app, "/api/decide", {**base, "fields": {"status": "withdrawn"}}).status_code == 200
    new_programme = "III" if experiment.get("programme") != "III" else "II"
    assert post(client, app, "/api/decide", {**base, "fields": {"programme": new_programme}}).status_code == 200
    assert [(d.field, d.new) for d in review_log.read(out)] == [("status", "withdrawn"), ("programme", new_programme)]
    assert state(client)[f"experiments:{experiment['experiment_id']}"]["state"] == "corrected"

    date = mention(out, evil_doc(out)["doc_id"], "1. april")
    r = post(client, app, "/api/decide", {"action": "correct", "table": "mentions", "id": date["mention_id"],
                                          "fields": {"value": "2019-04-02"}})
    assert r.status_code == 200
    kommune = mention(out, evil_doc(out)["doc_id"], "Varde")
    r = post(client, app, "/api/decide", {"action": "correct", "table": "mentions", "id": kommune["mention_id"],
                                          "fields": {"value": "999"}})
    assert r.status_code == 400 and "kommunekode" in r.get_json()["error"]


def test_undo_takes_back_this_reviewers_last_decision_only(client, app, corpus):
    out = corpus[1]
    doc = evil_doc(out)
    esbjerg, varde = mention(out, doc["doc_id"], "Esbjerg"), mention(out, doc["doc_id"], "Varde")
    post(client, app, "/api/decide", {"action": "reject", "table": "mentions", "id": esbjerg["mention_id"]})
    first = list(review_log.read(out))[-1]
    post(client, app, "/api/decide", {"action": "accept", "table": "mentions", "id": varde["mention_id"], "reviewer": "ole"})

    r = post(client, app, "/api/undo", {})
    assert r.status_code == 200 and r.get_json()["key"] == f"mentions:{esbjerg['mention_id']}"
    undo = list(review_log.read(out))[-1]
    assert (undo.action, undo.undoes, undo.reviewer, undo.target) == ("undo", first.decision_id, "ida", esbjerg["mention_id"])
    states = state(client)
    assert states[f"mentions:{esbjerg['mention_id']}"]["state"] == "unreviewed"
    assert states[f"mentions:{varde['mention_id']}"]["state"] == "accepted"  # ole's decision stands
    assert post(client, app, "/api/undo", {}).status_code == 409  # nothing left for ida
    assert len(list(review_log.read(out))) == 3  # the log only grew


def test_added_mention_is_logged_with_its_span_and_applied_by_the_next_run(client, app, corpus):
    src, out = corpus
    doc = evil_doc(out)
    text = (out / "text" / f"{doc['doc_id']}.txt").read_text(encoding="utf-8")
    start = text.index("Tre runder")
    end = start + len("Tre runder")
    bad = post(client, app, "/api/add", {"doc_id": doc["doc_id"], "type": "count", "value": "3",
                                         "start": start, "end": end, "text": "something else"})
    assert bad.status_code == 409
    assert post(client, app, "/api/add", {"doc_id": doc["doc_id"], "type": "count", "value": "three",
                                          "start": start, "end": end}).status_code == 400
    # A selection with a stray blank is trimmed to the words.
    assert text[start - 1] == " "
    r = post(client, app, "/api/add", {"doc_id": doc["doc_id"], "type": "count", "value": "3",
                                       "start": start - 1, "end": end, "text": text[start - 1:end]})
    assert r.status_code == 200
    [d] = review_log.read(out)
    target = added_mention_id(doc["doc_id"], "count", start, end)
    assert (d.action, d.table, d.target, d.new) == ("add", "mentions", target, 3)
    assert d.mention == {"doc_id": doc["doc_id"], "type": "count", "value": 3, "start": start, "end": end,
                         "text": "Tre runder"}
    assert d.anchor == {"doc_id": doc["doc_id"], "source": doc["source"], "sha256": doc["sha256"], "start": start,
                        "end": end, "text": "Tre runder", "prefix": text[max(0, start - 32):start],
                        "suffix": text[end:end + 32]}
    assert state(client)[f"mentions:{target}"]["state"] == "accepted"
    again = post(client, app, "/api/add", {"doc_id": doc["doc_id"], "type": "count", "value": "3",
                                           "start": start, "end": end})
    assert again.status_code == 409

    run(src, out)
    added = next(m for m in read_jsonl(out / "mentions.jsonl") if m["mention_id"] == target)
    assert added["rule"] == "review.added" and added["value"] == 3 and added["text"] == "Tre runder"


def test_a_conflict_is_resolved_by_choosing_a_side_or_noted(client, app, corpus):
    out = corpus[1]
    conflict = next(c for c in read_jsonl(out / "conflicts.jsonl") if len(c["sides"]) >= 2)
    html = client.get("/queue?table=conflicts").get_data(as_text=True)
    for side in conflict["sides"]:
        for s in side["sources"]:
            assert f'/doc/{s["doc_id"]}?at={s["start"]}#{s["start"]}-{s["end"]}' in html  # each quote links to its span
    base = {"table": "conflicts", "id": conflict["conflict_id"]}
    assert post(client, app, "/api/decide", {**base, "action": "resolve", "side": 7}).status_code == 400
    assert post(client, app, "/api/decide", {**base, "action": "note"}).status_code == 400
    assert post(client, app, "/api/decide", {**base, "action": "resolve", "side": 1, "note": "newer"}).status_code == 200
    assert post(client, app, "/api/decide", {**base, "action": "note", "note": "ask the ministry"}).status_code == 200
    resolve, note = review_log.read(out)
    chosen = conflict["sides"][1]
    assert resolve.action == "resolve" and resolve.new == {"value": chosen["value"], "doc_id": chosen["doc_id"]}
    assert resolve.anchor == anchor_for("conflicts", conflict, load_documents(out))
    assert (note.action, note.note) == ("note", "ask the ministry")
    assert state(client)[f"conflicts:{conflict['conflict_id']}"]["state"] == "accepted"


def test_a_reviewer_name_is_required_unless_the_server_was_given_one(corpus):
    out = corpus[1]
    m = mention(out, evil_doc(out)["doc_id"], "Esbjerg")
    data = {"action": "accept", "table": "mentions", "id": m["mention_id"]}
    app = create_app(out)
    assert app.test_client().post("/api/decide", json=data, headers=token(app)).status_code == 400
    fixed = create_app(out, reviewer="Ida Holm")
    r = fixed.test_client().post("/api/decide", json={**data, "reviewer": "mallory"}, headers=token(fixed))
    assert r.status_code == 200
    assert [d.reviewer for d in review_log.read(out)] == ["Ida Holm"]
    assert 'content="Ida Holm"' in fixed.test_client().get("/").get_data(as_text=True)


def test_decisions_written_by_another_process_show_up(client, corpus):
    out = corpus[1]
    m = mention(out, evil_doc(out)["doc_id"], "Varde")
    assert state(client)[f"mentions:{m['mention_id']}"]["state"] == "unreviewed"
    documents = load_documents(out)
    review_log.append(out, Decision("reject", "mentions", m["mention_id"], "ole",
                                    anchor=anchor_for("mentions", m, documents)))
    assert state(client)[f"mentions:{m['mention_id']}"] == {
        "state": "rejected", "reviewer": "ole", "at": list(review_log.read(out))[0].at}


def test_orphaned_decisions_are_listed_on_the_front_page(client, app, corpus):
    src, out = corpus
    doc = evil_doc(out)
    m = mention(out, doc["doc_id"], "Esbjerg")
    post(client, app, "/api/decide", {"action": "accept", "table": "mentions", "id": m["mention_id"]})
    [d] = review_log.read(out)
    assert 'id="orphans"' not in client.get("/").get_data(as_text=True)
    # the accepted mention is edited out of the document
    (src / "zz_farlig.txt").write_text(EVIL.replace("Esbjerg Kommune og ", ""), encoding="utf-8")
    summary = run(src, out)
    assert [o["decision_id"] for o in summary.orphaned] == [d.decision_id]
    html = client.get("/").get_data(as_text=True)
    assert 'id="orphans"' in html and f'data-decision="{d.decision_id}"' in html and "changed" in html


# ------------------------------------------------------------------------- command line


def test_review_command_serves_on_loopback_and_prints_the_address(corpus):
    import subprocess
    import sys
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "review", "--out", str(corpus[1]), "--port", "0",
                             "--reviewer", "ida"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        line = proc.stdout.readline()
        address = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(address) as response:
            assert response.status == 200 and "Review overview" in response.read().decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(10)


def test_review_on_a_folder_without_a_dataset_exits_2(tmp_path, capsys):
    assert main(["review", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"frikommune: no dataset in {tmp_path}: run `frikommune run` first"


def test_review_on_a_busy_port_gives_one_line(corpus, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["review", "--out", str(corpus[1]), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "address already in use" in err and str(port) in err


# ------------------------------------------------------------------------- hostile requests are 400, not 500

@pytest.mark.parametrize("payload", [
    {"action": "accept", "table": ["mentions"], "id": "x"},
    {"action": "accept", "table": {"a": 1}, "id": "x"},
])
def test_malformed_targets_are_400(client, app, payload):
    assert post(client, app, "/api/decide", payload).status_code == 400


def test_json_nested_thousands_deep_is_400(client, app):
    deep = "[" * 5000 + "]" * 5000
    r = client.post("/api/decide", data=deep, content_type="application/json", headers=token(app))
    assert r.status_code == 400


@pytest.mark.parametrize("query", ["table=mentions&endpoint=x", "table=mentions&_external=1", "_anchor=x"])
def test_unknown_queue_parameters_are_400(client, query):
    assert client.get(f"/queue?{query}").status_code == 400


def test_pagination_links_carry_only_the_filters(client):
    html = client.get("/queue?table=mentions&state=unreviewed").get_data(as_text=True)
    assert "page=2" in html and "_external" not in html


def test_a_foreign_host_gets_no_csrf_token(client, app):
    r = client.get("/", headers={"Host": "evil.example"})
    assert r.status_code == 403 and app.config["CSRF_TOKEN"] not in r.get_data(as_text=True)


@pytest.mark.parametrize("name", ["Ida\u202eadI", "Ole\u0007", "Bo\u2066Berg"])
def test_reviewer_names_with_bidi_overrides_or_controls_are_refused(client, app, corpus, name):
    doc = evil_doc(corpus[1])
    m = mention(corpus[1], doc["doc_id"], "Esbjerg")
    r = post(client, app, "/api/decide", {"action": "accept", "table": "mentions", "id": m["mention_id"],
                                          "reviewer": name})
    assert r.status_code == 400


# ------------------------------------------------------------------------- display

def test_mention_cards_in_a_queue_name_their_file_not_none(client, corpus):
    html = client.get("/queue?table=mentions").get_data(as_text=True)
    assert html.count('class="card ') >= 50
    assert '<span class="muted">None' not in html and ">None<" not in html
    sources = {d["source"] for d in read_jsonl(corpus[1] / "documents.jsonl")}
    named = re.findall(r'<span class="muted">([^<]+?\.(?:txt|html|pdf))', html)
    assert len(named) >= 50 and set(named) <= sources  # each card names the file its span is in


def test_conflict_sides_are_named_by_their_documents_title(client, corpus):
    out = corpus[1]
    titles = {d["doc_id"]: d["title"] or d["source"] for d in read_jsonl(out / "documents.jsonl")}
    conflict = next(c for c in read_jsonl(out / "conflicts.jsonl") if any(s.get("doc_id") for s in c["sides"]))
    html = client.get("/queue?table=conflicts").get_data(as_text=True)
    for side in conflict["sides"]:
        if side.get("doc_id"):
            assert f'title="{side["doc_id"]}">{titles[side["doc_id"]]}</span>' in html.replace("&#39;", "'")
            assert f'<span class="muted">{side["doc_id"]}</span>' not in html


def test_accepted_mentions_are_marked_in_the_text_as_rejected_ones_are(client, app, corpus):
    out = corpus[1]
    doc = evil_doc(out)
    esbjerg, varde = mention(out, doc["doc_id"], "Esbjerg"), mention(out, doc["doc_id"], "Varde")
    post(client, app, "/api/decide", {"action": "accept", "table": "mentions", "id": esbjerg["mention_id"]})
    post(client, app, "/api/decide", {"action": "reject", "table": "mentions", "id": varde["mention_id"]})
    html = client.get(f"/doc/{doc['doc_id']}").get_data(as_text=True)

    def classes_at(start: int) -> str:
        return re.search(rf'data-s="{start}" data-e="\d+" class="([^"]*)"', html).group(1).split()

    assert "is-accepted" in classes_at(esbjerg["start"]) and "is-rejected" not in classes_at(esbjerg["start"])
    assert "is-rejected" in classes_at(varde["start"]) and "is-accepted" not in classes_at(varde["start"])


def test_a_decision_answers_with_the_records_new_state_for_the_page_to_show_at_once(client, app, corpus):
    out = corpus[1]
    doc = evil_doc(out)
    esbjerg = mention(out, doc["doc_id"], "Esbjerg")
    body = post(client, app, "/api/decide", {"action": "reject", "table": "mentions", "id": esbjerg["mention_id"]}).get_json()
    assert (body["key"], body["state"], body["reviewer"]) == (f"mentions:{esbjerg['mention_id']}", "rejected", "ida")
    assert body["at"] == review_log.read(out).__next__().at
    # and what the page shows after its refresh agrees
    assert state(client)[body["key"]]["state"] == "rejected"


def test_a_flag_marks_a_record_for_a_second_look_and_never_reaches_the_dataset(client, app, corpus):
    src, out = corpus
    doc = evil_doc(out)
    varde = mention(out, doc["doc_id"], "Varde")
    key = f"mentions:{varde['mention_id']}"
    assert post(client, app, "/api/decide", {"action": "flag", "table": "mentions", "id": varde["mention_id"]}).status_code == 200
    flagged = client.get("/queue?state=flagged").get_data(as_text=True)
    assert f'data-key="{key}"' in flagged and flagged.count('class="card ') == 1
    assert "1 flagged for a second look" in client.get("/").get_data(as_text=True)
    assert state(client)[key]["state"] == "unreviewed"  # a flag is no verdict
    summary = run(src, out)
    assert summary.reviews["applied"] == 0 and not summary.orphaned
    assert next(m for m in read_jsonl(out / "mentions.jsonl") if m["mention_id"] == varde["mention_id"])["review"] is None
    post(client, app, "/api/decide", {"action": "unflag", "table": "mentions", "id": varde["mention_id"]})
    assert 'class="card ' not in client.get("/queue?state=flagged").get_data(as_text=True)
