"""``kg explain``: why mentions are one node, document by document.

For a corpus entity (named by a label, an alias, its key or its IRI),
:func:`explain` gathers from the store

- per document, the entity link of that document's entity: the corpus rule
  that put it on the node (``kgo:linkRule``), its score and the other
  document's entity it was matched with;
- its mentions there, each with the pass that found it (``kgo:foundBy``)
  and the coreference rule that put it on the document's entity
  (``kgo:linkedBy``).

Examples
--------
>>> import tempfile
>>> from kg.store import write_documents
>>> from kg.types import Document, Entity, Mention
>>> d = tempfile.mkdtemp()
>>> e = Entity("acme", "Organization", "Acme", (Mention("Acme", "ORG", 0, 4, 0),))
>>> _ = write_documents(d, [Document("a.txt", "a.txt", "0" * 64, (), (e,))])
>>> x = explain(d, "ACME")
>>> x.label, [doc.rule for doc in x.documents]
('Acme', ['kg.link.new.v1'])
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.link.summary import EntitySummary
from kg.ontology import KGO_URI
from kg.rdf import BASE_IRI, NS

__all__ = [
    "DocumentEvidence",
    "Explanation",
    "MentionEvidence",
    "explain",
    "find_entities",
    "find_entity",
]

_PREFIXES = {prefix: str(ns) for prefix, ns in NS.items()}
_FIND_BY_NAME = """
SELECT DISTINCT ?name ?e ?label WHERE {
  ?e kgo:mention ?m ; rdfs:label ?label ; (rdfs:label|skos:altLabel) ?alt .
  FILTER(LCASE(STR(?alt)) = ?name)
}
ORDER BY ?e
"""
_FIND_BY_KEY = """
SELECT DISTINCT ?key ?e ?label WHERE {
  ?e dcterms:identifier ?key ; kgo:mention ?m ; rdfs:label ?label .
}
"""
_ENTITY = """
SELECT ?e ?label ?key ?cls WHERE {
  ?e rdfs:label ?label .
  OPTIONAL { ?e dcterms:identifier ?key }
  OPTIONAL { ?e a ?cls FILTER(STRSTARTS(STR(?cls), STR(kgo:))) }
}
"""
_MENTIONS = """
SELECT ?e ?docid ?text ?kind ?start ?end ?idx ?found ?linked WHERE {
  ?e kgo:mention ?m .
  ?m rdf:value ?text ; kgo:startChar ?start ; kgo:endChar ?end ; kgo:inSentence ?s .
  ?s dcterms:isPartOf ?doc ; kgo:sentenceIndex ?idx .
  ?doc dcterms:identifier ?docid .
  OPTIONAL { ?m kgo:mentionKind ?kind }
  OPTIONAL { ?m kgo:foundBy ?found }
  OPTIONAL { ?m kgo:linkedBy ?linked }
}
ORDER BY ?docid ?start
"""
_LINKS = """
SELECT ?e ?docid ?key ?rule ?score ?summary ?psummary WHERE {
  ?l kgo:linksTo ?e ; kgo:inDocument ?doc ; kgo:localKey ?key ;
     kgo:linkRule ?rule ; kgo:linkScore ?score ; kgo:linkSummary ?summary .
  ?doc dcterms:identifier ?docid .
  OPTIONAL { ?l kgo:linkedWith ?p . ?p kgo:linkSummary ?psummary }
}
ORDER BY ?docid ?key
"""


@dataclass(frozen=True, slots=True)
class MentionEvidence:
    """One mention of the entity: its text and the rules that placed it.

    Examples
    --------
    >>> MentionEvidence("Acme", "name", 0, 4, 0, "kg.mentions.names.v1", "").kind
    'name'
    """

    text: str
    kind: str
    start: int
    end: int
    sentence: int
    found_by: str
    linked_by: str


@dataclass(frozen=True, slots=True)
class DocumentEvidence:
    """What one document says of the entity and why it is on the node.

    ``rule``/``score`` are the corpus rule that put this document's entity
    on the node; ``partner`` the (document id, name) of the entity it was
    matched with ("" when it started the node).

    Examples
    --------
    >>> DocumentEvidence("a.txt", "acme", "Acme", "kg.link.new.v1", 1.0, None, ()).rule
    'kg.link.new.v1'
    """

    doc_id: str
    key: str
    name: str
    rule: str
    score: float
    partner: tuple[str, str] | None
    mentions: tuple[MentionEvidence, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the mentions of one corpus entity are one node.

    Examples
    --------
    >>> x = Explanation("https://w3id.org/kg/id/entity/acme", "Acme", "Organization",
    ...                 "acme", ())
    >>> x.format().splitlines()[0]
    'Acme (Organization) <https://w3id.org/kg/id/entity/acme>'
    """

    entity: str
    label: str
    cls: str
    key: str
    documents: tuple[DocumentEvidence, ...]

    def format(self) -> str:
        """Return the explanation as text, one document after another."""
        mentions = sum(len(d.mentions) for d in self.documents)
        lines = [
            f"{self.label} ({self.cls or 'Entity'}) <{self.entity}>",
            f"key {self.key!r} · {len(self.documents)} document(s) · "
            f"{mentions} mention(s)",
        ]
        for doc in self.documents:
            if doc.partner is None and doc.rule == "kg.link.curated.v1":
                why = f"{doc.rule}: put on this node by the curation file"
            elif doc.partner is None and doc.rule == "kg.link.new.v1":
                why = f"{doc.rule}: this node's first entity"
            elif doc.partner is None:
                why = (
                    f"joined by {doc.rule} (score {doc.score:g}) with an entity "
                    "of a document since removed"
                )
            else:
                why = (
                    f"joined by {doc.rule} (score {doc.score:g}) with "
                    f"{doc.partner[1]!r} in {doc.partner[0]}"
                )
            lines.append(f"{doc.doc_id}: {doc.name!r} — {why}")
            for m in doc.mentions:
                how = f", linked by {m.linked_by}" if m.linked_by else ""
                found = f", found by {m.found_by}" if m.found_by else ""
                lines.append(
                    f"    {m.text!r} ({m.kind}, sentence {m.sentence}{how}{found})"
                )
        return "\n".join(lines)


