"""Evaluation in event time on durable_rules (the only package that imports it)."""

from .engine import Evaluator

__all__ = ["Evaluator"]
