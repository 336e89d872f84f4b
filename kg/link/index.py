"""The stored entity links: what the reduce step reads of the store.

Every read is a bound-key query (a block key, a corpus entity): a new
document's resolution reads the entity links of its blocks and the members
of the corpus entities they are on, never the whole store.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.link.cluster import MAX_BLOCK
from kg.link.summary import EntitySummary
from kg.rdf import NS

__all__ = ["StoredLink", "links_with_key", "members_of", "query"]

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_LINKS_WITH_KEY = """
SELECT ?key ?link ?entity ?summary WHERE {
  ?link kgo:blockKey ?key ; kgo:linksTo ?entity ; kgo:linkSummary ?summary .
}
"""
#: the same, stopping past MAX_BLOCK links (a block too common to use)
_LINKS_WITH_KEY_CAPPED = _LINKS_WITH_KEY + f"LIMIT {MAX_BLOCK + 1}\n"
_MEMBERS = """
SELECT ?entity ?link ?summary WHERE {
  ?link kgo:linksTo ?entity ; kgo:linkSummary ?summary .
}
"""


@dataclass(frozen=True, slots=True)
class StoredLink:
    """A stored document's entity: its link node, corpus entity and summary.

    Examples
    --------
    >>> s = EntitySummary("a.txt", "acme", "Organization", "Acme", ("acme",))
    >>> StoredLink(ox.NamedNode("https://w3id.org/kg/id/link/a"),
    ...            ox.NamedNode("https://w3id.org/kg/id/entity/acme"), s).summary.key
    'acme'
    """

    link: ox.NamedNode
    entity: ox.NamedNode
    summary: EntitySummary


def query(store: ox.Store, text: str, **bindings: ox.NamedNode | ox.Literal) -> object:
    """Run a prepared query with bound terms (the bound variables are projected).

    Examples
    --------
    >>> list(query(ox.Store(), _MEMBERS, entity=ox.NamedNode("https://x.org/e")))
    []
    """
    return store.query(
        text,
        prefixes=_PREFIXES,
        substitutions={ox.Variable(k): v for k, v in bindings.items()},
    )


def links_with_key(
    store: ox.Store, key: str, *, capped: bool = False
) -> list[StoredLink]:
    """Return the stored entity links under one block key.

    ``capped`` stops after :data:`~kg.link.cluster.MAX_BLOCK` + 1 links: a
    block that big is too common to compare by.

    Examples
    --------
    >>> links_with_key(ox.Store(), "n:acme")
    []
    """
    text = _LINKS_WITH_KEY_CAPPED if capped else _LINKS_WITH_KEY
    rows = query(store, text, key=ox.Literal(key))
    assert isinstance(rows, ox.QuerySolutions)
    return [
        StoredLink(
            row["link"],
            row["entity"],
            EntitySummary.from_json(str(row["summary"].value)),
        )
        for row in rows
    ]


def members_of(store: ox.Store, entity: ox.NamedNode) -> list[StoredLink]:
    """Return the stored entity links on one corpus entity.

    Examples
    --------
    >>> members_of(ox.Store(), ox.NamedNode("https://w3id.org/kg/id/entity/x"))
    []
    """
    rows = query(store, _MEMBERS, entity=entity)
    assert isinstance(rows, ox.QuerySolutions)
    return [
        StoredLink(
            row["link"],
            entity,
            EntitySummary.from_json(str(row["summary"].value)),
        )
        for row in rows
    ]
