"""Write the sample committee-minutes PDFs in sources/ (the real corpus has no PDFs).

    python scripts/make_sample_pdfs.py [out_dir]

Lines are placed one by one, so the line breaks (and the word hyphenated across one) are exactly
where the text below puts them. Output is byte-for-byte reproducible: fixed creation date, no
random document id. Tests import `write_minutes_pdf` to build their own PDFs.
Helvetica is a core PDF font limited to Latin-1: æøå work, en dashes and curly quotes do not.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from fpdf import FPDF

FIXED_DATE = dt.datetime(2018, 3, 15, 9, 0, 0, tzinfo=dt.timezone.utc)
LINE_HEIGHT = 6


def write_minutes_pdf(path: Path | str, pages: list[list[str]], header: str = "",
                      footer_template: str = "", title: str = "Referat") -> Path:
    """One PDF page per item of `pages`, each a list of lines ("" = blank line).

    `header` is printed at the top of every page; `footer_template` at the bottom, with
    {page} and {pages} filled in (e.g. "Side {page} af {pages}"). Lines starting with "## "
    are set in bold without the marker.
    """
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_producer("frikommune sample generator")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    for number, lines in enumerate(pages, 1):
        pdf.add_page()
        if header:
            pdf.set_font("Helvetica", size=8)
            pdf.set_xy(20, 10)
            pdf.cell(0, 5, header)
        pdf.set_xy(20, 25)
        for line in lines:
            bold = line.startswith("## ")
            pdf.set_font("Helvetica", style="B" if bold else "", size=11)
            pdf.cell(0, LINE_HEIGHT, line[3:] if bold else line, new_x="LMARGIN", new_y="NEXT")
        if footer_template:
            pdf.set_font("Helvetica", size=8)
            pdf.set_xy(20, 282)
            pdf.cell(0, 5, footer_template.format(page=number, pages=len(pages)), align="C")
    path = Path(path)
    pdf.output(str(path))
    return path


VEJLE_PAGES = [
    [
        "## Referat - Økonomiudvalget, Vejle Kommune",
        "",
        "Mødedato: 14. marts 2018",
        "Mødested: Mødelokale 1, Rådhuset",
        "Fraværende: Hans Jensen",
        "",
        "## Punkt 4. Status på frikommuneforsøget Bedre velfærd gennem frisættelse",
        "Sagsnr.: 17/12345",
        "",
        "Sagsfremstilling",
        "Vejle Kommune indgår sammen med Fredericia, Kolding og Middelfart i frikommune-",
        "netværket Bedre velfærd gennem frisættelse. Netværket har i anden ansøgningsrunde",
        "sendt seks forsøgsansøgninger til Social- og Indenrigs-",
        "ministeriet. Ministeriet har den 2. februar 2018 meddelt, at tre forsøg",
        "imødekommes, to imødekommes delvist, og at et forsøg får afslag.",
        "",
        "Forsøget om fleksibel visitation til rehabilitering gennemføres sammen med Høje-",
        "Taastrup Kommune, der har erfaring fra et tilsvarende forsøg i perioden 2012-2015.",
        "",
        "Indstilling",
        "Direktionen indstiller, at orienteringen tages til efterretning.",
    ],
    [
        "Beslutning",
        "Taget til efterretning.",
        "",
        "## Punkt 5. Ansøgning om forlængelse af beskæftigelsesforsøg",
        "Sagsnr.: 17/12388",
        "",
        "Sagsfremstilling",
        "Forsøget med mindre dokumentation i jobcentret udløber 31. december 2019.",
        "Netværket ønsker at søge om forlængelse, så erfaringerne kan indgå i den",
        "afsluttende evaluering, som Social- og Indenrigsministeriet gennemfører.",
        "Ansøgningsfristen er 1. maj 2018.",
        "",
        "Indstilling",
        "Direktionen indstiller, at Vejle Kommune ansøger om forlængelse af forsøget.",
        "",
        "Beslutning",
        "Godkendt.",
    ],
]

SYDDJURS_PAGES = [
    [
        "## Beslutningsprotokol",
        "## Social- og Sundhedsudvalget, Syddjurs Kommune",
        "",
        "Mødedato: 9. april 2018 kl. 15.00",
        "Afbud: Ingen",
        "",
        "## 95. Status på frikommuneforsøg",
        "2018-004512",
        "",
        "Sagsfremstilling",
        "Syddjurs og Odder kommuner deltager i netværket Frihed i ældreplejen.",
        "Forsøget om fritvalgsordninger i hjemmeplejen afklares fortsat med",
        "ministeriet, mens forsøget om samlede borgerforløb er imødekommet.",
        "Udvalget orienteres om de første erfaringer fra forsøgs-",
        "perioden og om den kommende midtvejsevaluering.",
        "",
        "Indstilling",
        "Direktøren for Social og Sundhed indstiller, at sagen drøftes.",
    ],
    [
        "Beslutning",
        "Drøftet.",
        "",
        "## 96. Ansøgning om nyt forsøg i netværket",
        "2018-004637",
        "",
        "Sagsfremstilling",
        "Netværket ønsker at ansøge om et forsøg med digitale kontrolbesøg, som",
        "administrationen har udarbejdet sammen med Skanderborg og Odder kommuner.",
        "Ansøgningen sendes til Social- og Indenrigsministeriet senest 1. maj 2018.",
        "",
        "Indstilling",
        "Administrationen indstiller, at ansøgningen godkendes.",
        "",
        "Beslutning",
        "Godkendt.",
    ],
]


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [
        write_minutes_pdf(out_dir / "vejle_oekonomiudvalget_2018-03-14.pdf", VEJLE_PAGES,
                          header="Vejle Kommune · Økonomiudvalget · Referat",
                          footer_template="Side {page} af {pages}",
                          title="Referat - Økonomiudvalget, Vejle Kommune"),
        write_minutes_pdf(out_dir / "syddjurs_social_sundhed_2018-04-09.pdf", SYDDJURS_PAGES,
                          header="Syddjurs Kommune - Beslutningsprotokol",
                          footer_template="- {page} -",
                          title="Beslutningsprotokol - Social- og Sundhedsudvalget"),
    ]
    for path in written:
        print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "sources")
