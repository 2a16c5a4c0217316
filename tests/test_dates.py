"""Date extraction (component frikommune_dates, rules/dates.yaml, date_roles.yaml, tense.yaml).

Every sentence here is written for the test; none is copied from sources/.
"""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import pytest
import spacy
import yaml

from pipeline.extract.dates import DateComponent
from pipeline.rules import Rules

THIS_YEAR = str(dt.date.today().year)


@pytest.fixture
def dates(run_extract):
    """dates(text, published=None) -> (date mentions, document); checks offsets of every mention."""

    def _run(text: str, published: str | None = None, kind: str | None = None):
        mentions, document = run_extract(text, published=published, kind=kind)
        out = [m for m in mentions if m.type == "date"]
        for m in out:
            assert m.text == document.text[m.start:m.end]
            assert m.rule
            assert m.attrs["granularity"] in {"day", "week", "month", "quarter", "half", "season", "year", "span"}
            # a value never holds an inferred part: the anchored reading lives in attrs
            if m.attrs.get("anchored_value") is not None and m.attrs.get("relative") is None \
                    and not m.attrs.get("coordinated"):
                assert m.value is None or m.value.startswith("XXXX"), (m.text, m.value)
            assert isinstance(m.attrs["anchored"], bool)
            assert m.attrs["role"] and m.attrs["role_rule"]
        return out, document

    return _run


def only(mentions):
    assert len(mentions) == 1, [(m.text, m.value) for m in mentions]
    return mentions[0]


# ---------------------------------------------------------------------------------- forms

@pytest.mark.parametrize("text, span, value, granularity", [
    ("Tilsynet kom på besøg 7. marts 2019 om formiddagen.", "7. marts 2019", "2019-03-07", "day"),
    ("Sagen blev oversendt d. 9. oktober 2018 til ministeriet.", "9. oktober 2018", "2018-10-09", "day"),
    ("Borgermødet er onsdag den 5. april 2017 i hallen.", "onsdag den 5. april 2017", "2017-04-05", "day"),
    ("Referat af 08.03.2017 er godkendt.", "08.03.2017", "2017-03-08", "day"),
    ("Behandlet 23.11.18 i udvalget.", "23.11.18", "2018-11-23", "day"),
    ("Oprettet 15-09-2016 af sekretariatet.", "15-09-2016", "2016-09-15", "day"),
    ("Filen er dateret 2018-04-30 i arkivet.", "2018-04-30", "2018-04-30", "day"),
    ("Indkaldelsen blev sendt 4. sept. 2017 til alle.", "4. sept. 2017", "2017-09-04", "day"),
    ("Notatet er fra 3. feb. 2019 og revideret.", "3. feb. 2019", "2019-02-03", "day"),
    ("Rapporten kom juni 2018 med anbefalinger.", "juni 2018", "2018-06", "month"),
    ("Evalueringen er klar i november 2019.", "november 2019", "2019-11", "month"),
    ("Vi har tal fra okt. 2015 og frem.", "okt. 2015", "2015-10", "month"),
    ("Budgettet for 2019 er stramt.", "2019", "2019", "year"),
    ("Tallene i 2014 var lave.", "2014", "2014", "year"),
    ("Ordningen gjaldt 2013-2016 i tre kommuner.", "2013-2016", "2013/2016", "span"),
    ("Puljen dækker 2014–2018 for alle.", "2014–2018", "2014/2018", "span"),
    ("Tilskuddet løb fra 2015 til 2017 i regionen.", "fra 2015 til 2017", "2015/2017", "span"),
    ("Det første forsøg (2010-2013) var mindre.", "2010-2013", "2010/2013", "span"),
    ("Budgetåret 2018/19 blev lukket.", "2018/19", "2018/2019", "span"),
])
def test_forms_with_year(dates, text, span, value, granularity):
    m = only(dates(text)[0])
    assert (m.text, m.value, m.attrs["granularity"]) == (span, value, granularity)
    assert m.attrs["anchored"] is False


