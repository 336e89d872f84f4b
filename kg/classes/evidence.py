"""Class evidence: what a document says about the kind of thing an entity is.

Each rule is a small registered function with a versioned id that reads one
kind of cue and yields :class:`Vote` objects (a class, a weight, the rule and
the words that gave it). :data:`DEFAULT_RULES` lists them in order;
:mod:`kg.classes.decide` weighs the votes. Cues:

* the NER labels of the entity's names, each weighted by how often the label
  is right for each class (:mod:`kg.classes.reliability`), less in a
  headline;
* a known name (``kgo:knownName``: countries, continents, religions);
* the name's own words: a company suffix ("Inc."), a class noun closing or
  opening it ("X University", "Lake X"), a version number ("X 8"), a web
  domain ("x.com"), an "-ism";
* a title or role before a name ("Sen. X", "the browser X");
* a given name opening a name of several words;
* predicate nominals and appositives ("X is a browser", "X, a newspaper");
* descriptions coreference linked to it ("the browser"), its pronouns
  ("he"/"she" against "it") and relative "who";
* the domain and range of the relations it takes part in ("X was born in
  Y": X is a person);
* the class coreference gave it, as a tie-breaker.

A vote for ``Person`` from a title, a given name, a person noun, he/she or
a relation that only a person takes is *person evidence*
(:data:`PERSON_CUES`): without it no entity is a person.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import catalogue
from spacy.tokens import Doc, Span, Token

from kg.classes.reliability import FAMILIES, Reliability, load_reliability
from kg.errors import ConfigError
from kg.lexicon import load_words
from kg.mentions import FACILITY_WORDS, ORG_NOUNS, covered_span
from kg.mentions.lexicons import is_given_name
from kg.nlp import is_heading
from kg.ontology import Ontology, load_ontology
from kg.types import Entity, Mention, Triple

__all__ = [
    "DEFAULT_RULES",
    "PERSON_CUES",
    "EvidenceContext",
    "EvidenceRule",
    "Vote",
    "collect_votes",
    "common_words",
    "evidence_rules",
    "get_rule",
    "make_context",
]

#: Registry of class-evidence rules; other packages plug in through the
#: ``kg_class_evidence`` entry-point group.
evidence_rules = catalogue.create("kg", "class_evidence", entry_points=True)


@dataclass(frozen=True, slots=True)
class Vote:
    """One piece of evidence for a class: its weight, rule and the words.

    A negative weight is evidence against the class ("it" against a person).

    Examples
    --------
    >>> Vote("Software", 3.0, "kg.classes.predicate.v1", "is a 'browser'").cls
    'Software'
    """

    cls: str
    weight: float
    rule: str
    cue: str


@dataclass(frozen=True, slots=True)
class EvidenceContext:
    """What the rules read: the parse, the ontology, the relations, headings.

    ``headline`` holds the token indices of heading lines and title-case
    sentences, where capitals and NER labels say little.
    """

    doc: Doc
    onto: Ontology
    reliability: Reliability
    triples: tuple[Triple, ...]
    headline: frozenset[int]
    spans: Mapping[tuple[int, int, str], Span | None] = field(default_factory=dict)

    def span(self, mention: Mention) -> Span | None:
        """Return the tokens a mention covers (its head for a description)."""
        key = (mention.start_char, mention.end_char, mention.kind)
        if key not in self.spans:
            # the mapping is a per-document cache; its owner is this context
            self.spans[key] = covered_span(self.doc, mention)  # type: ignore[index]
        return self.spans[key]


EvidenceRule = Callable[[EvidenceContext, Entity], Iterator[Vote]]

NER = "kg.classes.ner.v1"
KNOWN = "kg.classes.known-name.v1"
NAME_FORM = "kg.classes.name-form.v1"
TITLE = "kg.classes.title.v1"
GIVEN = "kg.classes.given-name.v2"
PREDICATE = "kg.classes.predicate.v1"
DESCRIPTION = "kg.classes.description.v1"
PRONOUN = "kg.classes.pronoun.v1"
RELATION = "kg.classes.relation.v1"
SPEAKER = "kg.classes.speaker.v1"
COREF = "kg.classes.coref.v1"

#: Every rule of the default typing, in order.
DEFAULT_RULES: tuple[str, ...] = (
    NER,
    KNOWN,
    NAME_FORM,
    TITLE,
    GIVEN,
    PREDICATE,
    DESCRIPTION,
    PRONOUN,
    RELATION,
    SPEAKER,
    COREF,
)
#: Rules whose votes for ``Person`` are person evidence (see the module).
PERSON_CUES = frozenset({TITLE, GIVEN, PREDICATE, DESCRIPTION, PRONOUN, RELATION})

# weights: a NER label's first name counts NER_WEIGHT, the same surface again
# REPEAT_WEIGHT more (up to REPEAT_MAX), a name in a headline HEADLINE_FACTOR
NER_WEIGHT = 1.5
REPEAT_WEIGHT = 0.5
REPEAT_MAX = 2
HEADLINE_FACTOR = 0.5
KNOWN_WEIGHT = 4.0
SUFFIX_WEIGHT = 3.0
NAME_NOUN_WEIGHT = 2.0
FORM_WEIGHT = 1.5
ACRONYM_WEIGHT = 0.7
PLURAL_WEIGHT = 1.0
SPEAKER_WEIGHT = 1.0
TITLE_WEIGHT = 3.0
GIVEN_WEIGHT = 2.0
GIVEN_ALONE_WEIGHT = 0.5
SHAPE_WEIGHT = 1.0
PREDICATE_WEIGHT = 3.0
DESCRIPTION_WEIGHT = 1.5
PRONOUN_WEIGHT = 1.0
PRONOUN_MAX = 3.0
RELATION_WEIGHT = 1.0
RELATION_MAX = 2.0
COREF_WEIGHT = 0.5

#: The class a NER label names (its own family's class).
_LABEL_CLASS = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Facility",
}
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_MASCULINE = load_words("pronouns-masculine")
_FEMININE = load_words("pronouns-feminine")
_NEUTER = frozenset({"it", "its", "itself"})
_RELATIVE_PERSON = frozenset({"who", "whom", "whose"})
_PLACE_ADVERBS = frozenset({"there", "where"})
_COPULAS = frozenset({"be", "become", "remain"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_PREDICATE_DEPS = frozenset({"attr", "oprd"})
_NOUN_POS = frozenset({"NOUN"})
_MODIFIER_DEPS = frozenset({"compound", "appos", "nmod", "amod"})
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|io|co|tv|gov)$", re.I)
_VERSION = re.compile(r"\d")
_UNTYPED = frozenset({"Entity", "Thing", "Agent"})


@functools.cache
def _honorifics() -> frozenset[str]:
    return load_words("honorifics")


@functools.cache
def _company_suffixes() -> frozenset[str]:
    return load_words("company-suffixes")


@functools.cache
def _name_articles() -> frozenset[str]:
    return load_words("name-articles")


@functools.cache
def _leading_class_words() -> frozenset[str]:
    return load_words("name-leading-class-words")


def register_rule(name: str) -> Callable[[EvidenceRule], EvidenceRule]:
    """Register an evidence rule under a versioned id.

    Examples
    --------
    >>> NER in evidence_rules.get_all()
    True
    """

    def deco(fn: EvidenceRule) -> EvidenceRule:
        evidence_rules.register(name, func=fn)
        return fn

    return deco


@functools.cache
def get_rule(name: str) -> EvidenceRule:
    """Return the evidence rule registered as ``name``.

    Raises
    ------
    ConfigError
        No rule has that id.

    Examples
    --------
    >>> callable(get_rule(NER))
    True
    """
    try:
        rule: EvidenceRule = evidence_rules.get(name)
    except catalogue.RegistryError as exc:
        known = ", ".join(sorted(evidence_rules.get_all()))
        raise ConfigError(
            f"unknown class evidence rule {name!r}; known: {known}"
        ) from exc
    return rule


def _headline_tokens(doc: Doc) -> frozenset[int]:
    """Return the tokens of sentences that read as headings (title case, no stop)."""
    found: set[int] = set()
    for sent in doc.sents:
        if is_heading(sent):
            found.update(range(sent.start, sent.end))
    return frozenset(found)


def make_context(
    doc: Doc,
    triples: Iterable[Triple] = (),
    *,
    onto: Ontology | None = None,
    reliability: Reliability | None = None,
) -> EvidenceContext:
    r"""Make the context the rules of one document read.

    Examples
    --------
    >>> ctx = make_context(nlp("Ada Lovelace Wins Prize\n\nAda Lovelace won."))
    >>> 0 in ctx.headline, len(ctx.doc) - 2 in ctx.headline
    (True, False)
    """
    return EvidenceContext(
        doc=doc,
        onto=onto or load_ontology(),
        reliability=reliability or load_reliability(),
        triples=tuple(triples),
        headline=_headline_tokens(doc),
        spans={},
    )


def collect_votes(
    ctx: EvidenceContext, entity: Entity, *, rules: Sequence[str] = DEFAULT_RULES
) -> tuple[Vote, ...]:
    """Run the rules over one entity, in order, and return every vote.

    Examples
    --------
    >>> from kg.types import Mention
    >>> doc = nlp("Sen. Ada Byrne spoke.")
    >>> e = Entity("ada byrne", "Person", "Ada Byrne",
    ...            (Mention("Ada Byrne", "PERSON", 5, 14, 0),))
    >>> sorted({v.rule for v in collect_votes(make_context(doc), e)})[:2]
    ['kg.classes.coref.v1', 'kg.classes.given-name.v2']
    """
    return tuple(v for name in rules for v in get_rule(name)(ctx, entity))


# --- helpers --------------------------------------------------------------------


def _names(entity: Entity) -> list[str]:
    return list(dict.fromkeys((entity.name, *entity.aliases)))


def _name_mentions(entity: Entity) -> list[Mention]:
    return [m for m in entity.mentions if m.kind == "name"]


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", name.strip()) if w]


def _bare(word: str) -> str:
    return word.lower().strip(".,'\u2019\"()")


def _noun_classes(onto: Ontology, token: Token) -> tuple[str, ...]:
    """Return the classes a common noun names, its compound first ("search engine")."""
    lemma = token.lemma_.lower()
    compounds = [c for c in token.children if c.dep_ == "compound" and c.i < token.i]
    if compounds:
        phrase = " ".join([*(c.lemma_.lower() for c in compounds), lemma])
        found = onto.classes_for_noun(phrase)
        if found:
            return found
    return onto.classes_for_noun(lemma)


def _split(
    classes: Sequence[str], weight: float, rule: str, cue: str
) -> Iterator[Vote]:
    """Yield one vote per class a noun names, the weight shared between them."""
    for cls in classes:
        yield Vote(cls, weight / len(classes), rule, cue)


# --- the rules ------------------------------------------------------------------


@register_rule(NER)
def ner_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote the NER labels of the names, weighted by their reliability per class.

    Each distinct name and label counts :data:`NER_WEIGHT` (a repeat a little
    more), split over the class families as often as gold annotation finds
    the label right for a name of that shape; a name in a headline counts
    less. The share a label's own family does not take goes to no class.
    """
    seen: Counter[tuple[str, str]] = Counter()
    weights: dict[tuple[str, str], float] = {}
    for m in _name_mentions(entity):
        if not m.label:
            continue
        key = (m.text.casefold(), m.label)
        seen[key] += 1
        if seen[key] > 1 + REPEAT_MAX:
            continue
        span = ctx.span(m)
        factor = (
            HEADLINE_FACTOR if span is not None and span.start in ctx.headline else 1.0
        )
        weight = (NER_WEIGHT if seen[key] == 1 else REPEAT_WEIGHT) * factor
        weights[key] = weights.get(key, 0.0) + weight
    for (text, label), weight in weights.items():
        own = _LABEL_CLASS.get(label) or ctx.onto.class_for_ner_label(label)
        if own is None:
            continue
        words = sum(1 for w in _words(text) if any(c.isalnum() for c in w))
        shares = ctx.reliability.shares(label, words)
        for family in FAMILIES:
            share = shares.get(family, 0.0)
            if share <= 0.0:
                continue
            if family == "Other" or (family == "Place" and label not in _LABEL_CLASS):
                # a group, work or product label read as a place is the gold
                # sets' way of linking a demonym to its country: its own class
                if any(ctx.onto.is_a(own, f) for f in FAMILIES if f != "Other"):
                    continue  # "not what the label says": no class of its own
                cls = own
            else:
                cls = own if ctx.onto.is_a(own, family) else family
            yield Vote(cls, weight * share, NER, f"{label} '{text}'")


