"""Description sieves: a definite description joins the named referent it describes.

"the former" / "the latter" of the last two names; a lower-case phrase that
repeats a capitalised one ("Botany ... botany"); an agent noun for the doer of
its verb ("X founded the firm ... the founder"); a definite description for
the compatible named referent it was called before, or the one near by ("the
company", "the city" for the main town of the text); a description repeating
the noun that heads a name ("X Airport ... the airport"); a bare institution
noun ("in college") for the one institution so named.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Acme Corporation makes tools. The company was founded in 1950.")
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['Acme Corporation', 'The company']]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.coref.grammar import (
    BARE_NOUN_DEPS,
    LARGE_PLACES,
    PEOPLE_LABELS,
    PERSON_LABELS,
    PLACE_CLASSES,
    content_words,
    span_head,
)
from kg.coref.names import other_place_head
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.coref.words import COUNTRY_NOUNS, DEFINITE, REGION_NOUNS, SETTLEMENT_NOUNS
from kg.lexicon import load_words
from kg.mentions import (
    EVENT_NOUNS,
    FACILITY_WORDS,
    FEMALE_NOUNS,
    KIN_GROUP_NOUNS,
    MALE_NOUNS,
    ORDINAL_PICKS,
    WORK_NOUNS,
    nominal_class,
)
from kg.ontology import load_ontology

__all__ = [
    "DESCRIPTION_WINDOW",
    "antecedent_of_description",
    "is_definite",
    "new_nominal_cluster",
]

#: Words that set a description against the referent just named ("the other").
CONTRASTIVE_WORDS = frozenset({"other", "another", "different"})
#: Person nouns for someone acting or speaking for another ("the rep").
PROXY_NOUNS = load_words("coref-proxy-person-nouns")
#: Sentences back a description looks for an antecedent.
DESCRIPTION_WINDOW = 2
#: Sentences back a region noun looks for the region it stands for.
REGION_WINDOW = 4


def former_or_latter(state: Discourse, span: Span) -> Cluster | None:
    """Return the thing "the former" or "the latter" picks of the last two named.

    "the comedy X (2010) and the drama Y (2011), the latter winning him
    praise": of the two named things last mentioned in the sentence
    or the one before, "the latter" is the second, "the former" the first.
    """
    if len(span) != 2 or span[1].lower_ not in ORDINAL_PICKS:
        return None
    first = state.doc[span.start].sent.start
    if first > 0:
        first = state.doc[first - 1].sent.start
    named = [
        i
        for i in state.name_mentions_between(first, span.start)
        if state.clusters[state.cluster_of[i]].named
    ]
    spans = state.spans
    # two names joined by "and" are the pair ("met A and B in Lyon")
    pairs = [
        (a, b)
        for a, b in zip(named, named[1:], strict=False)
        if (sa := spans[a]) is not None
        and (sb := spans[b]) is not None
        and sb.root in sa.root.conjuncts
    ]
    if pairs:
        a, b = pairs[-1]
    elif len(named) >= 2:
        a, b = named[-2], named[-1]
    else:
        return None
    pick = a if span[1].lower_ == "former" else b
    ref = state.clusters[state.cluster_of[pick]]
    other = state.clusters[state.cluster_of[b if pick == a else a]]
    return ref if ref.id != other.id else None


def repeated_name(state: Discourse, index: int, span: Span) -> int | None:
    """Return the name a lower-case phrase repeats ("Botany ... botany").

    A concept the text also writes capitalised, as a heading, title or
    field ("Professor of Botany", "Eden"), is the same concept in lower
    case; the phrase must be the name's words and nothing more.
    """
    if state.mentions[index].label == "PERSON":
        return None
    words = content_words(span)
    other = state.name_words.get(words)
    if other is None or state.mentions[other].label == "PERSON":
        return None
    if len(words) < len(span) and len(words) == 1 and words[0] in state.name_ends:
        # "Varda Island ... Island ... the island": a count noun that
        # heads a longer name may mean that name rather than the bare one
        return None
    return other


def agent_of_verb(state: Discourse, head: Token) -> Cluster | None:
    """Return the named doer of the verb a definite agent noun derives from.

    "X published the articles ... the publisher", "Y founded the firm ...
    the founder": a bare definite "-er"/"-or" noun names the one who did
    what its verb says, the latest named subject (or "by"-agent) of that
    verb a sentence or two back.
    """
    word = head.lower_
    if head.tag_ != "NN" or not word.endswith(("er", "or")) or len(word) < 5:
        return None
    if [c.lower_ for c in head.children] not in (["the"], ["this"], ["that"]):
        return None
    stem = word[:-2]
    bases = {stem, stem + "e", word[:-1]}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        bases.add(stem[:-1])  # "winner": win
    first = head.sent.start
    for _ in range(DESCRIPTION_WINDOW + 1):  # a bracket may end a "sentence"
        if first == 0:
            break
        first = state.doc[first - 1].sent.start
    for token in reversed(state.doc[first : head.i]):
        if token.pos_ != "VERB" or token.lemma_.lower() not in bases:
            continue
        doers = [c for c in token.children if c.dep_ == "nsubj"] + [
            g
            for c in token.children
            if c.dep_ == "agent"
            for g in c.children
            if g.dep_ == "pobj"
        ]
        for doer in doers:
            ref = state.cluster_at(doer.i)
            if ref is not None and ref.named:
                return ref
        return None
    return None


def is_definite(span: Span, head: Token) -> bool:
    """Tell a definite description ("the city", "our town", "this company")."""
    dets = [c for c in head.children if c.dep_ == "det" and c.i < head.i]
    if not dets:
        dets = [t for t in span if t.dep_ == "det"]
    if not dets and head.lemma_.lower() in COUNTRY_NOUNS | SETTLEMENT_NOUNS:
        # "our country", "our city": the place the writers live in, the
        # one the text is about, as definite as "the country"
        if head.dep_ == "pobj" and head.tag_ == "NN" and not list(head.children):
            # "the old part of town", "back into town": a bare town noun
            # after a preposition is the town the text is about
            return True
        return any(c.dep_ == "poss" and c.lower_ == "our" for c in head.lefts)
    # "series", "games": plural in form, one work or event
    plural = (
        head.tag_ in {"NNS", "NNPS"} and head.lower_ not in WORK_NOUNS | EVENT_NOUNS
    )
    return bool(dets) and dets[0].lower_ in DEFINITE and not plural


@dataclass(frozen=True, slots=True)
class _Description:
    """A definite description's head and class, and which clusters it may describe."""

    index: int
    lemma: str
    cls: str
    gender: str | None
    inside: frozenset[int]
    noun_classes: tuple[str, ...]

    def called_so(self, ref: Cluster) -> bool:
        """Tell a cluster once called by this noun (a town may be called a city)."""
        return self.lemma in ref.roles or bool(
            self.lemma in SETTLEMENT_NOUNS and ref.roles & SETTLEMENT_NOUNS
        )

    def place_fits(self, ref: Cluster) -> bool:
        """Tell a cluster the place noun may describe ("the city" is no country)."""
        lemma, known = self.lemma, ref.known_classes
        if lemma in SETTLEMENT_NOUNS and known & LARGE_PLACES:
            return False  # "the city" is no country or continent
        if lemma in COUNTRY_NOUNS and "Country" not in known:
            return False  # "the country" is no sea, continent or city
        # "the region" is a part of a country, or spans several
        return not (lemma in REGION_NOUNS and known & LARGE_PLACES)

    def fits(self, ref: Cluster) -> bool:
        """Tell a named cluster this description may describe."""
        if not ref.named or ref.plural or ref.id in self.inside:
            return False
        called_so = self.called_so(ref)
        if self.noun_classes and ref.label_votes and not called_so:
            # "the company" is no facility, "the council" no building
            onto = load_ontology()
            voted = onto.class_for_ner_label(ref.top_label)
            if voted is not None and not any(
                onto.is_a(voted, c) or onto.is_a(c, voted) for c in self.noun_classes
            ):
                return False
        if not self.place_fits(ref):
            return False
        is_person = ref.is_person()
        if self.cls == "PERSON":
            if is_person is False:
                return False
        elif not compatible_class(ref, self.cls):
            return False
        elif is_person and not called_so:
            # a place the tagger took for a person is still what the text
            # called it ("X is the largest city ... the city")
            return False
        return not (self.gender and ref.gender and ref.gender != self.gender)