def test_clock_time_is_kept_in_attrs(dates):
    m = only(dates("Sidst ændret 03/10/2018 09:05 af redaktionen.")[0])
    assert m.value == "2018-10-03"
    assert m.attrs["time"] == "09:05"
    assert m.text == "03/10/2018 09:05"


def test_weekday_is_checked_against_the_date(dates):
    ok = only(dates("Vi mødes fredag den 7. april 2017 i salen.")[0])
    assert ok.attrs["weekday"] == "fredag" and "weekday_mismatch" not in ok.attrs
    bad = only(dates("Vi mødes torsdag den 7. april 2017 i salen.")[0])
    assert bad.value == "2017-04-07" and bad.attrs["weekday_mismatch"] is True


@pytest.mark.parametrize("text, span, value, part", [
    ("Arbejdet går i gang i starten af oktober 2018.", "starten af oktober 2018", "2018-10", "early"),
    ("Første udkast ventes medio marts 2019.", "medio marts 2019", "2019-03", "mid"),
    ("Høringen slutter ultimo november 2017.", "ultimo november 2017", "2017-11", "late"),
    ("Projektet evalueres i slutningen af februar 2020.", "slutningen af februar 2020", "2020-02", "late"),
])
def test_parts_of_month(dates, text, span, value, part):
    m = only(dates(text)[0])
    assert (m.text, m.value, m.attrs["granularity"], m.attrs["part"]) == (span, value, "month", part)


@pytest.mark.parametrize("text, span, value", [
    ("I foråret 2018 blev ordningen udvidet.", "foråret 2018", "2018-SP"),
    ("Evalueringen kom sommeren 2015.", "sommeren 2015", "2015-SU"),
    ("Vi samles igen i efteråret 2021 på rådhuset.", "efteråret 2021", "2021-FA"),
    ("Planen blev klar i vinteren 2014.", "vinteren 2014", "2014-WI"),
])
def test_season_with_year_keeps_its_granularity(dates, text, span, value):
    m = only(dates(text)[0])
    assert (m.text, m.value, m.attrs["granularity"]) == (span, value, "season")


def test_year_less_forms_without_anchor_stay_unknown(dates):
    ms, doc = dates("Svarene sendes den 14. juni. Tidsplanen ændres i august. "
                    "Netværket samles primo december. Sagen tages op igen i efteråret.")
    assert doc.published is None
    got = [(m.text, m.value, m.attrs["anchored"]) for m in ms]
    assert got == [
        ("14. juni", "XXXX-06-14", False),
        ("august", "XXXX-08", False),
        ("primo december", "XXXX-12", False),
        ("efteråret", None, False),  # a season without a year: never a bare "XXXX"
    ]
    assert [m.attrs["granularity"] for m in ms] == ["day", "month", "month", "season"]


# ---------------------------------------------------------------------------------- traps

@pytest.mark.parametrize("text", [
    "Ring til sekretariatet på tlf. 70 12 34 56.",
    "Kontakt pressetjenesten på +45 70 20 30 40.",
    "Pressechefen træffes på 61 23 45 67.",
    "Journalnummer 2018-004512 vedrører sagen.",
    "Sagsnr.: 18/2231 er afsluttet.",
    "Se j.nr. 2018-5678 for detaljer.",
    "Mødet starter kl. 16.45 præcis.",
    "Dørene åbner 09:30.",
    "Tilbuddet er for unge 16-18 år.",
    "Projektet henvender sig til 18-24-årige.",
    "Beløbet er 2.018 kr. pr. måned.",
    "Der er afsat 3.250.000 kr til formålet.",
    "Rammen er 2018 mio. kr. i alt.",
    "Udgiften er 2019 kroner for hver borger.",
    "Jf. § 141 og § 52 i loven.",
    "Der er 38 netværk og 47 kommuner med.",
    "Brug version 2.4 af skemaet.",
    "Se side 2 af 3.",
    "Resultatet blev 12 og 9 point.",
    "Dato 32.13.2018 er ugyldig.",
    "Dato 31.04.2018 findes ikke.",
    "Dato 29.02.2019 findes ikke.",
])
def test_traps_yield_no_dates(dates, text):
    ms, _ = dates(text)
    assert ms == [], [(m.text, m.value, m.rule) for m in ms]


