"""The one exception the ingest stage raises for bad input."""


class IngestError(Exception):
    """A file cannot be turned into a Document. The message is one line, without the file name."""