def _latest(refs: list[Cluster]) -> Cluster:
    return max(refs, key=lambda r: (r.last_sent, r.last_token))


def _region(
    state: Discourse, desc: _Description, head: Token, sent: int
) -> Cluster | None:
    """Return the latest region named a few sentences back ("this region")."""
    regions = [
        r
        for r in state.recent(sent, REGION_WINDOW)
        if desc.fits(r)
        and r.last_token < head.i
        and r.top_label == "LOC"
        and not any(other_place_head(k, desc.lemma) for k in r.keys)
    ]
    return _latest(regions) if regions else None


def _called(
    state: Discourse, desc: _Description, span: Span, head: Token
) -> Cluster | None:
    """Return the latest cluster already called by this noun ("the president").

    A noun with modifiers is a role only of a cluster described in those
    words ("the red-light district" after "X's red-light district, Y").
    """
    plain = all(c.dep_ in {"det", "amod", "poss"} for c in head.lefts)
    wording = ""
    if not plain:
        first = next((t for t in span if t.dep_ != "det"), head)
        words = state.doc[first.i : head.i + 1].text.lower()
        wording = words if " " in words or "-" in words else ""
    roles = state.by_role.get(desc.lemma, ()) if plain or wording else ()
    called = [
        state.clusters[r]
        for r in roles
        if desc.fits(state.clusters[r])
        and (
            plain
            or any(
                (said := state.spans[m]) is not None
                and said.root.lemma_.lower() == desc.lemma
                and said.text.lower().endswith(wording)
                for m in state.clusters[r].mentions
                if m != desc.index
            )
        )
    ]
    return _latest(called) if called else None


