"""Publication dates by layout, and the date forms added for the development corpus: weeks,
quarters, half-years, seasons, Danish slash dates, mixed spans, month ranges, relative weeks.

Every document and sentence here is written for the test (other towns, dates and wording than
any real page).
"""

from __future__ import annotations

import pytest


def date_mentions(run_extract, text, published=None):
    mentions, document = run_extract(text, published=published)
    out = [m for m in mentions if m.type == "date"]
    for m in out:
        assert m.text == document.text[m.start:m.end]
    return out, document


def pairs(ms):
    return [(m.text, m.value) for m in ms]


# ------------------------------------------------------------------ publication date: labels

@pytest.mark.parametrize("text, published, rule", [
    # a label with a colon opening its line, at any precision the text gives
    ("Lovforslag om nærdemokrati\n\nFremsat: 14-03-2019\n\nForslaget har tre kapitler.", "2019-03-14",
     "role_published_label"),
    ("Fremsættelse: 02-10-2013\n\nTalen blev holdt i salen.", "2013-10-02", "role_published_label"),
    ("Rapport om pladsanvisning\nUdgivet: Marts 2017\n\nIndhold ...", "2017-03", "role_published_label"),
    ("Pjece\nUdgivet: 2015\n\nOm tilbuddene.", "2015", "role_published_label"),
    # after a separator on a breadcrumb line
    ("Nyheder | Publiceret 12.03.2018\n\nByrådet har vedtaget planen.", "2018-03-12", "role_published_label"),
    # a label ending in a colon in the middle of a line
    ("Om ordningen\n\nTekst om ordningen.\n\nSiden er senest opdateret: 12.12.2019", "2019-12-12",
     "role_updated_colon"),
    ("Pjece om forsøget. Udgivet: 4. april 2016 af styrelsen.", "2016-04-04", "role_published_colon"),
])
def test_labels_give_the_publication_date(run_extract, text, published, rule):
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == published
    assert any(m.attrs["role_rule"] == rule and m.value == published for m in ms), \
        [(m.text, m.attrs["role_rule"]) for m in ms]


def test_an_update_label_at_the_foot_beats_a_date_the_running_text_mentions(run_extract):
    text = ("Frikommune\n\nSkanderborg har søgt om at blive frikommune. Den endelige rapport, som "
            "styrelsen har offentliggjort den 14. august 2016, ligger i boksen til højre.\n\n"
            "Sidst opdateret: 07.09.2016")
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == "2016-09-07"
    prose = next(m for m in ms if m.value == "2016-08-14")
    assert prose.attrs["role_rule"] == "role_published_prose"


def test_a_publication_verb_in_running_text_is_not_the_documents_date(run_extract):
    ms, doc = date_mentions(run_extract, "Ministeriet offentliggjorde den 1. juni 2018 de nye tal for Tønder.")
    assert doc.published is None
    assert pairs(ms) == [("1. juni 2018", "2018-06-01")]


# ------------------------------------------------------------------ label on the line above

@pytest.mark.parametrize("text, published", [
    ("Notat\nTil: Udvalget\nDato\n14. juni 2018\n\nBaggrund ...", "2018-06-14"),
    ("EVALUERING\nDokumenttype\nRapport\nDato\nJuni 2018\n\nIndledning", "2018-06"),
    ("Udgivet:\n3. september 2020\n\nKommunen har fået svar.", "2020-09-03"),
])
def test_a_label_alone_on_its_line_dates_the_line_below(run_extract, text, published):
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == published
    assert ms[0].attrs["role_rule"] == "role_label_above"


def test_a_dato_block_deep_in_an_attachment_is_not_the_documents_date(run_extract):
    lines = "\n".join(f"Punkt {i}: Emne nummer {i}" for i in range(1, 21))
    text = f"Bilagsoversigt\n{lines}\nSagsnr.\n2019 - 1212\nDato\n17-05-2019\nBilag 1 - Baggrund"
    _, doc = date_mentions(run_extract, text)
    assert doc.published is None


def test_minutes_header_mødet_i_over_the_date_line(run_extract):
    text = ("Referat\nfra\nmødet i Social- og Sundhedsudvalget\nden 12. marts 2019 kl. 15:00\n"
            "i mødelokale 2\n\nAfbud: Ingen\n\n1 Godkendelse af dagsorden")
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == "2019-03-12"
    first = ms[0]
    assert (first.value, first.attrs["role"], first.attrs["role_rule"]) == (
        "2019-03-12", "meeting", "role_meeting_header")