@register_rule(KNOWN)
def known_name_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote the class whose ``kgo:knownName`` list holds a name."""
    for name in _names(entity):
        cls = ctx.onto.class_for_name(name)
        if cls is not None:
            yield Vote(cls, KNOWN_WEIGHT, KNOWN, f"known name '{name}'")
            return


@register_rule(NAME_FORM)
def name_form_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote what the name's own words say: a suffix, a noun, a version, a domain."""
    name = max(_names(entity), key=lambda n: (len(_words(n)), len(n)))
    words = _words(name)
    last, first = _bare(words[-1]), _bare(words[0])
    if len(words) > 1 and last in _company_suffixes():
        yield Vote("Organization", SUFFIX_WEIGHT, NAME_FORM, f"company suffix '{last}'")
    elif len(words) > 1 and (classes := _thing_classes(ctx.onto, last)):
        # a name closed by a person noun is rarely a person's ("X Explorer")
        yield from _split(
            classes, NAME_NOUN_WEIGHT, NAME_FORM, f"name ends in '{last}'"
        )
    if len(words) > 1 and first in _leading_class_words():
        classes = ctx.onto.classes_for_noun(first)
        yield from _split(
            classes, NAME_NOUN_WEIGHT, NAME_FORM, f"name opens with '{first}'"
        )
    if any(_VERSION.search(w) for w in words) and not all(w.isdigit() for w in words):
        yield Vote("Product", FORM_WEIGHT, NAME_FORM, f"version number in '{name}'")
        yield Vote("Person", -FORM_WEIGHT, NAME_FORM, f"number in '{name}'")
    if len(words) == 1 and _DOMAIN.match(name):
        yield Vote("Software", SUFFIX_WEIGHT, NAME_FORM, f"web address '{name}'")
    if len(words) == 1 and name[:1].isupper() and name.lower().endswith("ism"):
        yield Vote("Belief", NAME_NOUN_WEIGHT, NAME_FORM, f"-ism '{name}'")
    if name[:1].islower() and name[1:2].isupper():
        yield Vote("Product", FORM_WEIGHT, NAME_FORM, f"brand spelling '{name}'")
        yield Vote("Person", -FORM_WEIGHT, NAME_FORM, f"brand spelling '{name}'")
    if len(words) == 1 and 2 <= len(name) <= 6 and name.isalpha() and name.isupper():
        yield Vote("Person", -FORM_WEIGHT, NAME_FORM, f"acronym '{name}'")
        yield Vote("Organization", ACRONYM_WEIGHT, NAME_FORM, f"acronym '{name}'")
    if _plural_name(ctx, entity):
        yield Vote("Organization", PLURAL_WEIGHT, NAME_FORM, f"plural name '{name}'")