def _describe(state: Discourse, index: int, span: Span, head: Token) -> _Description:
    """Return what a definite description's head says: class, gender, nouns."""
    cls = state.mentions[index].label
    lemma = head.lemma_.lower()
    return _Description(
        index=index,
        lemma=lemma,
        cls=cls,
        gender="f" if lemma in FEMALE_NOUNS else "m" if lemma in MALE_NOUNS else None,
        inside=frozenset(state.clusters_inside(span)),
        noun_classes=load_ontology().classes_for_noun(lemma) if cls != "PERSON" else (),
    )


def antecedent_of_description(
    state: Discourse, index: int, span: Span, head: Token
) -> Cluster | None:
    """Return the named cluster a definite description describes, if one fits."""
    mention = state.mentions[index]
    cls = mention.label
    lemma = head.lemma_.lower()
    if not cls or lemma in KIN_GROUP_NOUNS:
        # "the family" is a family the text named ("the X family"), no
        # people or body of another kind read just before
        return None
    sent = mention.sent_index
    desc = _describe(state, index, span, head)
    if cls == "GPE" and lemma in COUNTRY_NOUNS | SETTLEMENT_NOUNS:
        if not any(c.dep_ in {"det", "poss"} for c in head.children):
            # a bare "town" only for a place the text called a town or city
            return main_place(
                state, head, lambda r: desc.fits(r) and bool(r.roles & SETTLEMENT_NOUNS)
            )
        return main_place(state, head, desc.fits)
    if lemma in REGION_NOUNS and cls in {"GPE", "LOC"}:
        region = _region(state, desc, head, sent)
        if region is not None:
            return region
    called = _called(state, desc, span, head)
    if called is not None:
        return called
    window = 1 if cls == "PERSON" else DESCRIPTION_WINDOW
    recent = [
        r for r in state.recent(sent, window) if desc.fits(r) and r.last_token < head.i
    ]
    if not recent:
        return None
    if cls in {"PERSON", "WORK_OF_ART", "EVENT"}:
        # "the docuseries", "the tournament": the latest person, work or event
        return _latest(recent)
    # a place or body: the one name that fits near by, else only by a word it
    # was called ("the city" of a town named a city); of several, the most
    # salient is too often wrong ("the area")
    return recent[0] if len(recent) == 1 else None


