"""The extractor registry: versioned names to extractor factories."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence

import catalogue

from kg.errors import ConfigError
from kg.types import (
    DocLike,
    Entity,
    Triple,
)

__all__ = [
    "DEFAULT_EXTRACTOR",
    "Extractor",
    "ExtractorFactory",
    "extractors",
    "get_extractor",
    "register_extractor",
]


#: ``(doc, entities, doc_id)`` to triples, and any new described entities.
Extractor = Callable[[DocLike, Sequence[Entity], str], Iterator[Triple | Entity]]


extractors = catalogue.create("kg", "extractors", entry_points=True)


ExtractorFactory = Callable[[], Extractor]


def register_extractor(name: str) -> Callable[[ExtractorFactory], ExtractorFactory]:
    """Register an extractor factory under a versioned name, e.g. ``my.rules.v1``.

    A typed front to ``extractors.register``; other packages may also use the
    ``kg_extractors`` entry-point group.

    Examples
    --------
    >>> @register_extractor("doc.example.v1")
    ... def make_nothing() -> Extractor:
    ...     return lambda doclike, entities, doc_id: iter(())
    >>> get_extractor("doc.example.v1")(None, (), "d")  # doctest: +ELLIPSIS
    <tuple_iterator object at ...>
    """
    decorator: Callable[[ExtractorFactory], ExtractorFactory] = extractors.register(
        name
    )
    return decorator


DEFAULT_EXTRACTOR = "kg.clauses.v3"

#: Names no longer registered, and the name that reads as they last did:
#: ``kg.clauses.v2`` changed behaviour in rounds 4 and 5 under one name.
_RETIRED = {
    "kg.clauses.v2": "kg.clauses.v3",
    "kg.clauses.v2+context": "kg.clauses.v3+context",
    "kg.clauses.v2+described": "kg.clauses.v3+described",
}


def get_extractor(name: str = DEFAULT_EXTRACTOR) -> Extractor:
    """Return the registered extractor called ``name``.

    Raises
    ------
    ConfigError
        No extractor of that name is registered.

    Examples
    --------
    >>> callable(get_extractor())
    True
    """
    return _extractor(name)


@functools.cache
def _extractor(name: str) -> Extractor:
    # looked up once per process: catalogue reads the entry points on each get
    try:
        factory = extractors.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(extractors.get_all()))
        hint = (
            f"; {name} is retired, use {_RETIRED[name]} (its last behaviour)"
            if name in _RETIRED
            else ""
        )
        raise ConfigError(
            f"unknown extractor {name!r}; registered: {known}{hint}"
        ) from exc
    extractor: Extractor = factory()
    return extractor
