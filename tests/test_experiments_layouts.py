"""Experiment layouts found on real pages (docs/layouts.md), each on a document written for the
test with other municipalities, titles and wording than any real page."""

from __future__ import annotations

import pytest


# Running text about an experiment is read only near talk of the scheme (prose_context): these
# documents open with the scheme's name, as the pages about experiments do.
SCHEME = "Frikommuneforsøget\n\n"


def experiments(run_extract, text, published=None):
    _m, records, document = run_extract(text, published=published, records=True)
    out = []
    for r in records:
        if r.type != "experiment":
            continue
        f = r.fields
        for name in ("title", "status", "programme"):
            if f[name] is not None:
                assert document.text[f[name]["start"]:f[name]["end"]] == f[name]["text"]
        for m in f["municipalities"]:
            assert document.text[m["start"]:m["end"]] == m["text"]
        out.append(f)
    return out


def titles_and_statuses(found):
    return [(f["title"]["value"], f["status"]["value"] if f["status"] else None) for f in found]


GROUP_HEADINGS = """Status på vores ansøgninger

Godkendte forsøg:
- Kortere frister for byggetilladelser til carporte
- Fælles visitation til dagtilbud og skole

Afviste forsøg:
- Lokal fastsættelse af takster for havnepladser

Forsøg i bero:
- Udvidet åbningstid i genbrugsstationer (trukket tilbage)
"""


def test_a_status_heading_gives_each_item_below_it_that_status(run_extract):
    got = titles_and_statuses(experiments(run_extract, GROUP_HEADINGS))
    assert got == [
        ("Kortere frister for byggetilladelser til carporte", "approved"),
        ("Fælles visitation til dagtilbud og skole", "approved"),
        ("Lokal fastsættelse af takster for havnepladser", "rejected"),
        ("Udvidet åbningstid i genbrugsstationer", "withdrawn"),  # the item's own status wins
    ]


def test_the_heading_status_is_marked_as_carried_from_the_heading(run_extract):
    first = experiments(run_extract, GROUP_HEADINGS)[0]
    assert first["status"]["text"] == "Godkendte"
    assert first["status"]["via"] == "experiment.status.heading"


def test_a_heading_naming_two_statuses_gives_undetermined_with_both_candidates(run_extract):
    text = ("Oversigt\n\nAfslåede ansøgninger og ansøgninger under videre behandling:\n"
            "• Frit valg af rengøringsfirma i ældreboliger\n• Digitale møder i skolebestyrelsen\n")
    found = experiments(run_extract, text)
    assert [f["title"]["value"] for f in found] == [
        "Frit valg af rengøringsfirma i ældreboliger", "Digitale møder i skolebestyrelsen"]
    for f in found:
        assert f["status"]["value"] == "undetermined"
        assert set(f["status"]["candidates"]) == {"rejected", "pending"}
        assert f["status"]["needs_review"] is True


@pytest.mark.parametrize("line, status", [
    ("• Mobil borgerservice i landsbyerne – godkendt", "approved"),
    ("• Mobil borgerservice i landsbyerne (afslag)", "rejected"),
    ("• Mobil borgerservice i landsbyerne: Til videre behandling", "pending"),
    ("• Mobil borgerservice i landsbyerne [Delvist imødekommet]", "partially_approved"),
])
def test_a_status_on_the_items_own_line(run_extract, line, status):
    text = f"Ansøgte forsøg i tredje runde:\n{line}\n"
    assert titles_and_statuses(experiments(run_extract, text)) == [("Mobil borgerservice i landsbyerne", status)]


def test_an_introduction_naming_experiments_makes_a_list_of_experiments_without_status(run_extract):
    text = ("Struer som frikommune\n\nVi har i perioden 2012-2015 gennemført en række forsøg. "
            "Det drejer sig om disse forsøg:\n\n"
            "-Samlet indkaldelse til jobsamtaler\n-Færre krav til dokumentation i hjemmeplejen\n")
    found = experiments(run_extract, text)
    assert titles_and_statuses(found) == [
        ("Samlet indkaldelse til jobsamtaler", None),
        ("Færre krav til dokumentation i hjemmeplejen", None),
    ]
    assert all(f["programme"]["value"] == "I" for f in found)  # from the years 2012-2015


def test_lists_that_are_not_experiments_stay_out(run_extract):
    text = ("Fakta om forsøgene\n• Løber til udgangen af 2021.\n• Omfatter fire kommuner.\n\n"
            "Frikommuneforsøg\n• Titel: Frikommuneforsøg\n• Opdateret: 3. marts 2020\n\n"
            "Forsøg afvises, hvis de:\n- strider mod grundloven\n- giver økonomiske fordele\n\n"
            "Vi har valgt disse temaer for forsøgene:\n• Grøn omstilling\n• Nærdemokrati\n")
    assert experiments(run_extract, text) == []


def test_unbulleted_lines_under_a_status_heading(run_extract):
    text = ("Afgørelser\n\nImødekomne forsøg:\nSelvbetjening ved udlån af lokaler\n"
            "Færre tilsyn med private børnepassere\n\nMinisteriet har begrundet afgørelserne i et brev.\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Selvbetjening ved udlån af lokaler", "approved"),
        ("Færre tilsyn med private børnepassere", "approved"),
    ]


