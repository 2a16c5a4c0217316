"""Bad input: every failure is an IngestError with a one-line message that does not name the file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.ingest import IngestError, read_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PDF = ROOT / "sources" / "vejle_oekonomiudvalget_2018-03-14.pdf"


def fails(tmp_path, rules, name: str, data: bytes, **kwargs) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        read_document(path, tmp_path, rules, **kwargs)
    message = str(info.value)
    assert message and "\n" not in message, message
    assert name not in message and str(tmp_path) not in message, message
    assert "Traceback" not in message
    return message


@pytest.mark.parametrize("name", ["tom.txt", "tom.html", "tom.pdf"])
def test_empty_file(tmp_path, rules, name):
    assert fails(tmp_path, rules, name, b"") == "empty file"


@pytest.mark.parametrize("data", [b"   \n\r\n\t  \n", b"\xef\xbb\xbf  \n"])
def test_whitespace_only(tmp_path, rules, data):
    assert fails(tmp_path, rules, "blank.txt", data) == "empty file"
    assert fails(tmp_path, rules, "blank.html", data) == "empty file"


def test_only_debris_is_empty(tmp_path, rules):
    assert fails(tmp_path, rules, "debris.txt", b"%MCEPASTEBIN%\n") == "empty file"


def test_unknown_extension(tmp_path, rules):
    assert fails(tmp_path, rules, "referat.docx", b"PK\x03\x04") == "unsupported file type '.docx'"
    assert "unsupported file type" in fails(tmp_path, rules, "README", b"tekst")


def test_txt_with_nul_bytes(tmp_path, rules):
    assert "binary" in fails(tmp_path, rules, "junk.txt", b"Vejle\x00\x00\x01\x02" * 50)


def test_txt_with_control_characters(tmp_path, rules):
    junk = bytes(range(1, 9)) * 40 + b"lidt tekst"
    assert "binary" in fails(tmp_path, rules, "ctrl.txt", junk)


def test_random_binary_named_txt(tmp_path, rules):
    import random

    rng = random.Random(7)
    assert "binary" in fails(tmp_path, rules, "random.txt", bytes(rng.randrange(256) for _ in range(4000)))
    # without NUL bytes the share of control characters gives it away
    assert "binary" in fails(tmp_path, rules, "nonul.txt", bytes(rng.randrange(1, 256) for _ in range(4000)))


def test_binary_junk_named_pdf(tmp_path, rules):
    message = fails(tmp_path, rules, "junk.pdf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert "not a PDF" in message


def test_pdf_header_followed_by_junk(tmp_path, rules):
    message = fails(tmp_path, rules, "junk.pdf", b"%PDF-1.4\n" + b"\x00garbage\xff" * 100 + b"\n%%EOF\n")
    assert message.startswith("PDF could not be read")


def test_truncated_pdf(tmp_path, rules):
    raw = SAMPLE_PDF.read_bytes()
    assert "truncated" in fails(tmp_path, rules, "half.pdf", raw[: len(raw) // 2])


def test_truncated_pdf_with_end_marker(tmp_path, rules):
    # cut in half and "repaired" with an end marker: pdfminer raises, the file fails whole
    raw = SAMPLE_PDF.read_bytes()
    assert fails(tmp_path, rules, "half.pdf", raw[: len(raw) // 2] + b"\n%%EOF\n").startswith("PDF could not be read")


def _fpdf():
    return pytest.importorskip("fpdf")


def test_encrypted_pdf(tmp_path, rules):
    fpdf = _fpdf()
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Fortroligt referat")
    pdf.set_encryption(owner_password="ejer", user_password="bruger")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    assert "encrypted" in fails(tmp_path, rules, "locked.pdf", path.read_bytes())


def test_pdf_without_text(tmp_path, rules):
    spec = importlib.util.spec_from_file_location("make_sample_pdfs", ROOT / "scripts" / "make_sample_pdfs.py")
    gen = importlib.util.module_from_spec(spec)
    _fpdf()
    spec.loader.exec_module(gen)
    path = gen.write_minutes_pdf(tmp_path / "blank.pdf", [[], []])
    assert "no extractable text" in fails(tmp_path, rules, "blank.pdf", path.read_bytes())


def test_html_without_body(tmp_path, rules):
    assert fails(tmp_path, rules, "head.html", b"<html><head><title>Tom</title></head></html>") == "HTML has no body text"
    assert fails(tmp_path, rules, "script.html",
                 b"<html><body><script>var a = 1;</script><style>p{}</style></body></html>") == "HTML has no body text"


def test_binary_junk_named_html(tmp_path, rules):
    assert "binary" in fails(tmp_path, rules, "junk.html", b"\x00\x01\x02<html>" * 30)


def test_oversize(tmp_path, rules):
    message = fails(tmp_path, rules, "big.txt", b"Vejle og Kolding. " * 100, max_bytes=500)
    assert "500" in message and "limit" in message


def test_missing_file(tmp_path, rules):
    with pytest.raises(IngestError) as info:
        read_document(tmp_path / "findes-ikke.txt", tmp_path, rules)
    assert "cannot read file" in str(info.value) and "findes-ikke" not in str(info.value)


def test_html_nested_absurdly_deep(tmp_path, rules):
    data = b"<html><body>" + b"<div>" * 5000 + b"<p>dybt</p>" + b"</div>" * 5000 + b"</body></html>"
    assert "nested too deeply" in fails(tmp_path, rules, "deep.html", data)
