"""Coreference and entity resolution: group mentions into entities.

The default resolver (``kg.sieves.v1``) follows the Stanford deterministic
coreference system (Lee et al. 2013): a shared discourse state
(:mod:`kg.coref.state`) and registered sieves applied from most to least
precise (:mod:`kg.coref.sieves`), each seeing the clusters built so far and
recording its id on every link it makes (``Mention.link``, kept in the RDF as
``kgo:linkedBy``). Only clusters with a proper name become entities; every
mention linked to them (names, descriptions, pronouns) is kept.

Resolvers come from a registry so another resolver can replace the built-in
one::

    @register_resolver("my.neural.v1")
    def make_resolver() -> Resolver: ...

Other packages plug in through the ``kg_resolvers`` entry-point group (and
sieves through ``kg_coref_sieves``). :func:`merge_entities` links entities
across documents.

Examples
--------
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Ada Byrne met Tom Vale. Byrne wrote to Vale.")
>>> sorted(e.name for e in resolve_entities(doc, extract_mentions(doc)))
['Ada Byrne', 'Tom Vale']
"""

from __future__ import annotations

from kg.coref.merge import merge_entities
from kg.coref.names import name_key
from kg.coref.resolve import (
    DEFAULT_RESOLVER,
    Resolver,
    get_resolver,
    make_sieve_resolver,
    register_resolver,
    resolve_entities,
    resolvers,
)
from kg.coref.sieves import SIEVE_ORDER, sieve, sieves

__all__ = [
    "DEFAULT_RESOLVER",
    "SIEVE_ORDER",
    "Resolver",
    "get_resolver",
    "make_sieve_resolver",
    "merge_entities",
    "name_key",
    "register_resolver",
    "resolve_entities",
    "resolvers",
    "sieve",
    "sieves",
]
