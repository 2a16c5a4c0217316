"""The reviewer's workbench: a small local web app over one output folder.

`frikommune review --out extracted` serves it on 127.0.0.1. It reads the last run's tables and
the review log, shows every record with its source spans, and appends the reviewer's decisions
(accept, reject, correct, add, resolve, note, undo) to `OUT/review/decisions.jsonl` through
`pipeline.review.log.append` — the only thing it ever writes. The next `frikommune run` applies
them (`pipeline.review.apply`).

Pages are rendered on the server with Jinja's autoescaping (document text is untrusted); the
script is a static file under a strict Content-Security-Policy; every POST carries the
per-start CSRF token and must come from the page's own origin.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
import unicodedata
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, jsonify, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException
from markupsafe import Markup

from ..spans import trimmed
from . import log as review_log
from .apply import REVIEWABLE, ViewBase, anchor_for, added_mention_id, quote_anchor
from ..publish import current_version
from .log import Decision
from .reviewers import Reviews, read_reviews


QUEUE_FILTERS = ("table", "type", "status", "state", "doc")
# Queues beyond a record's own state: flagged for a second look, decided differently by two
# reviewers, accepted by one reviewer only (second review: `reviewer` leaves out one's own).
SPECIAL_STATES = ("reviewed", "flagged", "disagreements", "second")
QUEUE_TITLES = {"flagged": "Flagged for a second look", "disagreements": "Disagreements between reviewers",
                "second": "Second review: accepted by one reviewer only"}


class NotSaved(HTTPException):
    """507 Insufficient Storage: the review log refused the write; nothing was recorded."""

    code = 507
    description = "the decision was not saved"

TABLE_ORDER = ("conflicts", "networks", "experiments", "decisions", "mentions")
TABLE_LABELS = {"conflicts": "Conflicts", "networks": "Networks", "experiments": "Experiments",
                "decisions": "Committee decisions", "mentions": "Mentions"}
TABLE_SINGULAR = {"conflicts": "conflict", "networks": "network", "experiments": "experiment",
                  "decisions": "committee decision", "mentions": "mention"}
MENTION_TYPES = ("municipality", "date", "network_name", "experiment_status", "count")
STATES = ("unreviewed", "accepted", "corrected", "rejected")
VOCAB = {
    "experiment_status": ("approved", "partially_approved", "pending", "rejected", "withdrawn"),
    "network_status": ("applied", "designated", "not_selected"),
    "programme": ("I", "II", "III"),
    "decision": ("approved", "rejected", "discussed", "noted", "postponed", "recommended"),
}
# Fields a reviewer may correct, per table: (field, kind). Kinds: text, int, date, kommune, vocab:<name>.
RECORD_FIELDS = {
    "networks": (("name", "text"), ("status", "vocab:network_status"), ("programme", "vocab:programme"),
                 ("theme", "text")),
    "experiments": (("status", "vocab:experiment_status"), ("title", "text"), ("decided", "date"),
                    ("round", "int"), ("programme", "vocab:programme")),
    "decisions": (("decision", "vocab:decision"), ("meeting_date", "date"), ("municipality", "kommune"),
                  ("title", "text"), ("case_number", "text"), ("body", "text")),
    "conflicts": (),
}
MENTION_VALUE_KIND = {"municipality": "kommune", "date": "date", "experiment_status": "vocab:experiment_status",
                      "count": "int", "network_name": "text"}
DATE_RE = re.compile(r"^(?:(?:\d{4}|XXXX)(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?|\d{4}/\d{4})$")
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
PAGE_SIZE = 150
CONTEXT_CHARS = 160
# A long document is shown in parts, so a page stays a few hundred KB however large the document:
# a part ends at the first line break after this many characters or highlighted spans.
PART_CHARS = 30_000
PART_SPANS = 250
MAX_NOTE = 2000


class InvalidValue(ValueError):
    """A corrected or added value that does not fit its field."""


# --------------------------------------------------------------------------- dataset + cache

@dataclass
class Record:
    """One reviewable row as the workbench shows it."""

    table: str
    id: str
    row: dict[str, Any]
    title: str
    value: Any
    subtitle: str
    kind: str  # colour class: the mention type or the table
    rule: str | None
    sources: list[dict[str, Any]]  # every source span: doc_id, start, end, text, rule, label, page
    facts: list[tuple[str, Any]]  # further fields shown on the card
    docs: set[str] = field(default_factory=set)
    sides: list[dict[str, Any]] | None = None  # conflicts: each side with its document's title
    flagged: bool = False  # flagged for a second look (the log's last flag or unflag says)
    history: list[dict[str, Any]] = field(default_factory=list)  # every decision on it, oldest first
    disagreement: bool = False  # two reviewers' latest verdicts differ (reviewers.py)
    accepted_by_one: str | None = None  # the one reviewer who accepted it, and nobody else decided

    @property
    def key(self) -> str:
        return f"{self.table}:{self.id}"

    @property
    def state(self) -> str:
        return self.row.get("review_state") or "unreviewed"

    @property
    def review(self) -> dict[str, Any]:
        return self.row.get("review") or {}


@dataclass
class View:
    tables: dict[str, list[dict]]
    documents: dict[str, Any]  # doc_id -> Document
    doc_rows: list[dict]  # documents.jsonl rows, in published order
    decisions: list[Decision]
    records: dict[str, Record]  # key -> Record, in queue order
    by_doc: dict[str, list[str]]  # doc_id -> record keys
    orphans: list[dict]
    run_info: dict[str, Any]
    flagged: set[str] = field(default_factory=set)  # record keys flagged for a second look
    reviews: Reviews = field(default_factory=Reviews)  # several reviewers: history, disagreements, kappa


class Dataset:
    """The output folder, read through `current_view` and cached until the log or the run changes."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._view: View | None = None
        self._base: tuple[tuple, ViewBase] | None = None  # (version stamp, base): the run's part

    def _stamp(self) -> tuple[tuple, tuple | None]:
        """(the published version's stamp, the review log's): what the view depends on."""
        def stat(path: Path):
            try:
                s = path.stat()
                return (s.st_size, s.st_mtime_ns, s.st_ino)
            except FileNotFoundError:
                return None
        # The published version (one symlink, switched by each run), and the review log.
        version = current_version(self.out)
        data = version or self.out
        published = (str(version),) + tuple(stat(data / name) for name in (
            "documents.jsonl", "run.json", "mentions.jsonl", "review_orphans.jsonl"))
        return published, stat(review_log.log_path(self.out))

    def view(self) -> View:
        with self._lock:
            key = self._stamp()
            if self._view is None or key != self._key:
                for attempt in range(5):  # a run may be swapping files into place right now
                    try:
                        published = key[0]
                        if self._base is None or self._base[0] != published:
                            data = current_version(self.out) or self.out
                            self._base = (published, ViewBase.read(data))
                            previous = None
                        else:
                            previous = self._view  # same run: re-present only the records that changed
                        self._view = build_view(self.out, self._base[1], previous)
                        break
                    except (FileNotFoundError, json.JSONDecodeError, KeyError):
                        if attempt == 4:
                            raise
                        time.sleep(0.2)
                        key = self._stamp()
                self._key = key
            return self._view

    def invalidate(self) -> None:
        """The log changed (a decision here): rebuild on the next read, re-presenting only the
        records whose review changed (the run's part stays cached while its version stands)."""
        with self._lock:
            self._key = None


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_view(out: Path, base: ViewBase | None = None, previous: View | None = None) -> View:
    """The view of the published version with the review log replayed. With the `previous`
    view of the same version, only records whose review changed are presented again: a
    decision costs the replay, not a new card for every row."""
    decisions = list(review_log.read(out))
    # Every table from one published version, whatever a run switches meanwhile.
    data = current_version(out) or out
    base = base or ViewBase.read(data)
    tables, documents = base.with_decisions(decisions), base.documents
    doc_rows = read_jsonl(data / "documents.jsonl") if previous is None else previous.doc_rows
    titles = titles_of(doc_rows)
    sources_of = {d["doc_id"]: d["source"] for d in doc_rows}
    doc_order = {d["doc_id"]: i for i, d in enumerate(doc_rows)}
    before = previous.records if previous is not None else {}

    records: dict[str, Record] = {}
    by_doc: dict[str, list[str]] = {d["doc_id"]: [] for d in doc_rows}
    for table in TABLE_ORDER:
        rows = []
        for row in tables.get(table, []):
            old = before.get(f"{table}:{row[REVIEWABLE[table]]}")
            if old is not None and old.row == row:
                rows.append(old)  # unchanged since the last view: the same card
                continue
            rec = present(table, row)
            for s in rec.sources:
                s["doc_title"] = titles.get(s["doc_id"], s["doc_id"])
                # a mention's span carries no file name of its own: the document's
                s["source"] = s.get("source") or sources_of.get(s["doc_id"])
            if rec.table == "conflicts":  # each side named by its document's title, not its doc_id
                rec.sides = [dict(side, doc_title=titles.get(side.get("doc_id"), side.get("doc_id")))
                             for side in rec.row.get("sides") or []]
            rows.append(rec)
        rows.sort(key=sort_key(doc_order))
        for rec in rows:
            records[rec.key] = rec
            for doc_id in sorted(rec.docs, key=lambda d: doc_order.get(d, 1 << 30)):
                if doc_id in by_doc:
                    by_doc[doc_id].append(rec.key)

    # Orphans: the decisions of the log that no longer apply to the dataset, replayed now (so a
    # decision undone since the run, or one the run could re-anchor, is not listed).
    orphans: dict[str, dict] = {o["decision_id"]: o for o in tables.get("review_orphans", [])}
    run_info = {}
    if (data / "run.json").exists():
        run_info = json.loads((data / "run.json").read_text(encoding="utf-8"))
    flagged = flagged_keys(decisions)
    reviews = read_reviews(decisions)
    for key, rec in records.items():
        rec.flagged = key in flagged
        rec.history = reviews.history.get(key, [])
        rec.disagreement = key in reviews.disagreements
        rec.accepted_by_one = reviews.single_accepts.get(key)
    return View(tables, documents, doc_rows, decisions, records, by_doc,
                sorted(orphans.values(), key=lambda o: o.get("at") or ""), run_info, flagged, reviews)