def _thing_classes(onto: Ontology, noun: str) -> tuple[str, ...]:
    return tuple(c for c in onto.classes_for_noun(noun) if not onto.is_a(c, "Person"))


def _plural_name(ctx: EvidenceContext, entity: Entity) -> bool:
    """Tell a plural name no NER label types: a team or a band ("the Tarns")."""
    for m in _name_mentions(entity):
        span = ctx.span(m)
        if m.label or span is None or span.start in ctx.headline:
            continue
        if span[-1].tag_ == "NNPS":
            return True
    return False


def _role_before(ctx: EvidenceContext, span: Span) -> Token | None:
    """Return a title or class noun before or opening a name that modifies it."""
    doc = span.doc
    first = span[0]
    if len(span) > 1 and _bare(first.text) in _honorifics():
        return first
    if len(span) > 1 and first.pos_ in _NOUN_POS and first.is_lower:
        return first
    if span.start == 0:
        return None
    prev = doc[span.start - 1]
    if prev.text == ".":  # "Sen. X": the abbreviation's stop
        prev = doc[span.start - 2] if span.start >= 2 else prev
    if _bare(prev.text) in _honorifics() and prev.head.i in range(span.start, span.end):
        return prev
    if (
        prev.pos_ in _NOUN_POS
        and prev.dep_ in _MODIFIER_DEPS
        and prev.head.i in range(span.start, span.end)
    ):
        return prev
    return None


