"""Corpus entity resolution: one node per real entity across documents.

After each document is extracted on its own, :mod:`kg.link` decides which
documents' entities are one corpus entity, and records why:

- :mod:`kg.link.summary` (map): each document's named entities as summaries
  with block keys, a pure function of one document;
- :mod:`kg.link.rules`: registered, versioned rules (``kg.link.alias.v1``...)
  that keep entities apart (conflicts) or score them as one (names, context);
- :mod:`kg.link.cluster` (reduce): candidate pairs within blocks, scores,
  clustering with cannot-link constraints (entities one document keeps apart
  are never merged);
- :mod:`kg.link.persist`: the step in the store's write path, incremental
  (a new document reads only the stored entities of its blocks), and the
  entity links (``kgo:EntityLink``) that keep each decision in the RDF;
- :mod:`kg.link.shuffle`: the map and reduce as tasks of a cluster build
  (``kg build --cluster``): summaries split by block partition where the
  documents are extracted, candidate pairs judged per partition;
- :mod:`kg.link.curation`: the curation file (same-as, not-same-as, alias,
  ignore) and :mod:`kg.link.curate`: ``kg merge``/``kg split``;
- :mod:`kg.link.explanation`: ``kg explain``, why mentions are one node.

Examples
--------
>>> from kg.types import Document, Entity, Mention
>>> def doc(name, text):
...     m = Mention(text, "ORG", 0, len(text), 0)
...     e = Entity(text.lower(), "Organization", text, (m,))
...     return Document(name, name, "0" * 64, (), (e,))
>>> linked = link_documents([doc("a", "Acme Inc."), doc("b", "ACME INC")])
>>> [d.entities[0].key for d in linked]
['acme inc.', 'acme inc.']
"""

from __future__ import annotations

from kg.link.cluster import Decision, resolve
from kg.link.curate import apply_curation, merge, split
from kg.link.curation import Curation, CurationRule, Ref, read_curation
from kg.link.explanation import Explanation, explain
from kg.link.persist import LinkResult, link_documents, link_into_store
from kg.link.rules import Evidence, judge, link_rules
from kg.link.shuffle import Premapped, premap
from kg.link.summary import EntitySummary, summarize_document

__all__ = [
    "Curation",
    "CurationRule",
    "Decision",
    "EntitySummary",
    "Evidence",
    "Explanation",
    "LinkResult",
    "Premapped",
    "Ref",
    "apply_curation",
    "explain",
    "judge",
    "link_documents",
    "link_into_store",
    "link_rules",
    "merge",
    "premap",
    "read_curation",
    "resolve",
    "split",
    "summarize_document",
]