def test_a_letters_date_line_after_its_closing(run_extract):
    text = ("Til Folketingets Boligudvalg\n\nHermed fremsendes udkast til bekendtgørelse. "
            "Høringsfristen er den 30. november 2019.\n\nMed venlig hilsen\nAnne Holm\nkontorchef\n03.11.2019")
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == "2019-11-03"
    assert ms[-1].attrs["role_rule"] == "role_letter_closing"
    assert ms[0].attrs["role"] == "deadline"


def test_a_closing_over_a_line_with_more_than_a_date_is_no_date_line(run_extract):
    text = "Brev\n\nTekst.\n\nMed venlig hilsen\nJens Lund\n03.11.2019 er fristen for svar"
    _, doc = date_mentions(run_extract, text)
    assert doc.published is None


# ------------------------------------------------------------------ datelines

@pytest.mark.parametrize("text, published, rule", [
    ("Ny plan for havnen\n\nNyborg - 5. marts 2018 kl. 09:41 Kontakt redaktionen\n\nByrådet vedtog i aftes planen.",
     "2018-03-05", "role_dateline_place"),
    ("Lokalnyt\nHøje-Taastrup – tirsdag den 6. marts 2018\n\nTekst.", "2018-03-06", "role_dateline_place"),
    ("Skive, den 2. oktober 2019\n\nKære borgere\n\nVi skriver om affald.", "2019-10-02", "role_letter_date"),
    ("Kære udvalg\n\nTak for mødet.\n\nThisted, 14. januar 2020", "2020-01-14", "role_letter_date"),
    # a line holding only the date, also after "den"
    ("Status\n\nden 9. maj 2017\n\nNetværket mødes.", "2017-05-09", "role_dateline"),
])
def test_datelines(run_extract, text, published, rule):
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == published
    assert ms[0].attrs["role_rule"] == rule, [(m.text, m.attrs["role_rule"]) for m in ms]


def test_a_place_dash_date_line_far_down_is_no_dateline(run_extract):
    body = "\n\n".join(f"Afsnit {i} om forsøget i Lemvig." for i in range(12))
    text = f"Overskrift\n\n{body}\n\nLemvig - 5. marts 2018 kl. 09:41\n"
    ms, doc = date_mentions(run_extract, text)
    assert doc.published is None
    assert ms[-1].attrs["role"] == "mention"


def test_a_place_comma_date_is_no_letter_date_when_the_line_goes_on(run_extract):
    ms, doc = date_mentions(run_extract, "Emne\n\nOdder, 3. maj 2019 vedtog byrådet budgettet.")
    assert doc.published is None


# ------------------------------------------------------------------ metadata prefix

def test_metadata_prefix_gives_the_month_and_yields_no_mention(run_extract):
    text = " date 2018-05 Byrådet i Ringsted har sagt ja til forsøget. Det skete i april."
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == "2018-05"
    assert pairs(ms) == [("april", "XXXX-04")]
    assert ms[0].attrs["anchored_value"] == "2018-04"


def test_a_dateline_in_the_prefix_month_refines_it(run_extract):
    text = " date 2018-05 Foto: Arkiv\n\nNy skole\n\nRingsted - 07. maj 2018 kl. 12:00\n\nTekst."
    _, doc = date_mentions(run_extract, text)
    assert doc.published == "2018-05-07"


def test_a_dateline_in_another_month_does_not_override_the_prefix(run_extract):
    text = " date 2018-05 Ny skole\n\n30.11.2017\n\nTekst."
    _, doc = date_mentions(run_extract, text)
    assert doc.published == "2018-05"


def test_html_metadata_still_wins(run_extract):
    _, doc = date_mentions(run_extract, "Fremsat: 14-03-2019\n\nTekst.", published="2019-03-20")
    assert doc.published == "2019-03-20"


# ------------------------------------------------------------------ weeks, quarters, halves

