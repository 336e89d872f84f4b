"""Relations to values: the dates a text states for an entity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_mapping, load_words
from kg.mentions import sentence_starts
from kg.ontology import Ontology, PropertyInfo, TriggerKind, load_ontology
from kg.relations.nodes import (
    _entity_at,
    _entity_index,
)
from kg.relations.parse import (
    _PASSIVE_DEPS,
    _TIME_DEPS,
    _split_conjuncts,
    _subject_heads,
)
from kg.relations.polarity import clause_modality
from kg.types import (
    DocLike,
    Entity,
    Modality,
    Provenance,
    Triple,
    Value,
)

__all__ = ["extract_value_facts"]


_PAREN_WINDOW = 40


_VALUE_RULE = "kg.values.v1"


#: The shortest life "X (YEAR - YEAR)" reads as: shorter spans are terms of
#: office or years at a school ("Y (1986 - 1993)").
_MIN_LIFE_YEARS = 12


_PRECISE_DATATYPES = frozenset({"date", "gYearMonth", "gYear"})


@dataclass(slots=True)
class _ValueContext:
    """Per-document state of the value-fact rules."""

    doc: Doc
    doc_id: str
    onto: Ontology
    by_token: dict[int, Entity]
    starts: dict[int, int]
    classes: dict[str, str]
    best: dict[tuple[str, str, str], Triple] = field(default_factory=dict)
    #: each sentence's text by its first token (built once per sentence)
    sent_texts: dict[int, str] = field(default_factory=dict)
    #: tokens inside a proper name ("the 2010 Winter Olympics")
    in_names: frozenset[int] = frozenset()


def _says_when(value: Value) -> bool:
    """Tell whether a date is precise enough for a fact (not "annual", "age 36")."""
    if value.datatype in _PRECISE_DATATYPES:
        return True
    words = value.lexical.lower().replace("-", " ").split()
    return any(
        w.strip("s'").isdigit()
        and len(w.strip("s'")) in {3, 4}
        or w in load_words("value-dated-words")
        for w in words
    )


def _year_of(value: Value) -> int | None:
    head = value.lexical[:4]
    return (
        int(head) if value.datatype in _PRECISE_DATATYPES and head.isdigit() else None
    )


def _value_fits(onto: Ontology, cls: str, domain: str) -> bool:
    """Domain check of a value property; a person takes only Person properties."""
    if not onto.is_a(cls, domain) and not (cls == "Thing" and domain != "Person"):
        return False
    return domain == "Person" or not onto.is_a(cls, "Person")


def _pick_value_property(
    onto: Ontology, props: Iterable[PropertyInfo], cls: str
) -> PropertyInfo | None:
    fitting = [p for p in props if _value_fits(onto, cls, p.domain)]
    if not fitting:
        return None
    depth = onto.superclasses
    return max(fitting, key=lambda p: (len(depth.get(p.domain, ())), p.name))


def _bearer(ctx: _ValueContext, token: Token) -> Entity | None:
    """Return the named entity a token stands for (an unnamed thing has no date)."""
    entity = _entity_at(ctx.by_token, token)
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return None  # "founded in 1990 by X": X is not what was founded
    return entity if entity is not None and entity.named else None


def _sentence_text(ctx: _ValueContext, sent: Span) -> str:
    text = ctx.sent_texts.get(sent.start)
    if text is None:
        text = ctx.sent_texts[sent.start] = sent.text
    return text


def _add_value_fact(
    ctx: _ValueContext,
    entity: Entity,
    info: PropertyInfo,
    value: Value,
    anchor: Token,
    date: Span,
    *,
    confidence: float,
    rule: str,
    lemma: str,
    modality: Modality = "asserted",
) -> None:
    sent = date.sent
    start = min(anchor.idx, date.start_char)
    end = max(anchor.idx + len(anchor), date.end_char)
    triple = Triple(
        subject=entity.key,
        predicate=info.name,
        object=value.key,
        provenance=Provenance(
            doc_id=ctx.doc_id,
            sent_index=ctx.starts[sent.start],
            start_char=start,
            end_char=end,
            sentence=_sentence_text(ctx, sent),
        ),
        confidence=round(confidence, 3),
        rule=f"{_VALUE_RULE}:{rule}",
        lemma=lemma,
        modality=modality,
    )
    key = (triple.subject, triple.predicate, triple.object)
    old = ctx.best.get(key)
    if old is None or triple.confidence > old.confidence:
        ctx.best[key] = triple


def _class_of(ctx: _ValueContext, entity: Entity) -> str:
    return ctx.classes.get(entity.key, entity.label)


def _verb_phrase(verb: Token) -> tuple[str, str]:
    """Return the verb's trigger forms: with its particle or light object, bare."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "prt" or (child.dep_ == "dobj" and child.lower_ == "place"):
            return f"{lemma} {child.lower_}", lemma
    return lemma, lemma


