"""Compiled views of the ingest rule files, built once per Rules object.

Every rule entry must carry an `id`, so a surprising result can be traced to the line that caused it.
"""

from __future__ import annotations

import re
from typing import Any
from weakref import WeakKeyDictionary

from ..rules import Rules, RulesError

_compiled: WeakKeyDictionary = WeakKeyDictionary()


def entries(rules: Rules, name: str, key: str) -> list[dict[str, Any]]:
    """The list under `key` in rule file `name`; each entry must be a mapping with an id."""
    data = rules.yaml(name) or {}
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise RulesError(f"{name}: '{key}' must be a list")
    for item in items:
        if not isinstance(item, dict) or not item.get("id"):
            raise RulesError(f"{name}: every entry under '{key}' needs an id")
    return items


def setting(rules: Rules, name: str, key: str) -> Any:
    data = rules.yaml(name) or {}
    if not isinstance(data, dict) or key not in data:
        raise RulesError(f"{name}: missing setting '{key}'")
    return data[key]


def compile_pattern(name: str, rule_id: str, pattern: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except (re.error, TypeError) as exc:
        raise RulesError(f"{name}: rule {rule_id}: bad pattern: {exc}") from exc


def cached(rules: Rules, key: str, build):
    """Memoise `build(rules)` per Rules object: compiling regexes per file would dominate small inputs."""
    per_rules = _compiled.setdefault(rules, {})
    if key not in per_rules:
        per_rules[key] = build(rules)
    return per_rules[key]
