"""Reconcile stage: mentions from many documents -> one record per real-world thing."""

from .municipalities import municipality_records

__all__ = ["municipality_records"]