def _dated_verb(
    ctx: _ValueContext, verb: Token, prep: Token | None, value: Value, date: Span
) -> None:
    """Date a clause of a trigger verb: "X was born in DATE", "Y released Z on DATE"."""
    if prep is not None and prep.lower_ not in load_words(
        "value-event-date-prepositions"
    ):
        return
    modality = clause_modality(verb)
    if modality == "negated":
        return  # "X was not born in 1990"
    phrase, lemma = _verb_phrase(verb)
    props = ctx.onto.value_properties_for("verb", phrase) or (
        ctx.onto.value_properties_for("verb", lemma) if phrase != lemma else ()
    )
    base = 0.8
    if not props and prep is not None:
        props = ctx.onto.value_properties_for("prep", prep.lower_)
        base = 0.55
    if not props:
        return
    objects = [
        c
        for c in verb.children
        if c.dep_ == "dobj" and not (c.lower_ == "place" and phrase.endswith("place"))
    ]
    passive = any(c.dep_ in _PASSIVE_DEPS for c in verb.children)
    if objects and not passive:
        heads, how = objects, "object"
    else:
        heads, how = _subject_heads(verb)
    confidence = base * (1.0 if how in {"own", "object"} else 0.9)
    for head in heads:
        for token in _split_conjuncts(head):
            entity = _bearer(ctx, token)
            if entity is None:
                continue
            info = _pick_value_property(ctx.onto, props, _class_of(ctx, entity))
            if info is not None:
                _add_value_fact(
                    ctx,
                    entity,
                    info,
                    value,
                    token,
                    date,
                    confidence=confidence,
                    rule=f"verb-{how}" if base > 0.6 else "prep",
                    lemma=f"{phrase} {prep.lower_}" if prep is not None else phrase,
                    modality=modality,
                )


def _dated_event_noun(
    ctx: _ValueContext, noun: Token, prep: Token | None, value: Value, date: Span
) -> None:
    """Date an event noun's bearer: "his death in 1992", "the release of Z on DATE"."""
    props = ctx.onto.value_properties_for("noun", noun.lemma_.lower())
    if not props:
        return
    owners = [c for c in noun.children if c.dep_ == "poss"]
    owners += [
        o
        for p in noun.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for o in p.children
        if o.dep_ == "pobj"
    ]
    for token in owners:
        entity = _bearer(ctx, token)
        if entity is None:
            continue
        info = _pick_value_property(ctx.onto, props, _class_of(ctx, entity))
        if info is not None:
            lemma = noun.lemma_ + (f" {prep.lower_}" if prep is not None else "")
            _add_value_fact(
                ctx, entity, info, value, token, date,
                confidence=0.7, rule="noun", lemma=lemma,
            )  # fmt: skip