@register_rule(TITLE)
def title_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote a title or role noun before a name ("Sen. X", "the browser X")."""
    seen: set[str] = set()
    for m in _name_mentions(entity):
        span = ctx.span(m)
        if span is None:
            continue
        role = _role_before(ctx, span)
        if role is None:
            continue
        word = _bare(role.text)
        if word in seen:
            continue
        seen.add(word)
        if word in _honorifics():
            yield Vote("Person", TITLE_WEIGHT, TITLE, f"title '{role.text}'")
            continue
        classes = _noun_classes(ctx.onto, role)
        if m.label in _PLACE_LABELS:
            # "the tourist island X": a noun before a place's name is no title
            classes = tuple(c for c in classes if not ctx.onto.is_a(c, "Person"))
        yield from _split(
            classes, TITLE_WEIGHT, TITLE, f"'{role.text}' before the name"
        )


@functools.cache
def common_words() -> frozenset[str]:
    """Return the English nouns, verbs and adjectives the lemmatizer knows.

    The lemmatizer's ``lemma_index`` table (WordNet's lemmas, in lower case);
    a few famous names are among them ("nixon"), so a rule asks it only
    about a word nothing else shows to be a name.

    Examples
    --------
    >>> "jury" in common_words(), "tarnby" in common_words()
    (True, False)
    """
    from kg.nlp import load_pipeline

    nlp = load_pipeline(None)
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    if not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    return frozenset(
        w for pos in ("noun", "verb", "adj") if pos in table for w in table[pos]
    )


def _given_name(word: str) -> bool:
    """Tell a word the first-name lexicon knows as a given name."""
    return word.isalpha() and is_given_name(word)


@register_rule(GIVEN)
def given_name_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote a given name opening a name of several capitalised words."""
    for name in sorted(_names(entity), key=lambda n: -len(_words(n))):
        words = [w for w in _words(name) if _bare(w) not in _honorifics()]
        if not words or not all(w[:1].isupper() for w in words):
            continue
        institution = _institution(ctx, words)
        if len(words) > 1 and _given_name(words[0].strip(".")) and not institution:
            yield Vote("Person", GIVEN_WEIGHT, GIVEN, f"given name '{words[0]}'")
            return
        if len(words) == 1 and _given_name(words[0]):
            yield Vote("Person", GIVEN_ALONE_WEIGHT, GIVEN, f"given name '{words[0]}'")
            return
    shaped = _person_shaped(ctx, entity)
    if shaped:
        yield Vote("Person", SHAPE_WEIGHT, GIVEN, f"person-shaped name '{shaped}'")


