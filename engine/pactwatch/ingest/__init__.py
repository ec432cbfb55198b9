"""Ingest: read JSONL/YAML event files, validate every record, merge in event time."""

from .records import parse_record
from .stream import EventSet, IngestSummary, load_events, stream_events, stream_records

__all__ = ["EventSet", "IngestSummary", "load_events", "parse_record", "stream_events", "stream_records"]