def flagged_keys(decisions: list[Decision]) -> set[str]:
    """Keys of the records whose last flag or unflag (not undone) was a flag."""
    taken_back = review_log.undone(decisions)
    last: dict[str, str] = {}
    for d in decisions:
        if d.action in ("flag", "unflag") and d.decision_id not in taken_back:
            last[f"{d.table}:{d.target}"] = d.action
    return {key for key, action in last.items() if action == "flag"}


def sort_key(doc_order: dict[str, int]):
    def key(rec: Record):
        if rec.table == "mentions":
            r = rec.row
            return (doc_order.get(r["doc_id"], 1 << 30), r["start"], r["end"], r["type"])
        if rec.table == "decisions":
            return (doc_order.get(rec.row["doc_id"], 1 << 30), rec.row.get("start") or 0, rec.id)
        return (str(rec.title or "").casefold(), rec.id)
    return key


def span(s: dict[str, Any], label: str) -> dict[str, Any]:
    return {"doc_id": s["doc_id"], "start": s["start"], "end": s["end"], "text": s.get("text"),
            "rule": s.get("rule"), "page": s.get("page"), "source": s.get("source"), "label": label}


def present(table: str, row: dict[str, Any]) -> Record:
    """A row of any reviewable table as a card: title, value, facts, and all its source spans."""
    rid = row[REVIEWABLE[table]]
    if table == "mentions":
        src = [span(row, row["type"])]
        facts = [("type", row["type"]), ("value", row.get("value"))]
        if row.get("role"):
            facts.append(("role", row["role"]))
        if row.get("page"):
            facts.append(("page", row["page"]))
        return Record(table, rid, row, row["text"], row.get("value"), row["type"], row["type"], row.get("rule"),
                      src, facts, {row["doc_id"]})
    if table == "networks":
        src = [span(s, "name") for s in row.get("sources") or []]
        for m in row.get("members") or []:
            src += [span(s, f"member {m.get('name') or m.get('kommunekode')}") for s in m.get("sources") or []]
        src += [span(h["source"], f"status {h.get('status')}") for h in row.get("status_history") or []
                if h.get("source")]
        members = ", ".join(m.get("name") or m.get("kommunekode") or "?" for m in row.get("members") or [])
        facts = [("status", row.get("status")), ("programme", row.get("programme")), ("theme", row.get("theme")),
                 ("members", members or None), ("aliases", "; ".join(row.get("aliases") or []) or None)]
        return Record(table, rid, row, row.get("name") or "(unnamed network)", row.get("name"),
                      f"network · {len(row.get('members') or [])} members", table, None, src, facts,
                      {s["doc_id"] for s in src} | set(row.get("documents") or []))
    if table == "experiments":
        src = [span(s, "title") for s in row.get("sources") or []]
        src += [span(h["source"], f"status {h.get('label') or h.get('status')}")
                for h in row.get("status_history") or [] if h.get("source")]
        src += [span(s, f"municipality {m['kommunekode']}") for m in row.get("municipalities") or []
                for s in m.get("sources") or []]
        candidates = " or ".join(row.get("status_candidates") or []) or None
        facts = [("status", row.get("status")), ("could be", candidates), ("as written", row.get("status_label")),
                 ("decided", row.get("decided")), ("round", row.get("round")), ("programme", row.get("programme")),
                 ("municipalities", ", ".join(m["kommunekode"] for m in row.get("municipalities") or []) or None),
                 ("network", row.get("network_id"))]
        return Record(table, rid, row, row.get("title") or "(untitled)", row.get("status"), "experiment", table,
                      None, src, facts, {s["doc_id"] for s in src} | set(row.get("documents") or []))
    if table == "decisions":
        src = [span(s, name) for name, s in (row.get("sources") or {}).items() if isinstance(s, dict)]
        title = f"Item {row.get('agenda_item') or '?'}: {row.get('title') or ''}".strip()
        absent = row.get("absent")
        facts = [("decision", row.get("decision")), ("as written", row.get("decision_label")),
                 ("body", row.get("body")), ("municipality", row.get("municipality")),
                 ("meeting", row.get("meeting_date")), ("case", row.get("case_number")),
                 ("absent", ", ".join(absent) if absent else ("none" if absent == [] else None)),
                 ("frikommune", "yes" if row.get("mentions_frikommune") else "no")]
        return Record(table, rid, row, title, row.get("decision"), "committee decision", table, row.get("rule"),
                      src, facts, {row["doc_id"]} | {s["doc_id"] for s in src})
    # conflicts
    src = []
    for i, side in enumerate(row.get("sides") or [], 1):
        src += [span(s, f"side {i}") for s in side.get("sources") or []]
    docs = {s["doc_id"] for s in src} | {side.get("doc_id") for side in row.get("sides") or [] if side.get("doc_id")}
    if re.fullmatch(r"[0-9a-f]{16}", str(row.get("subject") or "")):
        docs.add(row["subject"])
    return Record(table, rid, row, row.get("description") or "conflict", None, f"conflict · {row.get('type')}",
                  table, None, src, [("type", row.get("type")), ("subject", row.get("subject"))], docs)