def main_place(
    state: Discourse, head: Token, fits: Callable[[Cluster], bool]
) -> Cluster | None:
    """Return the place a country or settlement noun names: the main one so far.

    "the country", "the city" in a text about a place mean the country or
    town the text is about, the one named or described most often so far
    (ties: the latest), not the last place named ("... visitors from Germany ...
    leaving the country"). A name headed by another place noun ("X
    Street", "Y Province", "Z Sea") is no city or country.
    """
    word = head.lemma_.lower()
    found: list[tuple[int, int, Cluster]] = []
    for ref in state.clusters:
        if ref.last_token >= head.i or not fits(ref):
            continue
        if word in SETTLEMENT_NOUNS and any(
            other_place_head(key, word) for key in ref.keys
        ):
            continue
        said = sum(state.mentions[m].kind != "pronoun" for m in ref.mentions)
        found.append((said, ref.last_token, ref))
    return max(found, key=lambda x: x[:2])[2] if found else None


def compatible_class(ref: Cluster, cls: str) -> bool:
    """Tell a cluster whose tags fit a description's coarse class."""
    labels = set(ref.label_votes)
    if cls == "ORG":
        return bool(labels & {"ORG", "NORP", "FAC"})
    if cls == "GPE":
        return bool(labels & {"GPE", "LOC"})
    if cls == "WORK_OF_ART":
        return bool(labels & {"WORK_OF_ART", "PRODUCT", "LAW"})
    return cls in labels


def _named_by_noun(ref: Cluster, head: Token) -> bool:
    """Tell a cluster whose name a noun heads or opens, or that it was called."""
    word, lemma = head.lower_, head.lemma_.lower()
    return (
        ref.is_person() is not True
        or nominal_class(head.lemma_) in PLACE_CLASSES
        # "The project is called X ... the project": whatever the tagger
        # took X for, the text called it so
        or (lemma in ref.roles and not nominal_class(lemma))
    ) and (
        any(word in (key.split()[0], key.split()[-1]) for key in ref.keys)
        or lemma in ref.roles  # "X is a wiki site ... the site"
    )


def name_with_head(state: Discourse, span: Span, head: Token) -> Cluster | None:
    """Return the latest named thing whose name ends in a definite noun's head.

    "Varda Square ... the square", "Eastport International Airport ... the
    airport", "the Varda Islands ... these islands": the description
    repeats the common noun that heads the name (plural with a plural name).
    A possessive determiner makes it as definite ("X, a wiki site ... his
    site", "Eastport is a city ... their city"), when it names one thing, no
    people.
    """
    word, lemma = head.lower_, head.lemma_.lower()
    owned = any(c.dep_ == "poss" and c.tag_ == "PRP$" for c in head.lefts)
    if not owned and not any(
        c.dep_ == "det" and c.lower_ in DEFINITE for c in head.lefts
    ):
        return None
    if owned and head.tag_ != "NN":
        return None  # "his services" is no one thing named before
    if any(c.dep_ not in BARE_NOUN_DEPS for c in head.children):
        return None  # "the first mission since Vega" says more than the name
    inside = state.clusters_inside(span)
    ids = {*state.by_role.get(word, ()), *state.by_role.get(lemma, ())}
    found: list[Cluster] = [
        ref
        for ref in (state.clusters[r] for r in ids)
        if ref.named
        and ref.id not in inside
        and not (owned and ref.top_label in PEOPLE_LABELS | PERSON_LABELS)
        and ref.last_token < head.i
        and _named_by_noun(ref, head)
    ]
    if not found:
        return None
    return max(found, key=lambda r: (r.last_sent, r.last_token))


