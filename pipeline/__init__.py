"""frikommune: Danish frikommuneforsøg documents -> provenance-backed dataset.

Stages, one folder each, in the order a document passes through them:
ingest (file -> Document with normalised text) -> extract (Document -> Mentions)
-> reconcile (Mentions across documents -> records) -> publish (records -> files).
"""

__version__ = "0.1.0"
