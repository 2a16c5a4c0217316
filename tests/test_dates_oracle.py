"""Our date normalisation checked against an independent oracle: dateparser.

Random day-precise dates are written in the Danish forms our rules claim to read, placed in
sentences, extracted, and the value compared with what dateparser makes of the same span.
Nothing here is copied from the rules: the forms and month names are written out below.
"""

from __future__ import annotations

import random
from datetime import date

import dateparser
import pytest

MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december"]
FORMS = [
    lambda d: f"{d.day}. {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"den {d.day}. {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}",
]
SENTENCES = [
    "Udvalget behandlede sagen {}, hvor Lemvig Kommune deltog.",
    "Ansøgningen blev sendt {} til ministeriet.",
    "Se referatet fra {} nedenfor.",
]
ORACLE_SETTINGS = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]}


def cases(n=120, seed=20161010):
    rnd = random.Random(seed)
    for _ in range(n):
        d = date(rnd.randint(2005, 2029), rnd.randint(1, 12), rnd.randint(1, 28))
        yield rnd.choice(FORMS)(d), rnd.choice(SENTENCES), d


@pytest.mark.parametrize("written,sentence,expected", list(cases()))
def test_day_precise_dates_agree_with_dateparser(run_extract, written, sentence, expected):
    mentions, document = run_extract(sentence.format(written))
    dates = [m for m in mentions if m.type == "date"]
    assert len(dates) == 1, [(m.text, m.value) for m in dates]
    [m] = dates
    assert m.value == expected.isoformat()
    oracle = dateparser.parse(m.text, languages=["da"], settings=ORACLE_SETTINGS)
    if oracle is not None:  # dateparser cannot read "den …" forms; where it can, it must agree
        assert oracle.date() == expected