@pytest.mark.parametrize("sentence, title, status", [
    ("Forsøget med at lade skolerne selv fastsætte ferieperioder er godkendt.",
     "at lade skolerne selv fastsætte ferieperioder", "approved"),
    ("Forsøget med fælles sygefraværssamtaler har fået grønt lys.", "fælles sygefraværssamtaler", "approved"),
    ("Forsøget med lokale byggeregler endte med afslag.", "lokale byggeregler", "rejected"),
    ("Ansøgningen om mobile valgsteder er trukket tilbage.", "mobile valgsteder", "withdrawn"),
])
def test_title_then_decision_in_prose(run_extract, sentence, title, status):
    assert titles_and_statuses(experiments(run_extract, SCHEME + sentence)) == [(title, status)]


@pytest.mark.parametrize("sentence, expected", [
    ("Skive Kommune fik afslag på ansøgningen om gratis parkering ved sygehuset.",
     [("gratis parkering ved sygehuset", "rejected")]),
    ("Kommunen har fået grønt lys til at droppe skriftlige handleplaner for unge ledige.",
     [("droppe skriftlige handleplaner for unge ledige", "approved")]),
    ("Ministeren har sagt ja til at flytte tilsynet med plejefamilier, siger borgmesteren.",
     [("flytte tilsynet med plejefamilier", "approved")]),
    ("Ringsted har fået afvist ansøgninger om lørdagsskole for udskolingen og kommunale sommerhuse.",
     [("lørdagsskole for udskolingen", "rejected"), ("kommunale sommerhuse", "rejected")]),
])
def test_decision_then_title_in_prose(run_extract, sentence, expected):
    assert sorted(titles_and_statuses(experiments(run_extract, SCHEME + sentence))) == sorted(expected)


def test_applied_for_and_planned_experiments_have_no_status(run_extract):
    text = ("Lemvig Kommune har søgt om fritagelse for kvalitetsrapporter. "
            "Som eksempler kan nævnes forsøg med færre opfølgningssamtaler, forsøg med frit valg af "
            "jobcenter og forsøg med digitale tilsyn.")
    got = titles_and_statuses(experiments(run_extract, SCHEME + text))
    assert got == [("fritagelse for kvalitetsrapporter", None), ("færre opfølgningssamtaler", None),
                   ("frit valg af jobcenter", None), ("digitale tilsyn", None)]


def test_prose_about_becoming_a_frikommune_is_no_experiment(run_extract):
    text = ("Tolv kommuner har søgt om at blive frikommuner. Byrådet godkendte i maj 2019 planen. "
            "Kommunen har fået grønt lys til at deltage i netværket. Hun søgte om at være med.")
    assert experiments(run_extract, text) == []


def test_both_applications_refused_refers_to_the_two_just_named(run_extract):
    text = ("Kommunen søgte om lempede krav til skolebusser. Den søgte også om selvstyre for "
            "plejehjemmenes køkkener. Begge ansøgninger fik afslag i ministeriet.")
    got = titles_and_statuses(experiments(run_extract, SCHEME + text))
    assert got == [("lempede krav til skolebusser", "rejected"),
                   ("selvstyre for plejehjemmenes køkkener", "rejected")]


def test_begge_with_only_one_experiment_before_it_changes_nothing(run_extract):
    text = "Kommunen søgte om lempede krav til skolebusser. Begge ansøgninger fik afslag."
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [("lempede krav til skolebusser", None)]


def test_municipalities_and_programme_of_an_experiment(run_extract):
    text = ("Frikommuneforsøg III\n\nHolstebro og Struer Kommuner har fået grønt lys til at dele en "
            "fælles ungdomsskole.\n")
    found = experiments(run_extract, text)
    assert len(found) == 1
    assert sorted(m["value"] for m in found[0]["municipalities"]) == ["661", "671"]
    assert found[0]["programme"]["value"] == "III"
    assert found[0]["programme"]["rule"] == "programme.stated"


def test_a_status_heading_over_descriptive_bullets_titles_each_by_its_first_sentence(run_extract):
    text = ("Ministeriet har sendt svar til kommunerne.\n\nDe nye godkendelser betyder bl.a., at:\n"
            "• Elever i Ikast-Brande Kommune kan få idræt som valgfag i 8. klasse. Forsøget gælder to år.\n"
            "• Ledige i Herning Kommune kan tage kurser i udlandet uden at miste dagpenge. Det er nyt.\n")
    found = experiments(run_extract, text)
    assert titles_and_statuses(found) == [
        ("Elever i Ikast-Brande Kommune kan få idræt som valgfag i 8. klasse", "approved"),
        ("Ledige i Herning Kommune kan tage kurser i udlandet uden at miste dagpenge", "approved"),
    ]
    assert [[m["value"] for m in f["municipalities"]] for f in found] == [["756"], ["657"]]


