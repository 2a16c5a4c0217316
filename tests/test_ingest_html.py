"""HTML ingest: main content only, readable tables and lists, charset, title, published_hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import IngestError, read_document

SOURCES = Path(__file__).resolve().parent.parent / "sources"

NEWS_PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8">
<title>Middelfart tester ny visitation | Middelfart Kommune</title>
<script>var tracker = "SCRIPTTEKST";</script>
<style>.x { color: red } /* STILTEKST */</style>
</head>
<body>
<div class="cookie-notice"><p>Vi gemmer COOKIETEKST på din computer.</p></div>
<header class="site-header"><a href="/">HEADERLOGO</a>
  <nav><ul><li><a href="/borger">NAVBORGER</a></li><li><a href="/erhverv">NAVERHVERV</a></li></ul></nav>
  <form role="search"><input name="q"><button>SØGEKNAP</button></form>
</header>
<div id="megaMenu"><a href="/x">MENUPUNKT</a></div>
<main class="page-with-sidebar">
  <ul class="breadcrumb-list"><li>KRUMMEFORSIDE</li><li>KRUMMENYHEDER</li></ul>
  <article class="article-body">
    <h1>Middelfart tester ny visitation</h1>
    <p>Middelfart Kommune afprøver som frikommune en <strong>hurtigere</strong> <a href="/v">visitation</a> til genoptræning.</p>
    <div class="share-buttons"><a>DELFACEBOOK</a> <a>DELLINKEDIN</a></div>
    <p>Forsøget er en del af netværket Sammen om borgeren og løber til 2020.</p>
    <div class="advert"><span>Annonce</span><p>ANNONCETEKST om billige biler</p></div>
    <section><h2>Mest læste</h2><ol><li>MESTLÆSTE1 om vejarbejde</li><li>MESTLÆSTE2 om festival</li></ol></section>
    <p>Borgerne skal ikke længere vente på et skriftligt svar.</p>
    <h2>Læs også</h2>
    <ul><li><a href="/a">RELATERET1 om budget</a></li><li><a href="/b">RELATERET2 om skoler</a></li></ul>
    <h2>Sådan gør du</h2>
    <p>Kontakt visitationen, hvis du har spørgsmål.</p>
  </article>
  <aside class="related-articles"><h3>Andet</h3><p>SIDEBOKSTEKST</p></aside>
</main>
<footer><p>FODTEKST Middelfart Kommune, Nytorv 9</p></footer>
<noscript>NOSCRIPTTEKST</noscript>
<iframe src="x">IFRAMETEKST</iframe>
</body></html>
"""


def ingest(tmp_path, data, name="page.html", rules=None):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_document(path, tmp_path, rules)


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def lines(doc):
    return doc.text.split("\n")


def test_boilerplate_is_dropped(tmp_path, rules):
    doc = ingest(tmp_path, NEWS_PAGE, rules=rules)
    for absent in ["SCRIPTTEKST", "STILTEKST", "COOKIETEKST", "HEADERLOGO", "NAVBORGER", "SØGEKNAP",
                   "MENUPUNKT", "KRUMME", "DELFACEBOOK", "ANNONCETEKST", "Annonce", "MESTLÆSTE",
                   "Mest læste", "RELATERET", "Læs også", "SIDEBOKSTEKST", "FODTEKST", "NOSCRIPTTEKST",
                   "IFRAMETEKST"]:
        assert absent not in doc.text, absent
    assert "Middelfart tester ny visitation" in lines(doc)
    assert ("Middelfart Kommune afprøver som frikommune en hurtigere visitation til genoptræning."
            in lines(doc))
    assert "Forsøget er en del af netværket Sammen om borgeren og løber til 2020." in lines(doc)
    assert "Borgerne skal ikke længere vente på et skriftligt svar." in lines(doc)
    # the section after a dropped "Læs også" list is content again
    assert "Sådan gør du" in lines(doc)
    assert "Kontakt visitationen, hvis du har spørgsmål." in lines(doc)


def test_boilerplate_labels_reach_the_classifier(tmp_path, rules):
    doc = ingest(tmp_path, NEWS_PAGE, rules=rules)
    assert doc.kind == "news_article"  # from the removed "Mest læste"/"Annonce"/"Læs også" boxes