def _institution(ctx: EvidenceContext, words: Sequence[str]) -> bool:
    """Tell a name an institution's words open or close ("X Records", "Hotel X")."""
    last = _bare(words[-1])
    return bool(
        last in _company_suffixes()
        or last in FACILITY_WORDS
        or last in ORG_NOUNS
        or _thing_classes(ctx.onto, last)
        or ctx.onto.class_for_name(words[0]) is not None
        or _bare(words[0]) in _name_articles()
    )


def _person_shaped(ctx: EvidenceContext, entity: Entity) -> str:
    """Return a name of two or three uncommon capitalised words NER calls a person.

    Given names the lexicon does not know ("Zuri Abara") still make a
    person's name of this shape in running text; a name of common words
    ("Weather Underground") or closed by an institution's word ("Zuri
    Records") does not.
    """
    for m in _name_mentions(entity):
        span = ctx.span(m)
        if m.label != "PERSON" or span is None or span.start in ctx.headline:
            continue
        words = [t for t in span if not t.is_punct]
        if not 2 <= len(words) <= 3 or _institution(ctx, [t.text for t in words]):
            continue
        if all(
            t.is_alpha and t.text[:1].isupper() and t.lower_ not in common_words()
            for t in words
        ):
            return m.text
    return ""


def _predicate_nouns(span: Span) -> Iterator[tuple[Token, str]]:
    """Yield the nouns a name is equated with: "X is a Y", "X, a Y", "a Y, X"."""
    root = span.root
    if root.dep_ in _SUBJECT_DEPS and root.head.lemma_ in _COPULAS:
        negated = any(c.dep_ == "neg" for c in root.head.children)
        for child in root.head.children:
            if (
                child.dep_ in _PREDICATE_DEPS
                and child.pos_ in _NOUN_POS
                and not negated
            ):
                yield child, "is a"
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ in _NOUN_POS:
            yield child, "apposed"
    if root.dep_ == "appos" and root.head.pos_ in _NOUN_POS:
        yield root.head, "apposed to"


