"""Guesses from the document context, which no sentence states (opt-in)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

from kg.ontology import PropertyInfo
from kg.relations.nodes import (
    _LOCATION_PROPERTIES,
    _choose,
    _Context,
    _emit,
    _first_mentions,
    _fits,
    _name_starts,
    _Node,
    _node,
)
from kg.types import (
    DocLike,
    Entity,
    Triple,
)

__all__: list[str] = []


def _sentence_country_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Place a sentence's places and bodies in the one country it names (weak).

    A person of that sentence is read as its citizen, a work as coming from
    it (as weakly).
    """
    nodes: dict[str, _Node] = {}
    owned: set[str] = set()  # "the Japanese company X": the nation is X's alone
    for tok in _name_starts(ctx, sent):
        node = _node(ctx, tok)
        if node is not None and node.named:
            nodes.setdefault(node.key, node)
            if tok.dep_ in _OWNED_DEPS and tok.head.i in ctx.by_token:
                owned.add(node.key)
    countries = [n for n in nodes.values() if n.cls == "Country"]
    if not countries:
        countries = [
            n for n in nodes.values() if n.cls == "Nationality" and n.key not in owned
        ]
    if len(countries) != 1:
        return
    country = countries[0]
    for node in nodes.values():
        if node.key == country.key or node.cls in {
            "Country",
            "Continent",
            "Nationality",
        }:
            continue
        if _conjoined_with(ctx, node, country):
            continue
        if node.cls in dict(_NATION_PROPERTIES):
            # a person (a work) and the one nation of their sentence
            nation = ctx.onto.properties[dict(_NATION_PROPERTIES)[node.cls]]
            if not _fits(ctx.onto, nation, node, country, lenient=False):
                continue
            info: PropertyInfo | None = nation
        elif any(
            ctx.onto.is_a(node.cls, c) for c in ("Place", "Organization", "Event")
        ):
            info = _choose(
                ctx.onto, "structure", "apposition", node, country, lenient=False
            )
        else:
            continue
        if info is not None:
            yield from _emit(
                ctx,
                node,
                country,
                info,
                lemma="in the same sentence",
                confidence=0.3,
                rule="sentence-country",
                sent=sent,
                modality="asserted",
            )


def _document_country_facts(
    ctx: _Context, doclike: DocLike
) -> Iterator[Triple | Entity]:
    """Place a text's places and bodies in the one country it names (weak).

    The fact is read at the entity's first mention, with a low confidence.
    """
    firsts = {node.key: (node, sent) for node, sent in _first_mentions(ctx, doclike)}
    countries = [n for n, _ in firsts.values() if n.cls == "Country"]
    nationalities = [n for n, _ in firsts.values() if n.cls == "Nationality"]
    if not countries:
        # "the Japanese company X" gives X's nation, the text's only where X
        # is what the text is about (named first)
        topic = next(iter(firsts), "")
        countries = [n for n in nationalities if not _owned_nation(ctx, n, topic)]
        nationalities = []
    if len(countries) != 1:
        return
    country = countries[0]
    others = {n.key for n in nationalities if not _same_stem(n.key, country.key)}
    for node, sent in firsts.values():
        if others and any(ctx.by_token.get(t.i, node).key in others for t in sent):
            continue  # "a Japanese company based in Tokyo": another country is in play
        if node.cls in {"Country", "Continent", "Nationality"}:
            continue
        if not any(
            ctx.onto.is_a(node.cls, c) for c in ("Place", "Organization", "Event")
        ):
            continue
        if _conjoined_with(ctx, node, country):
            continue  # "regulators in the United States and the European Union"
        info = _choose(
            ctx.onto, "structure", "apposition", node, country, lenient=False
        )
        if info is not None:
            yield from _emit(
                ctx,
                node,
                country,
                info,
                lemma="in the only country named",
                confidence=0.2,
                rule="document-country",
                sent=sent,
                modality="asserted",
            )


def _owned_nation(ctx: _Context, nation: _Node, topic: str) -> bool:
    """Tell whether a nationality only ever modifies the name of a side entity.

    ``topic`` is the key of the entity the text names first.
    """
    tokens = [ctx.doc[i] for i, e in ctx.by_token.items() if e.key == nation.key]
    return bool(tokens) and all(
        t.dep_ in _OWNED_DEPS
        and t.head.i in ctx.by_token
        and ctx.by_token[t.head.i].key != topic
        for t in tokens
    )


