"""The original beside the text: runs keep each source file by its hash; the workbench renders a
PDF page with the selected span's box where the test placed the words, and serves an HTML page
sandboxed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.publish.originals import original_path
from pipeline.review.app import create_app
from pipeline.run import run

fpdf = pytest.importorskip("fpdf")

A4 = (210.0, 297.0)  # mm
# (x, y) in mm of each line the test writes on page 1; the municipality stands twice.
PAGE_1 = [((20, 30), "Referat af mødet i Økonomiudvalget"),
          ((20, 60), "Tønder Kommune søger om et frikommuneforsøg."),
          ((20, 90), "Punkt 7. Fælles akutteam"),
          ((110, 200), "Tønder Kommune svarer igen.")]
HOSTILE_HTML = ("<html><head><title>Nyt forsøg i Lemvig</title>"
                "<script>document.title = 'ran'; parent.postMessage('ran', '*')</script>"
                "<link rel=stylesheet href='https://example.invalid/x.css'></head>"
                "<body><h1>Nyt forsøg i Lemvig</h1><p>Lemvig Kommune og Struer Kommune søger sammen."
                "<img src='https://example.invalid/pixel.png'></p></body></html>")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def placed_pdf(path: Path) -> None:
    pdf = fpdf.FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for (x, y), line in PAGE_1:
        pdf.set_xy(x, y)
        pdf.cell(0, 6, line)
    pdf.add_page()
    pdf.set_xy(20, 30)
    pdf.cell(0, 6, "Side to: Esbjerg Kommune deltager også.")
    pdf.output(str(path))


@pytest.fixture
def workbench(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    placed_pdf(src / "referat.pdf")
    (src / "lemvig.html").write_text(HOSTILE_HTML, encoding="utf-8")
    run(src, out)
    app = create_app(out)
    app.config["TESTING"] = True
    return app.test_client(), out


def doc(out: Path, source: str) -> dict:
    return next(d for d in read_jsonl(out / "documents.jsonl") if d["source"] == source)


def mentions(out: Path, doc_id: str, text: str) -> list[dict]:
    return sorted((m for m in read_jsonl(out / "mentions.jsonl") if m["doc_id"] == doc_id and m["text"] == text),
                  key=lambda m: m["start"])


def test_a_run_keeps_each_source_by_its_hash_and_drops_those_that_left(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("Ringsted Kommune søger.\n", encoding="utf-8")
    (src / "b.txt").write_text("Sorø Kommune søger.\n", encoding="utf-8")
    run(src, out)
    a, b = doc(out, "a.txt"), doc(out, "b.txt")
    assert original_path(out, a["sha256"]).read_bytes() == (src / "a.txt").read_bytes()
    (src / "b.txt").unlink()
    run(src, out)  # b left: kept one run longer, for readers of the previous version
    assert original_path(out, b["sha256"]).is_file()
    run(src, out, use_cache=False)
    assert not original_path(out, b["sha256"]).exists() and original_path(out, a["sha256"]).is_file()
    assert not list((out / "originals").rglob("*.tmp"))


def test_no_originals_keeps_none_and_the_workbench_says_why(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_text("Ringsted Kommune søger.\n", encoding="utf-8")
    run(src, out, originals=False)
    assert not (out / "originals").exists()
    client = create_app(out).test_client()
    response = client.get(f"/original/{doc(out, 'a.txt')['doc_id']}")
    assert response.status_code == 404 and b"--no-originals" in response.data


def test_a_pdf_page_is_rendered_as_an_image(workbench):
    client, out = workbench
    d = doc(out, "referat.pdf")
    page = client.get(f"/original/{d['doc_id']}/page/1.png")
    assert page.status_code == 200 and page.mimetype == "image/png" and page.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/original/{d['doc_id']}/page/3.png").status_code == 404


def test_the_span_box_stands_where_the_words_were_placed(workbench):
    client, out = workbench
    d = doc(out, "referat.pdf")
    first, second = mentions(out, d["doc_id"], "Tønder Kommune")
    for mention, (x, y) in ((first, PAGE_1[1][0]), (second, PAGE_1[3][0])):
        body = client.get(f"/api/original?doc={d['doc_id']}&key=mentions:{mention['mention_id']}").get_json()
        assert body["found"] and body["page"] == 1 and len(body["boxes"]) == 1
        x0, y0, x1, y1 = body["boxes"][0]
        text_x = x / A4[0]  # the cell's text starts at x (plus fpdf's cell margin of 1 mm), in its 6 mm line
        assert text_x - 0.005 <= x0 <= text_x + 0.02, (x0, text_x)
        assert y / A4[1] - 0.005 <= y0 < y1 <= (y + 6) / A4[1] + 0.005
        assert x1 > x0 + 0.1  # two words wide


def test_a_span_on_page_two_shows_page_two(workbench):
    client, out = workbench
    d = doc(out, "referat.pdf")
    esbjerg = mentions(out, d["doc_id"], "Esbjerg Kommune")[0]
    assert esbjerg["page"] == 2
    body = client.get(f"/api/original?doc={d['doc_id']}&key=mentions:{esbjerg['mention_id']}").get_json()
    assert body["page"] == 2 and body["image"].endswith("/page/2.png") and body["found"]


def test_an_html_original_is_served_sandboxed(workbench):
    client, out = workbench
    d = doc(out, "lemvig.html")
    body = client.get(f"/api/original?doc={d['doc_id']}").get_json()
    assert body["format"] == "html" and "boxes" not in body
    page = client.get(body["frame"])
    assert page.status_code == 200 and page.data == HOSTILE_HTML.encode()
    policy = page.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "script-src" not in policy
    assert "frame-ancestors 'self'" in policy
    # the workbench's own pages may frame it, and nothing else may frame the workbench
    document_page = client.get(f"/doc/{d['doc_id']}")
    assert "frame-src 'self'" in document_page.headers["Content-Security-Policy"]
    assert document_page.headers["X-Frame-Options"] == "DENY"


def test_an_unknown_document_is_404(workbench):
    client, _ = workbench
    assert client.get("/api/original?doc=0000").status_code == 404
    assert client.get("/original/0000/page/1.png").status_code == 404