@pytest.mark.parametrize("text, span, value, granularity", [
    ("Materialet sendes ud i uge 12.", "uge 12", "XXXX-W12", "week"),
    ("Høringen slutter uge 7 2019.", "uge 7 2019", "2019-W07", "week"),
    ("Kurset ligger i uge 33, 2020 på skolen.", "uge 33, 2020", "2020-W33", "week"),
    ("Tallene for 1. kvartal 2018 er klar.", "1. kvartal 2018", "2018-Q1", "quarter"),
    ("Rapporten kommer i fjerde kvartal.", "fjerde kvartal", "XXXX-Q4", "quarter"),
    ("Regnskabet for 4. kvt. 2017 er godkendt.", "4. kvt. 2017", "2017-Q4", "quarter"),
    ("Forsøget evalueres i 2. halvår 2018.", "2. halvår 2018", "2018-H2", "half"),
    ("Planen gælder første halvår af 2019.", "første halvår af 2019", "2019-H1", "half"),
    ("Det sker i andet halvår.", "andet halvår", "XXXX-H2", "half"),
])
def test_weeks_quarters_halves(run_extract, text, span, value, granularity):
    ms, _ = date_mentions(run_extract, text)
    assert len(ms) == 1, pairs(ms)
    assert (ms[0].text, ms[0].value, ms[0].attrs["granularity"]) == (span, value, granularity)


@pytest.mark.parametrize("text", ["Se uge 54 i planen.", "Det 5. kvartal findes ikke.", "Et 3. halvår er ikke."])
def test_impossible_weeks_quarters_halves(run_extract, text):
    ms, _ = date_mentions(run_extract, text)
    assert ms == [], pairs(ms)


def test_a_year_less_quarter_is_read_against_the_publication_date(run_extract):
    ms, _ = date_mentions(run_extract, "Svaret kommer i 1. kvartal.", published="2018-11-20")
    m = ms[0]
    assert (m.value, m.attrs["anchored_value"], m.attrs["tense"]) == ("XXXX-Q1", "2019-Q1", "future")


# ------------------------------------------------------------------ seasons

def test_a_season_without_a_year_has_no_value_but_an_anchored_reading(run_extract):
    ms, _ = date_mentions(run_extract, "Netværket holdt i foråret et seminar.", published="2019-09-01")
    m = ms[0]
    assert (m.text, m.value, m.attrs["anchored_value"], m.attrs["granularity"]) == (
        "foråret", None, "2019-SP", "season")
    ms, _ = date_mentions(run_extract, "Netværket holder i foråret et seminar.")
    assert (ms[0].value, ms[0].attrs.get("anchored_value")) == (None, None)


# ------------------------------------------------------------------ Danish slash dates

@pytest.mark.parametrize("text, span, value", [
    ("Forsøgene kan forlænges til 1/1 2019 for de ni kommuner.", "1/1 2019", "2019-01-01"),
    ("Svar senest den 30/4 2016 til styrelsen.", "30/4 2016", "2016-04-30"),
    ("Mødet er flyttet til 3/4-2017 på rådhuset.", "3/4-2017", "2017-04-03"),
])
def test_day_slash_month_then_year(run_extract, text, span, value):
    ms, _ = date_mentions(run_extract, text)
    assert pairs(ms) == [(span, value)]


def test_a_case_number_with_the_year_last_is_no_date(run_extract):
    ms, _ = date_mentions(run_extract, "Sagen har nummer 061234-2015 i arkivet.")
    assert ms == []


# ------------------------------------------------------------------ spans

@pytest.mark.parametrize("text, expected", [
    ("Frederikssund er frikommune i perioden 2017 til 2021.", [("2017 til 2021", "2017/2021")]),
    ("Aftalen løb fra 2013 til udgangen af 2016 i Faxe.", [("fra 2013 til udgangen af 2016", "2013/2016")]),
    ("Programmet (2012 - juni 2016) blev evalueret.", [("2012 - juni 2016", "2012/2016"), ("juni 2016", "2016-06")]),
    ("Netværket kan i perioden 2019 til 30. juni 2023 lave forsøg.",
     [("2019 til 30. juni 2023", "2019/2023"), ("30. juni 2023", "2023-06-30")]),
])
def test_spans_with_a_month_or_day_end_give_the_span_and_the_end(run_extract, text, expected):
    ms, _ = date_mentions(run_extract, text)
    assert pairs(ms) == expected
    assert ms[0].attrs["granularity"] == "span"


@pytest.mark.parametrize("text, expected", [
    ("Udmeldingen ventes omkring januar–februar.", [("januar", "XXXX-01"), ("februar", "XXXX-02")]),
    ("Byggeriet sker maj-juni 2019 i Struer.", [("maj", "2019-05"), ("juni 2019", "2019-06")]),
])
def test_month_ranges_give_both_months(run_extract, text, expected):
    ms, _ = date_mentions(run_extract, text)
    assert pairs(ms) == expected


