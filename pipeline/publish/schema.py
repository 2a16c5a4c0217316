"""The output contract: every published table, its columns, types and meaning.

One definition feeds the SQLite DDL, `schema.json` (for registries) and the README table,
so the three cannot drift apart. Columns not listed here are not published.
"""

from __future__ import annotations

from typing import Any

# table -> (primary key, [(column, json type, sqlite type, description)])
TABLES: dict[str, tuple[str | None, list[tuple[str, str, str, str]]]] = {
    "documents": ("doc_id", [
        ("doc_id", "string", "TEXT", "Stable id: first 16 hex digits of the sha256 of the raw file."),
        ("source", "string", "TEXT", "Path of the file relative to the sources folder."),
        ("sha256", "string", "TEXT", "sha256 of the raw bytes."),
        ("format", "string", "TEXT", "txt | html | pdf."),
        ("kind", "string", "TEXT", "press_release | committee_minutes | news_article | web_page."),
        ("title", "string|null", "TEXT", "Headline of the document."),
        ("published", "string|null", "TEXT", "ISO date at the precision stated ('2017-02-03', '2018-02', '2018') from metadata, a metadata prefix, a label or a date line; null when the document does not say."),
        ("pages", "integer|null", "INTEGER", "Number of pages (PDF only)."),
        ("page_starts", "array|null", "TEXT", "Offset in the stored text where each page begins (PDF only)."),
        ("chars", "integer", "INTEGER", "Length of the stored normalised text."),
        ("duplicates", "array", "TEXT", "Other source paths with byte-identical content (processed once)."),
    ]),
    "mentions": ("mention_id", [
        ("mention_id", "string", "TEXT", "Derived from doc_id, type and offsets; kept through an edit elsewhere in the same source file (its quote and context still stand)."),
        ("doc_id", "string", "TEXT", "Document the mention is in."),
        ("type", "string", "TEXT", "municipality | date | network_name | experiment_status | count."),
        ("text", "string", "TEXT", "Exactly text[start:end] of text/<doc_id>.txt."),
        ("start", "integer", "INTEGER", "Start offset (characters, Python str indexing) into the stored text."),
        ("end", "integer", "INTEGER", "End offset (exclusive)."),
        ("page", "integer|null", "INTEGER", "1-based PDF page holding `start`; null for other formats."),
        ("value", "string|integer|null", "TEXT", "Normalised value: kommunekode ('101'; an abolished municipality gives its successor's, attrs.historic), ISO date at the precision the text states ('2016-05-01', '2016-09', '2016', '2016/2019', week '2018-W12', quarter '2018-Q1', half-year '2018-H2', season '2016-FA', unknown year 'XXXX-09'; null for relative dates and seasons without a year, whose reading against the publication date is attrs.anchored_value), canonical status, network name, or a count (integer)."),
        ("rule", "string", "TEXT", "Id of the rule in rules/ that matched."),
        ("role", "string|null", "TEXT", "Dates: published | deadline | meeting | start | end | period | decision | mention."),
        ("attrs", "object", "TEXT", "Further type-specific fields (e.g. name and region of a municipality; granularity (day, week, month, quarter, half, season, year, span) and anchored_value of a date; the experiments a status decides)."),
    ]),
    "municipalities": ("kommunekode", [
        ("kommunekode", "string", "TEXT", "Official 3-digit municipality code."),
        ("name", "string", "TEXT", "Official name."),
        ("region_code", "string", "TEXT", "Official region code."),
        ("region", "string", "TEXT", "Region name."),
        ("documents", "array", "TEXT", "doc_ids of the documents that mention it."),
        ("mentions", "integer", "INTEGER", "Number of mentions across all documents."),
    ]),
    "networks": ("network_id", [
        ("network_id", "string", "TEXT", "Kept across runs (README: Identity); first given from the content words of the canonical name."),
        ("name", "string|null", "TEXT", "Canonical name (theme): the variant from the most authoritative source (rules/reconcile.yaml)."),
        ("aliases", "array", "TEXT", "Every name variant seen, as written."),
        ("programme", "string|null", "TEXT", "Frikommuneforsøg I, II or III, where stated or implied."),
        ("status", "string|null", "TEXT", "applied | designated | not_selected: the latest statement."),
        ("status_history", "array", "TEXT", "Every status statement: status, doc_id, published, source span."),
        ("theme", "string|null", "TEXT", "Category heading the network was listed under, e.g. 'Boliger'."),
        ("members", "array", "TEXT", "Municipalities: kommunekode, name, and the source span of every mention as a member."),
        ("documents", "array", "TEXT", "doc_ids that mention the network."),
        ("sources", "array", "TEXT", "Source span of every name mention: doc_id, source, start, end, page, text, rule."),
    ]),
    "experiments": ("experiment_id", [
        ("experiment_id", "string", "TEXT", "Kept across runs (README: Identity); first given from the network (else the municipalities) and the title's content words."),
        ("title", "string", "TEXT", "Title of the experiment as first written."),
        ("network_id", "string|null", "TEXT", "Network the experiment was applied for under."),
        ("status", "string|null", "TEXT", "approved | partially_approved | pending | rejected | withdrawn | undetermined: the latest decision; null when no document states one."),
        ("status_label", "string|null", "TEXT", "The decision as written, e.g. 'Imødekommes delvist'."),
        ("round", "integer|null", "INTEGER", "Application round, where stated."),
        ("decided", "string|null", "TEXT", "Date of the latest decision (the stating document's publication date)."),
        ("status_candidates", "array|null", "TEXT", "For status 'undetermined' (a heading naming two decisions): the decisions it may be; a reviewer picks one."),
        ("programme", "string|null", "TEXT", "Frikommuneforsøg I, II or III, where stated or implied by years near the experiment."),
        ("municipalities", "array", "TEXT", "Applying or participating municipalities tied to the experiment by its line, heading or sentence: kommunekode and source spans."),
        ("status_history", "array", "TEXT", "Every decision: status, label, candidates, decided, doc_id, source span."),
        ("documents", "array", "TEXT", "doc_ids that list the experiment."),
        ("sources", "array", "TEXT", "Source span of every title mention."),
    ]),
    "decisions": ("decision_id", [
        ("decision_id", "string", "TEXT", "Kept across runs (README: Identity); first given from doc_id and the item's offset."),
        ("doc_id", "string", "TEXT", "The minutes the agenda item is in."),
        ("agenda_item", "string|null", "TEXT", "Item number as written, e.g. '95'."),
        ("title", "string|null", "TEXT", "Item title."),
        ("case_number", "string|null", "TEXT", "Case number, e.g. '2016-005291', '12/4417'."),
        ("body", "string|null", "TEXT", "Committee or council, e.g. 'Beskæftigelsesudvalget'."),
        ("municipality", "string|null", "TEXT", "kommunekode of the municipality whose minutes these are."),
        ("meeting_date", "string|null", "TEXT", "ISO date of the meeting, where stated."),
        ("decision", "string|null", "TEXT", "approved | rejected | discussed | noted | postponed | recommended."),
        ("decision_label", "string|null", "TEXT", "The decision words as written, e.g. 'Drøftet'."),
        ("decision_text", "string|null", "TEXT", "The decision section as written."),
        ("absent", "array|null", "TEXT", "Names of absent members ([] where the minutes say 'Ingen'; null where they say nothing)."),
        ("mentions_frikommune", "boolean", "INTEGER", "The item concerns the frikommune experiments."),
        ("start", "integer", "INTEGER", "Start offset of the agenda item in the stored text."),
        ("end", "integer", "INTEGER", "End offset of the agenda item."),
        ("page", "integer|null", "INTEGER", "PDF page where the item starts."),
        ("rule", "string", "TEXT", "Rule that recognised the agenda item."),
        ("sources", "object", "TEXT", "Source span of each field: field -> doc_id, source, start, end, page, text, rule."),
    ]),
    "conflicts": ("conflict_id", [
        ("conflict_id", "string", "TEXT", "Stable id derived from type, subject and the sides' values."),
        ("type", "string", "TEXT", "member_list | status | stated_count | undetermined_status."),
        ("subject", "string", "TEXT", "network_id, experiment_id or doc_id the disagreement is about."),
        ("description", "string", "TEXT", "What disagrees, in one line."),
        ("sides", "array", "TEXT", "Each side: value, doc_id, source spans."),
    ]),
    "rejected": (None, [
        ("table", "string", "TEXT", "Table the rejected row was published in."),
        ("id", "string", "TEXT", "Id of the rejected row."),
        ("reviewer", "string", "TEXT", "Who rejected it."),
        ("at", "string", "TEXT", "When (ISO 8601, UTC)."),
        ("row", "object", "TEXT", "The row as extracted, for audit."),
    ]),
    "review_orphans": ("decision_id", [
        ("decision_id", "string", "TEXT", "The review decision that no longer applies."),
        ("action", "string", "TEXT", "accept | reject | correct | add | resolve | note."),
        ("table", "string", "TEXT", "Table of its target."),
        ("target", "string", "TEXT", "Id of its target row."),
        ("reviewer", "string", "TEXT", "Who made it."),
        ("at", "string", "TEXT", "When."),
        ("reason", "string", "TEXT", "Why it no longer applies."),
        ("decision", "object", "TEXT", "The decision as logged."),
    ]),
    "errors": (None, [
        ("source", "string", "TEXT", "Path of the file relative to the sources folder."),
        ("error", "string", "TEXT", "One-line reason the document could not be processed."),
    ]),
}


