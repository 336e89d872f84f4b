"""Link entities across documents (the corpus step after per-document coreference).

Examples
--------
>>> alias_match("lovelace", "ada lovelace")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.coref.names import name_key
from kg.types import Document, Entity

__all__ = ["alias_match", "merge_entities"]


def alias_match(short: str, long: str) -> bool:
    """Tell a name key equal to another or its final word(s) (a surname)."""
    if short == long:
        return True
    short_words, long_words = short.split(), long.split()
    return (
        0 < len(short_words) < len(long_words)
        and long_words[-len(short_words) :] == short_words
    )


def merge_entities(
    documents: Sequence[Document], *, existing: Sequence[Entity] = ()
) -> tuple[Document, ...]:
    """Link entities across documents: rewrite keys so one entity has one key.

    This is the cross-document step that runs after per-document extraction
    (and, for incremental builds, against the entities already stored,
    ``existing``). Two entities are linked when they have the same ontology
    class family (:func:`kg.classes.merge_families`: an untyped entity's are
    those of its NER labels) and one's normalised name equals, or is the final
    word(s) of, the other's (a surname), or equals one of the other's aliases;
    a surname that several known people share links to none of them.

    Examples
    --------
    >>> from kg.types import Mention
    >>> m = Mention("Byrne", "PERSON", 0, 5, 0)
    >>> e = Entity("byrne", "Person", "Byrne", (m,))
    >>> d = Document("b", "b", "0" * 64, (), (e,))
    >>> old = Entity("ada byrne", "Person", "Ada Byrne", ())
    >>> merge_entities([d], existing=[old])[0].entities[0].key
    'ada byrne'
    """
    from kg.classes import merge_families, settle_classes

    # Candidates are indexed by (family, last word of the normalised name): an
    # alias match needs one name to end with the other, so they share it.
    # Entries are (name, canonical key, is_alias): an entity's other names
    # (aliases) only match exactly, so "Okafor" of one person never pulls
    # in another "X Okafor".
    index: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}

    def remember(entity: Entity, key: str, canon: str) -> None:
        if not (entity.named and key):
            return
        for family in merge_families(entity):
            index.setdefault((family, key.split()[-1]), []).append((key, canon, False))
            for alias in entity.aliases:
                alias_key = name_key(alias)
                if alias_key and alias_key != key:
                    bucket = index.setdefault((family, alias_key.split()[-1]), [])
                    bucket.append((alias_key, canon, True))

    def find(entity: Entity, key: str) -> str | None:
        if not (entity.named and key):
            return None
        candidates = [
            c
            for family in merge_families(entity)
            for c in index.get((family, key.split()[-1]), [])
        ]
        found = {
            canon
            for name, canon, is_alias in candidates
            if (key == name)
            or (not is_alias and (alias_match(key, name) or alias_match(name, key)))
        }
        if len(found) > 1:
            # a surname shared by several stored people: only an exact name links
            found = {canon for name, canon, _ in candidates if name == key}
        return found.pop() if len(found) == 1 else None

    for entity in existing:
        remember(entity, name_key(entity.name), entity.key)
    out: list[Document] = []
    for document in documents:
        mapping: dict[str, str] = {}
        named = sorted(document.entities, key=lambda e: -len(name_key(e.name).split()))
        for entity in named:
            key = name_key(entity.name)
            target = find(entity, key)
            if target is None:
                remember(entity, key, entity.key)
                mapping[entity.key] = entity.key
            else:
                mapping[entity.key] = target
        entities = tuple(replace(e, key=mapping[e.key]) for e in document.entities)
        triples = tuple(
            replace(
                t,
                subject=mapping.get(t.subject, t.subject),
                object=mapping.get(t.object, t.object),
            )
            for t in document.triples
        )
        out.append(replace(document, entities=entities, triples=triples))
    return settle_classes(out)
