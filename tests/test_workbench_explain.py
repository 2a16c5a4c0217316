"""Why this value? The workbench traces a fact's rule id back to its rule file, line and the
entry that matched, and names the component; for records, every span they rest on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.review.app import create_app
from pipeline.review.explain import RuleCatalogue
from pipeline.rules import Rules
from corpus_helpers import one_file_run, rules_with_status_label
from pipeline.run import run

ROOT = Path(__file__).resolve().parent.parent
# A status word no shipped rule knows, added by the test to its own copy of the rules.
NEW_LABEL = "fik fuld opbakning"
LETTER = ("Brev om forsøg\n\nKære Fanø Kommune\n\nMinisteriet har behandlet jeres ansøgninger:\n\n"
          f"- Fælles visitation af hjælpemidler: {NEW_LABEL}\n- Digital opfølgning på sygedagpenge: afslag\n")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def explained(tmp_path, monkeypatch):
    """A run with a copy of the rules whose approval list has one more label, at a line the
    test finds by reading the file itself."""
    rules_dir, id_line, label_line = rules_with_status_label(tmp_path / "rules", NEW_LABEL)
    src, out = one_file_run(tmp_path, "brev.txt", LETTER, rules=Rules(tmp_path / "rules"))
    monkeypatch.setenv("FRIKOMMUNE_RULES", str(rules_dir))
    app = create_app(out)
    app.config["TESTING"] = True
    return app.test_client(), out, id_line, label_line


def test_a_mention_names_its_rule_file_line_component_and_the_entry_that_matched(explained):
    client, out, id_line, label_line = explained
    status = next(m for m in read_jsonl(out / "mentions.jsonl")
                  if m["type"] == "experiment_status" and m["text"] == NEW_LABEL)
    body = client.get(f"/api/explain?key=mentions:{status['mention_id']}").get_json()
    assert body["rule"] == "experiment_status.approved"
    assert (body["file"], body["line"]) == ("experiment_status.yaml", id_line)
    assert body["matched"] == {"line": label_line, "entry": NEW_LABEL, "how": "word"}
    assert body["components"] == ["frikommune_experiments"]
    assert any(NEW_LABEL in line for line in body["lines"])
    assert [line.strip() for line in body["lines"] if "- id:" in line] == ["- id: experiment_status.approved"]
    assert body["stale_rules"] is False


def test_a_municipality_shows_its_gazetteer_row(explained):
    client, out, *_ = explained
    fano = next(m for m in read_jsonl(out / "mentions.jsonl") if m["type"] == "municipality")
    body = client.get(f"/api/explain?key=mentions:{fano['mention_id']}").get_json()
    rows = (ROOT / "rules" / "municipalities.csv").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(rows, 1) if row.startswith("563,"))  # Fanø
    assert fano["value"] == "563"
    assert {"file": "municipalities.csv", "line": line, "row": rows[line - 1]} in body["gazetteer"]
    assert body["components"] == ["frikommune_municipalities"]


def test_a_record_lists_the_component_and_every_span_with_its_rule(explained):
    client, out, id_line, _ = explained
    experiment = next(e for e in read_jsonl(out / "experiments.jsonl") if e["title"].startswith("Fælles visitation"))
    body = client.get(f"/api/explain?key=experiments:{experiment['experiment_id']}").get_json()
    assert body["kind"] == "record" and body["components"] == ["frikommune_experiments"]
    status = next(s for s in body["spans"] if s["text"] == NEW_LABEL)
    assert (status["explained"]["file"], status["explained"]["line"]) == ("experiment_status.yaml", id_line)
    title = next(s for s in body["spans"] if s["label"] == "title")
    assert title["rule"] and title["explained"]["found"] and title["explained"]["file"] == "experiments.yaml"


def test_rules_edited_after_the_run_are_reported_as_stale(explained, monkeypatch):
    client, out, *_ = explained
    rules_dir = Path(client.application.config["OUT"]).parent / "rules"
    with (rules_dir / "counts.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# edited after the run\n")
    app = create_app(out)
    key = next(iter(read_jsonl(out / "mentions.jsonl")))["mention_id"]
    assert app.test_client().get(f"/api/explain?key=mentions:{key}").get_json()["stale_rules"] is True


def test_an_unknown_record_is_404(explained):
    client, *_ = explained
    assert client.get("/api/explain?key=mentions:nope").status_code == 404


def test_every_rule_id_in_the_sample_dataset_is_written_in_the_rules(tmp_path):
    """Provenance that points nowhere is no provenance: each rule id a run records, on any
    mention, record span or role, is found in rules/ (or its family is)."""
    out = tmp_path / "out"
    run(ROOT / "sources", out)
    catalogue = RuleCatalogue(Rules())
    ids = set()
    for table in ("mentions", "networks", "experiments", "decisions"):
        for row in read_jsonl(out / f"{table}.jsonl"):
            ids.add(row.get("rule"))
            ids.add((row.get("attrs") or {}).get("role_rule"))
            stack = [row]
            while stack:
                value = stack.pop()
                if isinstance(value, dict):
                    if isinstance(value.get("rule"), str) and "start" in value:
                        ids.add(value["rule"])
                    stack += value.values()
                elif isinstance(value, list):
                    stack += value
    ids.discard(None)
    assert len(ids) > 30
    assert [rule for rule in sorted(ids) if catalogue.find(rule) is None] == []