def bare_institution(state: Discourse, head: Token) -> Cluster | int | None:
    """Return the one named institution a bare noun stands for ("in college").

    "went off to college", "back in college, back in X College": without
    an article an institution noun means the institution the text names
    with that noun as its head, if it names one only (a name later in the
    sentence, restating it, is returned as its mention index).
    """
    word = head.lower_
    found = {
        ref.id: ref
        for ref in state.clusters_in(state.clusters_by_last_word.get(word, ()))
        if ref.named
        and ref.last_token < head.i
        and any(len(k.split()) > 1 and k.split()[-1] == word for k in ref.keys)
    }
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        return None
    sent = head.sent
    for i in range(head.i + 1, sent.end):
        for index in state.token_mentions.get(i, ()):
            span = state.spans[index]
            if (
                state.mentions[index].kind == "name"
                and span is not None
                and len(span) > 1
                and span[-1].lower_ == word
            ):
                return index
    return None


def _attach(state: Discourse, index: int, ref: Cluster | None, rule: str) -> bool:
    if ref is None:
        return False
    state.attach_nominal(ref, index, rule=rule)
    return True


@sieve("kg.coref.former_latter.v1", "nominal")
def former_latter(state: Discourse, index: int) -> bool:
    """Link "the former" / "the latter" to the first / second of the last two names."""
    span = state.spans[index]
    return span is not None and _attach(
        state, index, former_or_latter(state, span), "kg.coref.former_latter.v1"
    )


@sieve("kg.coref.repeated_name.v1", "nominal")
def repeated_name_sieve(state: Discourse, index: int) -> bool:
    """Link a lower-case phrase to the capitalised name it repeats."""
    span = state.spans[index]
    if span is None:
        return False
    repeated = repeated_name(state, index, span)
    if repeated is None:
        return False
    if repeated in state.cluster_of:
        concept = state.clusters[state.cluster_of[repeated]]
        concept.common = True
        state.attach_nominal(concept, index, rule="kg.coref.repeated_name.v1")
    else:
        state.wait_for_name(repeated, index, "kg.coref.repeated_name.v1")
    return True


@sieve("kg.coref.agent_noun.v1", "nominal")
def agent_noun(state: Discourse, index: int) -> bool:
    """Link "the founder" to the named subject of "founded" a sentence or two back."""
    span = state.spans[index]
    return span is not None and _attach(
        state, index, agent_of_verb(state, span_head(span)), "kg.coref.agent_noun.v1"
    )


@sieve("kg.coref.definite_description.v1", "nominal")
def definite_description(state: Discourse, index: int) -> bool:
    """Link a definite description to the compatible named referent it describes."""
    span = state.spans[index]
    if span is None:
        return False
    head = span_head(span)
    if not is_definite(span, head):
        return False
    found = antecedent_of_description(state, index, span, head)
    return _attach(state, index, found, "kg.coref.definite_description.v1")


@sieve("kg.coref.head_noun_of_name.v1", "nominal")
def head_noun_of_name(state: Discourse, index: int) -> bool:
    """Link "the airport" to the latest name it heads ("X Airport")."""
    span = state.spans[index]
    return span is not None and _attach(
        state,
        index,
        name_with_head(state, span, span_head(span)),
        "kg.coref.head_noun_of_name.v1",
    )


@sieve("kg.coref.bare_institution.v1", "nominal")
def bare_institution_sieve(state: Discourse, index: int) -> bool:
    """Link a bare institution noun ("in college") to the one so named."""
    span = state.spans[index]
    if span is None:
        return False
    head = span_head(span)
    if not (len(span) == 1 and head.tag_ == "NN" and state.mentions[index].label):
        return False
    found = bare_institution(state, head)
    if isinstance(found, int):
        state.wait_for_name(found, index, "kg.coref.bare_institution.v1")
        return True
    return _attach(state, index, found, "kg.coref.bare_institution.v1")


