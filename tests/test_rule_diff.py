"""`frikommune diff --rules`: a rule edit's effect on the whole dataset, before it is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_helpers import one_file_run, rules_with_status_label
from pipeline.cli import main
from pipeline.review import log as review_log
from pipeline.review.app import create_app
from pipeline.review.log import Decision
from pipeline.run import run

ROOT = Path(__file__).resolve().parent.parent
NEW_LABEL = "fik fuld opbakning"
LETTER = ("Brev om forsøg\n\nKære Fanø Kommune\n\nMinisteriet har behandlet jeres ansøgninger:\n\n"
          f"- Fælles visitation af hjælpemidler: {NEW_LABEL}\n- Digital opfølgning på sygedagpenge: afslag\n"
          "- Samlet plan for ledige: godkendt\n\nMødet i Esbjerg Kommune den 3. maj 2019.\n")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def edited_rules(tmp_path: Path) -> Path:
    """A copy of the rules where NEW_LABEL approves and "afslag" no longer rejects."""
    return rules_with_status_label(tmp_path / "new_rules", NEW_LABEL, drop=("afslag",))[0]


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of the published dataset, by name (what the diff must leave alone)."""
    current = (out / "current").resolve()
    return {p.relative_to(current).as_posix(): p.read_bytes() for p in sorted(current.rglob("*")) if p.is_file()}


@pytest.fixture
def dataset(tmp_path):
    return one_file_run(tmp_path, "brev.txt", LETTER)


def test_the_diff_reports_what_the_edit_adds_updates_removes_and_orphans(dataset, tmp_path, capsys):
    src, out = dataset
    rejected = next(m for m in read_jsonl(out / "mentions.jsonl") if m["text"] == "afslag")
    review_log.append(out, Decision("accept", "mentions", rejected["mention_id"], "ida",
                                    anchor={"doc_id": rejected["doc_id"], "text": "afslag"}))
    run(src, out)  # the review applies
    before, version = snapshot(out), (out / "current").resolve().name

    assert main(["diff", "--rules", str(edited_rules(tmp_path)), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    lines = read_jsonl(out / "diff.jsonl")
    added = [l for l in lines if l["kind"] == "mention" and l["change"] == "added"]
    assert [(l["type"], l["text"], l["value"]) for l in added] == [("experiment_status", NEW_LABEL, "approved")]
    assert LETTER[added[0]["start"]:added[0]["end"]] == NEW_LABEL
    removed = [l for l in lines if l["kind"] == "mention" and l["change"] == "removed"]
    assert [(l["text"], l["value"]) for l in removed] == [("afslag", "rejected")]
    experiments = {l.get("title"): l for l in lines if l.get("table") == "experiments"}
    assert experiments["Fælles visitation af hjælpemidler"]["change"] == "added"
    orphans = [l for l in lines if l["kind"] == "review"]
    assert [(o["action"], o["reviewer"], o["target"]) for o in orphans] == [("accept", "ida", rejected["mention_id"])]
    assert "mention added" in printed and "review  orphaned" in printed and "diff:" in printed

    # nothing of the dataset moved, no scratch folder is left, the next run is the same as before
    assert snapshot(out) == before and (out / "current").resolve().name == version
    assert not list(out.glob(".diff-*"))
    summary = run(src, out)
    assert summary.reused == 1 and summary.extracted == 0


def test_the_same_rules_change_nothing(dataset, capsys):
    _, out = dataset
    assert main(["diff", "--rules", str(ROOT / "rules"), "--out", str(out)]) == 0
    assert (out / "diff.jsonl").read_text(encoding="utf-8") == ""
    assert "diff:      no change" in capsys.readouterr().out


def test_without_kept_originals_the_sources_folder_is_needed(tmp_path, capsys):
    src, out = one_file_run(tmp_path, "brev.txt", LETTER, originals=False)
    rules = edited_rules(tmp_path)
    assert main(["diff", "--rules", str(rules), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "--sources" in error and "brev.txt" in error
    assert main(["diff", "--rules", str(rules), "--out", str(out), "--sources", str(src)]) == 0


def test_a_folder_without_a_dataset_is_a_one_line_error(tmp_path, capsys):
    assert main(["diff", "--rules", str(ROOT / "rules"), "--out", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_the_workbench_lists_the_diff_as_a_queue(dataset, tmp_path):
    _, out = dataset
    main(["diff", "--rules", str(edited_rules(tmp_path)), "--out", str(out)])
    client = create_app(out).test_client()
    page = client.get("/diff").get_data(as_text=True)
    assert f"«{NEW_LABEL}»" in page and "added" in page and "removed" in page
    assert client.get("/diff?change=removed").get_data(as_text=True).count('class="card diff-card') == \
        sum(1 for l in read_jsonl(out / "diff.jsonl") if l["change"] == "removed")
    assert "a rule edit would make" in client.get("/").get_data(as_text=True)
