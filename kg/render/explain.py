"""The entity panel's explanation: ``kg explain`` for every entity of the page.

For each entity the page keeps what :func:`kg.link.explain` says of it:
per document, the document's entity (its name), the corpus rule and score
that put it on the node and the entity it was matched with (read from the
entity links, ``kgo:EntityLink``), and its mentions there with the pass
that found each and the coreference rule that linked it. The three readers
of :mod:`kg.render.collect` (an rdflib graph, a store, documents with their
link quads) gather the same rows; :func:`explain_entities` turns them into
one :class:`~kg.render.model.Explanation` per entity, capped so a hub named
by hundreds of documents does not swell the page: at most
:data:`EXPLAINED_DOCUMENTS` documents and :data:`EXPLAINED_MENTIONS`
mentions of each, with counts of what was left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping

from kg.ontology import KGO_URI
from kg.render.model import DocumentNote, Explanation, MentionNote

__all__ = [
    "EXPLAINED_DOCUMENTS",
    "EXPLAINED_MENTIONS",
    "LINK_FIELDS",
    "add_link_value",
    "explain_entities",
]

#: Documents per entity the page explains (the rest are counted).
EXPLAINED_DOCUMENTS = 8
#: Mentions per document the page lists (the rest are counted).
EXPLAINED_MENTIONS = 6
#: The properties of an entity link the page reads (``kgo:`` local names).
LINK_FIELDS = (
    "linksTo",
    "inDocument",
    "linkRule",
    "linkScore",
    "linkedWith",
    "linkSummary",
)
_LINK_IRIS = {KGO_URI + name: name for name in LINK_FIELDS}

#: mention node -> (text, kind, found by, linked by)
MentionNotes = Mapping[str, tuple[str, str, str, str]]
#: (entity, mention, sentence or "", start, end), as ``_Rows.mentions``
MentionRow = tuple[str, str, str, int | None, int | None]


def add_link_value(
    links: dict[str, dict[str, str]], link: str, prop: str, value: str
) -> None:
    """Note one value of an entity link (``prop``: a property IRI or local name).

    Other properties are ignored; of two values the smaller is kept, so the
    readers agree whatever order their rows come in.

    Examples
    --------
    >>> links = {}
    >>> add_link_value(links, "urn:l", KGO_URI + "linkRule", "kg.link.name.v1")
    >>> add_link_value(links, "urn:l", KGO_URI + "blockKey", "n:acme")
    >>> links
    {'urn:l': {'linkRule': 'kg.link.name.v1'}}
    """
    name = _LINK_IRIS.get(prop, prop if prop in LINK_FIELDS else "")
    if not name:
        return
    fields = links.setdefault(link, {})
    if name not in fields or value < fields[name]:
        fields[name] = value


def _summary(text: str) -> tuple[str, frozenset[tuple[int, int]]]:
    """Return the name and mention spans a stored link summary records."""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return "", frozenset()
    if not isinstance(data, dict):
        return "", frozenset()
    spans = data.get("s") or ()
    return str(data.get("n") or ""), frozenset(
        (int(a), int(b)) for a, b in spans if isinstance(a, int) and isinstance(b, int)
    )


def _score(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


_Spans = frozenset[tuple[int, int]]
_Link = tuple[str, str, float | None, tuple[str, str] | None, _Spans]


def _links_by_entity(
    links: Mapping[str, Mapping[str, str]], doc_names: Mapping[str, str]
) -> dict[str, dict[str, list[_Link]]]:
    """Entity -> document name -> (name, rule, score, partner, spans) of its links."""
    found: dict[str, dict[str, list[_Link]]] = defaultdict(lambda: defaultdict(list))
    for fields in links.values():
        entity, doc = fields.get("linksTo"), fields.get("inDocument")
        if not entity or not doc:
            continue
        name, spans = _summary(fields.get("linkSummary", ""))
        partner = None
        other = links.get(fields.get("linkedWith", ""))
        if other is not None and other.get("inDocument"):
            partner_doc = other["inDocument"]
            partner = (
                doc_names.get(partner_doc, _local(partner_doc)),
                _summary(other.get("linkSummary", ""))[0],
            )
        found[entity][doc_names.get(doc, _local(doc))].append(
            (
                name,
                fields.get("linkRule", ""),
                _score(fields.get("linkScore", "")),
                partner,
                spans,
            )
        )
    return found


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _note(
    document: str,
    mentions: list[tuple[int, int, MentionNote]],
    link: _Link | None,
) -> DocumentNote:
    ordered = [m for _s, _e, m in sorted(mentions, key=lambda x: (x[0], x[1]))]
    shown = tuple(ordered[:EXPLAINED_MENTIONS])
    if link is None:
        return DocumentNote(document, mentions=shown, more=len(ordered) - len(shown))
    name, rule, score, partner, _spans = link
    return DocumentNote(
        document, name, rule, score, partner, shown, len(ordered) - len(shown)
    )


def _document_notes(
    document: str,
    mentions: list[tuple[int, int, MentionNote]],
    links: list[_Link],
) -> list[DocumentNote]:
    """One note per document entity on the node (its own mentions by span)."""
    if not links:
        return [_note(document, mentions, None)]
    notes = []
    for link in sorted(links, key=lambda x: (x[0], x[1], sorted(x[4]))):
        spans = link[4]
        own = [m for m in mentions if (m[0], m[1]) in spans] if len(links) > 1 else []
        notes.append(_note(document, own or mentions, link))
    return notes


def explain_entities(
    mentions: Iterable[MentionRow],
    notes: MentionNotes,
    sentences: Mapping[str, tuple[str, int, str]],
    links: Mapping[str, Mapping[str, str]],
    doc_names: Mapping[str, str],
) -> dict[str, Explanation]:
    """Return each entity's explanation: its mentions per document and its links.

    Parameters
    ----------
    mentions
        ``(entity, mention, sentence, start, end)`` rows.
    notes
        Mention node -> (text, kind, found by, linked by).
    sentences
        Sentence node -> (text, start, document name).
    links
        Entity link node -> its :data:`LINK_FIELDS` values (see
        :func:`add_link_value`).
    doc_names
        Document node -> the name the page shows.

    Examples
    --------
    >>> rows = [("urn:e", "urn:m", "urn:s", 0, 3)]
    >>> notes = {"urn:m": ("Ada", "name", "kg.mentions.names.v1", "")}
    >>> x = explain_entities(rows, notes, {"urn:s": ("Ada.", 0, "a.txt")}, {}, {})
    >>> [(d.document, [m.text for m in d.mentions]) for d in x["urn:e"].documents]
    [('a.txt', ['Ada'])]
    """
    by_doc: dict[str, dict[str, list[tuple[int, int, MentionNote]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for entity, mention, sentence, start, end in mentions:
        sent = sentences.get(sentence) if sentence else None
        if sent is None or not sent[2]:
            continue
        text, kind, found, linked = notes.get(mention, ("", "", "", ""))
        note = MentionNote(text, kind or "name", found, linked)
        by_doc[entity][sent[2]].append((start or 0, end or 0, note))
    links_of = _links_by_entity(links, doc_names)
    explained: dict[str, Explanation] = {}
    for entity in sorted(set(by_doc) | set(links_of)):
        docs = by_doc.get(entity, {})
        entity_links = links_of.get(entity, {})
        notes_all: list[DocumentNote] = []
        for document in sorted(set(docs) | set(entity_links)):
            notes_all += _document_notes(
                document, docs.get(document, []), entity_links.get(document, [])
            )
        kept = notes_all[:EXPLAINED_DOCUMENTS]
        left = notes_all[EXPLAINED_DOCUMENTS:]
        explained[entity] = Explanation(
            tuple(kept),
            len(left),
            sum(len(d.mentions) + d.more for d in left),
        )
    return explained