def test_lines_counting_experiments_are_no_experiments(run_extract):
    text = "Status på ansøgningerne:\n- 40 ansøgte forsøg\n- 21 forsøg godkendt\n- 9 forsøg afvist\n"
    assert experiments(run_extract, text) == []


def test_examples_listed_with_the_noun_repeated_split_at_the_noun_only(run_extract):
    text = ("Blandt de nye hjemler kan nævnes forsøg med tid, sted og form for opfølgning på "
            "sygemeldinger, forsøg med friere rammer for bl.a. frivilligt arbejde og forsøg med "
            "færre skriftlige planer.")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("tid, sted og form for opfølgning på sygemeldinger", None),
        ("friere rammer for bl.a. frivilligt arbejde", None),
        ("færre skriftlige planer", None),
    ]


@pytest.mark.parametrize("sentence, title", [
    ('Punkt 4: Tilslutning til frikommuneforsøget "Fælles madordning i dagplejen"', "Fælles madordning i dagplejen"),
    ("Byrådet godkendte deltagelse i forsøget »Selvvalgt jobkonsulent for sygemeldte«.", "Selvvalgt jobkonsulent for sygemeldte"),
])
def test_an_experiment_named_by_its_quoted_title(run_extract, sentence, title):
    assert titles_and_statuses(experiments(run_extract, sentence)) == [(title, None)]


def test_what_a_municipality_used_the_scheme_for(run_extract):
    text = "Tønder har brugt frikommuneordningen til at samle tilsynet med daginstitutionerne."
    found = experiments(run_extract, text)
    assert titles_and_statuses(found) == [("samle tilsynet med daginstitutionerne", None)]
    assert [m["value"] for m in found[0]["municipalities"]] == ["550"]


def test_a_letter_granting_named_municipalities_their_experiment(run_extract):
    text = ("Kære borgmestre\n\nMinisteriet har behandlet ansøgningerne fra frikommunenetværket.\n\n"
            "Kerteminde og Nyborg Kommuner får frihed fra kravet om skriftlige handleplaner for borgere "
            "i ressourceforløb. Faaborg-Midtfyn Kommune får fritagelse for pligten til at indhente "
            "lægeerklæringer ved korte sygemeldinger.\n")
    found = experiments(run_extract, text)
    assert titles_and_statuses(found) == [
        ("kravet om skriftlige handleplaner for borgere i ressourceforløb", "approved"),
        ("pligten til at indhente lægeerklæringer ved korte sygemeldinger", "approved"),
    ]
    assert [sorted(m["value"] for m in f["municipalities"]) for f in found] == [["440", "450"], ["430"]]


@pytest.mark.parametrize("wording, status", [
    ("er imødekommet", "approved"), ("blev godkendt", "approved"), ("har fået grønt lys", "approved"),
    ("er afvist", "rejected"), ("fik afslag", "rejected"), ("endte med afslag", "rejected"),
    ("blev ikke imødekommet", "rejected"), ("er til videre behandling", "pending"),
    ("afventer svar", "pending"), ("er trukket tilbage", "withdrawn"), ("har fået godkendelse", None),
])
def test_inflected_and_synonymous_decisions_in_prose(run_extract, wording, status):
    text = f"Forsøget med frit valg af vikarbureau {wording}."
    got = titles_and_statuses(experiments(run_extract, text))
    # "godkendelse" alone is no decision in running text (it may be asked for, not given)
    assert got == ([("frit valg af vikarbureau", status)] if status else [])


@pytest.mark.parametrize("label, status", [
    ("Til videre behandling", "pending"), ("Afventer svar", "pending"), ("Imødekommet", "approved"),
    ("Godkendt", "approved"), ("Afvist", "rejected"), ("Ikke imødekommet", "rejected"),
    ("Trukket tilbage", "withdrawn"), ("Grønt lys", "approved"),
])
def test_inflected_and_synonymous_decisions_after_a_dash(run_extract, label, status):
    text = f"Forsøg ansøgt i anden runde:\n- Frit valg af vikarbureau – {label}\n"
    assert titles_and_statuses(experiments(run_extract, text)) == [("frit valg af vikarbureau".capitalize(), status)]


def test_a_heading_naming_full_or_partial_approval_is_undetermined(run_extract):
    text = ("Afgørelser i første runde\n\nHelt eller delvist godkendte forsøg:\n"
            "• Fleksibel ferieafvikling i dagtilbud\n• Samlet sagsbehandling af hjælpemidler\n")
    found = experiments(run_extract, text)
    assert len(found) == 2
    for f in found:
        assert f["status"]["value"] == "undetermined"
        assert sorted(f["status"]["candidates"]) == ["approved", "partially_approved"]


def test_an_introduction_closed_by_a_semicolon_and_page_tools_that_are_no_list(run_extract):
    text = ("Frikommuneforsøg i Norddjurs Kommune\n\n• Print\n• Lyt\n\n"
            "Vi har været med i forsøg, hvor det blev muligt at;\n"
            "• Samle genoptræning og hjemmepleje i ét team\n• Give borgerne én indgang til hjælpemidler\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Samle genoptræning og hjemmepleje i ét team", None),
        ("Give borgerne én indgang til hjælpemidler", None),
    ]