# Records whose ids are kept across runs (pipeline/identify) say where an id came from.
IDENTITY_COLUMNS = [
    ("merged_ids", "array", "TEXT", "Ids of records that were merged into this one in earlier runs (all of its former ids)."),
    ("derived_from", "string|null", "TEXT", "The id of the record this one was split from, if any."),
]
for _table in ("networks", "experiments", "decisions"):
    TABLES[_table][1].extend(IDENTITY_COLUMNS)

# Every row a reviewer can act on says what became of it.
REVIEW_COLUMNS = [
    ("review_state", "string", "TEXT", "unreviewed | accepted | corrected | rejected (rejected rows are in rejected.jsonl)."),
    ("review", "object|null", "TEXT", "reviewer, at, decision_id, corrections {field: {extracted, reviewer, at}}, note."),
]
for _table in ("mentions", "networks", "experiments", "decisions", "conflicts"):
    TABLES[_table][1].extend(REVIEW_COLUMNS)


def json_schema() -> dict[str, Any]:
    """schema.json: one JSON Schema per table, for registries that validate what they load."""
    def prop(json_type: str, description: str) -> dict[str, Any]:
        types = json_type.split("|")
        return {"type": types[0] if len(types) == 1 else types, "description": description}

    return {
        table: {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": table,
            "type": "object",
            "x-primary-key": key,
            "properties": {col: prop(jt, desc) for col, jt, _st, desc in columns},
            "required": [col for col, jt, _st, _d in columns if "null" not in jt],
        }
        for table, (key, columns) in TABLES.items()
    }