def test_article_body_class_is_not_a_menu(tmp_path, rules):
    html = page('<div class="menu"><p>MENUTEKST</p></div>'
                '<article class="article-body main-content"><p>Fredericia deltager i forsøget.</p></article>')
    doc = ingest(tmp_path, html, rules=rules)
    assert doc.text == "Fredericia deltager i forsøget."


def test_main_container_is_never_dropped(tmp_path, rules):
    # "navigation" and "footer" in the container's own classes must not empty the page
    html = page('<main class="navigation-layout with-footer"><p>Odder og Syddjurs samarbejder.</p></main>')
    assert ingest(tmp_path, html, rules=rules).text == "Odder og Syddjurs samarbejder."


def test_element_holding_the_headline_is_kept(tmp_path, rules):
    html = page('<div class="banner-wrapper"><h1>Haderslev bliver frikommune</h1>'
                '<p>Byrådet har sagt ja.</p></div><div class="banner"><p>BANNERTEKST</p></div>')
    doc = ingest(tmp_path, html, rules=rules)
    assert doc.text == "Haderslev bliver frikommune\n\nByrådet har sagt ja."


def test_aspnet_form_wrapper_keeps_content(tmp_path, rules):
    html = page('<form id="aspnetForm"><div id="topmenu">MENU</div><h1>Viborg</h1>'
                '<p>Viborg Kommune søger om nye forsøg.</p><form class="search"><input></form></form>')
    doc = ingest(tmp_path, html, rules=rules)
    assert doc.text == "Viborg\n\nViborg Kommune søger om nye forsøg."


def test_table_rows_are_lines_with_pipes(tmp_path, rules):
    html = page("<h1>Afgørelser</h1><table><thead><tr><th>Netværk</th><th>Forsøg</th><th>Afgørelse</th></tr></thead>"
                "<tbody><tr><td>Frihed i ældreplejen</td><td><p>Digitale <b>kontrolbesøg</b></p></td>"
                "<td>Imødekommes delvist</td></tr>"
                "<tr><td>Grøn omstilling</td><td>Lokale vandløbsregler</td><td>Afslag</td></tr></tbody></table>"
                "<p>Efter tabellen.</p>")
    doc = ingest(tmp_path, html, rules=rules)
    assert doc.text == (
        "Afgørelser\n\n"
        "Netværk | Forsøg | Afgørelse\n"
        "Frihed i ældreplejen | Digitale kontrolbesøg | Imødekommes delvist\n"
        "Grøn omstilling | Lokale vandløbsregler | Afslag\n\n"
        "Efter tabellen."
    )


def test_lists_definitions_quotes_and_inline(tmp_path, rules):
    html = page("<h2>Kommuner</h2><ul><li>Vejle</li><li>Kolding <em>og</em> Fredericia</li></ul>"
                "<dl><dt>Periode</dt><dd>2016-2020</dd></dl>"
                "<blockquote>Vi glæder os, siger borgmesteren.</blockquote>"
                "<p><span>Kø</span><span>benhavn</span> og <a href='#'>Skander</a>borg<br>ny linje</p>")
    doc = ingest(tmp_path, html, rules=rules)
    assert lines(doc) == [
        "Kommuner", "",
        "Vejle", "Kolding og Fredericia", "",
        "Periode", "2016-2020", "",
        "Vi glæder os, siger borgmesteren.", "",
        "København og Skanderborg", "ny linje",
    ]


@pytest.mark.parametrize("declaration", [
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    '<meta charset="windows-1252">',
    '<meta charset="ISO-8859-1">',
    "",  # undeclared: strict UTF-8 fails, cp1252 fallback
])
def test_charset_cp1252(tmp_path, rules, declaration):
    html = page("<p>Ærø, Fåborg og Søllerød – „frikommuner“</p>", declaration)
    doc = ingest(tmp_path, html.encode("cp1252"), rules=rules)
    assert doc.text == "Ærø, Fåborg og Søllerød – „frikommuner“"