def test_leap_day_is_valid_in_a_leap_year(dates):
    assert only(dates("Opgjort 29.02.2020.")[0]).value == "2020-02-29"


def test_trap_next_to_a_real_date(dates):
    ms, _ = dates("Kontakt tlf. 33 44 55 66 inden 3. december 2018, sagsnr. 2018-00123.")
    assert [(m.text, m.value) for m in ms] == [("3. december 2018", "2018-12-03")]


# ---------------------------------------------------------------------------------- roles

@pytest.mark.parametrize("text, span, role, role_rule", [
    ("Udgivet 12. august 2018 af kommunen.", "12. august 2018", "published", "role_published_label"),
    ("Publiceret den 2. marts 2019.", "2. marts 2019", "published", "role_published_label"),
    ("Offentliggjort 5. juli 2018 på hjemmesiden.", "5. juli 2018", "published", "role_published_label"),
    ("Senest opdateret 3. januar 2019.", "3. januar 2019", "published", "role_updated_label"),
    ("Rapporten, som styrelsen offentliggjorde den 4. maj 2018, viser fremgang.", "4. maj 2018",
     "published", "role_published_prose"),
    ("Ansøgningsfristen er 15. august 2018.", "15. august 2018", "deadline", "role_deadline"),
    ("Svar skal være modtaget senest den 4. oktober 2018.", "4. oktober 2018", "deadline", "role_deadline"),
    ("Sidste frist for tilmelding til temadagen er onsdag den 10. januar 2018.",
     "onsdag den 10. januar 2018", "deadline", "role_deadline"),
    ("Mødedato: 06.11.2018", "06.11.2018", "meeting", "role_meeting_label"),
    ("Sagen blev drøftet på udvalgets møde den 13.09.2018 uden bemærkninger.",
     "13.09.2018", "meeting", "role_meeting"),
    ("Mødet afholdes 22. januar 2019 i byrådssalen.", "22. januar 2019", "meeting", "role_meeting"),
    ("Reglen træder i kraft 1. januar 2019.", "1. januar 2019", "start", "role_start_phrase"),
    ("Tilbuddet gælder fra 1. april 2019.", "1. april 2019", "start", "role_start_phrase"),
    ("Ordningen kører fra 6. maj 2019.", "6. maj 2019", "start", "role_start_fra"),
    ("Aftalen løber til og med 31. marts 2020.", "31. marts 2020", "end", "role_end"),
    ("Dispensationen udløber 30. september 2021.", "30. september 2021", "end", "role_end"),
    ("Forsøget kører indtil 1. juli 2021.", "1. juli 2021", "end", "role_end"),
    ("Byrådet godkendte 12. juni 2018 forslaget.", "12. juni 2018", "decision", "role_decision"),
    ("Den 3. juli 2018 besluttede økonomiudvalget at gå videre.",
     "3. juli 2018", "decision", "role_decision_after"),
    ("Styrelsen traf afgørelse 9. maj 2018 i sagen.", "9. maj 2018", "decision", "role_decision"),
    ("Midlerne fordeles i perioden 2019-2022.", "2019-2022", "period", "role_period"),
    ("Indsatsen 2019-2022 er finansieret.", "2019-2022", "period", "role_span"),
    ("Kommunen modtog brevet 4. februar 2018.", "4. februar 2018", "mention", "role_default"),
    ("Et brev fra styrelsen den 2. maj 2016 kom frem.", "2. maj 2016", "mention", "role_default"),
])
def test_roles(dates, text, span, role, role_rule):
    m = only(dates(text)[0])
    assert (m.text, m.attrs["role"], m.attrs["role_rule"]) == (span, role, role_rule)


def test_nearest_trigger_wins(dates):
    # "frist" is further away than "møde den"
    m = only(dates("Efter fristen blev sagen taget op på mødet den 8. maj 2019.")[0])
    assert m.attrs["role"] == "meeting"


