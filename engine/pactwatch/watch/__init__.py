"""Streaming evaluation with a checkpoint (``pactwatch watch``): findings as event time decides them."""

from .checkpoint import Checkpoint
from .watcher import STDIN, Output, Watcher, WatchStats, identity

__all__ = ["STDIN", "Checkpoint", "Output", "WatchStats", "Watcher", "identity"]
