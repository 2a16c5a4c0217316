"""Text damaged before it reached us: mixed encodings in one file, and mojibake (UTF-8 that was
misread as Windows-1252 upstream). Both are repaired, counted in the document's attrs, and the
repaired text is what mentions are found in."""

from __future__ import annotations

import json

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.repair import repair_mojibake
from pipeline.run import run


def misread(text: str, encoding: str = "cp1252") -> str:
    """What an upstream system that read UTF-8 as `encoding` saved."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(encoding))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


MIXED_LINES = [
    ("Referat fra Ældrerådet i Sorø Kommune.\n", "utf-8"),
    ("Næstved Kommune og Vordingborg Kommune deltog også.\n", "cp1252"),
    ("Faxe Kommune – ved formanden – bød velkommen.\n", "utf-8"),
    ("Stevns Kommune og Køge Kommune sendte afbud.\n", "latin-1"),
]


def mixed_bytes() -> bytes:
    return b"".join(line.encode(encoding) for line, encoding in MIXED_LINES)


def municipality_values(out) -> list[str]:
    rows = [json.loads(line) for line in (out / "mentions.jsonl").read_text().splitlines()]
    return sorted(r["value"] for r in rows if r["type"] == "municipality")


def test_a_file_of_utf8_and_latin1_lines_keeps_every_line(tmp_path, rules):
    (tmp_path / "mixed.txt").write_bytes(mixed_bytes())
    doc = read_document(tmp_path / "mixed.txt", tmp_path, rules)
    assert doc.text == "".join(line for line, _ in MIXED_LINES).strip()
    # three runs of non-UTF-8 bytes: ø, æ, ø on the two cp1252/Latin-1 lines
    assert doc.attrs == {"repaired": {"mixed_encoding": 3}}


def test_every_municipality_of_a_mixed_file_is_found(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "mixed.txt").write_bytes(mixed_bytes())
    run(sources, tmp_path / "out")
    # Sorø, Næstved, Vordingborg, Faxe, Stevns, Køge
    assert municipality_values(tmp_path / "out") == sorted(["340", "370", "390", "320", "336", "259"])
    row = json.loads((tmp_path / "out" / "documents.jsonl").read_text())
    assert row["attrs"]["repaired"]["mixed_encoding"] == 3


def test_a_wholly_cp1252_file_is_not_called_repaired(tmp_path, rules):
    (tmp_path / "old.txt").write_bytes("Vejen til Ærøskøbing går over Svendborg.".encode("cp1252"))
    doc = read_document(tmp_path / "old.txt", tmp_path, rules)
    assert doc.text == "Vejen til Ærøskøbing går over Svendborg."
    assert doc.attrs == {}


CLEAN = "Høringssvar fra Ærø og Tønder – „forsøget“ koster 3 € pr. indbygger; æ, ø, å, Å, é, ü."


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_mojibake_is_read_back(encoding):
    assert repair_mojibake(misread(CLEAN, encoding)) == CLEAN


def test_text_misread_twice_is_read_back():
    assert repair_mojibake(misread(misread(CLEAN))) == CLEAN


def test_only_the_damaged_lines_change():
    lines = [CLEAN, misread(CLEAN), CLEAN]
    assert repair_mojibake("\n".join(lines)) == "\n".join([CLEAN] * 3)


@pytest.mark.parametrize("clean", [
    CLEAN,
    "Bækken Gudenå og Tversted Å\u00a0løber ud i havet.",  # a capital letter before a no-break space
    "Ved ØRESUND®, ÆGTE¹ og Ø§3 står en note.",
    "Portugisisk: São Tomé; islandsk: Þórður; tysk: Größe.",
])
def test_clean_text_is_left_alone(clean):
    assert repair_mojibake(clean) == clean


def test_a_mojibake_text_yields_its_mentions(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    text = "Hjørring Kommune og Brønderslev Kommune søgte sammen med Læsø Kommune."
    (sources / "note.txt").write_text(misread(text), encoding="utf-8")
    run(sources, tmp_path / "out")
    assert municipality_values(tmp_path / "out") == ["810", "825", "860"]
    stored = next((tmp_path / "out" / "text").glob("*.txt")).read_text(encoding="utf-8")
    assert stored == text
    row = json.loads((tmp_path / "out" / "documents.jsonl").read_text())
    assert row["attrs"] == {"repaired": {"mojibake": 5}}  # ø, ø, ø, æ, ø


def test_html_declared_utf8_with_a_latin1_paragraph_and_a_mojibake_title(tmp_path, rules):
    html = ("<html><head><meta charset='utf-8'><title>" + misread("Møde i Ærø Byråd") + "</title></head>"
            "<body><main><h1>Dagsorden</h1><p>Første punkt: Ærø Kommune.</p>").encode("utf-8")
    html += "<p>Andet punkt: Fanø Kommune.</p></main></body></html>".encode("latin-1")
    (tmp_path / "page.html").write_bytes(html)
    doc = read_document(tmp_path / "page.html", tmp_path, rules)
    assert "Andet punkt: Fanø Kommune." in doc.text and "Første punkt: Ærø Kommune." in doc.text
    assert doc.title == "Møde i Ærø Byråd"
    assert doc.attrs["repaired"] == {"mixed_encoding": 1, "mojibake": 4}  # ø; ø, Æ, ø, å