def test_standalone_date_line_near_top_is_published(dates):
    text = "Nye frikommuner udpeget\n\nNyhed\n\n14.03.2018 10:15\n\nMinisteren har udpeget netværkene.\n"
    ms, doc = dates(text)
    m = only(ms)
    assert (m.value, m.attrs["role"], m.attrs["role_rule"], m.attrs["time"]) == (
        "2018-03-14", "published", "role_dateline", "10:15")
    assert doc.published == "2018-03-14"


def test_standalone_date_line_far_down_is_not_published(dates):
    text = "Titel\n\nLinje to\n\nLinje tre\n\nLinje fire\n\nLinje fem\n\nLinje seks\n\n14.03.2018\n"
    ms, doc = dates(text)
    assert only(ms).attrs["role"] == "mention"
    assert doc.published is None


# ---------------------------------------------------------------------------------- publication date

def test_metadata_hint_wins_over_text(dates):
    ms, doc = dates("Udgivet 1. maj 2017. Svar i juni.", published="2017-05-03")
    assert doc.published == "2017-05-03"
    assert ms[0].attrs["role"] == "published"


def test_a_publication_label_beats_an_update_label(dates):
    ms, doc = dates("Opdateret 11. november 2018.\nUdgivet første gang 1. oktober 2018.")
    assert doc.published == "2018-10-01"
    assert [m.attrs["role"] for m in ms] == ["published", "published"]


def test_year_less_published_mention_is_not_an_anchor(dates):
    ms, doc = dates("Udgivet 1. maj. Sagen behandles i juni.")
    assert doc.published is None
    assert [m.value for m in ms] == ["XXXX-05-01", "XXXX-06"]


def test_no_date_no_published(dates):
    ms, doc = dates("Ingen datoer her, kun 12 kommuner og 3 netværk.")
    assert ms == [] and doc.published is None


# ---------------------------------------------------------------------------------- anchoring

@pytest.mark.parametrize("published, text, value, tense", [
    # past tense, month after the anchor's month -> previous year
    ("2018-01-10", "I december blev tilskuddet udbetalt til kommunerne.", "2017-12", "past"),
    # future tense, month before the anchor's month -> next year
    ("2018-11-20", "Netværket skal i februar aflevere en statusrapport.", "2019-02", "future"),
    # past tense, month before the anchor's month -> same year
    ("2019-06-15", "I marts vedtog byrådet planen.", "2019-03", "past"),
    # future tense, month after the anchor's -> same year
    ("2019-06-15", "Ministeren vil i september præsentere resultaterne.", "2019-09", "future"),
    # past tense via the -ede suffix
    ("2019-02-01", "Styrelsen afviste og kommenterede i november ansøgningen.", "2018-11", "past"),
    # day granularity, across the year boundary
    ("2018-01-10", "Ansøgningerne blev behandlet den 14. december.", "2017-12-14", "past"),
    ("2018-11-20", "Den nye ordning vil gælde fra 3. januar.", "2019-01-03", "future"),
    # no tense marker, preposition "til" reads as future
    ("2019-10-01", "Vi glæder os til februar.", "2020-02", "future"),
])
def test_year_less_dates_use_anchor_and_tense(dates, published, text, value, tense):
    m = only(dates(text, published=published)[0])
    assert m.attrs["anchored_value"] == value
    assert m.value == "XXXX" + value[4:]  # the value keeps what the text states
    assert m.attrs["anchored"] is True
    assert m.attrs["tense"] == tense


def test_present_tense_takes_anchor_year(dates):
    m = only(dates("Rapporten i september er vigtig for os.", published="2019-06-15")[0])
    assert m.attrs["anchored_value"] == "2019-09" and m.value == "XXXX-09"
    assert m.attrs["anchored"] is True and "tense" not in m.attrs


def test_anchor_from_text_date_line(dates):
    text = "Status på forsøgene\n\n05-03-2019\n\nI november blev de første forsøg godkendt.\n"
    ms, doc = dates(text)
    assert doc.published == "2019-03-05"
    assert [(m.text, m.value, m.attrs.get("anchored_value")) for m in ms] == [
        ("05-03-2019", "2019-03-05", None), ("november", "XXXX-11", "2018-11")]