@pytest.mark.parametrize("line, title", [
    ("Ikast-Brande Kommunes ansøgning - Fælles tilsyn med private dagplejere", "Fælles tilsyn med private dagplejere"),
    ("12 Frikommuneforsøg - Digital partshøring i byggesager", "Digital partshøring i byggesager"),
    ("Forsøgstitel: Kortere vej til fleksjob", "Kortere vej til fleksjob"),
])
def test_a_line_naming_one_experiment_after_a_label(run_extract, line, title):
    text = f"Om forsøgene\n\n{line}\n\nHer følger en beskrivelse af forsøget og dets mål.\n"
    assert titles_and_statuses(experiments(run_extract, text)) == [(title, None)]


@pytest.mark.parametrize("line", [
    "Frikommuneforsøg - orientering om ministeriets svar fra foråret",
    "Frikommuneforsøg - status på forsøgene",
    "Ansøgning - frist for frikommunenetværk",
])
def test_a_labelled_line_about_the_scheme_is_no_experiment(run_extract, line):
    assert experiments(run_extract, f"Dagsorden\n\n{line}\n") == []


def test_a_refusal_with_the_state_as_agent(run_extract):
    text = "Byrådet i Næstved fik nej fra ministeriet til at gennemføre et forsøg med tinyhouses på lejet jord."
    assert titles_and_statuses(experiments(run_extract, text)) == [("tinyhouses på lejet jord", "rejected")]


def test_a_title_that_is_a_networks_name_is_the_network_not_an_experiment(run_extract):
    text = ("Netværk: Lokale løsninger for unge ledige\nDeltagere: Skive, Viborg og Lemvig Kommuner\n\n"
            "Forsøg: Lokale løsninger for unge ledige\n")
    assert experiments(run_extract, text) == []


def test_introduction_items_may_explain_themselves_after_their_first_sentence(run_extract):
    text = ("Vi har været med i følgende forsøg:\n"
            "• Digital genoptræning i eget hjem. Forsøget har udfordret reglerne om fremmøde.\n"
            "• Færre krav til journalføring\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Digital genoptræning i eget hjem", None), ("Færre krav til journalføring", None)]


def test_granted_exemptions_over_a_list_are_approved(run_extract):
    text = ("Teamet har siden 2019 arbejdet under tre regelfritagelser:\n"
            "• Sygeplejersker må give udvalgte lægemidler uden recept\n• Visitation på tværs af kommunegrænser\n")
    assert [s for _t, s in titles_and_statuses(experiments(run_extract, text))] == ["approved", "approved"]


def test_a_numbered_heading_with_a_legal_reference_names_its_experiment(run_extract):
    text = ("2.1. Forlængede forsøg\n2.1.1. Forsøg efter § 14: Frikort\n"
            "2.1.2. Forsøg efter § 15 a: Fælles sagsbehandler for familier med flere sager\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Frikort", None), ("Fælles sagsbehandler for familier med flere sager", None)]


@pytest.mark.parametrize("sentence, expected", [
    ("Nu vil Horsens trække sig fra forsøget om fælles visitation til plejebolig.",
     [("fælles visitation til plejebolig", None)]),
    ("Udvalget godkendte vedtægten vedrørende forsøg om digitale tilsyn, frit valg af sagsbehandler og "
     "samlede handleplaner.",
     [("digitale tilsyn", None), ("frit valg af sagsbehandler", None), ("samlede handleplaner", None)]),
    ("Kommunen ønsker at afprøve fælles madordninger, hvor kun de ældste deltager.",
     [("fælles madordninger", None)]),
])
def test_experiments_named_by_their_noun_in_running_text(run_extract, sentence, expected):
    assert titles_and_statuses(experiments(run_extract, SCHEME + sentence)) == expected


def test_a_single_dash_line_after_a_colon_is_a_quotation_not_a_list(run_extract):
    text = ("Borgmesteren glæder sig til at prøve forsøget af:\n"
            "– Vi har længe ønsket os friere rammer. Nu kan vi komme i gang, siger hun.\n")
    assert experiments(run_extract, text) == []


def test_a_headline_after_a_label_that_reads_like_a_sentence_is_no_title(run_extract):
    assert experiments(run_extract, "Frikommuneforsøg: Det gik bedre end ventet\n\nTekst.\n") == []


def test_a_numbered_list_with_items_wrapped_over_lines(run_extract):
    text = ("Evalueringen dækker følgende forsøg:\n"
            "1. Digitale tilsyn med plejefamilier, når fami-\n"
            "lien bor i en anden kommune\n"
            "2. Fælles sagsbehandler for unge\n")
    found = experiments(run_extract, text)
    assert [f["title"]["value"] for f in found] == [
        "Digitale tilsyn med plejefamilier, når familien bor i en anden kommune",
        "Fælles sagsbehandler for unge"]
    assert all(f["status"] is None for f in found)