def facility_antecedent(state: Discourse, index: int, head: Token) -> Cluster | None:
    """Return the named site or body a facility noun points back to.

    "X Treatment Center ... the facility", "the Y store ... the shop": a
    definite noun for a building or site (class ``FAC``) refers to the one
    named establishment of the last sentences, whatever the tagger called it
    (a facility or the organisation it houses); a place or person is no
    building. Of several, the one whose name ends in a facility word ("X
    Center", "Y Prison") if only one does.
    """
    sent = state.mentions[index].sent_index
    span = state.spans[index]
    inside = state.clusters_inside(span) if span is not None else set()
    found = [
        r
        for r in state.recent(sent, DESCRIPTION_WINDOW)
        if r.named
        and not r.plural
        and r.id not in inside
        and r.last_token < head.i
        and r.is_person() is not True
        and set(r.label_votes) & {"FAC", "ORG"}
        and not set(r.label_votes) & {"GPE", "LOC", "NORP"}
    ]
    if len(found) > 1:
        found = [
            r for r in found if any(k.split()[-1] in FACILITY_WORDS for k in r.keys)
        ]
    return found[0] if len(found) == 1 else None


@sieve("kg.coref.facility_description.v1", "nominal")
def facility_description(state: Discourse, index: int) -> bool:
    """Link "the facility" to the one named establishment of the last sentences."""
    span = state.spans[index]
    if span is None or state.mentions[index].label != "FAC":
        return False
    head = span_head(span)
    if not is_definite(span, head):
        return False
    found = facility_antecedent(state, index, head)
    return _attach(state, index, found, "kg.coref.facility_description.v1")


def is_proxy(span: Span, head: Token) -> bool:
    """Tell a person description that names someone by another party.

    "the rep", "the spokesman" (a noun for who acts or speaks for another),
    or a noun with a possessor phrase ("the singer's lawyer", "Ann's
    rep"): the description is the other party's agent or tie, not the person
    last named.
    """
    if head.lemma_.lower() in PROXY_NOUNS:
        return True
    return any(c.dep_ == "poss" and c.tag_ not in {"PRP$", "WP$"} for c in head.lefts)


def is_contrastive(span: Span, head: Token) -> bool:
    """Tell a description set against one just named ("the other man").

    Examples
    --------
    >>> doc = nlp("The other lawyer left.")
    >>> is_contrastive(doc[0:3], doc[2])
    True
    """
    return any(t.lower_ in CONTRASTIVE_WORDS for t in span if t.i < head.i)


@sieve("kg.coref.contrastive_description.v1", "nominal")
def contrastive_description(state: Discourse, index: int) -> bool:
    """Start an entity for "the other man", "another city": not the one just named.

    "Other", "another", "different" set the description against the
    referent a reader would pick, so no description sieve takes the latest
    or only compatible name for it.
    """
    span = state.spans[index]
    if span is None or not is_contrastive(span, span_head(span)):
        return False
    new_nominal_cluster(state, index)
    return True


@sieve("kg.coref.proxy_description.v1", "nominal")
def proxy_description(state: Discourse, index: int) -> bool:
    """Keep "the rep", "X's lawyer" off the person just named.

    A definite proxy description (:func:`is_proxy`) joins only someone the
    text already called by its noun ("her lawyer, Ann Lee ... the lawyer");
    else it starts an entity of its own, so that no later sieve takes it
    for the latest person.
    """
    span = state.spans[index]
    if span is None or state.mentions[index].label != "PERSON":
        return False
    head = span_head(span)
    if not is_definite(span, head) or not is_proxy(span, head):
        return False
    found = _called(state, _describe(state, index, span, head), span, head)
    if found is not None:
        state.attach_nominal(found, index, rule="kg.coref.proxy_description.v1")
    else:
        new_nominal_cluster(state, index)
    return True


def new_nominal_cluster(state: Discourse, index: int) -> None:
    """Start a cluster with a description no sieve linked."""
    span = state.spans[index]
    if span is None:
        return
    mention, head = state.mentions[index], span_head(span)
    ref = state.new_cluster("nominal")
    ref.plural = head.tag_ in {"NNS", "NNPS"}
    ref.person = mention.label == "PERSON"
    if mention.label:
        ref.label_votes[mention.label] += 1
    state.attach_nominal(ref, index)
