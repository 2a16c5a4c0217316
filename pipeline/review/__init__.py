"""Review stage: the reviewer's workbench (app.py), its append-only decision log (log.py), and
applying that log to every later run (apply.py)."""