@pytest.mark.parametrize("intro", [
    "Ansøgningerne kunne sendes i tre runder:",
    "Netværket har sat sig tre målsætninger for forsøgene:",
    "Disse overskrifter dækker de forsøgsområder, kommunen vil arbejde med:",
])
def test_numbered_lists_of_rounds_goals_and_areas_are_no_experiments(run_extract, intro):
    text = f"{intro}\n1. Bedre styring af økonomien\n2. Mere frihed for borgerne\n3. Marts 2019\n"
    assert experiments(run_extract, text) == []


def test_an_introduction_whose_cue_stands_in_the_sentence_before(run_extract):
    text = ("Tre forsøg skal evalueres af en ekstern konsulent. Konsulenten ser på:\n\n"
            "  • Samlet visitation\n\n  • Digitale borgermøder\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Samlet visitation", None), ("Digitale borgermøder", None)]


def test_a_quoted_title_after_a_linking_verb(run_extract):
    text = 'Det første forsøg omhandler "Kortere vej til fleksjob", som er et af flere.'
    assert titles_and_statuses(experiments(run_extract, text)) == [("Kortere vej til fleksjob", None)]


def test_a_numbered_application_line(run_extract):
    text = "Ansøgningerne\n\nAnsøgning nr. 4: Pladsanvisning\n\nAnsøgningen handler om pladser.\n"
    assert titles_and_statuses(experiments(run_extract, text)) == [("Pladsanvisning", None)]


def test_permission_to_do_something_is_an_approval(run_extract):
    text = "Vejle har fået tilladelse til at samle børnesager hos én rådgiver."
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [("samle børnesager hos én rådgiver", "approved")]


def test_a_character_whose_lower_case_is_longer_does_not_shift_the_spans(run_extract):
    # "İ".lower() is two characters: the lower-cased copy of this text is longer than the text
    text = "İzmir-venskabet nævnes. Kommunen har fået grønt lys til at dele én fælles ungdomsskole."
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [("dele én fælles ungdomsskole", "approved")]


def test_one_long_word_may_name_an_experiment_but_not_inside_a_coordination(run_extract):
    assert titles_and_statuses(experiments(run_extract, SCHEME + "Kommunen har søgt om dagpengefrihed.")) == [
        ("dagpengefrihed", None)]
    assert titles_and_statuses(experiments(run_extract, SCHEME + "Kommunen har søgt om skolebusser.")) == [
        ("skolebusser", None)]
    assert experiments(run_extract, SCHEME + "Kommunen har søgt om frikort.") == []  # a short word alone
    text = "Byen vil gerne lave forsøg med fleksible skoledage via fagdage, holddeling og lektiecafeer."
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [("fleksible skoledage via fagdage", None)]


def test_a_one_word_title_in_quotes(run_extract):
    text = 'Det andet forsøg omhandler "Frikort", som gælder unge.'
    assert titles_and_statuses(experiments(run_extract, text)) == [("Frikort", None)]


def test_examples_after_forsoeg_med_with_an_aside_and_a_closing_mm(run_extract):
    text = ("Lovforslaget lader netværkene fortsætte enkelte forsøg, herunder forsøg med "
            "skovbørnehaver, udlån af cykler (elcykler) til hjemmeplejen, parkering af "
            "campingvogne med kort varsel mm. Høringen slutter i marts.")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("skovbørnehaver", None),
        ("udlån af cykler (elcykler) til hjemmeplejen", None),
        ("parkering af campingvogne med kort varsel", None),
    ]


def test_the_compound_frikommuneforsoeg_med_names_one_experiment(run_extract):
    text = "Dengang havde man frikommuneforsøg med kortere ventetid på hjælpemidler. Det virkede."
    assert titles_and_statuses(experiments(run_extract, text)) == [("kortere ventetid på hjælpemidler", None)]


def test_bare_forsoeg_med_about_the_scheme_is_no_experiment(run_extract):
    # the law's purpose, not an experiment: "forsøg med" alone does not name one
    text = "Loven giver kommunerne adgang til forsøg med at styrke det lokale demokrati."
    assert experiments(run_extract, text) == []


def test_having_been_given_the_possibility_is_an_approval(run_extract):
    text = "Som frikommune har Lolland nu fået mulighed for at tilbyde gratis busser til pensionister."
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("tilbyde gratis busser til pensionister", "approved")]


def test_a_table_of_contents_flattened_onto_one_line(run_extract):
    text = ("Indhold\n\nAnsøgning nr. 1: Fælles busruter..... 2 Ansøgning nr. 2: Tandpleje "
            "Ansøgning nr. 3: Færre kontrolbesøg hos plejefamilier\n")
    found = experiments(run_extract, text)
    assert titles_and_statuses(found) == [
        ("Fælles busruter", None), ("Tandpleje", None), ("Færre kontrolbesøg hos plejefamilier", None)]


def test_a_refused_experiment_described_by_a_relative_clause(run_extract):
    text = "Tre kommuner har fået afslag på et forsøg, der skulle have gjort det lettere at bygge legepladser."
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("gjort det lettere at bygge legepladser", "rejected")]


