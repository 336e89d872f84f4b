"""Place facts a sentence states: place chains, bodies named after a place."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from kg.ontology import PropertyInfo
from kg.relations.nodes import (
    _LOCATION_PROPERTIES,
    _choose,
    _Context,
    _emit,
    _fits,
    _name_starts,
    _Node,
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


def _place_class_property(ctx: _Context, start: str, place: str) -> str:
    """Return the placement property for a place by its class (country: country)."""
    cls = ctx.classes.get(place, "Place")
    predicate = {
        "Country": "country",
        "Nationality": "country",
        "Continent": "continent",
    }.get(cls, "locatedIn")
    info = ctx.onto.properties[predicate]
    if not ctx.onto.is_a(ctx.classes.get(start, "Thing"), info.domain):
        return "locatedIn"
    return predicate


#: The relation patterns whose placements a chain extends: a named thing's
#: preposition ("the Acme Institute in Dorn, Varland"), as the clause rules'.
_CHAINED_PATTERNS = "kg.pattern.noun-prep."
#: Rules whose fact places a place in the next within one phrase: "Dorn,
#: Varland" and "the Varland state of Dorn".
_CHAIN_RULES = (":place-chain", "kg.pattern.place.named-noun-of-name.v1")


def _chained_places(ctx: _Context, triples: Iterable[Triple]) -> Iterator[Triple]:
    """Places a sentence's place chain adds to a placement (rule ``chain-placed``).

    "X lies in Dorn, Varland" or "in the Varland state of Dorn": the chain
    says where Dorn is, so the sentence places X in Varland too (country
    when it is one). Only chains of the placement's own sentence are read;
    people are not placed; of the relation patterns (``ontology/patterns``)
    only a named thing's preposition is extended, the others state just
    their own fact.
    """
    triples = list(triples)
    chains: dict[tuple[str, int], list[Triple]] = {}
    for t in triples:
        if t.rule.endswith(_CHAIN_RULES) and t.modality == "asserted":
            chains.setdefault((t.subject, t.provenance.sent_index), []).append(t)
    for t in triples:
        if (
            t.predicate not in _LOCATION_PROPERTIES
            or t.modality != "asserted"
            or not t.rule.startswith((f"{ctx.extractor}:", _CHAINED_PATTERNS))
            or t.rule.endswith(":place-chain")
            or t.subject not in ctx.classes
            or ctx.onto.is_a(ctx.classes[t.subject], "Person")
        ):
            continue
        sent = t.provenance.sent_index
        seen, frontier = {t.subject, t.object}, [t.object]
        for _ in range(3):
            reached = []
            for place in frontier:
                for link in chains.get((place, sent), ()):
                    if link.object in seen:
                        continue
                    seen.add(link.object)
                    reached.append(link.object)
                    yield replace(
                        t,
                        object=link.object,
                        predicate=_place_class_property(ctx, t.subject, link.object),
                        confidence=round(t.confidence * 0.9, 3),
                        rule=f"{ctx.extractor}:chain-placed",
                        provenance=replace(
                            t.provenance,
                            start_char=min(
                                t.provenance.start_char, link.provenance.start_char
                            ),
                            end_char=max(
                                t.provenance.end_char, link.provenance.end_char
                            ),
                        ),
                    )
            frontier = reached


def _naming_of(ctx: _Context, holder: _Node, prep: Token) -> bool:
    """Tell an "of" phrase inside a name, which states no fact about the name.

    "The Battle of Y", "the Kingdom of Y", "the University of Y": the "of"
    names the thing after Y; how Y relates to it (fought at, reigned over,
    seated in) the words do not say.
    """
    if prep.lower_ != "of" or not holder.named:
        return False
    inside = ctx.by_token.get(prep.i)
    return inside is not None and inside.key == holder.key


def _person_of(
    ctx: _Context, holder: _Node, other: _Node, prep: Token, info: PropertyInfo
) -> PropertyInfo | None:
    """Return what a name's "of" phrase states; a person's is read apart.

    Set off by a comma, as news writes it ("Ada Varn, 61, of Springfield"),
    "of" says where the person lives (residence). Close after the name it
    is an epithet: the nation the person belongs to ("Otto III of Norway",
    citizenOf) or a house, a title or a band, never where the person is or
    who employs them.
    """
    if prep.lower_ != "of" or not ctx.onto.is_a(holder.cls, "Person"):
        return info
    set_off = prep.i > 0 and prep.doc[prep.i - 1].text == ","
    for name in ("residence",) if set_off else ("citizenOf",):
        found = ctx.onto.properties.get(name)
        if found is not None and _fits(ctx.onto, found, holder, other, lenient=False):
            return found
    return None


#: Words in a name's brackets that say which end of a life a place is of.
_LIFE_PLACE_WORDS = {
    "born": "birthPlace",
    "b.": "birthPlace",
    "died": "deathPlace",
    "d.": "deathPlace",
}
#: Dashes between the two ends of a life: "(1874 in Y – 1915 in Z)".
_LIFE_DASHES = frozenset({"–", "-", "—"})
#: Tokens a bracket may run over before the place.
_LIFE_WINDOW = 30


def _life_place(
    ctx: _Context, holder: _Node, anchor: Token, place: _Node
) -> PropertyInfo | None:
    """Read a place in the brackets after a person's name as a birth or death place.

    "Ada Varn (3 May 1874 in Y – 6 June 1915 in Z)", "Ada Varn (born in Y)":
    the place before the dash (or after "born") is where the person was born,
    the one after the dash (or after "died") where they died (rule
    ``life-place``). Anywhere else "in Y" after a person's name says no more
    than that the text mentions them with Y. ``anchor`` is the preposition
    before the place, or the place itself when it is apposed ("Ada Varn
    (born 1874, Y)").
    """
    if not ctx.onto.is_a(holder.cls, "Person"):
        return None
    if anchor.pos_ == "ADP" and anchor.lower_ not in {"in", "at"}:
        return None
    prep = anchor
    doc = prep.doc
    said: str | None = None
    dash = False
    i = prep.i - 1
    while i > 0 and prep.i - i < _LIFE_WINDOW and doc[i].text != "(":
        word = doc[i].lower_
        if word == ")":
            return None
        if said is None and not dash and word in _LIFE_PLACE_WORDS:
            said = _LIFE_PLACE_WORDS[word]
        dash = dash or (said is None and word in _LIFE_DASHES)
        i -= 1
    before = i - 1 - (i > 1 and doc[i - 1].text == ",")
    owner = ctx.by_token.get(before) if i > 0 and doc[i].text == "(" else None
    if owner is None or owner.key != holder.key:
        return None
    name = said or ("deathPlace" if dash else "birthPlace")
    info = ctx.onto.properties.get(name)
    if info is None or not _fits(ctx.onto, info, holder, place, lenient=False):
        return None
    return info
