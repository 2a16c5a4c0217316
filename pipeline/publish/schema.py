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
        ("published", "string|null", "TEXT", "ISO date from metadata or a date line; null when the document does not say."),
        ("pages", "integer|null", "INTEGER", "Number of pages (PDF only)."),
        ("page_starts", "array|null", "TEXT", "Offset in the stored text where each page begins (PDF only)."),
        ("chars", "integer", "INTEGER", "Length of the stored normalised text."),
        ("duplicates", "array", "TEXT", "Other source paths with byte-identical content (processed once)."),
    ]),
    "mentions": ("mention_id", [
        ("mention_id", "string", "TEXT", "Stable id derived from doc_id, type and offsets."),
        ("doc_id", "string", "TEXT", "Document the mention is in."),
        ("type", "string", "TEXT", "municipality | date."),
        ("text", "string", "TEXT", "Exactly text[start:end] of text/<doc_id>.txt."),
        ("start", "integer", "INTEGER", "Start offset (characters, Python str indexing) into the stored text."),
        ("end", "integer", "INTEGER", "End offset (exclusive)."),
        ("page", "integer|null", "INTEGER", "1-based PDF page holding `start`; null for other formats."),
        ("value", "string|null", "TEXT", "Normalised value: kommunekode ('101') or ISO date ('2016-05-01', '2016-09', '2016', '2016/2019', 'XXXX-09')."),
        ("rule", "string", "TEXT", "Id of the rule in rules/ that matched."),
        ("role", "string|null", "TEXT", "Dates: published | deadline | meeting | start | end | period | decision | mention."),
        ("attrs", "object", "TEXT", "Further type-specific fields (e.g. name and region of a municipality, granularity of a date)."),
    ]),
    "municipalities": ("kommunekode", [
        ("kommunekode", "string", "TEXT", "Official 3-digit municipality code."),
        ("name", "string", "TEXT", "Official name."),
        ("region_code", "string", "TEXT", "Official region code."),
        ("region", "string", "TEXT", "Region name."),
        ("documents", "array", "TEXT", "doc_ids of the documents that mention it."),
        ("mentions", "integer", "INTEGER", "Number of mentions across all documents."),
    ]),
    "errors": (None, [
        ("source", "string", "TEXT", "Path of the file relative to the sources folder."),
        ("error", "string", "TEXT", "One-line reason the document could not be processed."),
    ]),
}


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
