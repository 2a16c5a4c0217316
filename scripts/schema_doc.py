"""Print the output contract as Markdown tables (pasted into README.md; a test keeps them in step)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.publish.schema import TABLES  # noqa: E402

for table, (key, columns) in TABLES.items():
    print(f"#### `{table}.jsonl`" + (f" (key `{key}`)" if key else ""))
    print()
    print("| column | type | meaning |")
    print("|---|---|---|")
    for col, json_type, _sql, desc in columns:
        # A bare "|" would end the Markdown cell.
        print(f"| `{col}` | {json_type.replace('|', ' or ')} | {desc.replace('|', chr(92) + '|')} |")
    print()
