"""The fast PDF reader (pypdfium2's text page) against pdfplumber, the reader it replaced.

On every PDF of the tests and samples the page texts are equal; where they differ the new
reading is better, and each such case is a test here: two columns stay apart, and a ruled
table (read by pdfplumber's table finder, chosen per page by the count of path objects)
comes out as "a | b | c" rows that the extractors read as a table."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline.extract import build_nlp, extract
from pipeline.ingest import read_document
from pipeline.ingest.pdf import read_pdf_pages

fpdf = pytest.importorskip("fpdf")

ROOT = Path(__file__).resolve().parent.parent


def generator():
    spec = importlib.util.spec_from_file_location("make_sample_pdfs", ROOT / "scripts" / "make_sample_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pdfs(tmp_path: Path) -> list[Path]:
    """The samples and a PDF of each shape the other tests build (with their own page texts)."""
    from test_ingest_pdf import PAGE_1, PAGE_2

    gen = generator()
    built = [
        gen.write_minutes_pdf(tmp_path / "two_pages.pdf", [PAGE_1, PAGE_2], header="Kolding Kommune · Referat",
                              footer_template="Side {page} af {pages}"),
        gen.write_minutes_pdf(tmp_path / "numbers.pdf", [["Side 1", "Dagsorden for Byrådet i Odder", "- 1 -"]]),
        gen.write_minutes_pdf(tmp_path / "blank_middle.pdf", [["Forside om frikommuner"], [], ["Bagside"]]),
        gen.write_minutes_pdf(tmp_path / "long.pdf", [
            [f"## Punkt {n}. Forsøg i Skive", "Sagsnr.: 18/220", "", "Beslutning", "Godkendt.",
             "Et ord der deles over linjen: Indenrigs-", "ministeriet skriver."] for n in range(1, 7)],
            header="Skive Kommune - Byrådet", footer_template="{page}"),
    ]
    gen.main(tmp_path / "samples")  # the sample PDFs as scripts/make_sample_pdfs.py writes them
    return sorted(ROOT.joinpath("sources").glob("*.pdf")) + built + sorted((tmp_path / "samples").glob("*.pdf"))


test_pdfs.__test__ = False  # a helper, not a test


def test_the_fast_reader_gives_pdfplumbers_text_on_every_test_and_sample_pdf(tmp_path, rules):
    pdfs = test_pdfs(tmp_path)
    assert len(pdfs) >= 6
    for path in pdfs:
        raw = path.read_bytes()
        assert read_pdf_pages(raw, rules=rules) == read_pdf_pages(raw, reader="pdfplumber"), path.name


def new_pdf():
    pdf = fpdf.FPDF(format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    return pdf


def test_two_columns_are_read_one_after_the_other(tmp_path, rules):
    pdf = new_pdf()
    left = [f"Vestre spalte, afsnit {n}, om Odsherred." for n in range(1, 6)]
    right = [f"Østre spalte, afsnit {n}, om Kalundborg." for n in range(1, 6)]
    for n, a in enumerate(left):
        pdf.set_xy(15, 30 + n * 6)
        pdf.cell(85, 6, a)
    for n, b in enumerate(right):
        pdf.set_xy(110, 30 + n * 6)
        pdf.cell(85, 6, b)
    raw = pdf.output()
    fast = read_pdf_pages(bytes(raw), rules=rules)[0].split("\n")
    assert fast == left + right
    # the reader before put both columns' lines side by side on one line
    assert read_pdf_pages(bytes(raw), reader="pdfplumber")[0].split("\n")[0].endswith("om Kalundborg.")


def ruled_table_pdf() -> bytes:
    pdf = new_pdf()
    pdf.set_xy(15, 20)
    pdf.cell(0, 6, "Afgjorte ansøgninger i netværket")
    rows = [("Ansøgning", "Kommune", "Status"),
            ("Digital tilsynsrapport", "Faxe", "Godkendt"),
            ("Samlet borgerplan", "Stevns", "Afvist")]
    y = 32
    for row in rows:
        x = 15
        for cell in row:
            pdf.set_xy(x, y)
            pdf.cell(60, 8, cell, border=1)
            x += 60
        y += 8
    return bytes(pdf.output())


def test_a_ruled_table_is_read_as_rows_of_cells(rules):
    page = read_pdf_pages(ruled_table_pdf(), rules=rules)[0].split("\n")
    assert page[0] == "Afgjorte ansøgninger i netværket"
    assert page[-3:] == ["Ansøgning | Kommune | Status", "Digital tilsynsrapport | Faxe | Godkendt",
                         "Samlet borgerplan | Stevns | Afvist"]


def test_a_ruled_table_in_a_pdf_gives_one_experiment_per_row_with_its_status(tmp_path, rules):
    (tmp_path / "tabel.pdf").write_bytes(ruled_table_pdf())
    document = read_document(tmp_path / "tabel.pdf", tmp_path, rules)
    records = extract(build_nlp(rules), document).records
    experiments = {r.fields["title"]["value"]: r.fields["status"]["value"] for r in records if r.type == "experiment"}
    assert experiments == {"Digital tilsynsrapport": "approved", "Samlet borgerplan": "rejected"}


def test_a_page_without_ruling_lines_never_loads_pdfplumber(rules, monkeypatch):
    from pipeline.ingest import pdf as pdf_module

    def refuse(*args, **kwargs):
        raise AssertionError("pdfplumber was used for a page without a table")

    monkeypatch.setattr(pdf_module, "_plumber_pages", refuse)
    pdf = new_pdf()
    pdf.set_xy(15, 20)
    pdf.cell(0, 6, "Bare tekst om Holbæk Kommune.")
    assert read_pdf_pages(bytes(pdf.output()), rules=rules) == ["Bare tekst om Holbæk Kommune."]