def test_charset_declared_utf8_and_bom(tmp_path, rules):
    html = page("<p>Næstved og Køge</p>", '<meta charset="utf-8">')
    assert ingest(tmp_path, html, rules=rules).text == "Næstved og Køge"
    assert ingest(tmp_path, b"\xef\xbb\xbf" + html.encode(), "bom.html", rules=rules).text == "Næstved og Køge"


def test_wrong_declaration_falls_back(tmp_path, rules):
    html = page("<p>Ærø</p>", '<meta charset="utf-8">')  # says UTF-8, is cp1252
    assert ingest(tmp_path, html.encode("cp1252"), rules=rules).text == "Ærø"


BODY = "<p>Odder Kommune er med i forsøget.</p>"


@pytest.mark.parametrize("head,body,expected", [
    ('<meta property="article:published_time" content="2018-03-14T08:15:00+01:00">', BODY, "2018-03-14"),
    ("", '<main><time datetime="2017-06-27">27. juni</time>' + BODY + "</main>", "2017-06-27"),
    ('<meta name="date" content="2016-10-10">', BODY, "2016-10-10"),
    ('<meta name="DC.date" content="2015-02-01T12:00:00Z">', BODY, "2015-02-01"),
    ('<meta name="dcterms.created" content="2019-11-30">', BODY, "2019-11-30"),
    ('<meta name="dcterms.issued" content="2019-12-01">', BODY, "2019-12-01"),
    ("", '<span itemprop="datePublished" content="2018-05-02">2. maj</span>' + BODY, "2018-05-02"),
    ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
     '{"@type": "NewsArticle", "datePublished": "2018-09-28T10:00:00+02:00"}]}</script>', BODY, "2018-09-28"),
    ('<meta name="date" content="i går">', BODY, None),  # unparseable: ignored
    ('<meta name="date" content="2018-02-30">', BODY, None),  # not a real date
    ('<meta property="article:published_time" content="ukendt"><meta name="date" content="2014-04-04">',
     BODY, "2014-04-04"),  # an unparseable value falls through to the next source
    ("", BODY, None),
])
def test_published_hint(tmp_path, rules, head, body, expected):
    doc = ingest(tmp_path, page(body, head), rules=rules)
    assert doc.published_hint == expected
    assert doc.published is None  # the extract stage decides


def test_time_in_boilerplate_is_not_the_published_date(tmp_path, rules):
    body = ('<main><section class="mostread"><time datetime="2020-01-01">x</time></section>'
            '<time datetime="2018-04-09">9. april</time>' + BODY + "</main>")
    assert ingest(tmp_path, page(body), rules=rules).published_hint == "2018-04-09"


@pytest.mark.parametrize("head,body,expected", [
    ('<meta property="og:title" content="Kolding får ja"><title>Andet | Kolding Kommune</title>',
     "<h1>H1</h1>" + BODY, "Kolding får ja"),
    ("<title>Kolding får ja | Kolding Kommune</title>", "<h1>H1</h1>" + BODY, "Kolding får ja"),
    ("<title>Nyheder | Kolding | Kolding Kommune</title>", BODY, "Nyheder | Kolding | Kolding Kommune"),
    ('<title>Her er netværkene - i tre regioner - Kolding Kommune</title>'
     '<meta property="og:site_name" content="Kolding Kommune">', BODY, "Her er netværkene - i tre regioner"),
    ("", "<h1>Kolding  får\nja</h1>" + BODY, "Kolding får ja"),
])
def test_title(tmp_path, rules, head, body, expected):
    assert ingest(tmp_path, page(body, head), rules=rules).title == expected


def test_htm_suffix(tmp_path, rules):
    doc = ingest(tmp_path, page(BODY), "side.htm", rules=rules)
    assert doc.format == "html" and doc.text == "Odder Kommune er med i forsøget."


# ---- the sample pages in sources/


def test_sample_press_release():
    from pipeline.rules import Rules

    doc = read_document(SOURCES / "sim_pressemeddelelse_frikommuneforsoeg_2018-09-28.html", SOURCES, Rules())
    assert doc.kind == "press_release"
    assert doc.title == "Regeringen giver grønt lys til nye frikommuneforsøg i tre netværk"
    assert doc.published_hint == "2018-09-28"
    assert "Netværk | Forsøg | Afgørelse" in lines(doc)
    assert ("Bedre velfærd gennem frisættelse | Mindre dokumentation i jobcentret | Imødekommes delvist"
            in lines(doc))
    for absent in ["Vi bruger cookies", "Arbejdsområder", "Forside", "Holmens Kanal", "LinkedIn", "Gå til indhold"]:
        assert absent not in doc.text


