"""The registry of coreference sieves and the type of a sieve.

A sieve is a function ``(state, index) -> bool`` over the shared
:class:`~kg.coref.state.Discourse`: it looks at mention ``index`` and the
clusters built so far, and either decides for the mention (links it to a
cluster, makes it wait for a later mention, or leaves it out of every
cluster) and returns True, or returns False to hand the mention to the next
sieve. Each sieve reads one or more classes of mention (:data:`MENTION_CLASSES`).

Sieves are registered under versioned ids (``kg.coref.exact_name.v1``), and a
behaviour change gets a new version. Other packages add sieves through the
``kg_coref_sieves`` entry-point group and use them by naming them in an order
given to :func:`kg.coref.make_sieve_resolver`.

Examples
--------
>>> @sieve("doc.never.v1", "pronoun")
... def never(state, index):
...     return False
>>> sieves.get("doc.never.v1").classes
frozenset({'pronoun'})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import catalogue

if TYPE_CHECKING:
    from kg.coref.state import Discourse

__all__ = ["MENTION_CLASSES", "Sieve", "SieveFn", "sieve", "sieves"]

#: The classes of mention a sieve may read: proper names, descriptions,
#: third-person pronouns, first and second person ("I", "you"), first person
#: plural ("we"), and a possessive pronoun that opens a title ("his My Life").
MENTION_CLASSES = frozenset({"name", "nominal", "pronoun", "speech", "we", "title"})

SieveFn = Callable[["Discourse", int], bool]

sieves = catalogue.create("kg", "coref_sieves", entry_points=True)


@dataclass(frozen=True, slots=True)
class Sieve:
    """A registered sieve: its id, the mention classes it reads, its function."""

    id: str
    classes: frozenset[str]
    run: SieveFn

    def __post_init__(self) -> None:
        unknown = self.classes - MENTION_CLASSES
        if unknown or not self.classes:
            raise ValueError(
                f"sieve {self.id!r}: mention classes {sorted(unknown)} not among "
                f"{sorted(MENTION_CLASSES)}"
            )


def sieve(rule: str, *classes: str) -> Callable[[SieveFn], SieveFn]:
    """Register a sieve function under the versioned id ``rule``.

    The function is returned unchanged, so it stays callable in tests.
    """

    def register(fn: SieveFn) -> SieveFn:
        sieves.register(rule, func=Sieve(rule, frozenset(classes), fn))
        return fn

    return register
