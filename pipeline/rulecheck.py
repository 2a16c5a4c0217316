"""Checks on rule files that name the file, the line and the rule: a broken rule must say where
it is, not which component tripped over it.

- `check_shapes`: every rule file against `rules/shapes.yaml`, the type of each key path in the
  shipped rules (a list stays a list: a string where a list of words belongs would otherwise be
  read as a list of letters). `scripts/rule_shapes.py` regenerates it after a deliberate change.
- `locate_pattern`: for a regex error raised while a component compiled its rules, the rule
  string that causes it, with its file, line and the id of the rule it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from .rules import DEFAULT_RULES_DIR, YAML_LOADER, Rules, RulesError

SHAPES_FILE = "shapes.yaml"
WHOLE_FILE = "(file)"  # the shape key of a file's top-level value

_TAG_TYPES = {
    "tag:yaml.org,2002:str": "string",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:seq": "list",
    "tag:yaml.org,2002:map": "mapping",
}
_ARTICLE = {"list": "a list", "mapping": "a mapping", "string": "a string", "number": "a number",
            "bool": "true/false", "null": "empty"}


def compose(rules: Rules, name: str) -> yaml.Node | None:
    """The file's node tree (values with their line numbers)."""
    try:
        return yaml.compose(rules.path(name).read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (UnicodeDecodeError, yaml.YAMLError):
        rules.yaml(name)  # raises the RulesError that names the line
        raise


def walk(node: yaml.Node | None, path: str = "", rule_id: str | None = None
         ) -> Iterator[tuple[str, str, yaml.Node, str | None]]:
    """(key path, type, node, id of the innermost mapping with an `id`) for every value.
    List items share one path, `key[]`, so a shape describes every item at once."""
    if node is None:
        return
    kind = _TAG_TYPES.get(node.tag, "string")
    yield path, kind, node, rule_id
    if kind == "mapping":
        own_id = next((v.value for k, v in node.value if k.value == "id" and isinstance(v, yaml.ScalarNode)), None)
        for key, value in node.value:
            yield from walk(value, f"{path}.{key.value}" if path else str(key.value), own_id or rule_id)
    elif kind == "list":
        for item in node.value:
            yield from walk(item, f"{path}[]", rule_id)


def yaml_files(rules: Rules) -> list[str]:
    return sorted(p.name for p in Path(rules.dir).glob("*.yaml") if p.name != SHAPES_FILE)


def shapes_of(rules: Rules) -> dict[str, dict[str, str]]:
    """file -> key path -> its types in these rules ("list", "string|null", ...)."""
    shapes: dict[str, dict[str, str]] = {}
    for name in yaml_files(rules):
        seen: dict[str, set[str]] = {}
        for path, kind, _node, _id in walk(compose(rules, name)):
            seen.setdefault(path or WHOLE_FILE, set()).add(kind)
        shapes[name] = {path: "|".join(sorted(kinds)) for path, kinds in sorted(seen.items())}
    return shapes


def check_shapes(rules: Rules) -> None:
    """RulesError for the first value whose type differs from the shipped rules' shape."""
    try:
        expected = rules.yaml(SHAPES_FILE)
    except RulesError:  # a rules folder of one's own without the file: the shipped rules' shapes
        shipped = Path(DEFAULT_RULES_DIR) / SHAPES_FILE
        if not shipped.is_file():
            return
        expected = Rules(DEFAULT_RULES_DIR).yaml(SHAPES_FILE)
    for name in yaml_files(rules):
        shape = expected.get(name) if isinstance(expected, dict) else None
        if not shape:
            continue
        for path, kind, node, rule_id in walk(compose(rules, name)):
            allowed = shape.get(path or WHOLE_FILE)
            if allowed is None or kind in allowed.split("|") or kind == "null" and path:
                continue  # a new key, a matching type, or an emptied value (code checks presence)
            where = f" rule {rule_id}:" if rule_id else ""
            wanted = " or ".join(_ARTICLE[a] for a in allowed.split("|"))
            raise RulesError(f"{name}: line {node.start_mark.line + 1}:{where} '{path or WHOLE_FILE}' is "
                             f"{_ARTICLE[kind]} where {wanted} belongs (types as in {SHAPES_FILE})")


def locate_pattern(rules: Rules, names: list[str], error: re.error) -> str | None:
    """'FILE: line N: rule ID: bad pattern: MESSAGE' for the rule string behind `error`, or None.
    Candidates are the strings that fail to compile the same way; the one that shares the
    longest stretch with the failing pattern wins (the whole string, or for a template the text
    before its first placeholder), so a vocabulary entry such as "(" does not."""
    composed = error.pattern if isinstance(error.pattern, str) else ""
    best, best_score = None, -1
    for name in names:
        for path, kind, node, rule_id in walk(compose(rules, name)):
            if kind != "string" or not node.value:
                continue
            try:
                re.compile(node.value)
                continue
            except re.error as own:
                if own.msg != error.msg:
                    continue
            literal = node.value.split("{", 1)[0]
            score = len(node.value) if node.value in composed else len(literal) if literal in composed else 0
            if score > best_score:
                best_score = score
                rule = f"{rule_id} ({path})" if rule_id else path
                best = f"{name}: line {node.start_mark.line + 1}: rule {rule}: bad pattern: {error.msg}"
    return best
