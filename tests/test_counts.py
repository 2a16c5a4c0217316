"""Stated counts (component `frikommune_counts`) on sentences written for the tests; the sample
documents in sources/ are acceptance checks at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.ingest import read_document

SOURCES = Path(__file__).resolve().parent.parent / "sources"


def counts(run_extract, text, **kw):
    mentions, document = run_extract(text, **kw)
    found = [m for m in mentions if m.type == "count"]
    for m in found:
        assert document.text[m.start:m.end] == m.text
        assert isinstance(m.value, int) and m.rule
    return found


def brief(ms):
    """(value, unit, status) of each count."""
    return [(m.value, m.attrs["unit"], m.attrs["status"]) for m in ms]


# ---------------------------------------------------------------------------- numbers and nouns
@pytest.mark.parametrize("text, value, unit, noun", [
    ("Projektet samler 38 sjællandske kommuner.", 38, "kommune", "kommuner"),
    ("Der deltager tolv kommuner i projektet.", 12, "kommune", "kommuner"),
    ("I alt enogtyve kommuner står bag.", 21, "kommune", "kommuner"),
    ("Der er nioghalvfems frikommuner i eksemplet.", 99, "frikommune", "frikommuner"),
    ("Kun én kommune deltog.", 1, "kommune", "kommune"),
    ("Ministeriet modtog 9 konkrete ansøgninger om forsøg.", 9, "ansøgning", "ansøgninger"),
    ("Netværket sendte fjorten forsøgsansøgninger.", 14, "ansøgning", "forsøgsansøgninger"),
    ("Der er nu seks frikommunenetværk.", 6, "netværk", "frikommunenetværk"),
    ("Kommunerne gennemfører 23 forskellige frikommuneforsøg.", 23, "forsøg", "frikommuneforsøg"),
    ("Byrådet drøftede de to nye forsøg.", 2, "forsøg", "forsøg"),
])
def test_number_and_unit(run_extract, text, value, unit, noun):
    [m] = counts(run_extract, text)
    assert (m.value, m.attrs["unit"], m.attrs["noun"]) == (value, unit, noun)
    assert m.attrs["elliptical"] is False and m.attrs["qualifier"] is None
    assert m.rule.startswith("count.unit.")


@pytest.mark.parametrize("text", [
    "Der er en kommune i netværket.",             # article, not a number
    "Et forsøg blev afvist.",
    "Unge 16-18 kommuner deltager ikke.",         # a range
    "Punkt 12 Ansøgninger om forsøg",             # agenda item number
    "Tilbuddet efter § 107 forsøg med botilbud",  # paragraph
    "Foto 1 af 2\n\nNordjyske kommuner vil samarbejde.",  # a photo counter ending its line
    "9 Ansøgning om tilskud til cykelstier",      # a numbered agenda line
    "Punkt 3 Nyt forsøg med affaldssortering",
    "De fire frikommune-temaer blev drøftet.",    # the noun inside a hyphenated compound
    "Evalueringen fra 2019 kommuner frem med nu.",  # a year
    "Ring på tlf. 86 12 34 56 kommuner.",         # a phone number
    "Mødet starter kl. 10 Kommunerne deltager.",  # a clock time
    "Sag 18/4471 ansøgninger",                    # a case number
    "I 2. runde kom der ansøgninger.",            # an ordinal
    "Totalt set går det godt for kommunerne.",    # "to" inside a word
    "Medaljerne blev 12 og 4 i alt.",             # no unit noun
])
def test_not_counts(run_extract, text):
    assert counts(run_extract, text) == []


def test_amount_is_no_count_but_the_count_after_it_is(run_extract):
    ms = counts(run_extract, "Puljen på 3 mio. kr. fordeles mellem 4 kommuner.")
    assert brief(ms) == [(4, "kommune", None)]


@pytest.mark.parametrize("text, qualifier_text", [
    ("Netværket må have højst fire kommuner.", "højst"),
    ("Ministeriet venter ca. 30 ansøgninger.", "ca."),
    ("Der kommer mindst 12 forsøg.", "mindst"),
    ("Netværk med flere end otte kommuner blev ikke valgt.", "flere end"),
])
def test_bound_qualifier(run_extract, text, qualifier_text):
    [m] = counts(run_extract, text)
    assert m.attrs["qualifier"] == "bound" and m.attrs["qualifier_text"] == qualifier_text


# ---------------------------------------------------------------------------- statuses
@pytest.mark.parametrize("text, value, status", [
    ("Kun to ansøgninger afvises i år.", 2, "rejected"),
    ("Regeringen har givet grønt lys til 9 forsøg.", 9, ["approved", "partially_approved"]),
    ("Ministeriet siger helt eller delvist ja til 23 forsøg.", 23, ["approved", "partially_approved"]),
    ("Staten går videre med 12 frikommuneforsøg.", 12, ["approved", "partially_approved"]),
    ("31 ansøgninger er imødekommet.", 31, "approved"),
    ("Otte forsøg skal afklares med ministeriet.", 8, "pending"),
    ("Yderligere 6 forsøg skal beskrives nærmere.", 6, "pending"),
    ("Tre netværk blev udvalgt i foråret.", 3, "designated"),
    ("Regeringen har udpeget ni frikommuner.", 9, "designated"),
    ("I alt 52 kommuner har søgt om at blive frikommune.", 52, "applied"),
    ("Fire forsøg er delvist godkendt.", 4, "partially_approved"),
    ("Ministeriet læste 40 ansøgninger grundigt.", 40, None),
])
def test_status_trigger(run_extract, text, value, status):
    [m] = counts(run_extract, text)
    assert (m.value, m.attrs["status"]) == (value, status)
    if status is not None:
        assert m.attrs["status_from"] == "trigger" and m.attrs["status_rule"].startswith("count.status.")


def test_designated_is_for_networks_and_municipalities_only(run_extract):
    # "godkendt" about experiments is approval, about networks designation
    ms = counts(run_extract, "Regeringen godkendte fire netværk. Senere blev 15 forsøg godkendt.")
    assert brief(ms) == [(4, "netværk", "designated"), (15, "forsøg", "approved")]


def test_status_does_not_cross_to_the_next_count(run_extract):
    ms = counts(run_extract, "Ni netværk blev udpeget, og 50 kommuner deltager nu i forsøget.")
    assert brief(ms) == [(9, "netværk", "designated"), (50, "kommune", None)]


def test_status_before_the_count_stays_with_the_first_count(run_extract):
    ms = counts(run_extract, "Regeringen har udpeget fem netværk, der tilsammen har 27 kommuner.")
    assert brief(ms) == [(5, "netværk", "designated"), (27, "kommune", None)]


def test_status_in_the_adjective(run_extract):
    [m] = counts(run_extract, "De syv udvalgte kommuner mødtes i Vejle.")
    assert (m.value, m.attrs["status"]) == (7, "designated")


# ---------------------------------------------------------------------------- elliptical
def test_elliptical_counts_after_af_dem(run_extract):
    text = "Netværket indsendte 19 ansøgninger i foråret. Af dem er 12 imødekommet, og 3 har fået afslag."
    ms = counts(run_extract, text)
    assert brief(ms) == [(19, "ansøgning", None), (12, "ansøgning", "approved"), (3, "ansøgning", "rejected")]
    full, twelve, three = ms
    assert twelve.attrs["elliptical"] and three.attrs["elliptical"] and not full.attrs["elliptical"]
    assert twelve.attrs["noun"] == "ansøgninger"
    assert twelve.attrs["antecedent"] == {"start": full.start, "end": full.end}
    assert twelve.rule == "count.elliptical.marker"


def test_elliptical_n_af_dem(run_extract):
    ms = counts(run_extract, "Kommunerne søgte om 25 nye forsøg. Ministeriet siger ja til 16 af dem.")
    assert brief(ms) == [(25, "forsøg", "applied"), (16, "forsøg", "approved")]
    assert ms[1].rule == "count.elliptical.af_dem" and ms[1].attrs["marker"] == "af dem"


def test_elliptical_heraf(run_extract):
    ms = counts(run_extract, "Der kom 30 ansøgninger. Heraf blev 5 afvist.")
    assert brief(ms) == [(30, "ansøgning", None), (5, "ansøgning", "rejected")]


def test_elliptical_coordinated(run_extract):
    ms = counts(run_extract, "Ministeriet meddelte, at fire forsøg imødekommes, to afvises og et afventer.")
    assert brief(ms) == [(4, "forsøg", "approved"), (2, "forsøg", "rejected")]
    assert ms[1].rule == "count.elliptical.coordinated"


def test_bare_number_without_antecedent_is_nothing(run_extract):
    assert counts(run_extract, "Af dem er 12 imødekommet.") == []


# ---------------------------------------------------------------------------- anaphora
def test_definite_count_inherits_status(run_extract):
    text = ("Ministeriet har afvist 7 forsøg fra netværket. Borgmesteren er skuffet. "
            "De 7 forsøg handlede om beskæftigelse. Senere nævnes 7 forsøg igen. "
            "Netværket har også 7 ansøgninger liggende.")
    ms = counts(run_extract, text)
    assert brief(ms) == [(7, "forsøg", "rejected"), (7, "forsøg", "rejected"), (7, "forsøg", "rejected"),
                         (7, "ansøgning", None)]
    assert [m.attrs["status_from"] for m in ms] == ["trigger", "anaphora", "anaphora", None]
    assert ms[1].attrs["definite"] is True and ms[1].attrs["anaphora_rule"] == "count.anaphora.definite"
    assert ms[2].attrs["anaphora_rule"] == "count.anaphora.repeat"


def test_bound_count_does_not_inherit(run_extract):
    ms = counts(run_extract, "Regeringen har udpeget seks kommuner. Et netværk må have op til seks kommuner.")
    assert brief(ms) == [(6, "kommune", "designated"), (6, "kommune", None)]


def test_pdf_line_break_inside_the_count_and_trigger(run_extract):
    ms = counts(run_extract, "Ministeriet har meddelt, at tre\nforsøg imødekommes, og at fem forsøg\nfår afslag.")
    assert brief(ms) == [(3, "forsøg", "approved"), (5, "forsøg", "rejected")]


# ---------------------------------------------------------------------------- samples
def _sample_counts(nlp, rules, name):
    document = read_document(SOURCES / name, SOURCES, rules)
    ms = [m for m in extract(nlp, document).mentions if m.type == "count"]
    for m in ms:
        assert document.text[m.start:m.end] == m.text
    return ms


APPROVED_OR_PARTIALLY = ["approved", "partially_approved"]


def test_sample_003_ministry_release(nlp, rules):
    ms = _sample_counts(nlp, rules, "003_bb0b7cc67bd1fc86.txt")
    got = [(m.value, m.attrs["unit"], m.attrs["status"]) for m in ms]
    assert (33, "ansøgning", None) in got
    assert (44, "kommune", None) in got
    assert (8, "netværk", "designated") in got
    assert (5, "forsøg", "rejected") in got
    seventeen = [m for m in ms if m.value == 17]
    assert len(seventeen) == 4 and all(m.attrs["status"] == APPROVED_OR_PARTIALLY for m in seventeen)
    assert seventeen[0].text == "17 frikommuneforsøg"  # the title
    eleven = [m for m in ms if m.value == 11]
    assert len(eleven) == 3 and all(m.attrs["status"] == "pending" for m in eleven)
    assert [m.attrs["unit"] for m in eleven] == ["forsøg", "forsøg", "ansøgning"]
    assert eleven[1].attrs.get("definite") is True
    assert not any(m.value in (83, 85, 129, 15, 2016, 2020) for m in ms)


def test_sample_001_network_article(nlp, rules):
    ms = _sample_counts(nlp, rules, "001_d1b9c0e7c83c8c2d.txt")
    got = [(m.value, m.attrs["unit"]) for m in ms]
    assert (44, "kommune") in got
    assert got.count((8, "netværk")) >= 3
    assert (43, "ansøgning") in got
    bounds = [(m.value, m.attrs["qualifier_text"]) for m in ms if m.attrs["qualifier"] == "bound"]
    assert bounds == [(6, "op til"), (6, "mere end")]
    assert not any(m.value in (15, 7) for m in ms)  # "15 og 7 medaljer"


def test_sample_000_and_004(nlp, rules):
    ms = _sample_counts(nlp, rules, "000_ddde290369c07cfb.txt")
    got = [(m.value, m.attrs["unit"], m.attrs["status"]) for m in ms]
    assert (11, "kommune", None) in got and (43, "netværk", "applied") in got
    assert not any(m.value in (1, 2) for m in ms)  # "1 af 2"
    ms = _sample_counts(nlp, rules, "004_50fddadb9d74be55.txt")
    assert (9, "kommune") in [(m.value, m.attrs["unit"]) for m in ms]


# ---------------------------------------------------------------------------- partitive and more
@pytest.mark.parametrize("text, expected", [
    ("Fem af syv nye frikommunenetværk har sendt ansøgninger.",
     [(5, "netværk", "count.partitive"), (7, "netværk", "count.unit.netvaerk")]),
    ("Styrelsen bakker op om de fire ud af seks forslag fra Lemvig.",
     [(4, "forslag", "count.partitive"), (6, "forslag", "count.unit.forslag")]),
    ("2 af 3 kommuner svarede.", [(2, "kommune", "count.partitive"), (3, "kommune", "count.unit.kommune")]),
    ("Det er lykkedes for 4 af vores forsøg.", [(4, "forsøg", "count.partitive")]),
    ("12 af forsøgene kræver en lovændring.", [(12, "forsøg", "count.partitive")]),
    ("I alt tre af de indsendte ansøgninger handler om skoler.", [(3, "ansøgning", "count.partitive")]),
    ("Netværket er et af i alt otte frikommunenetværk.", [(8, "netværk", "count.unit.netvaerk")]),
    ("Kalundborg blev udpeget som én af 9 frikommuner.", [(9, "frikommune", "count.unit.frikommune")]),
])
def test_partitive_counts(run_extract, text, expected):
    ms = counts(run_extract, text)
    assert [(m.value, m.attrs["unit"], m.rule) for m in ms] == expected


def test_partitive_keeps_the_whole_it_is_part_of(run_extract):
    first = counts(run_extract, "Seks af ni frikommuner sagde ja.")[0]
    assert (first.text, first.attrs["of"], first.attrs["partitive"]) == ("Seks", 9, True)


@pytest.mark.parametrize("text, value, unit", [
    ("Erfaringer fra 7 kommuners arbejde blev samlet.", 7, "kommune"),
    ("Der blev gennemført over 300 enkeltforsøg.", 300, "forsøg"),
    ("Netværket blev valgt blandt 38 ansøgere.", 38, "ansøger"),
    ("Der kom en enkelt ansøgning fra Ærø.", 1, "ansøgning"),
    ("Kommunen har sendt 14 kopiforsøg til ministeriet.", 14, "forsøg"),
])
def test_more_nouns_and_number_phrases(run_extract, text, value, unit):
    [m] = counts(run_extract, text)
    assert (m.value, m.attrs["unit"]) == (value, unit)


def test_contrast_and_subset_counts_take_the_noun_of_their_sentence(run_extract):
    ms = counts(run_extract, "Ministeren valgte syv frikommuner i stedet for fire. Netværket fik 61 forsøg, hvoraf 40 er gennemført.")
    assert [(m.value, m.attrs["unit"], m.rule) for m in ms] == [
        (7, "frikommune", "count.unit.frikommune"), (4, "frikommune", "count.elliptical.contrast"),
        (61, "forsøg", "count.unit.forsoeg"), (40, "forsøg", "count.elliptical.subset")]


def test_contrast_needs_a_count_in_its_own_sentence(run_extract):
    ms = counts(run_extract, "Der er syv frikommuner. I stedet for fire er der nu flere.")
    assert [m.value for m in ms] == [7]
