"""The batch run as a data engineer uses it: outputs, provenance, reruns, bad input, exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import publish
from pipeline.cli import main as cli_main
from pipeline.run import run

REPO = Path(__file__).resolve().parent.parent

MINUTES = """Referat af møde i Teknik- og Miljøudvalget
Mødedato: 14. marts 2019

Punkt 7. Ansøgning om frikommuneforsøg

Sagsnr.: 19/2231

Holstebro Kommune ansøger sammen med Struer og Lemvig Kommuner om forsøg.
Fristen er den 1. april 2019.

Beslutning:
Godkendt.
"""

NEWS = """<!doctype html><html lang="da"><head><meta charset="utf-8">
<title>Tre kommuner går sammen</title>
<meta property="article:published_time" content="2019-03-20T08:15:00+01:00"></head>
<body><nav><a href="/">Forside</a> <a href="/politik">Politik</a></nav>
<main><h1>Tre kommuner går sammen</h1>
<p>Svendborg, Faaborg-Midtfyn og Langeland kommuner søger om at blive frikommuner i 2019.</p>
</main><footer>Kontakt redaktionen · Odense C</footer></body></html>
"""


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    (src / "sub" / "news.html").write_text(NEWS, encoding="utf-8")
    return src


def test_outputs_carry_provenance_that_points_at_the_stored_text(corpus, tmp_path):
    out = tmp_path / "out"
    summary = run(corpus, out)
    assert summary.exit_code == 0 and summary.documents == 2

    documents = {d["source"]: d for d in read_jsonl(out / "documents.jsonl")}
    assert set(documents) == {"minutes.txt", "sub/news.html"}
    assert documents["sub/news.html"]["published"] == "2019-03-20"
    assert documents["sub/news.html"]["format"] == "html"

    mentions = read_jsonl(out / "mentions.jsonl")
    assert mentions, "no mentions extracted"
    for m in mentions:
        text = (out / "text" / f"{m['doc_id']}.txt").read_text(encoding="utf-8")
        assert text[m["start"]:m["end"]] == m["text"]
        assert m["rule"] and m["mention_id"]
    codes = {m["value"] for m in mentions if m["type"] == "municipality"}
    assert {"661", "671", "665", "479", "430", "482"} <= codes  # Holstebro Struer Lemvig Svendborg Faaborg-Midtfyn Langeland
    assert "461" not in codes  # "Odense C" sits in the site footer, which ingest drops

    dates = {m["value"]: m for m in mentions if m["type"] == "date"}
    assert dates["2019-04-01"]["role"] == "deadline"
    assert dates["2019-03-14"]["role"] == "meeting"

    munis = {r["kommunekode"]: r for r in read_jsonl(out / "municipalities.jsonl")}
    assert munis["661"]["name"] == "Holstebro" and munis["661"]["region"] == "Region Midtjylland"
    assert munis["479"]["documents"] == [documents["sub/news.html"]["doc_id"]]


def test_sqlite_holds_the_same_tables(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    con = sqlite3.connect(out / "dataset.sqlite")
    for table in ("documents", "mentions", "municipalities", "errors"):
        rows = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert rows == len(read_jsonl(out / f"{table}.jsonl")), table
    schema = json.loads((out / "schema.json").read_text())
    assert "kommunekode" in schema["municipalities"]["properties"]


def test_rerun_is_incremental_and_byte_identical(corpus, tmp_path):
    out = tmp_path / "out"
    first = run(corpus, out)
    before = {name: (out / name).read_bytes() for name in ("documents.jsonl", "mentions.jsonl", "municipalities.jsonl")}
    second = run(corpus, out)
    assert (first.extracted, first.reused) == (2, 0)
    assert (second.extracted, second.reused) == (0, 2)
    assert before == {name: (out / name).read_bytes() for name in before}

    (corpus / "minutes.txt").write_text(MINUTES.replace("Struer", "Skive"), encoding="utf-8")
    third = run(corpus, out)
    assert (third.extracted, third.reused) == (1, 1)
    codes = {m["value"] for m in read_jsonl(out / "mentions.jsonl") if m["type"] == "municipality"}
    assert "779" in codes and "671" not in codes


def test_a_changed_rule_file_re_extracts_everything(corpus, tmp_path):
    import shutil
    from pipeline.rules import Rules

    rules_copy = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules_copy)
    out = tmp_path / "out"
    run(corpus, out, Rules(rules_copy))
    with (rules_copy / "pipeline.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# an edit\n")
    again = run(corpus, out, Rules(rules_copy))
    assert (again.extracted, again.reused) == (2, 0)


def test_bad_inputs_are_reported_one_line_each_and_the_batch_goes_on(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "junk.pdf").write_bytes(bytes(range(256)) * 40)
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    (corpus / "nobody.html").write_text("<html><head><title>x</title></head></html>", encoding="utf-8")
    out = tmp_path / "out"
    summary = run(corpus, out)

    assert summary.exit_code == 1
    assert summary.documents == 2
    errors = {e["source"]: e["error"] for e in read_jsonl(out / "errors.jsonl")}
    assert set(errors) == {"empty.txt", "junk.pdf", "notes.docx", "nobody.html"}
    for message in errors.values():
        assert message and "\n" not in message and "Traceback" not in message


def test_a_crash_while_publishing_leaves_the_previous_dataset_whole(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(corpus, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    (corpus / "minutes.txt").write_text(MINUTES.replace("Lemvig", "Thisted"), encoding="utf-8")
    monkeypatch.setattr(publish, "write_sqlite", explode)
    with pytest.raises(RuntimeError):
        run(corpus, out)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_a_review_log_or_other_foreign_file_in_out_survives_a_run(corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "reviews.jsonl").write_text('{"keep": true}\n', encoding="utf-8")
    run(corpus, out)
    assert (out / "reviews.jsonl").read_text(encoding="utf-8") == '{"keep": true}\n'


def test_cli_exit_codes_and_summary(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main(["run", "--sources", str(corpus), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "documents: 2" in printed and "errors:    0" in printed
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    assert cli_main(["run", "--sources", str(corpus), "--out", str(out)]) == 1
    assert "broken.pdf" in capsys.readouterr().out
    # --quiet: nothing on stdout, the error on stderr
    assert cli_main(["run", "--sources", str(corpus), "--out", str(out), "--quiet"]) == 1
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err.strip().splitlines() == [
        next(line for line in quiet.err.splitlines() if "broken.pdf" in line)]
    assert cli_main(["run", "--sources", str(tmp_path / "missing"), "--out", str(out)]) == 2


@pytest.mark.slow
def test_console_script_works_from_any_directory(corpus, tmp_path):
    script = Path(sys.executable).parent / "frikommune"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    out = tmp_path / "elsewhere-out"
    result = subprocess.run([str(script), "run", "--sources", str(corpus), "--out", str(out)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (out / "mentions.jsonl").exists()
    help_text = subprocess.run([str(script), "run", "--help"], capture_output=True, text=True, cwd="/")
    assert "--sources" in help_text.stdout


def test_worker_processes_give_the_same_dataset_as_one_process(corpus, tmp_path):
    for i in range(6):
        (corpus / f"copy{i}.txt").write_text(MINUTES.replace("Punkt 7.", f"Punkt {i + 10}."), encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    one, two = tmp_path / "one", tmp_path / "two"
    s1 = run(corpus, one, jobs=1)
    s2 = run(corpus, two, jobs=2)
    assert (s1.documents, s1.errors) == (s2.documents, s2.errors) == (8, [{"source": "empty.txt", "error": "empty file"}])
    for name in ("documents.jsonl", "mentions.jsonl", "municipalities.jsonl", "errors.jsonl"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert run(corpus, two, jobs=2).reused == 8  # workers filled the cache


def test_two_mentions_of_one_span_and_type_become_one_row():
    import spacy
    from spacy.language import Language

    from pipeline.extract import extract
    from pipeline.model import Document, Mention

    @Language.component("test_twice")
    def twice(doc):
        for rule in ("first", "second"):
            doc._.mentions.append(Mention("count", 0, 3, "tre", 3, rule))
        return doc

    nlp = spacy.blank("da")
    nlp.add_pipe("test_twice")
    document = Document(doc_id="d", source="d.txt", sha256="0", format="txt", text="tre forsøg")
    mentions = extract(nlp, document).mentions
    assert [(m.type, m.start, m.end, m.rule) for m in mentions] == [("count", 0, 3, "first")]


def test_a_sources_manifest_gives_documents_their_url_publisher_and_retrieval_date(corpus, tmp_path):
    (corpus / "sources.csv").write_text(
        "path,url,publisher,retrieved\n"
        "minutes.txt,https://example.dk/tmu/2019-03-14,Eksempel Kommune,2024-05-01\n"
        "sub/news.html,ftp://example.dk/x,Avisen,2024-05-02\n"
        "missing.txt,https://example.dk/gone,Nogen,1. maj\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run(corpus, out)
    docs = {d["source"]: d for d in read_jsonl(out / "documents.jsonl")}
    assert set(docs) == {"minutes.txt", "sub/news.html"}  # the manifest is no document
    assert (docs["minutes.txt"]["url"], docs["minutes.txt"]["publisher"], docs["minutes.txt"]["retrieved"]) == (
        "https://example.dk/tmu/2019-03-14", "Eksempel Kommune", "2024-05-01")
    assert docs["sub/news.html"]["url"] is None
    assert [e["error"].split(":")[0] for e in summary.errors] == ["row 3", "row 4"]
    assert all(e["source"] == "sources.csv" for e in summary.errors) and summary.exit_code == 1


@pytest.mark.slow
def test_piping_the_summary_into_head_gives_no_traceback(corpus, tmp_path):
    script = Path(sys.executable).parent / "frikommune"
    proc = subprocess.run(f"'{script}' run --sources '{corpus}' --out '{tmp_path / 'out'}' | true",
                          shell=True, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