# --------------------------------------------------------------------------- values

def kommuner() -> list[tuple[str, str]]:
    from ..rules import Rules
    return [(r["kode"], r["navn"]) for r in Rules().csv("municipalities.csv")]


def field_kind(table: str, row: dict[str, Any], name: str) -> str | None:
    if table == "mentions":
        return MENTION_VALUE_KIND.get(row.get("type"), "text") if name == "value" else None
    return dict(RECORD_FIELDS.get(table, ())).get(name)


def coerce(kind: str, raw: Any, codes: set[str]) -> Any:
    """A submitted value as stored in the dataset; InvalidValue with a readable reason otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if kind in ("text",):
            raise InvalidValue("a value is required")
        return None
    if isinstance(raw, (dict, list, bool)):
        raise InvalidValue("not a plain value")
    text = str(raw).strip()
    if len(text) > 500:
        raise InvalidValue("too long (at most 500 characters)")
    if kind == "int":
        if not re.fullmatch(r"\d{1,9}", text):
            raise InvalidValue(f"{text!r} is not a whole number")
        return int(text)
    if kind == "date":
        if not DATE_RE.fullmatch(text):
            raise InvalidValue(f"{text!r} is not an ISO date (2016-05-01, 2016-09, 2016, 2016/2019, XXXX-09)")
        return text
    if kind == "kommune":
        if text not in codes:
            raise InvalidValue(f"{text!r} is not a kommunekode of the reference list")
        return text
    if kind.startswith("vocab:"):
        allowed = VOCAB[kind.split(":", 1)[1]]
        if text not in allowed:
            raise InvalidValue(f"{text!r} is not one of {', '.join(allowed)}")
        return text
    if any(ord(c) < 32 and c not in "\t" for c in text):
        raise InvalidValue("control characters are not allowed")
    return text


def edit_fields(rec: Record) -> list[dict[str, Any]]:
    """The inline correction form of a card: one control per correctable field."""
    if rec.table == "mentions":
        names = [("value", field_kind("mentions", rec.row, "value"))]
    else:
        names = list(RECORD_FIELDS.get(rec.table, ()))
    out = []
    for name, kind in names:
        value = rec.row.get(name)
        out.append({"name": name, "kind": kind, "value": "" if value is None else str(value),
                    "options": VOCAB[kind.split(":", 1)[1]] if kind.startswith("vocab:") else None})
    return out


# --------------------------------------------------------------------------- text rendering

def highlight_spans(view: View, doc_id: str) -> list[dict[str, Any]]:
    """Every extraction in one document: mentions by type, and the source spans of records."""
    spans = []
    for key in view.by_doc.get(doc_id, []):
        rec = view.records[key]
        if rec.table == "mentions":
            r = rec.row
            spans.append({"start": r["start"], "end": r["end"], "key": key, "cls": f"t-{css_name(r['type'])}",
                          "mention": True, "state": rec.state,
                          "tip": f"{r['type']} · {fmt(r.get('value'))} · rule {r.get('rule')}"})
            continue
        for s in rec.sources:
            if s["doc_id"] != doc_id or s["end"] - s["start"] > 400:  # whole sections: linked, not painted
                continue
            spans.append({"start": s["start"], "end": s["end"], "key": key, "cls": f"r-{rec.table}",
                          "mention": False, "state": rec.state,
                          "tip": f"{TABLE_SINGULAR[rec.table]} {s['label']}: {shorten(rec.title, 60)}"
                                 f" · rule {s.get('rule')}"})
    return spans


def part_starts(text: str, span_starts: list[int], max_chars: int | None = None,
                max_spans: int | None = None) -> list[int]:
    """Offsets where each part of the document view begins (always [0] for a short document).
    A part ends at the first line break after `max_chars` characters or `max_spans` span starts
    (a hard cut at the limit when no line break comes within another `max_chars`)."""
    max_chars = max_chars or PART_CHARS
    max_spans = max_spans or PART_SPANS
    starts = [0]
    ordered = sorted(span_starts)
    position, seen = 0, 0
    while True:
        while seen < len(ordered) and ordered[seen] < position:
            seen += 1
        limit = position + max_chars
        if seen + max_spans < len(ordered):
            limit = min(limit, ordered[seen + max_spans])
        if limit >= len(text):
            return starts
        cut = text.find("\n", max(limit, position + 1))
        if cut == -1 or cut - limit > max_chars:
            cut = limit
        cut += text[cut:cut + 1] == "\n"  # the line break stays with the part it ends
        if cut >= len(text):
            return starts
        starts.append(cut)
        position = cut


def render_text(text: str, spans: list[dict[str, Any]], page_starts: list[int] | None,
                lo: int = 0, hi: int | None = None, cuts: tuple[int, ...] = ()) -> Markup:
    """text[lo:hi] as escaped HTML: split at every span boundary (and page start); each piece
    carries its offsets into the whole text and the classes, keys and tooltips of all spans
    covering it. Spans crossing lo or hi are cut there. `cuts`: further offsets to split at (a
    range a link marks that no record of this dataset has, such as a rule diff's new span)."""
    n = len(text) if hi is None else hi
    spans = [dict(s, start=max(s["start"], lo), end=min(s["end"], n)) for s in spans
             if 0 <= s["start"] < s["end"] <= len(text) and s["end"] > lo and s["start"] < n]
    bounds = {lo, n} | {c for c in cuts if lo < c < n}
    for s in spans:
        bounds.update((s["start"], s["end"]))
    pages = {}
    for i, p in enumerate(page_starts or [], 1):
        if lo <= p <= n:
            bounds.add(p)
            pages[p] = i
    cuts = sorted(bounds)
    starts: dict[int, list[dict]] = {}
    for s in spans:
        starts.setdefault(s["start"], []).append(s)
    active: list[dict] = []
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        if a in pages:
            parts.append(Markup('<span class="page-break" data-label="{}" aria-hidden="true"></span>').format(
                f"page {pages[a]}"))
        active = [s for s in active if s["end"] > a] + starts.get(a, [])
        piece = text[a:b]
        if not active:
            parts.append(Markup('<span data-s="{}" data-e="{}">{}</span>').format(a, b, piece))
            continue
        classes = ["hl"] + sorted({s["cls"] for s in active})
        mentions = [s for s in active if s["mention"]]
        if len(mentions) > 1:
            classes.append("multi")
        if mentions and all(s["state"] == "rejected" for s in mentions):
            classes.append("is-rejected")
        elif mentions and all(s["state"] in ("accepted", "corrected") for s in mentions):
            classes.append("is-accepted")
        keys = " ".join(dict.fromkeys(s["key"] for s in sorted(active, key=lambda s: not s["mention"])))
        tip = "\n".join(dict.fromkeys(s["tip"] for s in active))
        parts.append(Markup('<span data-s="{}" data-e="{}" class="{}" data-k="{}" title="{}">{}</span>').format(
            a, b, " ".join(classes), keys, tip, piece))
    return Markup("").join(parts)


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> dict[str, str]:
    a, b = max(0, start - width), min(len(text), end + width)
    return {"before": ("…" if a else "") + text[a:start], "quote": text[start:end],
            "after": text[end:b] + ("…" if b < len(text) else "")}


def chosen_part(bounds: list[int], args) -> int:
    """The 1-based part asked for by `part`, or the one holding offset `at`; 400 if malformed."""
    parts = len(bounds) - 1
    try:
        if "part" in args:
            part = int(args["part"])
        elif "at" in args:
            at = int(args["at"])
            part = next((i for i in range(1, parts + 1) if bounds[i - 1] <= at < bounds[i]), parts)
        else:
            part = 1
    except ValueError:
        abort(400, "part and at must be whole numbers")
    if not 1 <= part <= parts:
        abort(400 if part < 1 else 404, f"this document has {parts} part{'s' if parts > 1 else ''}")
    return part


def css_name(value: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", str(value).lower())


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def shorten(value: Any, n: int) -> str:
    s = fmt(value)
    return s if len(s) <= n else s[: n - 1] + "…"


def when(at: str | None) -> str:
    return (at or "").replace("T", " ").replace("+00:00", " UTC")


# --------------------------------------------------------------------------- the app

def create_app(out: Path | str, reviewer: str | None = None, host: str = "127.0.0.1") -> Flask:
    out = Path(out)
    if not (out / "documents.jsonl").is_file():
        raise FileNotFoundError(f"no dataset in {out}: run `frikommune run` first")
    app = Flask(__name__)
    app.config.update(OUT=out, REVIEWER=clean_reviewer(reviewer) if reviewer else None,
                      CSRF_TOKEN=secrets.token_urlsafe(32), LOOPBACK_ONLY=host in LOOPBACK,
                      MAX_CONTENT_LENGTH=64 * 1024, JSON_AS_ASCII=False)
    app.jinja_env.globals.update(fmt=fmt, shorten=shorten, when=when, css_name=css_name,
                                 TABLE_LABELS=TABLE_LABELS, TABLE_SINGULAR=TABLE_SINGULAR,
                                 MENTION_TYPES=MENTION_TYPES, VOCAB=VOCAB, STATES=STATES)
    dataset = Dataset(out)
    codes_list = kommuner()
    codes = {c for c, _ in codes_list}
    app.jinja_env.globals["kommune_names"] = dict(codes_list)
    app.extensions["frikommune_dataset"] = dataset

    @app.before_request
    def guard():
        if app.config["LOOPBACK_ONLY"] and hostname(request.host) not in LOOPBACK:
            abort(403, "unexpected Host header")  # a DNS-rebinding page must not reach the app
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            token = request.headers.get("X-CSRF-Token", "")
            if not hmac.compare_digest(token.encode(), app.config["CSRF_TOKEN"].encode()):
                abort(403, "missing or wrong CSRF token")
            origin = request.headers.get("Origin") or request.headers.get("Referer")
            if origin and urlsplit(origin).netloc != request.host:
                abort(403, "cross-origin request")

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.endpoint == "original_file":
            # A publisher's page, shown in a frame of the document view: sandboxed (no scripts, an
            # opaque origin), nothing loaded from anywhere, its own inline styles allowed.
            response.headers["Content-Security-Policy"] = (
                "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(409)
    @app.errorhandler(413)
    @app.errorhandler(NotSaved)
    def error(exc):
        if request.path.startswith("/api/"):
            return jsonify(ok=False, error=exc.description), exc.code
        # No CSRF token on an error page: a page on a foreign Host (DNS rebinding) must not learn it.
        return render_template("error.html", code=exc.code, message=exc.description,
                               **{**page_globals(), "csrf_token": ""}), exc.code

    def page_globals() -> dict[str, Any]:
        return {"csrf_token": app.config["CSRF_TOKEN"], "fixed_reviewer": app.config["REVIEWER"] or "",
                "out": str(out)}

    @app.get("/")
    def index():
        view = dataset.view()
        docs = []
        for d in view.doc_rows:
            keys = view.by_doc.get(d["doc_id"], [])
            docs.append({**d, "records": len(keys),
                         "unreviewed": sum(view.records[k].state == "unreviewed" for k in keys)})
        queues = []
        for table in TABLE_ORDER:
            recs = [r for r in view.records.values() if r.table == table]
            counts = {s: sum(r.state == s for r in recs) for s in STATES}
            queues.append({"table": table, "label": TABLE_LABELS[table], "total": len(recs), **counts})
        orphans = [orphan_view(view, o) for o in view.orphans]
        reviews = view.reviews
        from ..rulediff import DIFF_FILE

        diff_lines = sum(1 for _ in (out / DIFF_FILE).open(encoding="utf-8")) if (out / DIFF_FILE).is_file() else None
        return render_template("index.html", diff_lines=diff_lines, docs=docs, queues=queues, orphans=orphans, flagged=len(view.flagged),
                               disagreements=len(reviews.disagreements & view.records.keys()),
                               second=sum(1 for k in reviews.single_accepts if k in view.records),
                               agreement=reviews.agreement,
                               run=view.run_info, **filter_options(view), **page_globals())

    def filter_options(view: View) -> dict[str, Any]:
        types = sorted({r.row.get("type") for r in view.records.values()
                        if r.table in ("mentions", "conflicts") and r.row.get("type")})
        statuses = sorted({str(r.row.get(f)) for r in view.records.values()
                           for f in ("status", "decision") if r.table != "mentions" and r.row.get(f)})
        return {"filter_types": types, "filter_statuses": statuses, "filter_docs": view.doc_rows,
                "f": {k: request.args.get(k, "") for k in ("table", "type", "status", "state", "doc")}}

    @app.get("/queue")
    def queue():
        view = dataset.view()
        a = request.args
        unknown = sorted(set(a) - set(QUEUE_FILTERS) - {"page", "reviewer"})
        if unknown:  # ("endpoint", "_external" would reach url_for): say so rather than ignore
            abort(400, f"unknown query parameter {unknown[0]!r}")
        table, rtype, status, state, doc = (a.get(k, "") for k in QUEUE_FILTERS)
        me = app.config["REVIEWER"] or a.get("reviewer", "")
        if table and table not in TABLE_ORDER:
            abort(404, "no such queue")
        if doc and doc not in view.documents:
            abort(404, "no such document")
        recs = []
        in_queue = reviewed = 0  # the queue's records whatever their state, and those decided
        for rec in view.records.values():
            if table and rec.table != table:
                continue
            if rtype and rec.row.get("type") != rtype:
                continue
            if status and str(rec.row.get("decision" if rec.table == "decisions" else "status")) != status:
                continue
            if doc and doc not in rec.docs:
                continue
            in_queue += 1
            reviewed += rec.state != "unreviewed"
            if state == "reviewed" and rec.state == "unreviewed":
                continue
            if state == "flagged" and not rec.flagged:
                continue
            if state == "disagreements" and not rec.disagreement:
                continue
            if state == "second" and (rec.accepted_by_one is None or rec.accepted_by_one == me):
                continue
            if state and state not in SPECIAL_STATES and rec.state != state:
                continue
            recs.append(rec)
        try:
            page = max(1, int(a.get("page", "1")))
        except ValueError:
            page = 1
        pages = max(1, -(-len(recs) // PAGE_SIZE))
        page = min(page, pages)
        shown = recs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        contexts = {rec.key: [{**s, **context(view.documents[s["doc_id"]].text, s["start"], s["end"])}
                              for s in rec.sources if s["doc_id"] in view.documents] for rec in shown}
        title = QUEUE_TITLES.get(state) or TABLE_LABELS.get(table, "All records")
        return render_template("queue.html", recs=shown, total=len(recs), page=page, pages=pages,
                               in_queue=in_queue, reviewed=reviewed,
                               contexts=contexts, title=title, edit_fields=edit_fields,
                               kommuner=codes_list, revisit=state in ("disagreements", "second", "flagged"),
                               page_args={k: a[k] for k in (*QUEUE_FILTERS, "reviewer") if a.get(k)},
                               **filter_options(view), **page_globals())

    @app.get("/doc/<doc_id>")
    def document(doc_id: str):
        view = dataset.view()
        if doc_id not in view.documents:
            abort(404, "no such document")
        unknown = set(request.args) - {"part", "at", "mark"}
        if unknown:
            abort(400, f"unknown parameter: {sorted(unknown)[0]}")
        mark = re.fullmatch(r"(\d{1,9})-(\d{1,9})", request.args.get("mark", ""))
        doc = view.documents[doc_id]
        meta = next(d for d in view.doc_rows if d["doc_id"] == doc_id)
        recs = [view.records[k] for k in view.by_doc.get(doc_id, [])]
        spans = highlight_spans(view, doc_id)
        bounds = part_starts(doc.text, [s["start"] for s in spans]) + [len(doc.text)]
        part = chosen_part(bounds, request.args)
        lo, hi = bounds[part - 1], bounds[part]
        if len(bounds) > 2:  # only the records this part shows a span of (the first part: also those without)
            shown = {s["key"] for s in spans if lo <= s["start"] < hi}
            spanned = {s["key"] for s in spans}
            recs = [r for r in recs if r.key in shown or part == 1 and r.key not in spanned]
        legend = sorted({r.row["type"] for r in recs if r.table == "mentions"} | set(MENTION_TYPES))
        index = [d["doc_id"] for d in view.doc_rows]
        i = index.index(doc_id)
        return render_template("document.html", doc=meta,
                               text_html=render_text(doc.text, spans, doc.page_starts, lo, hi,
                                                     tuple(map(int, mark.groups())) if mark else ()),
                               part=part, parts=len(bounds) - 1, part_lo=lo, part_hi=hi,
                               recs=recs, legend=legend, tables=[t for t in TABLE_ORDER if t != "mentions"],
                               edit_fields=edit_fields, kommuner=codes_list,
                               unreviewed=sum(r.state == "unreviewed" for r in recs),
                               prev_doc=index[i - 1] if i > 0 else None,
                               next_doc=index[i + 1] if i + 1 < len(index) else None, **page_globals())

    # ---------------------------------------------------------------- decisions (POST, JSON)

    def body() -> dict[str, Any]:
        try:
            data = request.get_json(silent=True)
        except RecursionError:  # JSON nested thousands of levels deep
            abort(400, "JSON nested too deeply")
        if not isinstance(data, dict):
            abort(400, "expected a JSON object")
        return data

    def who(data: dict[str, Any]) -> str:
        if app.config["REVIEWER"]:
            return app.config["REVIEWER"]
        try:
            return clean_reviewer(data.get("reviewer"))
        except InvalidValue as exc:
            abort(400, str(exc))

    def append(decision: Decision) -> Decision:
        try:
            review_log.append(out, decision)
        except review_log.LogWriteError as exc:
            # Not stored: the reviewer must know, and must not be told it was.
            raise NotSaved(f"the decision was not saved: {exc}")
        dataset.invalidate()
        return decision

    def target(view: View, data: dict[str, Any]) -> Record:
        table, rid = data.get("table"), data.get("id")
        if not isinstance(table, str) or table not in REVIEWABLE or not isinstance(rid, str):
            abort(400, "table and id required")
        rec = view.records.get(f"{table}:{rid}")
        if rec is None:
            abort(404, f"no {table} row {rid}")
        return rec

    @app.post("/api/decide")
    def decide():
        data = body()
        reviewer = who(data)
        view = dataset.view()
        rec = target(view, data)
        action = data.get("action")
        anchor = anchor_for(rec.table, rec.row, view.documents)
        note = data.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
            abort(400, f"a note is text of at most {MAX_NOTE} characters")
        note = (note.strip() or None) if isinstance(note, str) else None
        made = []
        if action in ("accept", "reject"):
            made.append(append(Decision(action, rec.table, rec.id, reviewer, old=rec.value, note=note,
                                        anchor=anchor)))
        elif action == "correct":
            fields = data.get("fields")
            if not isinstance(fields, dict) or not fields:
                abort(400, "fields to correct required")
            changes = []
            unknown = [name for name in fields if field_kind(rec.table, rec.row, name) is None]
            if unknown:
                abort(400, f"{', '.join(map(str, unknown))} cannot be corrected on {rec.table}")
            for name in (f["name"] for f in edit_fields(rec) if f["name"] in fields):  # in form order
                raw, kind = fields[name], field_kind(rec.table, rec.row, name)
                try:
                    new = coerce(kind, raw, codes)
                except InvalidValue as exc:
                    abort(400, f"{name}: {exc}")
                if new != rec.row.get(name):
                    changes.append((name, rec.row.get(name), new))
            if not changes:
                abort(400, "nothing changed")
            for name, old, new in changes:
                made.append(append(Decision("correct", rec.table, rec.id, reviewer, field=name, old=old, new=new,
                                            note=note, anchor=anchor)))
        elif action == "resolve":
            if rec.table != "conflicts":
                abort(400, "only conflicts are resolved")
            sides = rec.row.get("sides") or []
            side = data.get("side")
            if not isinstance(side, int) or isinstance(side, bool) or not 0 <= side < len(sides):
                abort(400, "side must be the index of one of the conflict's sides")
            chosen = sides[side]
            made.append(append(Decision(
                "resolve", rec.table, rec.id, reviewer, field="sides",
                old=[{"value": s.get("value"), "doc_id": s.get("doc_id")} for s in sides],
                new={"value": chosen.get("value"), "doc_id": chosen.get("doc_id")}, note=note, anchor=anchor)))
        elif action in ("flag", "unflag"):
            made.append(append(Decision(action, rec.table, rec.id, reviewer, anchor=anchor)))
        elif action == "note":
            if not note:
                abort(400, "the note is empty")
            made.append(append(Decision("note", rec.table, rec.id, reviewer, note=note, anchor=anchor)))
        else:
            abort(400, "action must be accept, reject, correct, resolve, note, flag or unflag")
        label = {"accept": "accepted", "reject": "rejected", "correct": "corrected", "resolve": "resolved",
                 "note": "noted", "flag": "flagged", "unflag": "unflagged"}[action]
        state = {"accept": "accepted", "reject": "rejected", "correct": "corrected", "resolve": "accepted"}.get(action)
        return jsonify(ok=True, decisions=[d.decision_id for d in made], key=rec.key, state=state,
                       reviewer=reviewer, at=made[-1].at,
                       message=f"{label} {TABLE_SINGULAR[rec.table]} {shorten(rec.title, 50)}")

    @app.post("/api/add")
    def add():
        data = body()
        reviewer = who(data)
        view = dataset.view()
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str) or doc_id not in view.documents:
            abort(404, "no such document")
        doc = view.documents[doc_id]
        start, end, mtype = data.get("start"), data.get("end"), data.get("type")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)) \
                or not 0 <= start < end <= len(doc.text):
            abort(400, "start and end must select text of the document")
        start, end = trimmed(doc.text, start, end)  # a selection's stray blanks are not part of it
        if start == end or end - start > 1000:
            abort(400, "select between 1 and 1000 characters")
        if mtype not in MENTION_TYPES:
            abort(400, f"type must be one of {', '.join(MENTION_TYPES)}")
        if isinstance(data.get("text"), str) and data["text"].strip() != doc.text[start:end]:
            abort(409, "the selection does not match the stored text (reload the page)")
        try:
            value = coerce(MENTION_VALUE_KIND[mtype], data.get("value"), codes)
        except InvalidValue as exc:
            abort(400, f"value: {exc}")
        mention_id = added_mention_id(doc_id, mtype, start, end)
        existing = view.records.get(f"mentions:{mention_id}")
        if existing is not None and existing.state != "rejected":
            abort(409, "this mention is already in the dataset")
        text = doc.text[start:end]
        mention = {"doc_id": doc_id, "type": mtype, "value": value, "start": start, "end": end, "text": text}
        d = append(Decision("add", "mentions", mention_id, reviewer, field="value", new=value, mention=mention,
                            anchor=quote_anchor(doc, start, end)))
        return jsonify(ok=True, decisions=[d.decision_id], id=mention_id, key=f"mentions:{mention_id}",
                       message=f"added {mtype} {shorten(text, 40)}")

    @app.post("/api/undo")
    def undo():
        data = body()
        reviewer = who(data)
        view = dataset.view()
        undone = review_log.undone(view.decisions)
        last = next((d for d in reversed(view.decisions)
                     if d.reviewer == reviewer and d.action != "undo" and d.decision_id not in undone), None)
        if last is None:
            abort(409, f"nothing to undo for {reviewer}")
        d = append(Decision("undo", last.table, last.target, reviewer, field=last.field, old=last.new,
                            new=last.old, anchor=last.anchor, undoes=last.decision_id))
        return jsonify(ok=True, decisions=[d.decision_id], key=f"{last.table}:{last.target}",
                       message=f"undid {last.action} on {TABLE_SINGULAR.get(last.table, last.table)} {last.target}")

    # ---------------------------------------------------------------- the original beside the text

    def original_of(doc_id: str) -> tuple[dict[str, Any], Path]:
        from ..publish.originals import original_path

        view = dataset.view()
        meta = next((d for d in view.doc_rows if d["doc_id"] == doc_id), None)
        if meta is None:
            abort(404, "no such document")
        path = original_path(out, meta["sha256"])
        if not path.is_file():
            abort(404, "the original file is not kept (run without --no-originals to keep it)")
        return meta, path

    @app.get("/original/<doc_id>")
    def original_file(doc_id: str):
        """The source file as it was read: HTML in a sandbox (see headers), text as text."""
        meta, path = original_of(doc_id)
        kinds = {"html": "text/html", "txt": "text/plain; charset=utf-8", "pdf": "application/pdf"}
        return send_file(path, mimetype=kinds.get(meta["format"], "application/octet-stream"), max_age=3600,
                         conditional=True, etag=meta["sha256"])

    @app.get("/original/<doc_id>/page/<int:page>.png")
    def original_page(doc_id: str, page: int):
        from .original import page_png

        meta, path = original_of(doc_id)
        if meta["format"] != "pdf":
            abort(404, "only a PDF has page images")
        try:
            scale = float(request.args.get("scale", 1.5))
            png = page_png(path, page, scale)
        except (ValueError, IndexError) as exc:
            abort(404, f"no such page: {exc}")
        except OSError as exc:
            abort(404, f"cannot read the original: {exc}")
        response = app.response_class(png, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=3600"
        return response

    @app.get("/api/original")
    def original_span():
        """Where the selected record's span stands in the original: the page and its boxes for a
        PDF (shares of the page, top left origin), the frame's address for HTML and text."""
        from .original import span_boxes

        view = dataset.view()
        doc_id = request.args.get("doc", "")
        if doc_id not in view.documents:
            abort(404, "no such document")
        meta, path = original_of(doc_id)
        rec = view.records.get(request.args.get("key", ""))
        span_here = next((s for s in rec.sources if s["doc_id"] == doc_id), None) if rec else None
        body: dict[str, Any] = {"doc_id": doc_id, "format": meta["format"], "url": meta.get("url"),
                                "pages": meta.get("pages"), "frame": url_for("original_file", doc_id=doc_id)}
        if meta["format"] != "pdf":
            return jsonify(body)
        document = view.documents[doc_id]
        page = (span_here or {}).get("page") or 1
        body.update(page=page, image=url_for("original_page", doc_id=doc_id, page=page), boxes=[], found=False)
        if span_here:
            starts = document.page_starts or [0]
            lo = starts[page - 1] if page - 1 < len(starts) else 0
            hi = starts[page] if page < len(starts) else len(document.text)
            share = (span_here["start"] - lo) / max(1, hi - lo)
            try:
                body.update(span_boxes(path, page, span_here.get("text") or "", share), text=span_here.get("text"))
            except (IndexError, OSError) as exc:
                body["error"] = f"cannot read the page: {exc}"
        return jsonify(body)

    # ---------------------------------------------------------------- a rule edit's preview

    @app.get("/diff")
    def rule_diff():
        """`frikommune diff`'s report (OUT/diff.jsonl) as a queue: each change with the text
        around its span, newest diff only."""
        from ..rulediff import DIFF_FILE

        view = dataset.view()
        path = out / DIFF_FILE
        unknown = sorted(set(request.args) - {"change", "kind"})
        if unknown:
            abort(400, f"unknown query parameter {unknown[0]!r}")
        lines = read_jsonl(path) if path.is_file() else []
        change, kind = request.args.get("change", ""), request.args.get("kind", "")
        entries, titles = [], titles_of(view.doc_rows)
        for n, line in enumerate(lines):
            if change and line.get("change") != change or kind and line.get("kind") != kind:
                continue
            span = line.get("span") or (line if "start" in line else None)
            if line.get("kind") == "review":
                anchor = (line.get("decision") or {}).get("anchor") or {}
                span = {"doc_id": anchor.get("doc_id"), "start": anchor.get("start"), "end": anchor.get("end"),
                        "text": anchor.get("text")} if anchor.get("doc_id") else None
            if span and span.get("doc_id") in view.documents and isinstance(span.get("start"), int):
                text = view.documents[span["doc_id"]].text
                span = {**span, **context(text, span["start"], span["end"]),
                        "doc_title": titles.get(span["doc_id"])}
            else:
                span = None
            entries.append({"n": n, "line": line, "span": span})
        made = time.strftime("%Y-%m-%d %H:%M", time.localtime(path.stat().st_mtime)) if path.is_file() else None
        tally: dict[str, int] = {}
        for line in lines:
            tally[line.get("change", "?")] = tally.get(line.get("change", "?"), 0) + 1
        return render_template("diff.html", entries=entries[:PAGE_SIZE * 4], total=len(entries), made=made,
                               tally=tally, change=change, kind=kind, **page_globals())

    catalogue: list = []  # built on the first question: it builds each component once

    @app.get("/api/explain")
    def explain():
        """Why this value: the rule of a record or mention, its file, line, the entry that
        matched, the component; for records, every span they rest on (see explain.py)."""
        from ..rules import Rules
        from .explain import RuleCatalogue, record_explanation

        view = dataset.view()
        rec = view.records.get(request.args.get("key", ""))
        if rec is None:
            abort(404, "no such record")
        if not catalogue:
            catalogue.append(RuleCatalogue(Rules()))
        cat = catalogue[0]
        stale = view.run_info.get("rules_fingerprint") not in (None, cat.rules.fingerprint)
        if rec.table == "mentions":
            body = {"kind": "mention", **cat.explain(rec.rule, rec.row.get("text"), rec.value, rec.row.get("type"))}
            role_rule = (rec.row.get("attrs") or {}).get("role_rule")
            if role_rule:
                body["role"] = {"role": rec.row.get("role"), **cat.explain(role_rule)}
        else:
            body = {"kind": "record", "table": rec.table, **record_explanation(cat, rec.rule, rec.sources)}
        return jsonify(key=rec.key, stale_rules=stale, **body)

    @app.get("/api/state")
    def state():
        """Review state of every record (for scripts and the e2e tests)."""
        view = dataset.view()
        return jsonify({k: {"state": r.state, "reviewer": r.review.get("reviewer"), "at": r.review.get("at")}
                        for k, r in view.records.items()})

    return app


def titles_of(doc_rows: list[dict]) -> dict[str, str]:
    """doc_id -> what a page calls the document: its title, else its file name."""
    return {d["doc_id"]: d.get("title") or d["source"] for d in doc_rows}


def orphan_view(view: View, o: dict[str, Any]) -> dict[str, Any]:
    anchor = (o.get("decision") or {}).get("anchor") or {}
    return {**o, "quote": anchor.get("text"), "anchor_doc": anchor.get("doc_id"),
            "doc_present": anchor.get("doc_id") in view.documents,
            "new": (o.get("decision") or {}).get("new"), "note": (o.get("decision") or {}).get("note")}


def hostname(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0]


def clean_reviewer(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidValue("a reviewer name is required")
    name = " ".join(name.split())
    # control characters and bidi overrides (U+202A-202E, U+2066-2069) would disguise a name in the log
    if len(name) > 80 or any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in name):
        raise InvalidValue("a reviewer name is at most 80 printable characters")
    return name


def quiet_handler():
    """Werkzeug's request handler, logging only failed requests (the terminal stays readable)."""
    from werkzeug.serving import WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            if str(getattr(code, "value", code)).startswith(("4", "5")):
                super().log_request(code, size)

    return QuietHandler


def serve(out: Path, host: str = "127.0.0.1", port: int = 8000, reviewer: str | None = None,
          announce=print) -> None:
    """Run the workbench until interrupted. Raises FileNotFoundError (no dataset), OSError (port)."""
    import socket

    from werkzeug.serving import make_server

    app = create_app(out, reviewer=reviewer, host=host)
    # Bind first ourselves: werkzeug reports a busy port with several lines and sys.exit(1).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    server = make_server(host, port, app, threaded=True, fd=sock.fileno(), request_handler=quiet_handler())
    shown = f"[{host}]" if ":" in host else host
    announce(f"workbench: http://{shown}:{sock.getsockname()[1]}/  (output folder {out}; Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sock.close()