def _dated_noun(ctx: _ValueContext, noun: Token, value: Value, date: Span) -> None:
    """Date the bearer of a class noun a year modifies: "X is a 1997 film"."""
    if value.datatype not in _PRECISE_DATATYPES or noun.pos_ != "NOUN":
        return
    if date.start > noun.i:
        return  # "BWV 1007": a number after the noun is no year of it
    bearers: list[Token] = []
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        bearers = [c for c in noun.head.children if c.dep_ == "nsubj"]
    elif noun.dep_ == "appos":
        bearers = [noun.head]
    bearers += [c for c in noun.children if c.dep_ == "appos"]
    if noun.i in ctx.by_token:
        bearers.append(noun)
    nouns = ctx.onto.classes_for_noun(noun.lemma_.lower())
    for token in bearers:
        entity = _bearer(ctx, token)
        if entity is None:
            continue
        cls = nouns[0] if len(nouns) == 1 else _class_of(ctx, entity)
        props = list(ctx.onto.value_properties_for("structure", "dated noun"))
        for name in (cls, *ctx.onto.superclasses.get(cls, ())):
            props += ctx.onto.value_properties_for("structure", f"dated noun {name}")
        info = _pick_value_property(ctx.onto, props, cls)
        if info is not None:
            _add_value_fact(
                ctx, entity, info, value, token, date,
                confidence=0.7, rule="dated-noun", lemma=noun.lemma_,
            )  # fmt: skip


#: A date in brackets after a name, and the word before it ("born", "d.").
_Bracketed = tuple[Value, Span, str | None]


def _bracket_dates(
    doc: Doc, first: int, value_at: Mapping[int, tuple[Value, Span]]
) -> tuple[list[_Bracketed], bool]:
    """Return the dates in the brackets opening at ``first``, and if they range."""
    dates: list[_Bracketed] = []
    word: str | None = None
    ranged = False
    tokens = doc[first + 1 : first + _PAREN_WINDOW]
    for token in tokens:
        if token.text == ")":
            nxt = token.i + 1
            if dates or nxt >= tokens.end or doc[nxt].text != "(":
                break
            continue  # "X ( ) ( 1918 - 1978 )": an empty pair first
        found = value_at.get(token.i)
        if found is not None:
            if not dates or dates[-1][1] != found[1]:
                dates.append((found[0], found[1], word))
                word = None
            continue
        if token.lower_ in load_mapping("value-life-words"):
            word = load_mapping("value-life-words")[token.lower_]
        elif token.text in load_words("value-range-tokens") and dates:
            ranged = True
    if ranged and len(dates) == 2:
        born, died = _year_of(dates[0][0]), _year_of(dates[1][0])
        if born is not None and died is not None:
            ranged = died - born >= _MIN_LIFE_YEARS
    return dates, ranged


def _bracket_trigger(
    dates: Sequence[_Bracketed], i: int, ranged: bool
) -> tuple[TriggerKind, str, float] | None:
    """Return how the i-th bracketed date reads: trigger kind, trigger, confidence."""
    value, _, said = dates[i]
    if said is not None:
        return "verb", said, 0.9
    if ranged and len(dates) == 2:
        return "structure", "life start" if i == 0 else "life end", 0.85
    if len(dates) == 1 and not ranged and _year_of(value) is not None:
        return "structure", "dated name", 0.7
    return None


def _life_span(
    ctx: _ValueContext, entity: Entity, value_at: dict[int, tuple[Value, Span]]
) -> None:
    """Read dates in brackets: "X (born 1963)", "X (1920 - 1992)", "Y (1997)".

    A person's birth and death, or the year of a work ("dated name").
    """
    doc = ctx.doc
    for m in entity.mentions:
        if m.kind != "name":
            continue
        span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        first = span.end + (span.end < len(doc) and doc[span.end].text == ",")
        if first >= len(doc) or doc[first].text != "(":
            continue
        dates, ranged = _bracket_dates(doc, first, value_at)
        anchor = doc[span.end - 1]
        for i, (value, date, _) in enumerate(dates):
            reading = _bracket_trigger(dates, i, ranged)
            if reading is None:
                continue
            kind, trigger, confidence = reading
            props = ctx.onto.value_properties_for(kind, trigger)
            info = _pick_value_property(ctx.onto, props, _class_of(ctx, entity))
            if info is not None:
                _add_value_fact(
                    ctx, entity, info, value, anchor, date,
                    confidence=confidence, rule="brackets", lemma=trigger,
                )  # fmt: skip


