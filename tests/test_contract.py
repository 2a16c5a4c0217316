"""The output contract (pipeline/publish/schema.py): one definition, and every published row
keeps it. Rows that break it must fail validation."""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from pipeline.publish import schema
from pipeline.rules import Rules
from pipeline.run import run

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("contract") / "out"
    run(REPO / "sources", out)
    return out


def rows(out: Path, table: str) -> list[dict]:
    return [json.loads(line) for line in (out / f"{table}.jsonl").read_text(encoding="utf-8").splitlines() if line]


def validator(out: Path, table: str):
    published = json.loads((out / "schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(published[table], format_checker=jsonschema.FormatChecker())


def test_every_published_row_keeps_the_contract(dataset):
    checked = 0
    for table in schema.TABLES:
        v = validator(dataset, table)
        for row in rows(dataset, table):
            errors = sorted(v.iter_errors(row), key=str)
            assert not errors, f"{table}: {errors[0].message} at {list(errors[0].absolute_path)}"
            checked += 1
    assert checked > 300


def _first(out, table, test=lambda r: True):
    return copy.deepcopy(next(r for r in rows(out, table) if test(r)))


MUTATIONS = [
    ("municipalities", lambda r: True, lambda r: r.update(kommunekode="85"), "a code of two digits"),
    ("municipalities", lambda r: True, lambda r: r.update(mentions="4"), "a count as a string"),
    ("experiments", lambda r: True, lambda r: r.update(status="maybe"), "a status outside the enum"),
    ("experiments", lambda r: True, lambda r: r.update(extra_column=1), "a column the schema does not list"),
    ("experiments", lambda r: r["sources"], lambda r: r["sources"][0].pop("rule"), "a source span without its rule"),
    ("networks", lambda r: r["members"], lambda r: r["members"][0].update(kommunekode="8510"), "a member code of four digits"),
    ("networks", lambda r: r["members"], lambda r: r["members"][0].update(role="x"), "an unknown key in a nested item"),
    ("mentions", lambda r: r["type"] == "count", lambda r: r.update(value=str(r["value"])), "a count value as text"),
    ("mentions", lambda r: r["type"] == "date" and r["value"], lambda r: r.update(value="17/3-2019"), "a date not in ISO form"),
    ("mentions", lambda r: r["type"] == "date", lambda r: r.update(role="birthday"), "a date role outside the enum"),
    ("documents", lambda r: True, lambda r: r.update(published="3. maj 2019"), "a publication date as written"),
    ("documents", lambda r: True, lambda r: r.update(kind="blog"), "a kind outside the enum"),
    ("decisions", lambda r: True, lambda r: r.pop("case_number"), "a missing column"),
    ("conflicts", lambda r: True, lambda r: r.update(sides=[]), "a conflict without sides"),
]


@pytest.mark.parametrize("table, pick, mutate, what", MUTATIONS, ids=[m[3] for m in MUTATIONS])
def test_a_row_that_breaks_the_contract_fails_validation(dataset, table, pick, mutate, what):
    row = _first(dataset, table, pick)
    v = validator(dataset, table)
    assert not list(v.iter_errors(row))  # valid as published ...
    mutate(row)
    assert list(v.iter_errors(row)), f"{what} was accepted"  # ... and not after the mutation


def test_the_rules_produce_only_values_the_contract_names():
    rules = Rules()
    statuses = {entry["status"] for entry in rules.yaml("experiment_status.yaml")["statuses"]}
    assert statuses == set(schema.EXPERIMENT_STATUSES)
    decisions = {d["value"] for d in rules.yaml("committee_decisions.yaml")["decisions"]}
    assert decisions == set(schema.COMMITTEE_DECISIONS)
    kinds = set(rules.yaml("document_kinds.yaml")["kinds"]) | {rules.yaml("document_kinds.yaml")["fallback"]}
    assert kinds == set(schema.DOCUMENT_KINDS)
    network_statuses = {entry["value"] for entry in rules.yaml("networks.yaml")["status"]}
    assert network_statuses == set(schema.NETWORK_STATUSES)
    roles = {line.split("role:")[1].split("#")[0].strip() for line in
             (REPO / "rules" / "date_roles.yaml").read_text(encoding="utf-8").splitlines()
             if line.strip().startswith(("role:", "- role:")) or " role: " in line}
    assert roles and roles <= set(schema.DATE_ROLES)
    programmes = {p["programme"] for p in rules.yaml("programmes.yaml")["periods"]}
    assert programmes == set(schema.PROGRAMMES)


def test_sqlite_has_keys_foreign_keys_typed_counts_and_views(dataset):
    con = sqlite3.connect(dataset / "dataset.sqlite")
    for table in schema.TABLES:
        pk = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[5]]
        assert pk, f"{table} has no primary key"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = {(t, r[3]) for t in ("mentions", "experiments", "memberships")
                for r in con.execute(f'PRAGMA foreign_key_list("{t}")')}
    assert ("experiments", "network_id") in declared and ("mentions", "doc_id") in declared
    assert {r[0] for r in con.execute("SELECT DISTINCT typeof(value) FROM mentions WHERE type = 'count'")} == {"integer"}
    assert con.execute("SELECT typeof(mentions) FROM municipalities LIMIT 1").fetchone() == ("integer",)

    members = rows(dataset, "memberships")
    assert members and {(m["network_id"], m["kommunekode"]) for m in members} == {
        (n["network_id"], m["kommunekode"]) for n in rows(dataset, "networks") for m in n["members"]}
    # Which networks is Aalborg (851) in? No json_each needed.
    via_view = {r[0] for r in con.execute("SELECT network_id FROM network_members WHERE kommunekode = '851'")}
    assert via_view == {n["network_id"] for n in rows(dataset, "networks")
                        if any(m["kommunekode"] == "851" for m in n["members"])} and via_view
    by_status = dict(((r[0], r[1]), r[2]) for r in con.execute(
        "SELECT network_id, status, experiments FROM experiments_by_status"))
    assert sum(by_status.values()) == len(rows(dataset, "experiments"))
    facts = con.execute("SELECT fact, text FROM municipality_facts WHERE kommunekode = '851'").fetchall()
    assert {"mentioned", "member"} <= {f for f, _ in facts} and all(text for _, text in facts)


def test_readme_and_schema_json_come_from_the_same_definition(dataset):
    published = json.loads((dataset / "schema.json").read_text(encoding="utf-8"))
    assert published == schema.json_schema()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for table in schema.TABLES:
        assert f"#### `{table}.jsonl`" in readme
    for view in schema.VIEWS:
        assert f"`{view}`" in readme


def test_rejecting_a_network_leaves_its_experiments_without_a_dangling_network(tmp_path):
    from pipeline.review import log as review_log
    from pipeline.review.apply import anchor_for, load_documents
    from pipeline.review.log import Decision

    src = tmp_path / "src"
    shutil.copytree(REPO / "sources", src)
    out = tmp_path / "out"
    run(src, out)
    network = next(n for n in rows(out, "networks") if any(e["network_id"] == n["network_id"]
                                                            for e in rows(out, "experiments")))
    review_log.append(out, Decision("reject", "networks", network["network_id"], "ida",
                                    anchor=anchor_for("networks", network, load_documents(out))))
    run(src, out)
    assert network["network_id"] not in {e["network_id"] for e in rows(out, "experiments")}
    con = sqlite3.connect(out / "dataset.sqlite")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