def test_a_named_title_ends_where_the_sentence_goes_on_with_a_finite_verb(run_extract):
    text = "Frikommuneforsøget med gratis aftenskole har før været prøvet i fire kommuner."
    assert titles_and_statuses(experiments(run_extract, text)) == [("gratis aftenskole", None)]


def test_adverbs_inside_a_decision_phrase(run_extract):
    text = "Skive Kommune får nu alligevel lov til at lukke biblioteket om søndagen."
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("lukke biblioteket om søndagen", "approved")]


def test_applying_to_be_exempted_names_the_exemption(run_extract):
    text = "Kommunen planlægger at søge om at blive fritaget for kravet om madplaner i dagplejen."
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("fritaget for kravet om madplaner i dagplejen", None)]
    # becoming part of the scheme is no experiment
    assert experiments(run_extract, SCHEME + "Kommunen vil søge om at blive en del af ordningen i 2025.") == []


LINKED_TITLES = """Frikommune i Tønder

Kommunen er frikommune sammen med Haderslev. Nedenfor kan du læse om vores fem forsøg.

Én indgang for familier med flere sager
Vedtægt
Madordning
Vedtægt
Statusnotat
Lettere adgang til aflastning for pårørende
Vedtægt
Digital opfølgning i jobcentret


Vedtægt
Evaluering
Fælles mål for skole og fritid"""


def test_titles_each_followed_by_the_same_link_lines_are_experiments(run_extract):
    found = experiments(run_extract, LINKED_TITLES)
    assert titles_and_statuses(found) == [
        ("Én indgang for familier med flere sager", None),
        ("Madordning", None),  # a one-word title: a link label follows it
        ("Lettere adgang til aflastning for pårørende", None),
        ("Digital opfølgning i jobcentret", None),
        ("Fælles mål for skole og fritid", None),  # the last title, its links cut off
    ]


def test_repeated_link_lines_without_a_line_naming_experiments_are_no_list(run_extract):
    news = """Nyheder fra rådhuset

Ny cykelsti langs åen åbner til sommer
Læs mere
Borgermøde om den nye skole i Bredebro
Læs mere
Biblioteket holder åbent hele julen
Læs mere"""
    assert experiments(run_extract, news) == []


def test_a_contact_block_after_a_paragraph_about_experiments_is_no_list(run_extract):
    page = """Ministeriet har modtaget tolv ansøgninger om forsøg i denne runde og svarer i løbet af foråret.

Kontakt
Rikke Holm
Chefkonsulent
Kontoret for Kommuner
Bo Laursen
Fuldmægtig
Kontoret for Kommuner
Sif Mølgaard
Fuldmægtig
Kontoret for Kommuner"""
    assert [f["title"]["value"] for f in experiments(run_extract, page)] == []


# ---- experiments described in running prose (the real pages: docs/layouts.md, "described")

def test_what_the_experiment_is_to_do_is_its_title(run_extract):
    text = ("Nyt forsøg i Struer\n\nStruer Kommune har sendt sin første ansøgning til ministeriet. Forsøget skal "
            "gøre det muligt for pensionister at tage småjobs i kommunens haller uden modregning i pensionen.\n\n"
            "Forsøget skal evalueres i 2020.\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("gøre det muligt for pensionister at tage småjobs i kommunens haller uden modregning i pensionen", None)]


def test_an_experiment_that_will_do_something_after_its_noun(run_extract):
    text = ("Snart sætter Thisted Kommune et nyt frikommuneforsøg i gang, der vil gøre det muligt for "
            "børnefamilier at booke sundhedsplejen online.\n\nFra 1. marts igangsætter kommunen et "
            "frikommuneprojekt der skal samle hjælpen til unge med angst ét sted.\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("gøre det muligt for børnefamilier at booke sundhedsplejen online", None),
        ("samle hjælpen til unge med angst ét sted", None)]


def test_an_application_about_something_and_a_test_the_council_wanted(run_extract):
    text = ("Fire af de indsendte ansøgninger handler om fritagelse fra kravet om skriftlige handleplaner "
            "for ledige over 60 år.\n\nByrådet ønskede også at teste et forsøg, hvor frivillige trænere kan få "
            "dækket udgifter til transport.\n")
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("fritagelse fra kravet om skriftlige handleplaner for ledige over 60 år", None),
        ("frivillige trænere kan få dækket udgifter til transport", None)]


def test_a_rejected_project_named_by_its_noun(run_extract):
    text = "Ministeriet har i dag afvist et projekt om at lade borgere leje kommunale varevogne.\n"
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("lade borgere leje kommunale varevogne", "rejected")]


def test_experiments_listed_in_brackets_after_their_noun(run_extract):
    text = ("Læs mere om de igangværende forsøg (Fleksibel rengøring i plejeboliger samt Digital tilsynsrapport "
            "for dagplejen) i vedtægterne herunder.\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Fleksibel rengøring i plejeboliger", None), ("Digital tilsynsrapport for dagplejen", None)]


