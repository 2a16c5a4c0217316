"""Title of a txt/pdf document (pipeline/ingest/classify.py headline_title, rules/titles.yaml):
page furniture that web pages saved as text begin with is passed over. Every text here is
written for the test."""

from __future__ import annotations

import pytest

from pipeline.ingest.classify import headline_title


@pytest.mark.parametrize("text, title", [
    # skip links and accessibility tools
    ("Spring til indhold\nNyhed\n\nLemvig vil være frikommune\n\n09-03-2015\n\nTekst.", "Lemvig vil være frikommune"),
    ("Gå til hoved indhold\n\nFrikommuneforsøg i Struer 2016-2020\n\nTekst.", "Frikommuneforsøg i Struer 2016-2020"),
    ("Skip navigation\n\nTønder som frikommune\n\nNyheder", "Tønder som frikommune"),
    ("Slå adgang med tegn til/fra\n\nSorø som frikommune\n", "Sorø som frikommune"),
    ("Fokusområder\n  • Få siden oplæst\n  • Print\n\nDragør søger om frikommunestatus\n", "Dragør søger om frikommunestatus"),
    ("You are here\n\nHvad er en frikommune i Faxe\n", "Hvad er en frikommune i Faxe"),
    # photo credits and captions
    ("Foto: Arkiv\nFoto: Arkiv\n\nFrie rammer i Odder\n\nInterview\n\nAf Lise Holm | lh@eksempel.dk\n\nTekst.",
     "Frie rammer i Odder"),
    ("Arkivfoto Foto: Lokal-TV\n\nSkive godkendt som frikommune\n\nTekst.", "Skive godkendt som frikommune"),
    ("Per Hansen, Ritzau Scanpix\n\nStaten dropper forsøget\n\nTekst.", "Staten dropper forsøget"),
    ("Borgmesteren glæder sig over afgørelsen. Foto: Colourbox\n\nNej til billige boliger i Køge\n",
     "Nej til billige boliger i Køge"),
    # bylines and metadata labels
    ("Af: Social- og indenrigsminister Anne Berg (X)\nUdvalg: Socialudvalget\nSamling: 2015-16\n\nNye regler for netværk\n",
     "Nye regler for netværk"),
    ("Tekst af Mads Lund\n\nBorgmestre om forsøget: For bøvlet\n", "Borgmestre om forsøget: For bøvlet"),
    # image alt text and breadcrumbs
    ("Gå til hovedindhold\n\nRebild Kommune logo\n\nRebild Kommune som frikommune\n", "Rebild Kommune som frikommune"),
    ("Hjem Om kommunen Politik og planer Frikommune\n\nFrikommune i Ikast-Brande\n", "Frikommune i Ikast-Brande"),
    # a section word over the headline
    ("Debat\n\nFrikommuner er sund fornuft\n", "Frikommuner er sund fornuft"),
])
def test_page_furniture_is_no_title(rules, text, title):
    assert headline_title(text, rules) == title


def test_a_navigation_menu_of_short_lines_is_passed_over(rules):
    menu = "\n".join(["Vores medier", "Lokalavisen.dk", "Erhverv", "Kultur", "Sport", "Job", "Bolig"])
    text = f"{menu}\n\n12 ansøgninger i anden runde\n\nSeks netværk har søgt."
    assert headline_title(text, rules) == "12 ansøgninger i anden runde"


def test_short_lines_ending_the_excerpt_are_no_menu(rules):
    # without a blank line after them they may be the document itself
    assert headline_title("Dagsorden\nPunkt 3.\n18/2231\nGodkendelse af budget\nTekst.", rules) == "Godkendelse af budget"


def test_metadata_prefix_is_cut_off_the_first_line(rules):
    assert headline_title(" date 2019-04 Ny frist for frikommuner\n\nTekst.", rules) == "Ny frist for frikommuner"
    text = " date 2019-04 Kommunen har søgt om at blive frikommune, siger borgmesteren. Mere tekst her."
    title = headline_title(text, rules)
    assert title.startswith("Kommunen har søgt") and "date" not in title


@pytest.mark.parametrize("text, title", [
    ("Titel: Frikommune i Vordingborg\nVedtaget: 1. maj 2017\n", "Frikommune i Vordingborg"),
    ("L 77 Forslag til lov om ændring af lov om forsøg i kommunale dagtilbud.\n\nAf: Ministeren\n",
     "L 77 Forslag til lov om ændring af lov om forsøg i kommunale dagtilbud"),
])
def test_a_line_that_names_the_title(rules, text, title):
    assert headline_title(text, rules) == title


def test_lead_ins_and_list_items_are_no_headlines(rules):
    text = "Frikommune\n\nI perioden deltager Varde i disse netværk:\n\n  • Bedre styring af udgifterne\n  • Flere i job\n"
    assert headline_title(text, rules) == "Frikommune"
