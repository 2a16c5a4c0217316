"""The README's output contract is the one the code publishes."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_readme_documents_every_published_column():
    tables = subprocess.run([sys.executable, str(REPO / "scripts" / "schema_doc.py")],
                            capture_output=True, text=True, check=True).stdout
    assert tables.strip() in (REPO / "README.md").read_text(encoding="utf-8"), \
        "README.md is out of date: paste the output of scripts/schema_doc.py into 'Output contract'"
