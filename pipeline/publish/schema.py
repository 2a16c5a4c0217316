"""The output contract: every published table, its columns, types and meaning.

One definition feeds the SQLite DDL, `schema.json` (for registries) and the README table,
so the three cannot drift apart. Columns not listed here are not published.
"""

from __future__ import annotations

from typing import Any

# table -> (primary key (a column, or a tuple of columns), [(column, json type, sqlite type, description)])
TABLES: dict[str, tuple[str | tuple[str, ...], list[tuple[str, str, str, str]]]] = {
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
        ("url", "string|null", "TEXT", "Where the document was published, from the sources manifest (sources.csv)."),
        ("publisher", "string|null", "TEXT", "Who published it, from the sources manifest."),
        ("retrieved", "string|null", "TEXT", "When it was retrieved (ISO date), from the sources manifest."),
        ("attrs", "object", "TEXT", "What ingest noticed about the file: `repaired` counts the repairs made to its text (`mixed_encoding`: runs of non-UTF-8 bytes in a UTF-8 file, read as Windows-1252; `mojibake`: characters misread upstream, such as 'Ã¸' for 'ø', read back)."),
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
    "memberships": ("membership_id", [
        ("membership_id", "string", "TEXT", "Derived from network_id and kommunekode (so kept while the network's id is)."),
        ("network_id", "string", "TEXT", "The network."),
        ("kommunekode", "string", "TEXT", "The member municipality."),
        ("name", "string|null", "TEXT", "The municipality's official name."),
        ("doc_id", "string|null", "TEXT", "Document of the first span naming it as a member."),
        ("text", "string|null", "TEXT", "That span's text, as quoted."),
        ("start", "integer|null", "INTEGER", "That span's start offset."),
        ("end", "integer|null", "INTEGER", "That span's end offset."),
        ("page", "integer|null", "INTEGER", "That span's PDF page."),
        ("sources", "array", "TEXT", "Every span naming the municipality as a member of the network."),
    ]),
    "conflicts": ("conflict_id", [
        ("conflict_id", "string", "TEXT", "Stable id derived from type, subject and the sides' values."),
        ("type", "string", "TEXT", "member_list | status | stated_count | undetermined_status."),
        ("subject", "string", "TEXT", "network_id, experiment_id or doc_id the disagreement is about."),
        ("description", "string", "TEXT", "What disagrees, in one line."),
        ("sides", "array", "TEXT", "Each side: value, doc_id, source spans."),
    ]),
    "rejected": (("table", "id"), [
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
    "errors": (("source", "error"), [
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


# ---------------------------------------------------------------------- value contracts
# The canonical values the rules map wording to; tests check that no rule file produces
# another. Enums allow null where the column does.

EXPERIMENT_STATUSES = ["approved", "partially_approved", "pending", "rejected", "withdrawn", "undetermined"]
NETWORK_STATUSES = ["applied", "designated", "not_selected"]
COMMITTEE_DECISIONS = ["approved", "rejected", "discussed", "noted", "postponed", "recommended"]
DOCUMENT_KINDS = ["press_release", "committee_minutes", "news_article", "web_page"]
FORMATS = ["txt", "html", "pdf"]
MENTION_TYPES = ["municipality", "date", "network_name", "experiment_status", "count"]
DATE_ROLES = ["published", "deadline", "meeting", "start", "end", "period", "decision", "mention"]
PROGRAMMES = ["I", "II", "III"]
CONFLICT_TYPES = ["member_list", "status", "stated_count", "undetermined_status"]
REVIEW_STATES = ["unreviewed", "accepted", "corrected", "rejected"]
REVIEW_ACTIONS = ["accept", "reject", "correct", "add", "resolve", "note"]

KOMMUNEKODE = {"type": "string", "pattern": r"^\d{3}$"}
# One date at the precision stated, or a span of two: 2016-05-01, 2016-09, 2016, 2018-W12,
# 2018-Q1, 2018-H2, 2016-FA, an unknown year XXXX-09, a span 2016/2019.
_DATE = r"(?:\d{4}|XXXX)(?:-(?:\d{2}(?:-\d{2})?|W\d{2}|Q[1-4]|H[12]|SP|SU|FA|WI))?"
ISO_DATE = {"type": "string", "pattern": rf"^{_DATE}(?:/{_DATE})?$"}
HEX_ID = {"type": "string", "pattern": r"^[0-9a-f]{16}$"}


def _nullable(fragment: dict[str, Any]) -> dict[str, Any]:
    out = dict(fragment)
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    t = out.get("type")
    if t is not None:
        out["type"] = [*(t if isinstance(t, list) else [t]), "null"]
    if "$ref" in out:
        return {"anyOf": [{"$ref": out["$ref"]}, {"type": "null"}]}
    return out


def _object(properties: dict[str, Any], required: list[str] | None = None, closed: bool = True) -> dict[str, Any]:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": not closed}


# Nested items, shared by the tables (JSON Schema $defs).
DEFS: dict[str, Any] = {
    "source": _object({
        "doc_id": HEX_ID, "source": {"type": "string"}, "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0}, "page": {"type": ["integer", "null"], "minimum": 1},
        "text": {"type": "string"}, "rule": {"type": "string"}}),
    "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
    "member": _object({"kommunekode": KOMMUNEKODE, "name": {"type": ["string", "null"]},
                       "sources": {"$ref": "#/$defs/sources"}}),
    "participant": _object({"kommunekode": KOMMUNEKODE, "sources": {"$ref": "#/$defs/sources"}}),
    "network_status": _object({"status": {"enum": NETWORK_STATUSES}, "doc_id": HEX_ID,
                               "published": _nullable(ISO_DATE), "source": {"$ref": "#/$defs/source"}}),
    "experiment_status": _object({
        "status": {"enum": EXPERIMENT_STATUSES}, "label": {"type": ["string", "null"]},
        "candidates": {"type": ["array", "null"], "items": {"enum": EXPERIMENT_STATUSES}},
        "decided": _nullable(ISO_DATE), "doc_id": HEX_ID, "source": {"$ref": "#/$defs/source"}}),
    "side": _object({"value": {}, "doc_id": {"type": "string"}, "sources": {"$ref": "#/$defs/sources"},
                     "counted": {"type": "string"}}, required=["value", "doc_id", "sources"]),
    "correction": _object({"extracted": {}, "reviewer": {"type": "string"}, "at": {"type": "string"},
                           "conflict_id": {"type": "string"}}, required=["extracted", "reviewer", "at"]),
    "review": _nullable(_object({
        "reviewer": {"type": "string"}, "at": {"type": "string"}, "decision_id": {"type": "string"},
        "corrections": {"type": "object", "additionalProperties": {"$ref": "#/$defs/correction"}},
        "note": {"type": "string"}, "added": {"type": "boolean"},
        "resolution": _object({"chosen": {}, "note": {"type": ["string", "null"]}})},
        required=["reviewer", "at", "decision_id", "corrections"])),
    "doc_ids": {"type": "array", "items": HEX_ID},
}

# (table, column) -> what the column's values must be, beyond their JSON type.
COLUMN_SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    ("documents", "doc_id"): HEX_ID,
    ("documents", "format"): {"enum": FORMATS},
    ("documents", "kind"): {"enum": DOCUMENT_KINDS},
    ("documents", "published"): _nullable(ISO_DATE),
    ("documents", "page_starts"): {"type": ["array", "null"], "items": {"type": "integer", "minimum": 0}},
    ("documents", "duplicates"): {"type": "array", "items": {"type": "string"}},
    ("documents", "pages"): {"type": ["integer", "null"], "minimum": 1},
    ("documents", "chars"): {"type": "integer", "minimum": 0},
    ("documents", "url"): {"type": ["string", "null"], "pattern": r"^https?://"},
    ("documents", "attrs"): {"type": "object", "additionalProperties": False, "properties": {
        "repaired": {"type": "object", "additionalProperties": False, "properties": {
            kind: {"type": "integer", "minimum": 1} for kind in ("mixed_encoding", "mojibake")}}}},
    ("documents", "retrieved"): {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    ("mentions", "doc_id"): HEX_ID,
    ("mentions", "type"): {"enum": MENTION_TYPES},
    ("mentions", "start"): {"type": "integer", "minimum": 0},
    ("mentions", "end"): {"type": "integer", "minimum": 0},
    ("mentions", "page"): {"type": ["integer", "null"], "minimum": 1},
    ("mentions", "role"): {"enum": [*DATE_ROLES, None]},
    # attrs differ per mention type and rule: an open object by design
    ("mentions", "attrs"): {"type": "object"},
    ("municipalities", "kommunekode"): KOMMUNEKODE,
    ("municipalities", "documents"): {"$ref": "#/$defs/doc_ids"},
    ("municipalities", "mentions"): {"type": "integer", "minimum": 1},
    ("networks", "aliases"): {"type": "array", "items": {"type": "string"}},
    ("networks", "programme"): {"enum": [*PROGRAMMES, None]},
    ("networks", "status"): {"enum": [*NETWORK_STATUSES, None]},
    ("networks", "status_history"): {"type": "array", "items": {"$ref": "#/$defs/network_status"}},
    ("networks", "members"): {"type": "array", "items": {"$ref": "#/$defs/member"}},
    ("networks", "documents"): {"$ref": "#/$defs/doc_ids"},
    ("networks", "sources"): {"$ref": "#/$defs/sources"},
    ("experiments", "status"): {"enum": [*EXPERIMENT_STATUSES, None]},
    ("experiments", "round"): {"type": ["integer", "null"], "minimum": 1},
    ("experiments", "decided"): _nullable(ISO_DATE),
    ("experiments", "status_candidates"): {"type": ["array", "null"], "items": {"enum": EXPERIMENT_STATUSES}},
    ("experiments", "programme"): {"enum": [*PROGRAMMES, None]},
    ("experiments", "municipalities"): {"type": "array", "items": {"$ref": "#/$defs/participant"}},
    ("experiments", "status_history"): {"type": "array", "items": {"$ref": "#/$defs/experiment_status"}},
    ("experiments", "documents"): {"$ref": "#/$defs/doc_ids"},
    ("experiments", "sources"): {"$ref": "#/$defs/sources"},
    ("decisions", "doc_id"): HEX_ID,
    ("decisions", "municipality"): _nullable(KOMMUNEKODE),
    ("decisions", "meeting_date"): _nullable(ISO_DATE),
    ("decisions", "decision"): {"enum": [*COMMITTEE_DECISIONS, None]},
    ("decisions", "absent"): {"type": ["array", "null"], "items": {"type": "string"}},
    ("decisions", "sources"): {"type": "object", "additionalProperties": {
        "anyOf": [{"$ref": "#/$defs/source"}, {"$ref": "#/$defs/sources"}]}},
    ("memberships", "network_id"): {"type": "string", "pattern": "^net_"},
    ("memberships", "kommunekode"): KOMMUNEKODE,
    ("memberships", "sources"): {"$ref": "#/$defs/sources"},
    ("conflicts", "type"): {"enum": CONFLICT_TYPES},
    ("conflicts", "sides"): {"type": "array", "items": {"$ref": "#/$defs/side"}, "minItems": 1},
    ("review_orphans", "action"): {"enum": REVIEW_ACTIONS},
}
for _table in ("networks", "experiments", "decisions"):
    COLUMN_SCHEMAS[(_table, "merged_ids")] = {"type": "array", "items": {"type": "string"}}
for _table in ("mentions", "networks", "experiments", "decisions", "conflicts"):
    COLUMN_SCHEMAS[(_table, "review_state")] = {"enum": REVIEW_STATES}
    COLUMN_SCHEMAS[(_table, "review")] = {"$ref": "#/$defs/review"}

# A mention's value depends on its type.
MENTION_VALUE_RULES = [
    {"if": {"properties": {"type": {"const": "municipality"}}}, "then": {"properties": {"value": KOMMUNEKODE}}},
    {"if": {"properties": {"type": {"const": "date"}}}, "then": {"properties": {"value": _nullable(ISO_DATE)}}},
    {"if": {"properties": {"type": {"const": "count"}}}, "then": {"properties": {"value": {"type": "integer"}}}},
    {"if": {"properties": {"type": {"const": "experiment_status"}}},
     "then": {"properties": {"value": {"enum": EXPERIMENT_STATUSES}}}},
]

# ---------------------------------------------------------------------- relational layout

# (table, column) -> (table, column) it refers to
FOREIGN_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("mentions", "doc_id"): ("documents", "doc_id"),
    ("decisions", "doc_id"): ("documents", "doc_id"),
    ("experiments", "network_id"): ("networks", "network_id"),
    ("memberships", "network_id"): ("networks", "network_id"),
}

# the common lookups
INDEXES: dict[str, list[tuple[str, ...]]] = {
    "mentions": [("doc_id", "start"), ("type", "value")],
    "experiments": [("network_id", "status")],
    "decisions": [("doc_id",), ("case_number",)],
    "memberships": [("kommunekode",), ("network_id",)],
}

# Views that answer the obvious questions without json_each. One SQL text for SQLite and
# PostgreSQL: `{table}` is the table (in PostgreSQL, its rows not marked removed), `{text:x}`
# is x read as text (a mention's value is JSON in PostgreSQL).
VIEWS: dict[str, tuple[str, str]] = {
    "network_members": ("Which municipalities are in which networks.", """
        SELECT n.network_id, n.name AS network, n.status AS network_status, m.kommunekode, m.name AS municipality,
               m.doc_id, m.text, m.start, m."end", m.page
        FROM {memberships} m JOIN {networks} n ON n.network_id = m.network_id"""),
    "experiments_by_status": ("Experiments by status per network (network null: experiments without one).", """
        SELECT e.network_id, n.name AS network, e.status, COUNT(*) AS experiments
        FROM {experiments} e LEFT JOIN {networks} n ON n.network_id = e.network_id
        GROUP BY e.network_id, n.name, e.status"""),
    "municipality_facts": ("Every fact about a municipality, with the quote it rests on.", """
        SELECT {text:mn.value} AS kommunekode, 'mentioned' AS fact, mn.doc_id AS subject, mn.doc_id, mn.text,
               mn.start, mn."end", mn.page, mn.rule
        FROM {mentions} mn WHERE mn.type = 'municipality'
        UNION ALL
        SELECT ms.kommunekode, 'member', ms.network_id, ms.doc_id, ms.text, ms.start, ms."end", ms.page, NULL
        FROM {memberships} ms"""),
}


def view_sql(name: str, table=lambda t: f'"{t}"', text=lambda x: x) -> str:
    """A view's SELECT with its placeholders filled for one database."""
    import re

    select = VIEWS[name][1].strip()
    select = re.sub(r"\{text:([^}]+)\}", lambda m: text(m.group(1)), select)
    return re.sub(r"\{(\w+)\}", lambda m: table(m.group(1)), select)


def primary_key(table: str) -> tuple[str, ...]:
    key = TABLES[table][0]
    return key if isinstance(key, tuple) else (key,)


def json_schema() -> dict[str, Any]:
    """schema.json: one JSON Schema per table (closed objects: a column not listed is an error),
    for registries that validate what they load."""
    def prop(table: str, column: str, json_type: str, description: str) -> dict[str, Any]:
        types = json_type.split("|")
        base: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        extra = COLUMN_SCHEMAS.get((table, column))
        if extra is not None:
            base = dict(extra)
        return {**base, "description": description}

    out = {}
    for table, (key, columns) in TABLES.items():
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": table,
            "type": "object",
            "x-primary-key": list(primary_key(table)),
            "properties": {col: prop(table, col, jt, desc) for col, jt, _st, desc in columns},
            "required": [col for col, *_ in columns],
            "additionalProperties": False,
            "$defs": DEFS,
        }
        if table == "mentions":
            schema["allOf"] = MENTION_VALUE_RULES
        out[table] = schema
    return out
