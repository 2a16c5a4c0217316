"""The workbench in a real browser (headless Chromium through Playwright), driven by the keyboard.

A review session on a copy of the sample corpus: accept, correct, reject, add, undo; then the
next run must carry every decision, and a changed document must orphan them visibly.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from corpus_helpers import rules_with_status_label
from e2e.harness import browser_page, chromium_missing, workbench
from pipeline.review import log as review_log
from pipeline.run import run

ROOT = Path(__file__).resolve().parent.parent
# The README's screenshots are taken by these tests, into docs/ only with `make screenshots`
# (FRIKOMMUNE_SCREENSHOTS=1): a test run leaves the checkout as it found it.
SCREENSHOTS = ROOT / "docs" if os.environ.get("FRIKOMMUNE_SCREENSHOTS") else Path(tempfile.mkdtemp(prefix="screens-"))
SCREENSHOT = SCREENSHOTS / "workbench-document.png"
ORIGINAL_SCREENSHOT = SCREENSHOTS / "workbench-original.png"
WHY_SCREENSHOT = SCREENSHOTS / "workbench-why.png"
INFO = "syddjurs_frikommune_info.html"  # an HTML page: easy to edit in the copied corpus
MINUTES = "syddjurs_social_sundhed_2018-04-09.pdf"  # two PDF pages: the screenshot's document

# CI sets FRIKOMMUNE_REQUIRE_BROWSER: there a missing browser is a failure, not a skip.
if chromium_missing() and os.environ.get("FRIKOMMUNE_REQUIRE_BROWSER"):
    raise RuntimeError(f"browser tests are required here, but: {chromium_missing()}")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(chromium_missing() is not None,
                                                   reason=chromium_missing() or "")]


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def doc_id(out: Path, source: str) -> str:
    return next(d["doc_id"] for d in read_jsonl(out / "documents.jsonl") if d["source"] == source)


def go_to_card(page, key: str) -> None:
    """Walk the list with j / k until `key` is the selected record."""
    target, current = page.evaluate("""k => {
        const cards = [...document.querySelectorAll('#records .card')];
        return [cards.findIndex(c => c.dataset.key === k), cards.findIndex(c => c.classList.contains('sel'))];
    }""", key)
    assert target >= 0, f"{key} is not listed"
    for _ in range(abs(target - current)):
        page.keyboard.press("j" if target > current else "k")
    assert page.get_attribute("#records .card.sel", "data-key") == key


def review_state(out: Path, key: str) -> str | None:
    from pipeline.review.apply import REVIEWABLE

    table, rid = key.split(":", 1)
    rows = [r for r in read_jsonl(out / f"{table}.jsonl") if r[REVIEWABLE[table]] == rid]
    return rows[0]["review_state"] if rows else None


def card_state(page, key: str):
    from playwright.sync_api import expect
    return expect(page.locator(f'#records .card[data-key="{key}"] .state'))


def select_text(page, phrase: str) -> None:
    """Select the first occurrence of `phrase` in the document text, as a mouse drag would."""
    found = page.evaluate("""phrase => {
        const walker = document.createTreeWalker(document.getElementById('text'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(phrase);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + phrase.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            return true;
        }
        return false;
    }""", phrase)
    assert found, phrase


def test_a_keyboard_review_session_reaches_the_dataset_and_orphans_show(tmp_path):
    from playwright.sync_api import expect

    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOT / "sources", src)
    run(src, out)
    info, minutes = doc_id(out, INFO), doc_id(out, MINUTES)
    mentions = read_jsonl(out / "mentions.jsonl")
    accept = next(m for m in mentions if m["doc_id"] == info and m["text"] == "Syddjurs Kommune")
    reject = next(m for m in mentions if m["doc_id"] == info and m["type"] == "date" and m["text"] == "2020")
    undo = next(m for m in mentions if m["doc_id"] == info and m["text"] == "Odder")
    experiment = next(e for e in read_jsonl(out / "experiments.jsonl") if info in e["documents"])

    with workbench(out) as base, browser_page() as page:
        page.goto(base + "/")
        # No --reviewer: the page asks once, with the cursor in the name field.
        expect(page.locator("#who-input")).to_be_focused()
        page.keyboard.type("Ida Holm")
        page.keyboard.press("Enter")
        expect(page.locator("#who-label")).to_have_text("Ida Holm")

        # Accept a municipality mention: j … j, a.
        page.goto(f"{base}/doc/{info}")
        expect(page.locator("#who-label")).to_have_text("Ida Holm")  # remembered
        key = f"mentions:{accept['mention_id']}"
        go_to_card(page, key)
        assert page.locator("#text .mark").first.inner_text() == "Syddjurs Kommune"  # the span is marked
        page.keyboard.press("a")
        card_state(page, key).to_have_text("accepted")
        expect(page.locator(f'#records .card[data-key="{key}"] .review-meta')).to_contain_text("Ida Holm")

        # Reject a date mention the reviewer judges false: x.
        key = f"mentions:{reject['mention_id']}"
        go_to_card(page, key)
        page.keyboard.press("x")
        card_state(page, key).to_have_text("rejected")

        # Add a missed mention: select text, n, choose the type, type the value, Enter.
        select_text(page, "tre runder")
        page.keyboard.press("n")
        expect(page.locator("#addform")).to_be_visible()
        expect(page.locator("#add-type")).to_be_focused()
        page.keyboard.press("c")  # the type list jumps to "count"
        assert page.input_value("#add-type") == "count"
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type("3")
        page.keyboard.press("Enter")
        expect(page.locator("#addform")).to_be_hidden()
        added = page.locator('#records .card.k-count', has_text="tre runder")
        expect(added.locator(".state")).to_have_text("accepted")
        added_key = added.get_attribute("data-key")

        # Undo: accept another record, then u takes it back.
        other = f"mentions:{undo['mention_id']}"
        go_to_card(page, other)
        page.keyboard.press("a")
        card_state(page, other).to_have_text("accepted")
        page.keyboard.press("u")
        card_state(page, other).to_have_text("unreviewed")

        # Correct an experiment's status in the experiments queue: e, pick a status, Enter.
        page.goto(f"{base}/queue?table=experiments&doc={info}")
        key = f"experiments:{experiment['experiment_id']}"
        go_to_card(page, key)
        page.keyboard.press("e")
        status = page.locator(f'#records .card[data-key="{key}"] form.edit select[name="status"]')
        expect(status).to_be_focused()
        page.keyboard.press("ArrowDown")
        if status.input_value() == experiment["status"]:  # it was the last choice
            page.keyboard.press("ArrowUp")
            page.keyboard.press("ArrowUp")
        new_status = status.input_value()
        assert new_status and new_status != experiment["status"]
        page.keyboard.press("Enter")
        card_state(page, key).to_have_text("corrected")

        # A source link (/doc/<id>#start-end) scrolls to its span and marks it.
        s = experiment["sources"][0]
        page.goto(f"{base}/doc/{s['doc_id']}#{s['start']}-{s['end']}")
        expect(page.locator("#text .mark").first).to_be_in_viewport()
        assert "".join(page.locator("#text .mark").all_inner_texts()) == s["text"]

        # The screenshot for the README: a PDF document (two pages) with its records, one selected.
        page.goto(f"{base}/doc/{minutes}")
        shot = next(m for m in mentions if m["doc_id"] == minutes and m["text"] == "Syddjurs")
        go_to_card(page, f"mentions:{shot['mention_id']}")
        page.keyboard.press("a")
        card_state(page, f"mentions:{shot['mention_id']}").to_have_text("accepted")
        title = next(e for e in read_jsonl(out / "experiments.jsonl")
                     if any(src["doc_id"] == minutes for src in e["sources"]))
        go_to_card(page, f"experiments:{title['experiment_id']}")
        page.evaluate("document.getElementById('toast').hidden = true")
        page.wait_for_timeout(150)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
        assert not page.js_errors

        # The next run applies all four.
        decisions = list(review_log.read(out))
        assert [d.action for d in decisions] == ["accept", "reject", "add", "accept", "undo", "correct", "accept"]
        summary = run(src, out)
        assert summary.orphaned == []
        after = {m["mention_id"]: m for m in read_jsonl(out / "mentions.jsonl")}
        assert after[accept["mention_id"]]["review_state"] == "accepted"
        assert after[accept["mention_id"]]["review"]["reviewer"] == "Ida Holm"
        assert reject["mention_id"] not in after
        assert [r["id"] for r in read_jsonl(out / "rejected.jsonl")] == [reject["mention_id"]]
        new = after[added_key.split(":", 1)[1]]
        assert (new["rule"], new["type"], new["value"], new["text"]) == ("review.added", "count", 3, "tre runder")
        assert review_state(out, other) == "unreviewed"  # undone
        row = next(e for e in read_jsonl(out / "experiments.jsonl") if e["experiment_id"] == experiment["experiment_id"])
        assert row["status"] == new_status and row["review_state"] == "corrected"

        # Edit the accepted mention out of the page: its decision is orphaned, in the run and on
        # the front page (an edit elsewhere in the page would leave it applied: README, Identity).
        page_bytes = (src / INFO).read_bytes()  # windows-1252: edit the bytes
        quoted = accept["text"].encode("cp1252")
        assert quoted in page_bytes
        (src / INFO).write_bytes(page_bytes.replace(quoted, b"Xyz"))
        summary = run(src, out)
        accepted = next(d for d in decisions if d.action == "accept" and d.target == accept["mention_id"])
        assert accepted.decision_id in {o["decision_id"] for o in summary.orphaned}
        assert accepted.decision_id in {o["decision_id"] for o in read_jsonl(out / "review_orphans.jsonl")}
        page.goto(base + "/")
        row = page.locator(f'#orphans tr[data-decision="{accepted.decision_id}"]')
        expect(row).to_be_visible()
        expect(row).to_contain_text("Syddjurs Kommune")
        assert not page.js_errors


def test_markup_in_a_document_shows_as_text_and_never_runs(tmp_path):
    from playwright.sync_api import expect

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "farlig.txt").write_text(
        "Farlig side\n\n<script>alert(1)</script>\n<img src=x onerror=\"alert(2);window.pwned=1\">\n\n"
        "Esbjerg Kommune søger om frikommuneforsøg.\n", encoding="utf-8")
    run(src, out)
    dialogs = []
    with workbench(out, reviewer="ida") as base, browser_page() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{base}/doc/{doc_id(out, 'farlig.txt')}")
        text = page.locator("#text")
        expect(text).to_contain_text("<script>alert(1)</script>")
        expect(text).to_contain_text('<img src=x onerror="alert(2);window.pwned=1">')
        assert page.locator("#text script, #text img").count() == 0
        page.keyboard.press("j")
        page.keyboard.press("a")  # a re-render after a decision must not run it either
        expect(page.locator("#records .card.sel .state")).to_have_text("accepted")
        page.wait_for_timeout(200)
        assert dialogs == [] and page.evaluate("window.pwned") is None
        assert not page.js_errors


def one_note(tmp_path: Path, text: str) -> Path:
    """The output of a run over one short text file, note.txt."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "note.txt").write_text(text, encoding="utf-8")
    run(src, out)
    return out


def test_s_skips_to_the_next_record_and_question_mark_shows_the_keys(tmp_path):
    from playwright.sync_api import expect

    out = one_note(tmp_path, "Assens Kommune, Nyborg Kommune og Kerteminde Kommune mødes.\n")
    with workbench(out, reviewer="ida") as base, browser_page() as page:
        page.goto(f"{base}/doc/{doc_id(out, 'note.txt')}")
        page.keyboard.press("j")
        first = page.locator("#records .card.sel").get_attribute("data-key")
        page.keyboard.press("s")
        second = page.locator("#records .card.sel").get_attribute("data-key")
        assert second != first
        expect(page.locator(f'#records .card[data-key="{first}"] .state')).to_have_text("unreviewed")
        keys = page.locator("#keys")
        page.keyboard.press("?")
        expect(keys).to_have_class("keys open")
        expect(keys).to_contain_text("skip")
        page.keyboard.press("Escape")
        expect(keys).to_have_class("keys")
        assert not page.js_errors
    assert not (out / "review" / "decisions.jsonl").exists() or \
        (out / "review" / "decisions.jsonl").read_text(encoding="utf-8") == ""  # skipping decides nothing


def test_twenty_records_take_twenty_keys_in_a_queue(tmp_path):
    from playwright.sync_api import expect

    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    towns = ["Assens", "Nyborg", "Kerteminde", "Middelfart", "Svendborg", "Langeland", "Nordfyn", "Ærø",
             "Faaborg-Midtfyn", "Odense", "Fredericia", "Vejle"]
    lines = [f"Møde {n}: {towns[n % 12]} Kommune og {towns[(n + 5) % 12]} Kommune." for n in range(12)]
    (src / "liste.txt").write_text("Mødeliste\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    run(src, out)
    with workbench(out, reviewer="ida") as base, browser_page() as page:
        page.goto(f"{base}/queue?table=mentions&doc={doc_id(out, 'liste.txt')}")
        expect(page.locator("#summary .progress")).to_contain_text("0 of ")
        for n in range(20):
            page.keyboard.press("a" if n % 3 else "x")
            expect(page.locator("#summary .progress")).to_contain_text(f"{n + 1} of ")
        expect(page.locator("#summary .session-count")).to_have_text("20 decided this session")
        assert not page.js_errors
    decided = [json.loads(line) for line in (out / "review" / "decisions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(decided) == 20 and len({d["target"] for d in decided}) == 20  # one key per record, none twice


def test_f_flags_a_record_and_moves_on(tmp_path):
    from playwright.sync_api import expect

    out = one_note(tmp_path, "Brønderslev Kommune, Jammerbugt Kommune og Læsø Kommune mødes.\n")
    with workbench(out, reviewer="ida") as base, browser_page() as page:
        page.goto(f"{base}/queue?table=mentions")
        first = page.locator("#records .card.sel").get_attribute("data-key")
        page.keyboard.press("f")
        expect(page.locator(f'#records .card[data-key="{first}"] .flag')).to_have_text("⚑ flagged")
        expect(page.locator("#records .card.sel")).not_to_have_attribute("data-key", first)
        page.goto(f"{base}/queue?state=flagged")
        expect(page.locator("#records .card")).to_have_count(1)
        assert not page.js_errors


def test_w_explains_a_mention_by_its_rule_file_and_line(tmp_path):
    from playwright.sync_api import expect

    out = one_note(tmp_path, "Mødet holdes den 14. marts 2019 i Vordingborg Kommune.\n")
    date = next(m for m in read_jsonl(out / "mentions.jsonl") if m["type"] == "date")
    rules_text = (ROOT / "rules" / "dates.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(rules_text, 1) if text.split("#")[0].strip() == f"- id: {date['rule']}")
    with workbench(out, reviewer="ida") as base, browser_page() as page:
        page.goto(f"{base}/doc/{doc_id(out, 'note.txt')}")
        go_to_card(page, f"mentions:{date['mention_id']}")
        page.keyboard.press("w")
        why = page.locator("#records .card.sel .why")
        expect(why).to_contain_text(date["rule"])
        expect(why).to_contain_text(f"rules/dates.yaml, line {line}")
        expect(why).to_contain_text("component frikommune_dates")
        expect(why).to_contain_text("matched pattern")
        why.scroll_into_view_if_needed()
        page.screenshot(path=str(WHY_SCREENSHOT))
        page.keyboard.press("w")  # again: closed
        expect(why).to_have_count(0)
        assert not page.js_errors


def test_o_shows_the_pdf_page_beside_the_text_with_the_span_boxed(tmp_path):
    from playwright.sync_api import expect

    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(ROOT / "sources", src)
    run(src, out)
    minutes = doc_id(out, MINUTES)
    odder = next(m for m in read_jsonl(out / "mentions.jsonl") if m["doc_id"] == minutes and m["text"] == "Odder")
    with workbench(out, reviewer="ida") as base, browser_page(width=1600, height=900) as page:
        page.goto(f"{base}/doc/{minutes}")
        go_to_card(page, f"mentions:{odder['mention_id']}")
        page.keyboard.press("o")
        expect(page.locator("#original")).to_be_visible()
        expect(page.locator("#page-img")).to_have_attribute("src", f"/original/{minutes}/page/{odder['page']}.png")
        box = page.locator("#page-frame .span-box")
        expect(box).to_have_count(1)
        expect(page.locator("#page-img")).to_have_js_property("complete", True)  # no eval: the CSP forbids it
        assert page.locator("#page-img").evaluate("img => img.naturalWidth") > 0
        shape = box.bounding_box()
        image = page.locator("#page-img").bounding_box()
        assert shape["width"] > 10 and shape["height"] > 5
        assert image["x"] <= shape["x"] and shape["x"] + shape["width"] <= image["x"] + image["width"]
        expect(page.locator("#original-label")).to_contain_text("«Odder» boxed")
        ORIGINAL_SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(ORIGINAL_SCREENSHOT))
        page.keyboard.press("o")
        expect(page.locator("#original")).to_be_hidden()
        assert not page.js_errors


def test_an_html_original_runs_no_script_and_loads_nothing_remote(tmp_path):
    from playwright.sync_api import expect

    html = ("<html><head><title>Forsøg i Ikast</title><script>parent.postMessage('ran', '*')</script></head>"
            "<body><h1>Forsøg i Ikast</h1><p>Ikast-Brande Kommune søger.</p>"
            "<img src='http://192.0.2.1/pixel.png'></body></html>")
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "ikast.html").write_text(html, encoding="utf-8")
    run(src, out)
    requested: list[str] = []
    blocked: list[str] = []
    with workbench(out, reviewer="ida") as base, browser_page() as page:
        page.on("request", lambda r: requested.append(r.url))
        page.on("requestfailed", lambda r: blocked.append(r.url) if r.failure == "csp" else None)
        page.goto(f"{base}/doc/{doc_id(out, 'ikast.html')}")
        page.evaluate("window.__messages = []; addEventListener('message', e => window.__messages.push(e.data))")
        page.keyboard.press("o")
        frame = page.locator("#original-frame")
        expect(frame).to_have_attribute("src", f"/original/{doc_id(out, 'ikast.html')}")
        expect(page.frame_locator("#original-frame").locator("h1")).to_have_text("Forsøg i Ikast")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__messages") == []
        remote = [u for u in requested if not u.startswith(base)]
        assert remote == ["http://192.0.2.1/pixel.png"] and blocked == remote  # asked for, refused by the policy
        assert not page.js_errors


def test_two_reviewers_disagree_and_the_queue_and_kappa_show_it(tmp_path):
    from playwright.sync_api import expect

    out = one_note(tmp_path, "Hjørring Kommune, Frederikshavn Kommune og Brønderslev Kommune mødes.\n")
    towns = [m for m in read_jsonl(out / "mentions.jsonl") if m["type"] == "municipality"]
    assert len(towns) == 3
    # ida accepts all three; ole, in the second-review queue, rejects the first and accepts the
    # others: one key each, the selection moving on though every record there is decided already
    for reviewer, keys, queue in (("ida", "aaa", "table=mentions&type=municipality"), ("ole", "xaa", "state=second")):
        with workbench(out, reviewer=reviewer) as base, browser_page() as page:
            page.goto(f"{base}/queue?{queue}")
            expect(page.locator("#records .card")).to_have_count(3)
            for n, key in enumerate(keys, 1):
                page.keyboard.press(key)
                expect(page.locator("#summary .session-count")).to_have_text(f"{n} decided this session")
            assert not page.js_errors
    first = f"mentions:{towns[0]['mention_id']}"
    with workbench(out, reviewer="kim") as base, browser_page() as page:
        page.goto(base + "/")
        expect(page.locator("#reviewers")).to_contain_text("1 record two reviewers decided differently")
        # 3 shared records, 2 agreed; ida all accept, ole 1 reject: chance agreement 2/3, kappa 0
        expect(page.locator("#reviewers .kappa")).to_have_text("0.00")
        page.goto(f"{base}/queue?state=disagreements")
        expect(page.locator("#records .card")).to_have_count(1)
        expect(page.locator("#records .card.sel")).to_have_attribute("data-key", first)
        history = page.locator("#records .card.sel .history")
        expect(history).to_contain_text("ida accept")
        expect(history).to_contain_text("ole reject")
        page.keyboard.press("a")  # kim, the third reviewer, accepts: the latest decision counts
        expect(page.locator(f'#records .card[data-key="{first}"] .state')).to_have_text("accepted")
        assert not page.js_errors


def test_a_rule_edit_previewed_with_diff_is_a_queue_walked_by_keyboard(tmp_path):
    from playwright.sync_api import expect

    from pipeline.cli import main

    out = one_note(tmp_path, "Svar på ansøgninger\n\nMinisteriet har behandlet ansøgningerne:\n\n"
                             "- Frit valg af træningstilbud: fik fuld opbakning\n- Kortere sagsgange: godkendt\n")
    rules = rules_with_status_label(tmp_path / "rules", "fik fuld opbakning")[0]  # the edit: one more label
    assert main(["diff", "--rules", str(rules), "--out", str(out)]) == 0
    with workbench(out, reviewer="ida") as base, browser_page() as page:
        page.goto(f"{base}/")
        page.click("#rule-diff a")
        expect(page.locator("#records .diff-card")).to_have_count(2)  # the new experiment and its status
        expect(page.locator("#records .card.sel")).to_contain_text("Frit valg af træningstilbud")
        page.keyboard.press("j")
        expect(page.locator("#records .card.sel")).to_contain_text("«fik fuld opbakning»")
        expect(page.locator("#contexts .ctx:not([hidden]) mark")).to_have_text("fik fuld opbakning")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/doc/{doc_id(out, 'note.txt')}*")
        expect(page.locator("#text .mark").first).to_contain_text("fik fuld opbakning")
        assert not page.js_errors