def test_a_month_standing_alone(run_extract):
    ms, _ = date_mentions(run_extract, "Lovforslaget ventes fremsat oktober, ifølge planen.")
    assert pairs(ms) == [("oktober", "XXXX-10")]
    ms, _ = date_mentions(run_extract, "Formanden August Holm og Maj Berg talte.")
    assert ms == []


# ------------------------------------------------------------------ relative weeks

@pytest.mark.parametrize("text, span, anchored", [
    ("Svaret kommer om to uger.", "om to uger", "2017-W08"),
    ("Vi talte med borgmesteren i forrige uge.", "i forrige uge", "2017-W05"),
    ("I næste uge holdes mødet.", "I næste uge", "2017-W07"),
    ("Det skete for tre uger siden.", "for tre uger siden", "2017-W03"),
])
def test_relative_weeks(run_extract, text, span, anchored):
    # 2017-02-08 is a Wednesday in ISO week 6
    ms, _ = date_mentions(run_extract, text, published="2017-02-08")
    m = ms[0]
    assert (m.text, m.value, m.attrs["anchored_value"], m.attrs["granularity"]) == (span, None, anchored, "week")
    ms, _ = date_mentions(run_extract, text)
    assert (ms[0].value, ms[0].attrs.get("anchored_value")) == (None, None)


def test_relative_week_needs_a_day_precise_anchor(run_extract):
    ms, _ = date_mentions(run_extract, "Svaret kommer om to uger.", published="2017-02")
    assert ms[0].value is None and "anchored_value" not in ms[0].attrs


# ------------------------------------------------------------------ more page-date layouts

def test_date_with_spaced_dots_and_a_dashed_time(run_extract):
    text = "Gå til indhold\nSektion\nEmne\n\nOverskrift her\n\n14. 03. 2021 - kl. 09:30\nTekst af Per Lund\n\nBrødtekst."
    ms, doc = date_mentions(run_extract, text)
    assert pairs(ms) == [("14. 03. 2021 - kl. 09:30", "2021-03-14")]
    assert ms[0].attrs["time"] == "09:30"
    assert doc.published == "2021-03-14"


def test_created_by_line_after_the_date(run_extract):
    text = "Tønder søger om frikommunestatus\n\nTønder vil være med.\n\n04. maj 2016 - Oprettet af Lise Holm\n\nByrådet har besluttet."
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == "2016-05-04"
    assert ms[0].attrs["role_rule"] == "role_created_after"


def test_sidst_opdateret_after_page_debris(run_extract):
    text = "Frikommuneforsøg i Struer\n\nTekst om forsøgene i 2017.\n\nikon_pil_op Sidst opdateret 11. marts 2021 af Socialafdelingen"
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == "2021-03-11"


def test_a_year_alone_under_a_report_title(run_extract):
    text = ("Udvalget 2019-20\nBilag 12\nOffentligt\nside_0001.png\nStyrket\nborger-\ninddragelse\n"
            "Evaluering af netværket for borgerinddragelse\n2019\nResumé:\nNetværket har arbejdet i 2017.")
    ms, doc = date_mentions(run_extract, text)
    assert doc.published == "2019"
    assert next(m for m in ms if m.text == "2019").attrs["role_rule"] == "role_year_line"


def test_a_year_line_never_beats_a_day_date(run_extract):
    text = "Rapport\n2019\n\nUdgivet: 3. februar 2020\n\nTekst."
    _, doc = date_mentions(run_extract, text)
    assert doc.published == "2020-02-03"


def test_the_rules_can_put_anchored_readings_into_the_value(tmp_path):
    """settings.inferred_in_value: true gives the HeidelTime-style value instead of XXXX."""
    import shutil

    import spacy
    import yaml

    from pipeline.extract.dates import DateComponent
    from pipeline.model import Document
    from pipeline.rules import Rules

    dst = tmp_path / "rules"
    shutil.copytree(Rules().dir, dst)
    spec = yaml.safe_load((dst / "dates.yaml").read_text(encoding="utf-8"))
    spec["settings"]["inferred_in_value"] = True
    (dst / "dates.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    comp = DateComponent(Rules(dst))
    text = "I november blev netværket udpeget, og i forrige uge kom svaret."
    doc = spacy.blank("da").make_doc(text)
    doc._.mentions = []
    doc._.document = Document(doc_id="t", source="t.txt", sha256="0", format="txt", text=text,
                              published_hint="2017-02-08")
    doc = comp(doc)
    assert [(m.text, m.value) for m in doc._.mentions] == [("november", "2016-11"), ("i forrige uge", "2017-W05")]