def test_a_statute_names_its_experiment(run_extract):
    text = "Vedtægter\n\nFrikommunevedtægt vedr. Madservice i eget køkken\n\nFrikommunevedtægt vedrørende Ungeguiden\n"
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Madservice i eget køkken", None), ("Ungeguiden", None)]


def test_the_experiment_named_right_after_its_noun_in_capitals(run_extract):
    text = ("Kommunen gennemførte 12 forsøg. Forsøget Samlet madlevering til ældre blev udviklet i Glostrup, "
            "mens forsøget med fælles vagtplaner kom fra nabokommunen.\n")
    found = titles_and_statuses(experiments(run_extract, text))
    assert ("Samlet madlevering til ældre", None) in found


def test_the_scheme_as_a_whole_and_run_together_headings_are_no_experiment(run_extract):
    text = ("Frikommuneforsøget skal give kommunerne større frihed til at prioritere.\n\n"
            "Vedtægt for forsøget\nElement Beskrivelse\n\n"
            "Beskrivelse af forsøget Formål og baggrund for ansøgning Det primære formål er at afprøve noget.\n")
    assert experiments(run_extract, text) == []


def test_a_clause_after_an_experiment_noun_is_one_title_even_with_og(run_extract):
    text = "Kommunen ønskede også at teste et forsøg, hvor frivillige kan få dækket parkering og kørsel.\n"
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("frivillige kan få dækket parkering og kørsel", None)]


def test_a_municipality_trying_its_hand_at_several_things(run_extract):
    text = ("I Tønder og Aabenraa forsøger kommunerne sig med længere frikvarterer, fælles lektiecaféer "
            "samt valgfag i madkundskab.\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("længere frikvarterer", None), ("fælles lektiecaféer", None), ("valgfag i madkundskab", None)]


def test_freed_from_the_rules_of_an_area_is_granted(run_extract):
    text = ("Vi er blevet frisat på plejeboligområdet, så vi kan visitere hurtigere, og vi er frisat på "
            "madserviceområdet.\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("plejeboligområdet", "approved"), ("madserviceområdet", "approved")]


def test_an_experiment_described_by_a_where_clause_and_one_that_may_be_applied_for(run_extract):
    text = ("Beboere i Hvidovre har - i et forsøg, hvor man har erstattet aftenbesøget med et opkald - fået "
            "en tablet.\n\nFra 1. april har kommunerne kunnet søge om at indføre fleksible besøgstider på "
            "plejecentre.\n")
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("man har erstattet aftenbesøget med et opkald", None),
        ("fleksible besøgstider på plejecentre", None)]


def test_what_anyone_may_apply_for_in_general_is_no_experiment(run_extract):
    text = ("Netværkene har kunnet søge om dispensation fra eksisterende regler for at prøve ideer af. "
            "Det betyder, at vi kan søge om lov til at afprøve nogle tiltag, som ellers ikke er mulige.\n")
    assert experiments(run_extract, text) == []


def test_a_decision_on_both_applications_before_they_are_named(run_extract):
    text = ("Ringsted Kommune fik i år en ny chance, men begge ansøgninger er endt med afslag.\n\n"
            "Kommunen ville ellers gerne have givet ledige mulighed for at passe børn i naboskabet uden "
            "modregning.\n\nKommunen ønskede også at teste et forsøg, hvor frivillige kan få dækket parkering.\n")
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("givet ledige mulighed for at passe børn i naboskabet uden modregning", "rejected"),
        ("frivillige kan få dækket parkering", "rejected")]


def test_what_the_experiment_means_and_one_to_be_evaluated(run_extract):
    text = ("Konkret betyder forsøget, at familien og én fast rådgiver sammen lægger én plan, der skal holde "
            "hele skoleåret.\n\nDesuden skal et institut evaluere forsøg med digitale byggetilladelser.\n\n"
            "Frikommuneforsøget vedrørende fleksible pasningstider sigter mod at give forældre mere frihed.\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("familien og én fast rådgiver sammen lægger én plan", None),
        ("digitale byggetilladelser", None),
        ("fleksible pasningstider", None)]


def test_freedom_granted_on_an_area_and_approved_experiments_from_one_thing_to_another(run_extract):
    text = ("Ifølge aftalen får Vordingborg og Faxe Kommune \"fuldstændig frihed\" på ungdomsskoleområdet, "
            "mens Sorø vil kunne få frihed på plejehjemsområdet.\n\n"
            "Det er blevet til mange godkendte forsøg med alt fra fælles indkøb af skolebøger, kortere "
            "sagsbehandling af byggesager, til færre møder med sygemeldte.\n")
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("ungdomsskoleområdet", "approved"), ("plejehjemsområdet", "approved"),
        ("fælles indkøb af skolebøger", "approved"), ("kortere sagsbehandling af byggesager", "approved"),
        ("færre møder med sygemeldte", "approved")]