def _open(where: Path | str | ox.Store) -> ox.Store:
    if isinstance(where, ox.Store):
        return where
    from kg.store import open_store

    return open_store(where)


def _rows(
    store: ox.Store, text: str, **bindings: ox.NamedNode | ox.Literal
) -> list[ox.QuerySolution]:
    result = store.query(
        text,
        prefixes=_PREFIXES,
        substitutions={ox.Variable(k): v for k, v in bindings.items()},
    )
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _value(term: object) -> str:
    return str(getattr(term, "value", "")) if term is not None else ""


def find_entities(store: ox.Store, ref: str) -> list[tuple[str, str]]:
    """Return the (IRI, label) of every entity a reference may name.

    A reference is an entity IRI, a key, or a label or alias (any case).

    Examples
    --------
    >>> find_entities(ox.Store(), "Acme")
    []
    """
    ref = ref.strip()
    if ref.startswith(("http://", "https://", "<")):
        iri = ref.strip("<>")
        rows = _rows(store, _ENTITY, e=ox.NamedNode(iri))
        return [(iri, _value(rows[0]["label"]))] if rows else []
    found = {
        _value(r["e"]): _value(r["label"])
        for r in _rows(store, _FIND_BY_NAME, name=ox.Literal(ref.casefold()))
    }
    if not found:
        for r in _rows(store, _FIND_BY_KEY, key=ox.Literal(ref)):
            found[_value(r["e"])] = _value(r["label"])
    return sorted(found.items())


def find_entity(store: ox.Store, ref: str) -> str:
    """Return the IRI of the one entity a reference names.

    Raises
    ------
    ConfigError
        No entity, or several, answer to it (the message lists them).

    Examples
    --------
    >>> find_entity(ox.Store(), "Acme")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: no entity is called 'Acme'; ...
    """
    found = find_entities(store, ref)
    if not found:
        raise ConfigError(
            f"no entity is called {ref!r}; list them with "
            "`kg query 'SELECT ?e ?label WHERE { ?e kgo:mention ?m ; "
            "rdfs:label ?label }'`"
        )
    if len(found) > 1:
        shown = "; ".join(f"{label} <{iri}>" for iri, label in found[:5])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        raise ConfigError(
            f"{ref!r} names {len(found)} entities: {shown}{more}; give the IRI"
        )
    return found[0][0]


def explain(where: Path | str | ox.Store, ref: str) -> Explanation:
    """Explain why the mentions of one entity are one node.

    Parameters
    ----------
    where
        An output folder (its store is opened read-only) or a store.
    ref
        The entity: a label or alias (any case), its key or its IRI.

    Raises
    ------
    ConfigError
        No store, or no entity or several answer to ``ref``.

    Examples
    --------
    >>> import tempfile
    >>> explain(tempfile.mkdtemp(), "Acme")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: no kg store in ...
    """
    store = _open(where)
    iri = find_entity(store, ref)
    node = ox.NamedNode(iri)
    info = _rows(store, _ENTITY, e=node)
    label = _value(info[0]["label"]) if info else iri
    key = next((_value(r["key"]) for r in info if r["key"] is not None), "")
    cls = next(
        (_value(r["cls"])[len(KGO_URI) :] for r in info if r["cls"] is not None), ""
    )
    mentions: dict[str, list[MentionEvidence]] = defaultdict(list)
    for r in _rows(store, _MENTIONS, e=node):
        mentions[_value(r["docid"])].append(
            MentionEvidence(
                _value(r["text"]),
                _value(r["kind"]) or "name",
                int(_value(r["start"])),
                int(_value(r["end"])),
                int(_value(r["idx"])),
                _value(r["found"]),
                _value(r["linked"]),
            )
        )
    documents: list[DocumentEvidence] = []
    seen: set[str] = set()
    for r in _rows(store, _LINKS, e=node):
        doc_id = _value(r["docid"])
        summary = EntitySummary.from_json(_value(r["summary"]))
        partner = None
        if r["psummary"] is not None:
            other = EntitySummary.from_json(_value(r["psummary"]))
            partner = (other.doc_id, other.name)
        documents.append(
            DocumentEvidence(
                doc_id,
                _value(r["key"]),
                summary.name,
                _value(r["rule"]),
                float(_value(r["score"])),
                partner,
                _own_mentions(mentions.get(doc_id, []), summary),
            )
        )
        seen.add(doc_id)
    for doc_id in sorted(set(mentions) - seen):  # written before entity links
        documents.append(
            DocumentEvidence(doc_id, "", label, "", 0.0, None, tuple(mentions[doc_id]))
        )
    if not key:
        key = iri[len(f"{BASE_IRI}entity/") :]
    return Explanation(iri, label, cls, key, tuple(documents))


def _own_mentions(
    mentions: list[MentionEvidence], summary: EntitySummary
) -> tuple[MentionEvidence, ...]:
    """Return one document entity's mentions (all the document's when unknown)."""
    spans = set(summary.spans)
    own = [m for m in mentions if (m.start, m.end) in spans]
    return tuple(own or mentions)
