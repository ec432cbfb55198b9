"""Enrichment: what the engine reads into events before rules see them."""

from .messages import Analysis, Finding, MessageAnalyzer
from .outages import OutageTracker

__all__ = ["Analysis", "Finding", "MessageAnalyzer", "OutageTracker"]