def test_unknown_anchor_leaves_year_unknown(dates):
    m = only(dates("I december blev tilskuddet udbetalt.")[0])
    assert m.value == "XXXX-12" and m.attrs["anchored"] is False


def test_explicit_years_are_not_anchored(dates):
    m = only(dates("I december 2015 blev tilskuddet udbetalt.", published="2018-01-10")[0])
    assert m.value == "2015-12" and m.attrs["anchored"] is False


# ---------------------------------------------------------------------------------- relative

@pytest.mark.parametrize("published, text, value, granularity", [
    ("2019-03-01", "Udvalget holdt i går et ekstra møde.", "2019-02-28", "day"),
    ("2018-12-31", "Loven vedtages i morgen.", "2019-01-01", "day"),
    ("2018-05-09", "Hun talte i dag med borgmesteren.", "2018-05-09", "day"),
    ("2018-05-09", "Aftalen faldt på plads i forgårs.", "2018-05-07", "day"),
    ("2018-05-05", "Forsøget forlænges næste år.", "2019", "year"),
    ("2018-05-05", "Tallene fra sidste år er dårlige.", "2017", "year"),
    ("2018-05-05", "Rammen i år er større.", "2018", "year"),
    ("2019-01-15", "Sidste måned kom der flere ansøgninger.", "2018-12", "month"),
    ("2019-12-03", "Næste måned evalueres forsøget.", "2020-01", "month"),
    ("2019-12-03", "Bevillingen kom for tre dage siden.", "2019-11-30", "day"),
    ("2019-12-03", "Svaret kommer om to måneder.", "2020-02", "month"),
])
def test_relative_with_anchor(dates, published, text, value, granularity):
    m = only(dates(text, published=published)[0])
    assert (m.attrs["anchored_value"], m.attrs["granularity"], m.attrs["anchored"]) == (value, granularity, True)
    assert m.value is None  # a relative expression states no calendar date of its own
    assert "offset" in m.attrs["relative"]


@pytest.mark.parametrize("text", [
    "Udvalget holdt i går et ekstra møde.",
    "Hun talte i dag med borgmesteren.",
    "Forsøget forlænges næste år.",
    "Sidste måned kom der flere ansøgninger.",
    "Svaret kommer om to måneder.",
])
def test_relative_without_anchor_is_never_today(dates, text):
    ms, doc = dates(text)
    m = only(ms)
    assert doc.published is None
    assert m.attrs["anchored"] is False and "anchored_value" not in m.attrs
    assert m.value is None
    assert THIS_YEAR not in str(m.value) and THIS_YEAR not in str(doc.published)


# ---------------------------------------------------------------------------------- coordination

def test_coordination_takes_year_and_role_of_following_date(dates):
    ms, _ = dates("Der er ansøgningsfrist d. 15. marts og 15. september 2019 for nye forsøg.",
                  published="2018-06-01")
    assert [(m.text, m.value, m.attrs["role"]) for m in ms] == [
        ("15. marts", "2019-03-15", "deadline"), ("15. september 2019", "2019-09-15", "deadline")]
    assert ms[0].attrs["coordinated"] is True and ms[0].attrs["anchored"] is False


def test_coordination_chain(dates):
    ms, _ = dates("Puljen udbetales 1. februar, 1. juni og 1. oktober 2020.")
    assert [m.value for m in ms] == ["2020-02-01", "2020-06-01", "2020-10-01"]


def test_coordinated_bare_day(dates):
    ms, _ = dates("Temamøderne holdes 4. og 18. april 2018 i Vejle.")
    assert [(m.text, m.value) for m in ms] == [("4.", "2018-04-04"), ("18. april 2018", "2018-04-18")]
    assert ms[0].attrs["role"] == "meeting"