def _name_tokens(doc: Doc, entities: Sequence[Entity]) -> frozenset[int]:
    found: set[int] = set()
    for entity in entities:
        for m in entity.mentions:
            if m.kind != "name":
                continue
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                found.update(range(span.start, span.end))
    return frozenset(found)


def extract_value_facts(
    doclike: DocLike,
    entities: Sequence[Entity],
    values: Sequence[Value],
    *,
    doc_id: str,
) -> tuple[Triple, ...]:
    """Read the facts that tie entities to dates: triples whose object is a value.

    Constructions: a dated clause of a trigger verb ("X was born in DATE",
    "Y released the album on DATE": the verb's object bears the date when
    it has one, else its subject; relative clauses and participles find
    their noun as other clauses do), a trigger preposition ("since DATE"),
    an event noun ("his death in DATE"), a year modifying a class noun ("X
    is a 1997 film") and the parentheses after a person's name ("X (born
    DATE)", "X (DATE – DATE)"). Properties and their triggers are the
    ontology's value properties (sub-properties of ``kgo:hasValue``);
    domain decides between them. One triple per fact, the surest reading.

    Examples
    --------
    >>> from kg.coref import resolve_entities
    >>> from kg.mentions import extract_mentions
    >>> from kg.values import extract_values
    >>> doc = nlp("Ada Lovelace was born on 10 December 1815 in London.")
    >>> ents = resolve_entities(doc, extract_mentions(doc))
    >>> facts = extract_value_facts(doc, ents, extract_values(doc), doc_id="d")
    >>> [(t.subject, t.predicate, t.object) for t in facts]
    [('ada lovelace', 'birthDate', '1815-12-10^^date')]
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    ctx = _ValueContext(
        doc=doc,
        doc_id=doc_id,
        onto=load_ontology(),
        by_token=_entity_index(doc, entities),
        starts=sentence_starts(doc),
        classes={e.key: e.label for e in entities},
        in_names=_name_tokens(doc, entities),
    )
    value_at: dict[int, tuple[Value, Span]] = {}
    for value in values:
        if value.kind != "date" or not _says_when(value):
            continue
        for m in value.mentions:
            date = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if date is None:
                continue
            for token in date:
                value_at.setdefault(token.i, (value, date))
            if any(t.i in ctx.in_names for t in date):
                continue  # part of a name: "the 2010 Winter Olympics"
            root = date.root
            head = root.head
            if root.dep_ == "pobj" and head.dep_ in {"prep", "agent"}:
                governor = head.head
                prep: Token | None = head
            elif root.dep_ in _TIME_DEPS or root.dep_ == "prep":
                governor, prep = head, None
            elif root.dep_ in {"nummod", "amod", "compound", "nmod"} and head.pos_ in {
                "NOUN",
                "PROPN",
            }:
                _dated_noun(ctx, head, value, date)
                continue
            else:
                continue
            if governor.pos_ in {"VERB", "AUX"}:
                _dated_verb(ctx, governor, prep, value, date)
            elif governor.pos_ == "NOUN":
                _dated_event_noun(ctx, governor, prep, value, date)
    for entity in entities:
        if entity.named:
            _life_span(ctx, entity, value_at)
    return tuple(
        sorted(
            ctx.best.values(),
            key=lambda t: (t.provenance.start_char, t.subject, t.predicate),
        )
    )
