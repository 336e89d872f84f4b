"""Place facts a sentence states: place chains, bodies named after a place."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Span

from kg.relations.nodes import (
    _LOCATION_PROPERTIES,
    _choose,
    _Context,
    _emit,
    _name_starts,
    _node,
    _sentence_ents,
)
from kg.types import (
    Entity,
    Triple,
)

__all__: list[str] = []


def _place_chain_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Read place chains: "Vancouver, British Columbia, Canada" (each in the next)."""
    ents = _sentence_ents(ctx, sent)
    for a, b in zip(ents, ents[1:], strict=False):
        if (
            b.start != a.end + 1
            or sent.doc[a.end].text != ","
            or b.label_ not in {"GPE", "LOC"}
        ):
            continue
        if b.root.i in {c.i for c in a.root.conjuncts} and any(
            c.dep_ == "cc" for t in (a.root, *a.root.conjuncts) for c in t.children
        ):
            # "France, Germany and Italy": a list of places, not a chain; the
            # parser also coordinates a chain with commas only ("Alameda
            # County, California, United States")
            continue
        left = _node(ctx, a.root)
        right = _node(ctx, b.root)
        if left is None or right is None or not (left.named and right.named):
            continue
        if left.cls == "Country" and right.cls != "Continent":
            continue
        info = _choose(ctx.onto, "structure", "apposition", left, right, lenient=False)
        if info is not None:
            yield from _emit(
                ctx,
                left,
                right,
                info,
                lemma="apposition",
                confidence=0.7,
                rule="place-chain",
                sent=sent,
                modality="asserted",
            )


def _name_place_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Place a body named after a place the text names: "the Supreme Court of Y".

    A named organisation, facility or event whose name ends in "of Y", where
    Y is the name or an alias of a place the text mentions on its own, lies
    in Y.
    """
    places: dict[str, Entity] | None = None
    for tok in _name_starts(ctx, sent):
        entity = ctx.by_token[tok.i]
        mention = next((m for m in entity.mentions if m.start_char == tok.idx), None)
        if mention is None or " of " not in mention.text:
            continue
        bearer = _node(ctx, tok)
        if bearer is None or not any(
            ctx.onto.is_a(bearer.cls, c) for c in ("Organization", "Facility", "Event")
        ):
            continue
        if places is None:
            places = {
                name.lower(): e
                for e in dict.fromkeys(ctx.by_token.values())
                if e.named
                for name in (e.name, *e.aliases)
            }
        tail = mention.text.rsplit(" of ", 1)[1].removeprefix("the ").lower()
        place = places.get(tail)
        if place is None or place.key == entity.key:
            continue
        first = place.mentions[0]
        span = ctx.doc.char_span(first.start_char, first.end_char, "expand")
        other = _node(ctx, span.root) if span is not None else None
        if other is None or not ctx.onto.is_a(other.cls, "Place"):
            continue
        info = _choose(
            ctx.onto, "structure", "apposition", bearer, other, lenient=False
        )
        if info is not None:
            yield from _emit(
                ctx,
                bearer,
                other,
                info,
                lemma=f"named of {place.name}",
                confidence=0.6,
                rule="name-of-place",
                sent=sent,
                modality="asserted",
            )


def _transitive_places(ctx: _Context, triples: Iterable[Triple]) -> Iterator[Triple]:
    """Locations through chains: in X, X in Y gives in Y (country when Y is one)."""
    located: dict[str, list[Triple]] = {}
    for t in triples:
        if t.predicate in _LOCATION_PROPERTIES and t.modality == "asserted":
            located.setdefault(t.subject, []).append(t)
    onto = ctx.onto
    for start, firsts in located.items():
        if start not in ctx.classes or onto.is_a(ctx.classes[start], "Person"):
            continue  # described things and people are not placed by chains
        seen = {start, *(t.object for t in firsts)}
        frontier = [(t, t.confidence) for t in firsts]
        for _ in range(3):
            reached: list[tuple[Triple, float]] = []
            for link, score in frontier:
                for nxt in located.get(link.object, ()):
                    if nxt.object in seen:
                        continue
                    seen.add(nxt.object)
                    cls = ctx.classes.get(nxt.object, "Place")
                    predicate = {
                        "Country": "country",
                        "Nationality": "country",
                        "Continent": "continent",
                    }.get(cls, "locatedIn")
                    info = onto.properties[predicate]
                    if not onto.is_a(ctx.classes.get(start, "Thing"), info.domain):
                        predicate = "locatedIn"
                    confidence = round(score * nxt.confidence * 0.9, 3)
                    yield replace(
                        nxt,
                        subject=start,
                        predicate=predicate,
                        confidence=confidence,
                        rule=f"{ctx.extractor}:transitive",
                        lemma="located in",
                        provenance=link.provenance,
                    )
                    reached.append((nxt, score * nxt.confidence))
            frontier = reached