def test_range_of_dates_gets_start_and_end(dates):
    ms, _ = dates("Kampagnen kører fra 2. april til 30. juni 2019 i hele kommunen.")
    assert [(m.text, m.value, m.attrs["role"]) for m in ms] == [
        ("2. april", "2019-04-02", "start"), ("30. juni 2019", "2019-06-30", "end")]
    assert ms[1].attrs["role_rule"] == "role_end_range"


def test_no_coordination_across_sentences(dates):
    ms, _ = dates("Vi starter den 1. maj. Den 1. november 2017 slutter vi.")
    assert [m.value for m in ms] == ["XXXX-05-01", "2017-11-01"]


# ---------------------------------------------------------------------------------- design guards

def test_offsets_survive_text_whose_lower_case_is_longer(dates):
    # "İ".lower() is two characters: the component must not index a shifted lower-cased copy
    ms, doc = dates("İzmir-aftalen blev underskrevet 3. maj 2017 i Aarhus.")
    m = only(ms)
    assert (m.text, m.value) == ("3. maj 2017", "2017-05-03")


def test_prefilter_finds_the_same_matches_as_a_full_scan(nlp):
    comp = nlp.get_pipe("frikommune_dates")
    c = comp.c
    assert c.prefilter is not None, "prefilter could not be derived: scanning would be slow"
    text = Path(__file__).read_text(encoding="utf-8").lower()
    full = [(m.start(), m.end(), m.lastgroup) for m in c.regex.finditer(text)]
    fast = [(m.start(), m.end(), m.lastgroup) for m in comp._matches(c.regex, c.prefilter, text)]
    assert fast == full and len(full) > 50


def test_no_danish_vocabulary_in_code(rules):
    """Month names, weekdays and trigger words live in rules/, not in string literals of code."""
    vocab = rules.yaml("dates.yaml")["vocabulary"]
    words = set(vocab["months"]) | set(vocab["weekdays"]) | {"frist", "møde", "blev", "tlf", "sagsnr"}
    code_dir = Path(__file__).resolve().parent.parent / "pipeline" / "extract"
    for path in sorted(code_dir.glob("dates*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                low = node.value.lower()
                assert not any(w in low for w in words), (path.name, node.value)


def test_vocabulary_comes_from_the_rules_folder(tmp_path):
    """A month word added to the rules is recognised without touching code."""
    src = Rules().dir
    dst = tmp_path / "rules"
    shutil.copytree(src, dst)
    spec = yaml.safe_load((dst / "dates.yaml").read_text(encoding="utf-8"))
    spec["vocabulary"]["months"]["majmåned"] = 5
    (dst / "dates.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    comp = DateComponent(Rules(dst))
    nlp = spacy.blank("da")
    doc = nlp.make_doc("Mødet var 3. majmåned 2019.")
    doc._.mentions = []
    doc = comp(doc)
    assert [(m.text, m.value) for m in doc._.mentions] == [("3. majmåned 2019", "2019-05-03")]


def test_minutes_without_metadata_are_published_on_their_meeting_date(run_extract):
    text = "Referat\nByrådet, Lemvig Kommune\nMødedato: 3. oktober 2019\n\nPunkt 1. Frikommuneforsøg\nDer blev i juni holdt møde."
    mentions, document = run_extract(text)
    assert document.published == "2019-10-03"
    assert {(m.value, m.attrs["anchored_value"]) for m in mentions if m.text == "juni"} == {("XXXX-06", "2019-06")}


def test_a_date_line_at_the_top_beats_a_later_meeting_label(run_extract):
    text = "Nyhed\n12.09.2019\n\nUdvalget holder møde.\nMødedato: 1. november 2019"
    _, document = run_extract(text)
    assert document.published == "2019-09-12"


def test_a_bare_date_label_dates_the_document_but_a_compound_label_does_not(run_extract):
    _, document = run_extract("Beslutningsprotokol\nDato: 12.09.2019\n\nPunkt 1. Orientering")
    assert document.published == "2019-09-12"
    mentions, document = run_extract("Vejledning\n\nAnsøgningsdato: 1. maj 2019\nSkriv til os.")
    assert document.published is None
    assert [m.attrs["role"] for m in mentions if m.type == "date"] != ["published"]
