"""Why this value? A rule id from a mention or record, traced back to where it is written.

Every fact records the id of the rule that produced it. The catalogue finds that id in the
rule files (`id: …` of a mapping; else `rule: …` or a `…_id:` key, for an id a whole file or
section gives its facts), the
file's line, the rule's own lines, the entry inside it that matched the quoted text (a
vocabulary word, a label, a pattern), and the extraction component that reads the file.
For a municipality, the gazetteer row of its code is shown too.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..rulecheck import compose, yaml_files
from ..rules import Rules, RulesError

MAX_RULE_LINES = 30  # a long vocabulary is cut in the panel; the file and line say where the rest is
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass
class RuleEntry:
    rule: str
    file: str
    line: int  # 1-based line of the rule's `id:`/`rule:` key
    lines: list[str] = field(default_factory=list)  # the rule as written (at most MAX_RULE_LINES)
    cut: int = 0  # lines left out
    strings: list[tuple[int, str]] = field(default_factory=list)  # (line, value) of its text values


def is_id_key(key: str) -> bool:
    """`id`, `rule`, and keys naming the id a part of a rule gives its facts (`header_id`)."""
    return key in ("id", "rule") or key.endswith(("_id", "_rule"))


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


class RuleCatalogue:
    """Built once per workbench from the rules folder; cheap to query."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.entries: dict[str, RuleEntry] = {}
        self.file_of_component: dict[str, set[str]] = {}
        for name in yaml_files(rules):
            try:
                root = compose(rules, name)
            except (RulesError, yaml.YAMLError, UnicodeDecodeError):
                continue  # a broken file is the run's error to report, not the panel's
            source = rules.path(name).read_text(encoding="utf-8").splitlines()
            self._index(name, root, source)

    def _index(self, name: str, node: yaml.Node | None, source: list[str]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if is_id_key(str(key.value)) and isinstance(value, yaml.ScalarNode) and value.value:
                    rule = str(value.value)
                    if rule not in self.entries or key.value == "id":
                        self.entries[rule] = self._entry(rule, name, key.start_mark.line, node, source)
                self._index(name, value, source)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._index(name, item, source)

    @staticmethod
    def _entry(rule: str, name: str, key_line: int, node: yaml.Node, source: list[str]) -> RuleEntry:
        first, last = node.start_mark.line, node.end_mark.line
        if last < len(source) and not source[last][:node.end_mark.column].strip():
            last -= 1  # a block mapping ends where the next item's text starts
        lines = source[first:last + 1]
        while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
            lines.pop()  # blank lines and the next section's comments
        strings = [(n.start_mark.line + 1, str(n.value)) for n in _scalars(node)]
        return RuleEntry(rule, name, key_line + 1, lines[:MAX_RULE_LINES], max(0, len(lines) - MAX_RULE_LINES),
                         strings)

    def find(self, rule: str) -> RuleEntry | None:
        """The entry for an id, or for its longest dotted prefix with one ("count.unit.x" ->
        "count.unit" when only the family is written down)."""
        parts = rule.split(".")
        for n in range(len(parts), 0, -1):
            entry = self.entries.get(".".join(parts[:n]))
            if entry is not None:
                return entry
        return None

    @functools.cached_property
    def components(self) -> dict[str, list[str]]:
        """rule file -> the extraction components that read it (each built on its own, so
        what it opens is what it uses)."""
        from ..extract import build_component_reading

        readers: dict[str, list[str]] = {}
        for component, files in build_component_reading(self.rules).items():
            for name in files:
                readers.setdefault(name, []).append(component)
        return readers

    def explain(self, rule: str | None, text: str | None = None, value: Any = None,
                kind: str | None = None) -> dict[str, Any]:
        """What the panel shows for one fact: the rule, where it is, what in it matched."""
        if not rule:
            return {"rule": None, "found": False, "why": "no rule recorded (added by a reviewer)"}
        entry = self.find(rule)
        if entry is None:
            return {"rule": rule, "found": False,
                    "why": "this id is not written in the rules folder (a rule of code, or of an older rules version)"}
        out: dict[str, Any] = {
            "rule": rule, "found": True, "file": entry.file, "line": entry.line,
            "family": entry.rule if entry.rule != rule else None,
            "lines": entry.lines, "cut": entry.cut,
            "components": self.components.get(entry.file, []),
            "matched": self.matched(entry, text) if text else None,
        }
        if kind == "municipality" and value is not None:
            out["gazetteer"] = self.gazetteer_rows(str(value))
        return out

    @staticmethod
    def matched(entry: RuleEntry, text: str) -> dict[str, Any] | None:
        """The vocabulary entry or pattern inside the rule that matches the quoted text: the
        longest literal the text contains, else a pattern that matches it."""
        quoted = _norm(text)
        best: tuple[int, str] | None = None
        for line, value in entry.strings:
            if value == entry.rule or len(value) < 2:
                continue
            if _norm(value) and _norm(value) in quoted and (best is None or len(value) > len(best[1])):
                best = (line, value)
        if best:
            return {"line": best[0], "entry": best[1], "how": "word"}
        for line, value in entry.strings:
            if not any(ch in value for ch in "\\[](|?*+"):
                continue
            try:
                if re.search(PLACEHOLDER.sub(".+?", value), text, re.IGNORECASE):
                    return {"line": line, "entry": value, "how": "pattern"}
            except re.error:
                continue
        return None

    def gazetteer_rows(self, code: str) -> list[dict[str, Any]]:
        rows = []
        for path in sorted(self.rules.dir.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as fh:
                for number, row in enumerate(csv.reader(fh), 1):
                    if row and row[0].strip() == code:
                        rows.append({"file": path.name, "line": number, "row": ",".join(row)})
        return rows


def _scalars(node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def record_explanation(catalogue: RuleCatalogue, rule: str | None, sources: list[dict[str, Any]]) -> dict[str, Any]:
    """For a record: the component that built it (the one reading the rule file of its first
    span), its own rule if it has one, and span by span the mentions it rests on."""
    spans = [{**source, "explained": catalogue.explain(source.get("rule"), source.get("text"))} for source in sources]
    own = catalogue.explain(rule) if rule else None
    first = own if own and own.get("found") else next((s["explained"] for s in spans if s["explained"].get("found")), None)
    return {"rule": rule, "explained": own, "components": (first or {}).get("components", []), "spans": spans}
