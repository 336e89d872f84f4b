"""kg: turn news text into a knowledge graph you can trust.

Stages, in the order data flows: :mod:`kg.nlp` (the spaCy pipeline) →
:mod:`kg.mentions` (and :mod:`kg.values`: dates and numbers) → :mod:`kg.coref`
→ :mod:`kg.relations` → :mod:`kg.ontology` → :mod:`kg.rdf` → :mod:`kg.render`;
:mod:`kg.build` runs them over files and :mod:`kg.cli` is the ``kg`` command.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from kg.errors import (
    ConfigError,
    ExtractionError,
    InputError,
    KGError,
    ModelNotFoundError,
    OntologyError,
    QueryError,
)

if TYPE_CHECKING:
    from kg.build import BuildConfig, BuildReport, extract_document, run_build
    from kg.coref import resolve_entities
    from kg.mentions import extract_mentions
    from kg.nlp import load_pipeline
    from kg.ontology import KGO, load_ontology
    from kg.query import KnowledgeGraph
    from kg.rdf import build_graph, mint_iri, new_graph, serialize
    from kg.relations import extract_triples
    from kg.render import render_html
    from kg.types import Document, Entity, Mention, Provenance, Sentence, Triple, Value
    from kg.values import extract_values

#: Where each public name lives; imported on first use (PEP 562), so
#: ``import kg`` and ``kg --help`` do not load spaCy, pandas or networkx.
_LAZY: dict[str, str] = {
    "BuildConfig": "kg.build",
    "BuildReport": "kg.build",
    "extract_document": "kg.build",
    "run_build": "kg.build",
    "resolve_entities": "kg.coref",
    "extract_mentions": "kg.mentions",
    "load_pipeline": "kg.nlp",
    "KGO": "kg.ontology",
    "load_ontology": "kg.ontology",
    "KnowledgeGraph": "kg.query",
    "build_graph": "kg.rdf",
    "mint_iri": "kg.rdf",
    "new_graph": "kg.rdf",
    "serialize": "kg.rdf",
    "extract_triples": "kg.relations",
    "render_html": "kg.render",
    "Document": "kg.types",
    "Entity": "kg.types",
    "Mention": "kg.types",
    "Provenance": "kg.types",
    "Sentence": "kg.types",
    "Triple": "kg.types",
    "Value": "kg.types",
    "extract_values": "kg.values",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "KGO",
    "BuildConfig",
    "BuildReport",
    "ConfigError",
    "Document",
    "Entity",
    "ExtractionError",
    "InputError",
    "KGError",
    "KnowledgeGraph",
    "Mention",
    "ModelNotFoundError",
    "OntologyError",
    "Provenance",
    "QueryError",
    "Sentence",
    "Triple",
    "Value",
    "build_graph",
    "extract_document",
    "extract_mentions",
    "extract_triples",
    "extract_values",
    "load_ontology",
    "load_pipeline",
    "mint_iri",
    "new_graph",
    "render_html",
    "resolve_entities",
    "run_build",
    "serialize",
]

__version__ = "0.1.0"
