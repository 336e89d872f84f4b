"""Coreference and entity resolution: group mentions into entities.

Resolvers come from a registry so a neural resolver can replace the built-in
rule-based one::

    @resolvers.register("my.neural.v1")
    def make_resolver() -> Resolver: ...

Other packages plug in through the ``kg_resolvers`` entry-point group.
A resolver is a callable ``(doc, mentions) -> tuple[Entity, ...]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import catalogue

from kg.errors import ConfigError
from kg.ontology import load_ontology
from dataclasses import replace

from kg.types import DocLike, Document, Entity, Mention

__all__ = [
    "DEFAULT_RESOLVER",
    "Resolver",
    "get_resolver",
    "merge_entities",
    "name_key",
    "resolve_entities",
    "resolvers",
]

Resolver = Callable[[DocLike, Sequence[Mention]], tuple[Entity, ...]]
resolvers = catalogue.create("kg", "resolvers", entry_points=True)
DEFAULT_RESOLVER = "kg.rules.v1"

_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady",
     "president", "senator", "governor", "mayor", "judge", "rev", "st"}
)  # fmt: skip


def name_key(text: str) -> str:
    """Normalise a name for comparison: accents, case, punctuation, titles.

    Examples
    --------
    >>> name_key("President  Émile Zola's")
    'emile zola'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’]s\b", "", text)
    words = [w for w in re.split(r"[^\w-]+", text) if w]
    while words and words[0].rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def get_resolver(name: str = DEFAULT_RESOLVER) -> Resolver:
    """Return the registered resolver called ``name``.

    Raises
    ------
    ConfigError
        No resolver of that name is registered.

    Examples
    --------
    >>> callable(get_resolver())
    True
    """
    try:
        factory = resolvers.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(resolvers.get_all()))
        raise ConfigError(f"unknown resolver {name!r}; registered: {known}") from exc
    resolver: Resolver = factory()
    return resolver


def resolve_entities(
    doclike: DocLike,
    mentions: Iterable[Mention],
    *,
    resolver: str = DEFAULT_RESOLVER,
) -> tuple[Entity, ...]:
    """Group mentions into entities with the named resolver.

    Examples
    --------
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Ada Lovelace met Charles Babbage. Lovelace wrote to Babbage.")
    >>> sorted(e.name for e in resolve_entities(doc, extract_mentions(doc)))
    ['Ada Lovelace', 'Charles Babbage']
    """
    return get_resolver(resolver)(doclike, tuple(mentions))


def _decide_label(mentions: Sequence[Mention]) -> str:
    """Pick the ontology class by a vote over every name mention's NER label."""
    onto = load_ontology()
    votes = Counter(
        cls
        for m in mentions
        if m.kind == "name" and (cls := onto.class_for_ner_label(m.label)) is not None
    )
    return votes.most_common(1)[0][0] if votes else "Thing"


def _entity_from(mentions: Sequence[Mention]) -> Entity:
    names = [m for m in mentions if m.kind == "name"]
    best = max(names, key=lambda m: (len(name_key(m.text).split()), len(m.text), -m.start_char))
    aliases = sorted({m.text for m in names if m.text != best.text})
    return Entity(
        key=name_key(best.text) or best.text,
        label=_decide_label(mentions),
        name=best.text,
        mentions=tuple(sorted(mentions, key=lambda m: m.start_char)),
        aliases=tuple(aliases),
    )


@resolvers.register("kg.rules.v1")
def make_rule_resolver() -> Resolver:
    """Make the built-in rule-based resolver: names grouped by alias rules.

    Two name mentions corefer when their normalised forms are equal or one is
    the final word(s) of the other (a surname). Pronoun mentions are not yet
    linked and make no entity of their own.
    """

    def resolve(doclike: DocLike, mentions: Sequence[Mention]) -> tuple[Entity, ...]:
        clusters: list[list[Mention]] = []
        keys: list[set[str]] = []
        names = sorted(
            (m for m in mentions if m.kind == "name" and name_key(m.text)),
            key=lambda m: -len(name_key(m.text).split()),
        )
        for mention in names:
            key = name_key(mention.text)
            for cluster_keys, cluster in zip(keys, clusters, strict=True):
                if any(_alias_match(key, k) for k in cluster_keys):
                    cluster.append(mention)
                    cluster_keys.add(key)
                    break
            else:
                clusters.append([mention])
                keys.append({key})
        return tuple(_entity_from(c) for c in clusters)

    return resolve


def _alias_match(short: str, long: str) -> bool:
    if short == long:
        return True
    short_words, long_words = short.split(), long.split()
    return 0 < len(short_words) < len(long_words) and long_words[-len(short_words) :] == short_words


def merge_entities(
    documents: Sequence[Document], *, existing: Sequence[Entity] = ()
) -> tuple[Document, ...]:
    """Link entities across documents: rewrite keys so one entity has one key.

    This is the cross-document step that runs after per-document extraction
    (and, for incremental builds, against the entities already stored,
    ``existing``). Two entities are linked when they have the same ontology
    class and one's normalised name equals, or is the final word(s) of, the
    other's (a surname).

    Examples
    --------
    >>> m = Mention("Lovelace", "PERSON", 0, 8, 0)
    >>> d = Document("b", "b", "0" * 64, (), (Entity("lovelace", "Person", "Lovelace", (m,)),))
    >>> old = Entity("ada lovelace", "Person", "Ada Lovelace", ())
    >>> merge_entities([d], existing=[old])[0].entities[0].key
    'ada lovelace'
    """
    # Candidates are indexed by (class, last word of the normalised name): an
    # alias match needs one name to end with the other, so they share it.
    index: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def remember(entity: Entity, key: str) -> None:
        if entity.named and key:
            index.setdefault((entity.label, key.split()[-1]), []).append((key, entity.key))

    for entity in existing:
        remember(entity, name_key(entity.name))
    out: list[Document] = []
    for document in documents:
        mapping: dict[str, str] = {}
        named = sorted(document.entities, key=lambda e: -len(name_key(e.name).split()))
        for entity in named:
            key = name_key(entity.name)
            candidates = index.get((entity.label, key.split()[-1]), []) if key else []
            target = next(
                (
                    canon_key
                    for name, canon_key in candidates
                    if entity.named and (_alias_match(key, name) or _alias_match(name, key))
                ),
                None,
            )
            if target is None:
                remember(entity, key)
                mapping[entity.key] = entity.key
            else:
                mapping[entity.key] = target
        entities = tuple(replace(e, key=mapping[e.key]) for e in document.entities)
        triples = tuple(
            replace(t, subject=mapping.get(t.subject, t.subject), object=mapping.get(t.object, t.object))
            for t in document.triples
        )
        out.append(replace(document, entities=entities, triples=triples))
    return tuple(out)