@register_rule(PREDICATE)
def predicate_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote the predicate nominals and appositives of a name ("X is a browser")."""
    seen: set[int] = set()
    for m in _name_mentions(entity):
        span = ctx.span(m)
        if span is None:
            continue
        for noun, how in _predicate_nouns(span):
            if noun.i in seen:
                continue
            seen.add(noun.i)
            classes = _noun_classes(ctx.onto, noun)
            yield from _split(
                classes, PREDICATE_WEIGHT, PREDICATE, f"{how} '{noun.text}'"
            )


@register_rule(DESCRIPTION)
def description_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote the descriptions coreference linked to the entity ("the browser")."""
    seen: set[str] = set()
    for m in entity.mentions:
        if m.kind != "nominal":
            continue
        span = ctx.span(m)
        if span is None or span.root.pos_ not in _NOUN_POS:
            continue
        head = span.root
        if head.lemma_.lower() in seen:
            continue
        seen.add(head.lemma_.lower())
        classes = _noun_classes(ctx.onto, head)
        # "the city of X" names X's class as plainly as "X is a city"
        named = any(n in m.text for n in _names(entity))
        weight = PREDICATE_WEIGHT if named else DESCRIPTION_WEIGHT
        yield from _split(classes, weight, DESCRIPTION, f"called '{m.text}'")


@register_rule(PRONOUN)
def pronoun_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote the pronouns linked to the entity: he/she/who for a person, "it" not."""
    person = against = place = 0.0
    for m in entity.mentions:
        if m.kind != "pronoun":
            continue
        word = m.text.lower()
        if word in _MASCULINE or word in _FEMININE or word in _RELATIVE_PERSON:
            person += PRONOUN_WEIGHT
        elif word in _NEUTER:
            against += PRONOUN_WEIGHT
        elif word in _PLACE_ADVERBS:
            place += PRONOUN_WEIGHT
    if person:
        yield Vote("Person", min(person, PRONOUN_MAX), PRONOUN, "he/she/who")
    if against:
        yield Vote("Person", -min(against, PRONOUN_MAX), PRONOUN, "it")
    if place:
        yield Vote("Place", min(place, PRONOUN_MAX), PRONOUN, "there/where")


@register_rule(RELATION)
def relation_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote the domain and range of the relations the entity takes part in."""
    total = 0.0
    seen: set[tuple[str, str]] = set()
    for t in ctx.triples:
        for role, key in (("subject", t.subject), ("object", t.object)):
            if key != entity.key or (t.predicate, role) in seen:
                continue
            seen.add((t.predicate, role))
            info = ctx.onto.properties.get(
                t.predicate
            ) or ctx.onto.value_properties.get(t.predicate)
            if info is None:
                continue
            cls = info.domain if role == "subject" else info.range
            if cls in _UNTYPED - {"Agent"} or cls not in ctx.onto.classes:
                continue
            if total >= RELATION_MAX:
                return
            total += RELATION_WEIGHT
            yield Vote(cls, RELATION_WEIGHT, RELATION, f"{role} of {t.predicate}")


@functools.cache
def _reporting_verbs() -> frozenset[str]:
    return load_words("reporting-verbs")


@register_rule(SPEAKER)
def speaker_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote an agent for the subject of a verb of saying ("X said")."""
    for m in _name_mentions(entity):
        span = ctx.span(m)
        if span is None:
            continue
        root = span.root
        if root.dep_ == "nsubj" and root.head.lemma_ in _reporting_verbs():
            yield Vote(
                "Agent", SPEAKER_WEIGHT, SPEAKER, f"subject of '{root.head.text}'"
            )
            return


@register_rule(COREF)
def coref_votes(ctx: EvidenceContext, entity: Entity) -> Iterator[Vote]:
    """Vote the class coreference gave the entity (a vote over its mentions)."""
    if entity.label not in _UNTYPED:
        yield Vote(entity.label, COREF_WEIGHT, COREF, "coreference's class")
