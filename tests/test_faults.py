"""Failures that are not the documents' fault never replace a good dataset (issue 9, data loss).
Each case reproduces a fault seen in a probe; the old dataset must come out byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main as cli_main
from pipeline.limits import Limits
from pipeline.rules import Rules
from pipeline.run import RunAborted, run

REPO = Path(__file__).resolve().parent.parent
TABLES = ("documents.jsonl", "mentions.jsonl", "networks.jsonl", "experiments.jsonl")


@pytest.fixture
def published(tmp_path):
    """The sample corpus, run once; a copy of the rules to break."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "sources", src)
    out = tmp_path / "out"
    assert run(src, out).documents == 10
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    return src, out, rules


def snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def test_a_cache_that_cannot_be_used_is_a_miss_not_a_document_error(published, capsys):
    src, out, _rules = published
    shutil.rmtree(out / ".cache")
    (out / ".cache").write_text("not a folder", encoding="utf-8")
    code = cli_main(["run", "--sources", str(src), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0 and "documents: 10" in printed and "warning:   cache unusable" in printed


@pytest.mark.parametrize("breakage", ["unknown component", "undecodable rule file", "bad CSS selector",
                                      "rule list replaced"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_broken_rule_stops_the_run_before_anything_is_published(published, capsys, breakage, jobs):
    src, out, rules = published
    before = snapshot(out)
    if breakage == "unknown component":
        path = rules / "pipeline.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "  - frikommune_no_such_thing\n", encoding="utf-8")
    elif breakage == "undecodable rule file":
        with (rules / "counts.yaml").open("ab") as fh:
            fh.write(b"\n# \xff\xfe broken\n")
    elif breakage == "bad CSS selector":
        path = rules / "html_boilerplate.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("selector: main", "selector: 'main[[['", 1),
                        encoding="utf-8")
    else:
        path = rules / "html_boilerplate.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("main_content:")
        path.write_text(text[:start] + "main_content: main\n" + "tags:" + text[start:].split("\ntags:", 1)[1],
                        encoding="utf-8")
    code = cli_main(["run", "--sources", str(src), "--out", str(out), "--rules", str(rules), "--jobs", jobs,
                     "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "left as it was" in err
    assert snapshot(out) == before
    assert not list(out.glob(".staging-*"))


def test_a_batch_failing_alike_is_systemic_and_publishes_nothing(published, monkeypatch):
    src, out, _rules = published
    before = snapshot(out)
    import pipeline.run as run_module

    def broken(*_a, **_k):
        raise ZeroDivisionError("a bug in an extractor")

    monkeypatch.setattr(run_module, "extract", broken)
    with pytest.raises(RunAborted, match="10 of 10 documents failed"):
        run(src, out, use_cache=False)
    assert snapshot(out) == before


def test_one_failing_document_is_only_that_documents_error(published, monkeypatch):
    src, out, _rules = published
    import pipeline.run as run_module

    real = run_module.extract

    def sometimes(nlp, document, **options):
        if document.source.endswith(".html"):
            raise ZeroDivisionError("a bug on one page")
        return real(nlp, document, **options)

    monkeypatch.setattr(run_module, "extract", sometimes)
    summary = run(src, out, use_cache=False)
    html = [e for e in summary.errors if e["error"].startswith("internal error")]
    assert 0 < len(html) <= 5 and summary.documents == 10 - len(html)


def test_stale_temporary_cache_files_are_cleaned_up(published):
    src, out, _rules = published
    stale = out / ".cache" / "left-by-a-killed-run.tmp"
    stale.write_bytes(b"x" * 1000)
    run(src, out)
    assert not stale.exists()


def test_yaml_errors_name_the_file_line_and_column(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    (rules / "counts.yaml").write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    from pipeline.rules import RulesError

    with pytest.raises(RulesError, match=r"counts.yaml: line \d+, column \d+"):
        Rules(rules).yaml("counts.yaml")


# Each breakage: (rule file, text to find, its replacement, the rule id the error must name).
# The patterns are broken in the middle of the file's text, as an editing slip would.
BROKEN_PATTERNS = [
    ("committee_decisions.yaml", "pattern: 'drøftelse'", "pattern: 'drøftelse(+'", "decision.discussed.discussion"),
    ("municipality_context.yaml", "sentence_opener_pattern: '", "sentence_opener_pattern: '(?P<", "municipality.exclude.name_part"),
    ("experiments.yaml", "sentence_break: '", "sentence_break: '(?<", "experiment.layout.grouped_list"),
    ("counts.yaml", "word_regex: '", "word_regex: '(", "between.word_regex"),
]


@pytest.mark.parametrize("name, find, replace, rule_id", BROKEN_PATTERNS, ids=[b[0] for b in BROKEN_PATTERNS])
def test_a_bad_pattern_is_named_by_file_line_and_rule(published, capsys, name, find, replace, rule_id):
    src, out, rules = published
    path = rules / name
    text = path.read_text(encoding="utf-8")
    assert text.count(find) >= 1, f"{name} no longer holds {find!r}: pick another pattern to break"
    broken = text.replace(find, replace, 1)
    path.write_text(broken, encoding="utf-8")
    line = broken[:broken.index(replace)].count("\n") + 1
    code = cli_main(["run", "--sources", str(src), "--out", str(out), "--rules", str(rules), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"{name}: line {line}: rule {rule_id}" in err and "bad pattern" in err


def test_a_list_of_words_replaced_by_a_string_is_refused_with_its_line(published, capsys):
    src, out, rules = published
    path = rules / "municipality_context.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("sentence_openers: ["))
    lines[index] = lines[index].split(":")[0] + ': ". ! ?"'
    path.write_text("\n".join(lines), encoding="utf-8")
    code = cli_main(["run", "--sources", str(src), "--out", str(out), "--rules", str(rules), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"municipality_context.yaml: line {index + 1}:" in err and "is a string where a list belongs" in err


def test_the_shipped_rules_match_their_shapes():
    """rules/shapes.yaml is what each run checks rule types against: regenerate it with
    scripts/rule_shapes.py when a rule's type changes on purpose."""
    import yaml

    from pipeline.rulecheck import SHAPES_FILE, shapes_of

    assert yaml.safe_load((REPO / "rules" / SHAPES_FILE).read_text(encoding="utf-8")) == shapes_of(Rules(REPO / "rules"))


# ------------------------------------------------------------ publishing is one step; one run at a time

def consistent(out: Path) -> int:
    """The dataset as a reader sees it through OUT's paths: all from one run. Returns its size."""
    import json

    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["documents"] == len(docs)
    for d in docs:
        assert (out / "text" / f"{d['doc_id']}.txt").is_file()
    mentions = {json.loads(line)["doc_id"] for line in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()}
    assert mentions <= {d["doc_id"] for d in docs}
    return len(docs)


@pytest.mark.parametrize("kill_after", [0, 1])  # publishing is two renames: version, then `current`
def test_a_kill_during_publishing_leaves_one_whole_version(published, monkeypatch, kill_after):
    import os as _os

    import pipeline.publish as publish
    from pipeline.review.app import build_view

    src, out, _rules = published
    assert consistent(out) == 10
    (src / "extra.txt").write_text("Tønder Kommune søger om frikommuneforsøg den 2. juni 2021.\n", encoding="utf-8")
    real = _os.replace
    calls = {"n": 0}

    def killed(a, b):
        calls["n"] += 1
        if calls["n"] > kill_after:
            raise KeyboardInterrupt("killed")  # the process dies here: nothing after runs
        return real(a, b)

    monkeypatch.setattr(publish.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        run(src, out)
    monkeypatch.setattr(publish.os, "replace", real)
    assert consistent(out) in (10, 11)  # the old version or the new one, never a mix
    build_view(out)  # the workbench reads it
    assert run(src, out).documents == 11 and consistent(out) == 11
    assert not list(out.glob(".staging-*")) and not list((out / ".versions").glob(".staging-*"))


def test_a_second_run_on_the_same_output_stops_with_a_clear_message(published, capsys):
    from pipeline.publish import OutputLocked, output_lock

    src, out, _rules = published
    before = snapshot(out)
    with output_lock(out):  # a run in progress
        with pytest.raises(OutputLocked, match="another run"):
            run(src, out)
        code = cli_main(["run", "--sources", str(src), "--out", str(out), "--quiet"])
        assert code == 2 and "another run" in capsys.readouterr().err
    assert snapshot(out) == before
    assert run(src, out).documents == 10  # the lock is gone with its holder


def test_leftovers_of_killed_runs_are_removed(published):
    src, out, _rules = published
    for leftover in (out / ".staging-abc", out / ".retired-def", out / ".versions" / ".staging-ghi"):
        leftover.mkdir(parents=True)
        (leftover / "big.jsonl").write_bytes(b"x" * 10_000)
    (out / ".current-999.tmp").symlink_to("nowhere")
    run(src, out)
    assert not list(out.glob(".staging-*")) and not list(out.glob(".retired-*"))
    assert not list((out / ".versions").glob(".staging-*")) and not (out / ".current-999.tmp").is_symlink()
    assert len(list((out / ".versions").iterdir())) <= 2  # the current version and the one before


# ------------------------------------------------------------ input handling

def test_the_file_type_is_checked_before_the_cache(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    text = "Tønder Kommune søger om frikommuneforsøg.\n"
    (src / "z.txt").write_text(text, encoding="utf-8")
    run(src, out)
    (src / "a.xyz").write_text(text, encoding="utf-8")  # the same bytes as a cached document
    for _ in range(2):  # a rerun gives what a clean run gives
        summary = run(src, out)
        assert [e["source"] for e in summary.errors] == ["a.xyz"] and summary.duplicates == 0


def test_symbolic_links_out_of_the_sources_folder_are_refused(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("Fortroligt fra Tønder Kommune.\n", encoding="utf-8")
    (src / "inside.txt").write_text("Aabenraa Kommune søger.\n", encoding="utf-8")
    (src / "p.txt").symlink_to(secret)
    (src / "same.txt").symlink_to(src / "inside.txt")  # a link inside the folder is fine
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "folder").symlink_to(tmp_path)
    summary = run(src, out)
    errors = {e["source"]: e["error"] for e in summary.errors}
    assert set(errors) == {"p.txt", "loop.txt", "folder"}
    assert "outside the sources folder" in errors["p.txt"] and "loop" in errors["loop.txt"]
    assert not any("Fortroligt" in p.read_text(encoding="utf-8") for p in (out / "text").iterdir())
    assert {d["source"] for d in [__import__("json").loads(line) for line in
                                  (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]} == {"inside.txt"}
    assert run(src, out, follow_links=True).documents == 2  # allowed when asked for


@pytest.mark.parametrize("jobs", ["0", "-2", "x"])
def test_jobs_must_be_a_positive_number(tmp_path, capsys, jobs):
    with pytest.raises(SystemExit) as exc:
        cli_main(["run", "--sources", str(tmp_path), "--out", str(tmp_path / "o"), "--jobs", jobs])
    assert exc.value.code == 2 and "--jobs" in capsys.readouterr().err


# ------------------------------------------------------------ stalls

def test_a_runaway_document_becomes_one_error_line_and_the_batch_goes_on(published, monkeypatch):
    import time as _time

    import pipeline.run as run_module

    src, out, _rules = published
    real = run_module.extract

    def slow_on_one(nlp, document, **options):
        if document.source.endswith(".pdf"):
            _time.sleep(5)  # stands for a pathological input
        return real(nlp, document, **options)

    monkeypatch.setattr(run_module, "extract", slow_on_one)
    summary = run(src, out, use_cache=False, limits=Limits(document_seconds=0.5))
    slow = [e for e in summary.errors if "per-document budget" in e["error"]]
    assert slow and all(e["source"].endswith(".pdf") for e in slow)
    assert summary.documents == 10 - len(slow)


def test_network_prose_without_paragraph_breaks_is_read_in_one_pass(run_extract):
    # thousands of lines and no blank line: the whole text is one paragraph. Each record is
    # still found (and the components no longer compare every record with every sentence).
    names = ["Odder", "Skanderborg", "Horsens", "Hedensted", "Vejle", "Kolding"]
    text = "\n".join(f"Netværket består af {names[i % 6]}, {names[(i + 1) % 6]} og {names[(i + 2) % 6]} kommuner."
                     for i in range(1500))
    _m, records, _d = run_extract(text, records=True)
    assert sum(r.type == "network" for r in records) >= 1000


def test_a_text_over_a_million_characters_is_read_in_sections(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    head = "Referat fra mødet\nDato: 4. marts 2021\n\n"
    filler = ("Udvalget drøftede vedligehold af veje og stier i hele kommunen. " * 12 + "\n\n") * 1600
    tail = "Netværk\n\nNavn: Grøn trafik på øerne\nDeltagere: Læsø, Samsø, Fanø\n"
    text = head + filler + "Ærø Kommune nævnes midt i teksten.\n\n" + filler + tail
    assert len(text) > 1_500_000
    (src / "lang.txt").write_text(text, encoding="utf-8")
    summary = run(src, out)
    assert summary.errors == [] and summary.documents == 1
    import json

    stored = next((out / "text").iterdir()).read_text(encoding="utf-8")
    mentions = [json.loads(line) for line in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(stored[m["start"]:m["end"]] == m["text"] for m in mentions)
    assert {m["value"] for m in mentions if m["type"] == "municipality"} >= {"825", "741", "563", "492"}
    [network] = [json.loads(line) for line in (out / "networks.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(m["kommunekode"] for m in network["members"]) == ["563", "741", "825"]
    for m in network["members"]:
        for s in m["sources"]:
            assert stored[s["start"]:s["end"]] == s["text"]
    [doc] = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert doc["published"] == "2021-03-04"


def test_a_pdf_decompression_bomb_is_refused_before_it_is_parsed(tmp_path):
    import zlib

    MAX_INFLATED_BYTES = Limits().pdf_inflated_bytes

    # a page whose content stream inflates past the limit from a few hundred KB of bytes
    payload = zlib.compress(b" " * (MAX_INFLATED_BYTES + (1 << 20)), 9)
    pdf = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
           b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
           b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
           b"4 0 obj\n<< /Length " + str(len(payload)).encode() + b" /Filter /FlateDecode >>\nstream\n"
           + payload + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    assert len(pdf) < 2_000_000
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "bomb.pdf").write_bytes(pdf)
    (src / "ok.txt").write_text("Tønder Kommune.\n", encoding="utf-8")
    summary = run(src, out)
    [error] = summary.errors
    assert error["source"] == "bomb.pdf" and "decompression bomb" in error["error"]
    assert summary.documents == 1


def test_include_and_exclude_globs_keep_a_mixed_feed_folder_from_failing(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    (src / "referater").mkdir(parents=True)
    (src / "referater" / "a.txt").write_text("Tønder Kommune.\n", encoding="utf-8")
    (src / "b.txt").write_text("Aabenraa Kommune.\n", encoding="utf-8")
    (src / "notat.docx").write_bytes(b"PK\x03\x04 not read here")
    assert run(src, out).exit_code == 1  # the .docx is an unsupported file
    summary = run(src, out, exclude=["*.docx"])
    assert summary.exit_code == 0 and summary.documents == 2
    only = run(src, out, include=["referater/*"])
    assert only.documents == 1 and only.removed_documents == ["b.txt"]
    assert cli_main(["run", "--sources", str(src), "--out", str(out), "--exclude", "*.docx", "--quiet"]) == 0
