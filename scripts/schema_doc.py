"""Print the output contract as Markdown tables (pasted into README.md; a test keeps them in step)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.publish.schema import TABLES, VIEWS, primary_key  # noqa: E402

for table, (key, columns) in TABLES.items():
    print(f"#### `{table}.jsonl` (key " + ", ".join(f"`{c}`" for c in primary_key(table)) + ")")
    print()
    print("| column | type | meaning |")
    print("|---|---|---|")
    for col, json_type, _sql, desc in columns:
        # A bare "|" would end the Markdown cell.
        print(f"| `{col}` | {json_type.replace('|', ' or ')} | {desc.replace('|', chr(92) + '|')} |")
    print()
print("#### Views (in `dataset.sqlite` and the PostgreSQL load)")
print()
print("| view | answers |")
print("|---|---|")
for name, (doc, _sql) in VIEWS.items():
    print(f"| `{name}` | {doc} |")
print()