def test_sample_municipal_news():
    from pipeline.rules import Rules

    doc = read_document(SOURCES / "vejle_nyhed_frikommuneforsoeg_2018-03-14.html", SOURCES, Rules())
    assert doc.kind == "news_article"
    assert doc.title == "Vejle får ja til at skrotte dokumentationskrav"
    assert doc.published_hint == "2018-03-14"
    assert "Publiceret 14. marts 2018" in lines(doc)
    for absent in ["cookies", "Job og ledighed", "Del på", "Annonce", "plejefamilie", "Læs også",
                   "Byrådet vedtager", "Skolegade", "Jobcenter Vejle, tlf."]:
        assert absent not in doc.text


def test_sample_cp1252_page():
    from pipeline.rules import Rules

    path = SOURCES / "syddjurs_frikommune_info.html"
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really encoded as declared
    doc = read_document(path, SOURCES, Rules())
    assert doc.kind == "web_page"
    assert doc.published_hint == "2017-11-02"
    assert "netværket „Frihed i ældreplejen“" in doc.text
    assert "Digitale kontrolbesøg | Odder | Imødekommes delvist" in lines(doc)
    for absent in ["Du er her", "Job i kommunen", "Lundbergsvej", "Se også", "Ældrepolitik", "\r"]:
        assert absent not in doc.text


def test_html_without_body_text(tmp_path, rules):
    with pytest.raises(IngestError, match="HTML has no body text"):
        ingest(tmp_path, "<html><head><title>Tom side</title></head></html>", rules=rules)
    with pytest.raises(IngestError, match="HTML has no body text"):
        ingest(tmp_path, page("<script>var x = 1;</script><nav>Menu</nav>"), rules=rules)


def test_paragraphs_inside_list_items_stay_list_lines(tmp_path, rules):
    html = page("<ol><li><p>Første forsøg</p></li><li><p>Andet forsøg</p></li></ol><p>Slut.</p>")
    assert ingest(tmp_path, html, rules=rules).text == "Første forsøg\nAndet forsøg\n\nSlut."


@pytest.mark.parametrize("selector", ['[role="main"]', "[role=main]", "[ROLE='Main' i]", "[role]", "[data-x]",
                                      '[role~="main"]', "main", "article", "div > p", "#x"])
def test_main_selector_shortcut_agrees_with_select(selector):
    """Main-content selectors are answered from the tag index where possible; same result as select()."""
    from bs4 import BeautifulSoup

    from pipeline.ingest.html import _select, _tag_index, _load
    from pipeline.rules import Rules

    html = page('<div role="main" id="x"><p>a</p></div><section ROLE="main"><p>b</p></section>'
                '<main role="main banner"><article data-x="1"><p>c</p></article></main><div role="mainly">d</div>'
                '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:role="main">e</a></svg>')
    soup = BeautifulSoup(html, "lxml")
    index, _ = _tag_index(soup, _load(Rules()))
    assert _select(soup, index, selector) == soup.select(selector)
    assert [id(e) for e in _select(soup, index, selector)] == [id(e) for e in soup.select(selector)]


def test_layout_cells(tmp_path, rules):
    """A cell with a heading, list or table, or with more than one <p>/<div>, is a page region."""
    from bs4 import BeautifulSoup

    from pipeline.ingest.html import _is_layout_cell

    cells = {"<td>tekst <b>fed</b></td>": False, "<td><p>en</p></td>": False, "<td><p>en</p><div>to</div></td>": True,
             "<td><div><div>to</div></div></td>": True, "<td><span><h3>x</h3></span></td>": True,
             "<td><ul><li>x</li></ul></td>": True, "<td><p>en</p><span>to</span></td>": False}
    for cell, layout in cells.items():
        soup = BeautifulSoup(f"<table><tr>{cell}</tr></table>", "lxml")
        assert _is_layout_cell(soup.td) is layout, cell
