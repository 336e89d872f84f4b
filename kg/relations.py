"""Relation extraction: triples between entities, normalised to the ontology.

Extractors come from a registry (``kg.svo.v1`` is the built-in one); other
packages plug in through the ``kg_extractors`` entry-point group. An
extractor is a callable ``(doc, entities, doc_id) -> Iterator[Triple]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import catalogue
from spacy.tokens import Doc, Token

from kg.errors import ConfigError
from kg.mentions import sentence_starts
from kg.ontology import Ontology, load_ontology
from kg.types import DocLike, Entity, Provenance, Triple

__all__ = [
    "DEFAULT_EXTRACTOR",
    "Extractor",
    "extract_triples",
    "extractors",
    "get_extractor",
    "normalise_relation",
]

Extractor = Callable[[DocLike, Sequence[Entity], str], Iterator[Triple]]
extractors = catalogue.create("kg", "extractors", entry_points=True)
DEFAULT_EXTRACTOR = "kg.svo.v1"

_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJ_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
_PREP_DEPS = frozenset({"prep", "agent"})


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
    try:
        factory = extractors.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(extractors.get_all()))
        raise ConfigError(f"unknown extractor {name!r}; registered: {known}") from exc
    extractor: Extractor = factory()
    return extractor


def extract_triples(
    doclike: DocLike,
    entities: Iterable[Entity],
    *,
    doc_id: str,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Iterator[Triple]:
    """Yield relation triples between the given entities of a document.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Lovelace wrote to Charles Babbage.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> [(t.subject, t.predicate, t.object) for t in extract_triples(doc, ents, doc_id="d")]
    [('ada lovelace', 'wroteTo', 'charles babbage')]
    """
    yield from get_extractor(extractor)(doclike, tuple(entities), doc_id)


def normalise_relation(
    lemma: str, preposition: str | None, *, ontology: Ontology | None = None
) -> str:
    """Map a verb lemma (and preposition) to an ontology property name.

    Falls back to ``relatedTo`` when no property lists the trigger.

    Examples
    --------
    >>> normalise_relation("write", "to")
    'wroteTo'
    >>> normalise_relation("paint", None)
    'relatedTo'
    """
    onto = ontology or load_ontology()
    wanted = f"{lemma} {preposition}" if preposition else lemma
    for info in onto.properties.values():
        if wanted in info.verb_triggers:
            return info.name
    return "relatedTo"


def _token_entities(doc: Doc, entities: Sequence[Entity]) -> dict[int, str]:
    """Map each token index covered by a mention to its entity key."""
    by_token: dict[int, str] = {}
    for entity in entities:
        for m in entity.mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                by_token.setdefault(token.i, entity.key)
    return by_token


def _provenance(
    doc: Doc, doc_id: str, starts: dict[int, int], a: Token, b: Token
) -> Provenance:
    sent = a.sent
    first, last = min(a.i, b.i), max(a.i, b.i)
    return Provenance(
        doc_id=doc_id,
        sent_index=starts[sent.start],
        start_char=doc[first].idx,
        end_char=doc[last].idx + len(doc[last]),
        sentence=sent.text,
    )


@extractors.register("kg.svo.v1")
def make_svo_extractor() -> Extractor:
    """Make the subject–verb–object and verb–preposition–object extractor."""

    def extract(doclike: DocLike, entities: Sequence[Entity], doc_id: str) -> Iterator[Triple]:
        doc = doclike.doc if not isinstance(doclike, Doc) else doclike
        by_token = _token_entities(doc, entities)
        starts = sentence_starts(doc)
        for verb in doclike:
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            subjects = [c for c in verb.children if c.dep_ in _SUBJ_DEPS]
            subjects += [s for c in subjects for s in c.conjuncts]
            objects: list[tuple[Token, str | None]] = [
                (c, None) for c in verb.children if c.dep_ in _OBJ_DEPS
            ]
            for prep in (c for c in verb.children if c.dep_ in _PREP_DEPS):
                objects += [(p, prep.lower_) for p in prep.children if p.dep_ == "pobj"]
            objects += [(c, p) for o, p in list(objects) for c in o.conjuncts]
            for subj in subjects:
                s_key = by_token.get(subj.i)
                if s_key is None:
                    continue
                for obj, prep in objects:
                    o_key = by_token.get(obj.i)
                    if o_key is None or o_key == s_key:
                        continue
                    predicate = normalise_relation(verb.lemma_.lower(), prep)
                    if predicate == "relatedTo" and prep is not None:
                        predicate = normalise_relation(verb.lemma_.lower(), None)
                    yield Triple(
                        subject=s_key,
                        predicate=predicate,
                        object=o_key,
                        provenance=_provenance(doc, doc_id, starts, subj, obj),
                        confidence=0.7 if prep is None else 0.6,
                        rule="kg.svo.v1:" + ("svo" if prep is None else "svpo"),
                        lemma=" ".join(filter(None, [verb.lemma_.lower(), prep])),
                    )

    return extract