def test_general_applications_in_minutes_far_from_the_scheme_are_no_experiments(run_extract):
    minutes = ("Referat\n\nKultur- og Fritidsudvalget\n\nForeninger kan søge om tilskud til nye klubhuse inden "
               "1. maj. Borgere kan nu søge om boligstøtte digitalt. Rideklubben har søgt om lov til at "
               "holde stævne i skoven.\n")
    assert experiments(run_extract, minutes) == []
    about_the_scheme = "Frikommune\n\nGreve Kommune er frikommune og har søgt om lov til at holde stævne i skoven.\n"
    assert titles_and_statuses(experiments(run_extract, about_the_scheme)) == [("holde stævne i skoven", None)]


STATUTE_TABLE = """Frikommunevedtægt for forsøget
Element Forklaring
Forsøgstitel
Tilsyn på tværs af dagpleje og vuggestue efter dagtilbudslovens § 5
Forsøgsperiode
Marts 2019 - februar 2022
Forsøgsindhold
Forsøget giver forældre én indgang.
"""


def test_the_title_field_of_an_experiments_statute_names_the_experiment(run_extract):
    got = experiments(run_extract, STATUTE_TABLE)
    assert titles_and_statuses(got) == [("Tilsyn på tværs af dagpleje og vuggestue efter dagtilbudslovens § 5", None)]
    assert got[0]["title"]["rule"] == "experiment.layout.statute_field"


def test_a_statute_row_flattened_onto_one_line_ends_at_its_relative_clause_or_the_next_field(run_extract):
    text = ("Vedtægt\nElement Forklaring\nForsøgstitel Sensorer i plejeboliger, når beboeren ikke selv kan "
            "give samtykke.\nForsøgsperiode Juni 2018 - maj 2021\n\n"
            "Forsøgstitel: Fælles madordning på skolerne Forsøgsperiode 2020-2022\n")
    assert titles_and_statuses(experiments(run_extract, text)) == [
        ("Sensorer i plejeboliger", None), ("Fælles madordning på skolerne", None)]


def test_a_bullet_over_the_statute_fields_is_the_name_the_page_lists_the_experiment_by(run_extract):
    text = ("Læs om forsøgene i Struer Kommune nedenfor.\nForsøg\n • Én plan for familier\n  Forsøgstitel\n"
            "  Koordinerende sagsbehandling efter servicelovens § 50\n  Forsøgsperiode\n  Januar 2019 – juni 2021\n")
    got = experiments(run_extract, text)
    assert titles_and_statuses(got) == [("Én plan for familier", None)]
    assert got[0]["title"]["rule"] == "experiment.layout.statute_short_name"


def test_a_field_label_inside_a_sentence_is_no_statute(run_extract):
    text = SCHEME + "Feltet forsøgstitel skal udfyldes af kommunen, før ansøgningen sendes.\n"
    assert experiments(run_extract, text) == []


def test_examples_spanning_a_range_are_one_experiment_each(run_extract):
    text = ("Netværkene har sendt 64 ansøgninger. De rummer forsøg lige fra lån til iværksættere, der vil "
            "starte egen virksomhed, over delebiler i hjemmeplejen til kortere ventetid på genoptræning.\n")
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("lån til iværksættere, der vil starte egen virksomhed", None),
        ("delebiler i hjemmeplejen", None),
        ("kortere ventetid på genoptræning", None)]
    # "lige fra X til Y" with no middle: two titles; a sentence with no range word: none
    two = SCHEME + "Listen omfatter forsøg lige fra fælles skolebusser til digitale byggesager.\n"
    assert titles_and_statuses(experiments(run_extract, two)) == [
        ("fælles skolebusser", None), ("digitale byggesager", None)]
    none = SCHEME + "Kommunen laver forsøg alt fra starten af året.\n"
    assert experiments(run_extract, none) == []


def test_a_paragraph_of_the_law_granting_frikommunerne_an_experiment(run_extract):
    law = ("Lov om frikommuner\n\nKapitel 4\nSocialministerens område\n"
           "§ 9. Frikommunerne kan ud over de tilfælde, der følger af § 41 i lov om social service, yde "
           "tilskud til ledsagelse af unge under 25 år.\n"
           "§ 10\nEn frikommune kan undlade at udarbejde skriftlige handleplaner for borgere i botilbud.\n")
    assert titles_and_statuses(experiments(run_extract, law)) == [
        ("yde tilskud til ledsagelse af unge under 25 år", None),
        ("undlade at udarbejde skriftlige handleplaner for borgere i botilbud", None)]
    # the same words in a news sentence are no paragraph of the law
    news = SCHEME + "Borgmesteren siger, at frikommunerne kan yde tilskud til ledsagelse af unge.\n"
    assert experiments(run_extract, news) == []


def test_what_a_frikommune_is_spared_and_a_where_clause_after_a_short_phrase(run_extract):
    text = ("Som frikommune behøver Holbæk ikke at indkalde sygemeldte til samtale hver fjerde uge.\n\n"
            "Det viser en evaluering af et frikommuneforsøg i seks kommuner, hvor forældre kunne vælge "
            "deltid i vuggestuen.\n")
    assert titles_and_statuses(experiments(run_extract, SCHEME + text)) == [
        ("indkalde sygemeldte til samtale hver fjerde uge", None),
        ("forældre kunne vælge deltid i vuggestuen", None)]
