"""Rules as data: schema, concept registry, loader and compiler onto durable_rules."""

from .concepts import Concept, ConceptRegistry, load_concepts
from .loader import RuleLibrary, load_rules
from .schema import RuleSpec

__all__ = ["Concept", "ConceptRegistry", "RuleLibrary", "RuleSpec", "load_concepts", "load_rules"]