def _conjoined_with(ctx: _Context, node: _Node, other: _Node) -> bool:
    """Tell whether a node's mention is a conjunct of a mention of ``other``."""
    span = ctx.doc.char_span(node.start, node.end, alignment_mode="expand")
    if span is None:
        return False

    def key(t: Token) -> str | None:
        entity = ctx.by_token.get(t.i)
        return entity.key if entity is not None else None

    head = span.root
    while head.head.i != head.i and key(head.head) == node.key:
        head = head.head  # from "European" up to "Union"
    return any(key(c) == other.key for c in head.conjuncts)


def _recent_country_facts(
    ctx: _Context, doclike: DocLike, found: Iterable[Triple]
) -> Iterator[Triple | Entity]:
    """Place an unplaced place or body in the country the text last named (weak).

    Where a text names several countries, a place or organisation no fact
    places yet is read as lying in the country named last before its first
    mention (or, before any, the first one named after it), with a low
    confidence.
    """
    placed = {t.subject for t in found if t.predicate in _LOCATION_PROPERTIES}
    order = _first_mentions(ctx, doclike)
    countries = {n.key for n, _ in order if n.cls == "Country"}
    if len(countries) < 2:
        return  # one country: _document_country_facts
    last: _Node | None = None
    waiting: list[tuple[_Node, Span]] = []
    for node, sent in order:
        if node.key in countries:
            last = node
            for early, early_sent in waiting:
                yield from _recent_country(ctx, early, node, early_sent)
            waiting = []
            continue
        if node.key in placed or node.cls in {"Continent", "Nationality"}:
            continue
        if not any(ctx.onto.is_a(node.cls, c) for c in ("Place", "Organization")):
            continue
        if last is None:
            waiting.append((node, sent))
        else:
            yield from _recent_country(ctx, node, last, sent)


#: A nationality under these relations modifies a name: "the Japanese company X".
_OWNED_DEPS = frozenset({"amod", "compound", "nmod"})


#: Whose nation the one nation a text names is, and by which property.
_NATION_PROPERTIES = (("Person", "citizenOf"), ("CreativeWork", "countryOfOrigin"))


def _recent_nation_facts(
    ctx: _Context, doclike: DocLike, found: Iterable[Triple]
) -> Iterator[Triple | Entity]:
    """Give a person (a work) the one nation a text names, where no fact states theirs.

    The fact is weak: citizenship of a person, the country of origin of a
    work.

    The nation is a country or a nationality; "Canada" and "Canadian" count
    as one (same stem). The fact is read at the person's first mention, or at
    the nation's first mention when the person comes first.
    """
    wanted = dict(_NATION_PROPERTIES)
    known = {t.subject for t in found if t.predicate in wanted.values()}
    order = _first_mentions(ctx, doclike)
    nations = {n.key[:4] for n, _ in order if n.cls in {"Country", "Nationality"}}
    if len(nations) != 1:
        return
    last: _Node | None = None
    waiting: list[tuple[_Node, Span]] = []
    for node, sent in order:
        if node.cls in {"Country", "Nationality"}:
            last = node
            for early, early_sent in waiting:
                yield from _recent_nation(ctx, early, node, early_sent)
            waiting = []
        elif node.cls in wanted and node.key not in known:
            if last is None:
                waiting.append((node, sent))
            else:
                yield from _recent_nation(ctx, node, last, sent)


def _recent_nation(
    ctx: _Context, node: _Node, nation: _Node, sent: Span
) -> Iterator[Triple | Entity]:
    info = ctx.onto.properties[dict(_NATION_PROPERTIES)[node.cls]]
    if _fits(ctx.onto, info, node, nation, lenient=False):
        yield from _emit(
            ctx,
            node,
            nation,
            info,
            lemma="of the nation named last",
            confidence=0.15,
            rule="recent-nation",
            sent=sent,
            modality="asserted",
        )


def _recent_country(
    ctx: _Context, node: _Node, country: _Node, sent: Span
) -> Iterator[Triple | Entity]:
    info = _choose(ctx.onto, "structure", "apposition", node, country, lenient=False)
    if info is not None:
        yield from _emit(
            ctx,
            node,
            country,
            info,
            lemma="in the country named last",
            confidence=0.15,
            rule="recent-country",
            sent=sent,
            modality="asserted",
        )


def _same_stem(a: str, b: str) -> bool:
    """Tell whether two names share their first four letters ("canadian", "canada")."""
    return a[:4] == b[:4]
