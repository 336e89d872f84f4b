"""Name mentions: what one is, and what its cluster learns when it joins one.

:func:`name_info` reads a name mention once (its parsed name, the titles before
it, whether its own words or phrase say it is a place or a thing, whether it is
a person's); :func:`join_name` puts it on the most salient of the candidate
clusters a sieve found (no child on its parent's cluster), and
:func:`new_name_cluster` starts a cluster for it. Either way the cluster learns
the name's keys, class and gender votes, and the descriptions and pronouns that
were waiting for this name join it.

Examples
--------
>>> from kg.mentions import extract_mentions
>>> from kg.coref.state import build_discourse
>>> doc = nlp("Senator Ada Byrne spoke.")
>>> state = build_discourse(doc, list(extract_mentions(doc)))
>>> info = name_info(state, 0)
>>> info.name.key, info.titles, info.person
('ada byrne', ('senator',), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.coref.agreement import agrees
from kg.coref.grammar import (
    APPOSED_DEPS,
    PERSON_LABELS,
    PLACE_LABELS,
    child_of,
    is_plural_name,
    names_a_parent,
    parent_phrase,
    span_head,
    subjects_of,
)
from kg.coref.names import (
    Name,
    is_acronym,
    looks_like_person,
    names_a_place,
    parse_name,
    short_forms,
    surface_gender,
    thing_named,
)
from kg.coref.state import Cluster, Discourse
from kg.coref.words import (
    COUNTRY_VARIANT_WORDS,
    FEMALE_TITLES,
    HONORIFICS,
    LOCATIVE_PREPS,
    MALE_TITLES,
    MARRY_VERBS,
    MASC,
    NEUT,
)
from kg.mentions import FEMALE_NOUNS, MALE_NOUNS, PERSON_NOUNS, STATE_ABBREVIATIONS
from kg.ontology import load_ontology

__all__ = [
    "NameInfo",
    "another_entity_of_place",
    "join_name",
    "name_info",
    "new_name_cluster",
    "used_as_place",
]

#: the sieve id of a pronoun that waited for the name after it
CATAPHORA = "kg.coref.cataphora.v1"


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What a name mention is, read once before the sieves look for its cluster."""

    index: int
    span: Span
    name: Name
    #: titles before the name the tagger left out of it ("Senator" of "Senator X")
    titles: tuple[str, ...]
    #: headed by a place or building noun ("X Hotel"): no person
    built: bool
    #: the class its own phrase gives it ("the journal X": ORG), or ""
    thing: str
    #: a person's name (tag, nickname, title or a mistagged full name)
    person: bool
    #: a full personal name the tagger gave another label
    mistagged: bool
    #: nested in a longer name mention ("Varda" of "Varda Telecom")
    nested: bool
    #: the known state a postal code after a town names ("X, KS")
    state_cluster: Cluster | None
    #: the child a parent's name is given for ("the son of X")
    child: Cluster | None


def titles_before(state: Discourse, span: Span) -> list[str]:
    titles: list[str] = []
    i = span.start - 1
    while i >= 0 and len(titles) < 3:
        token = state.doc[i]
        word = token.lower_.rstrip(".")
        if token.is_alpha and (
            word in HONORIFICS or (token.dep_ == "compound" and word in PERSON_NOUNS)
        ):
            titles.append(word)
            i -= 1
            continue
        break
    return titles


def used_as_place(state: Discourse, span: Span, label: str) -> bool:
    """Tell a place-tagged name used as a place: "in X", "X, Oregon"."""
    if label not in PLACE_LABELS:
        return False
    head = span_head(span)
    if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS | {"to", "from"}:
        return True
    doc = state.doc
    after = span.end
    if after + 1 < len(doc) and doc[after].text == ",":
        other = state.mention_at(after + 1)
        return other is not None and state.mentions[other].label in PLACE_LABELS
    return False


def quoted_title(state: Discourse, span: Span) -> bool:
    """Tell a name standing alone between quotes: a work's title ('Tides')."""
    doc = state.doc
    if span.start == 0 or span.end >= len(doc):
        return False
    before, after = doc[span.start - 1], doc[span.end]
    if not (before.is_quote and after.is_quote):
        return False
    return not (
        span.start >= 2
        and doc[span.start - 2].pos_ == "PROPN"
        and span.end + 1 < len(doc)
        and doc[span.end + 1].pos_ == "PROPN"
    )


def subtitled(state: Discourse, span: Span) -> bool:
    """Tell a name followed by a colon and a subtitle ("Tides: The Return")."""
    doc = state.doc
    end = span.end
    return (
        end + 1 < len(doc)
        and doc[end].text == ":"
        and doc[end + 1].is_title
        and doc[end + 1].ent_type_ != ""
        and doc[end].sent.start == doc[end + 1].sent.start
    )


def abbreviated_state(state: Discourse, span: Span) -> Cluster | None:
    """Return the state a postal code or abbreviation closing an address names.

    "Springfield, IL", "Eastport, Calif.": after a town and its comma, a
    state's code or customary abbreviation is the state the text names in
    full elsewhere, however the tagger labelled the short form.
    """
    if span.start == 0 or state.doc[span.start - 1].text != ",":
        return None
    full = STATE_ABBREVIATIONS.get(span.text.rstrip("."))
    if full is None:
        return None
    known = [state.clusters[r] for r in state.by_key.get(full, ())]
    known = [r for r in known if not r.is_person()]
    return max(known, key=lambda r: r.last_token) if known else None


def child_named_with(state: Discourse, span: Span) -> Cluster | None:
    """Return the child a parent's name is given for ("the son of X")."""
    phrase = parent_phrase(span_head(span))
    child = child_of(phrase) if phrase is not None else None
    if child is None or span.start <= child.i < span.end:
        return None
    return state.cluster_at(child.i)


def spouse_named_with(state: Discourse, token: Token) -> Cluster | None:
    """Return who a name is said to marry ("X married Y", "X was married to Y")."""
    for _ in range(2):  # "the physician Y", "actress Y"
        if token.dep_ in APPOSED_DEPS and token.head.pos_ in {"NOUN", "PROPN"}:
            token = token.head
    verb = token.head
    if token.dep_ == "pobj" and verb.lower_ == "to":
        verb = verb.head
    elif token.dep_ != "dobj":
        return None
    if verb.lemma_.lower() not in MARRY_VERBS and verb.lower_ != "married":
        return None  # "married" as an adjective: "was married to Y"
    subjects = subjects_of(verb.head if verb.dep_ == "acomp" else verb)
    if not subjects:
        return None
    ref = state.cluster_at(subjects[0].i)
    return ref if ref is not None and ref.is_person() is not False else None


def name_info(state: Discourse, index: int) -> NameInfo | None:
    """Read a name mention once; None for a name with no words to match."""
    if index in state.name_infos:
        return state.name_infos[index]
    mention, span = state.mentions[index], state.spans[index]
    name = parse_name(mention.text)
    info: NameInfo | None = None
    if name.key and span is not None:
        titles = titles_before(state, span)
        # "Varda Hotel", "Varda Square": a place or body the tagger took for a
        # person, by the common noun that heads the name
        built = names_a_place(name, titles)
        # "the journal X", "the film X", "Y's X": a name its noun or its
        # possessor says is a thing, whatever a first-name lexicon thinks
        thing = thing_named(span)
        abbreviated = abbreviated_state(state, span)
        if abbreviated is not None:
            thing = "GPE"  # a state's postal code is no given name after "Town,"
        claimed = mention.label in PERSON_LABELS or bool(name.nick) or bool(titles)
        mistagged = (
            not built
            and not thing
            and not claimed
            and looks_like_person(name, mention.label)
        )
        info = NameInfo(
            index=index,
            span=span,
            name=name,
            titles=tuple(titles),
            built=built,
            thing=thing,
            person=not built and not thing and (claimed or mistagged),
            mistagged=mistagged,
            nested=state.inside_longer_name(span),
            state_cluster=abbreviated,
            child=child_named_with(state, span),
        )
    state.name_infos[index] = info
    return info


def join_name(
    state: Discourse,
    index: int,
    candidates: Sequence[Cluster],
    rule: str,
    *,
    salient: bool = True,
    matched: bool = True,
) -> bool:
    """Put a name on the most salient candidate cluster; False if none is left.

    A parent's name never joins the child it is given for ("X, son of X Sr."):
    once a name's matches were all its child, no weaker name match is tried
    (``matched`` sieves pass), only the fallbacks.
    """
    info = name_info(state, index)
    if info is None or (matched and index in state.blocked):
        return False
    if info.child is not None:
        kept = [r for r in candidates if r.id != info.child.id]
        if candidates and not kept:
            state.blocked.add(index)
        candidates = kept
    candidates = [r for r in candidates if not another_entity_of_place(info.name, r)]
    if not candidates:
        return False
    sent = state.mentions[index].sent_index
    if len(candidates) > 1:
        cluster = max(candidates, key=lambda r: (state.salience(r, sent), r.last_token))
    else:
        cluster = candidates[0]
    _absorb(state, info, cluster, rule, salient=salient)
    return True


#: The ontology classes whose known names name one place or people.
_PLACE_NAME_CLASSES = frozenset({"Country", "Nationality", "Continent"})


def _holds_place(longer: str, short: str) -> bool:
    """Tell whether key ``longer`` holds place name ``short`` and other words.

    Words a longer form of the place's own name adds ("islands", "the
    kingdom of") are no other words.
    """
    words, part = longer.split(), short.split()
    n = len(part)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == part:
            rest = words[:i] + words[i + n :]
            return bool(rest) and not set(rest) <= COUNTRY_VARIANT_WORDS
    return False


def another_entity_of_place(name: Name, ref: Cluster) -> bool:
    """Tell whether a name and a cluster are a place and another entity named after it.

    A country's, people's or continent's name the ontology knows ("X") and a
    longer name holding it ("the X Navy", "X Airways", "the X Civil War")
    are two entities, not one, whichever comes first: "X Islands", "the
    Kingdom of X", "Southern X" (:data:`COUNTRY_VARIANT_WORDS`) are the
    place's own longer forms, and a longer name the ontology knows is left to
    the other rules. A person named with the word ("Ada X") may be called
    "X" alone when X is the surname of a cluster with a person's cues (a
    given name, a title, "he" or "she"), never when X only opens the name.
    A constraint every sieve that joins a name obeys.
    """
    if not name.key or name.key in ref.keys:
        return False
    onto = load_ontology()
    # a person's surname ("Ada X" ... "X", "Captain X"), with a person's cues
    surnames = ref.surnames if ref.person_cues else set()

    def known(key: str) -> bool:
        return key not in surnames and onto.class_for_name(key) in _PLACE_NAME_CLASSES

    if known(name.key):
        return any(_holds_place(key, name.key) and not known(key) for key in ref.keys)
    return onto.class_for_name(name.key) not in _PLACE_NAME_CLASSES and any(
        known(key) and _holds_place(name.key, key) for key in ref.keys
    )


def new_name_cluster(state: Discourse, index: int) -> None:
    """Start a cluster with a name no sieve linked to an earlier one."""
    info = name_info(state, index)
    if info is not None:
        _absorb(state, info, state.new_cluster("name"), "", salient=True)


def _vote_class(state: Discourse, info: NameInfo, ref: Cluster) -> None:
    """Let the name vote the cluster's class: its tag, its phrase, its quotes."""
    mention, span, name = state.mentions[info.index], info.span, info.name
    # full names are tagged more reliably than a lone word
    full = len(name.words) > 1 and (
        mention.label != "PERSON" or surface_gender(span, name.words[0])[0] is not None
    )
    if info.built and mention.label in PERSON_LABELS:
        ref.label_votes["FAC"] += 2
    elif info.thing:
        ref.label_votes[info.thing] += 3
    elif mention.label:
        ref.label_votes[mention.label] += 2 if full else 1
    if info.mistagged:
        ref.label_votes["PERSON"] += 3
    if quoted_title(state, span):
        ref.label_votes["WORK_OF_ART"] += 3
    if subtitled(state, span):
        ref.label_votes["WORK_OF_ART"] += 2


def _vote_person(state: Discourse, info: NameInfo, ref: Cluster) -> None:
    """Let a given name and titles vote the cluster a person, and its gender."""
    mention, span, name = state.mentions[info.index], info.span, info.name
    if (
        len(name.words) == 1
        and not info.titles
        and not info.thing
        and not (name.words[0] in ref.surnames and ref.givens)
    ):
        # a lone word is a given name, unless it is the surname of a full
        # name already read ("Ann Hale ... Hale" says nothing of gender)
        gender, weight = surface_gender(span, name.words[0])
        if (
            gender
            and span[0].pos_ == "PROPN"
            and mention.label not in PLACE_LABELS
            and not mention.text.isupper()
        ):
            ref.label_votes["PERSON"] += weight
            ref.person_cues += 1
            if name.words[0] not in ref.lexicon_words:
                # the lexicon's guess counts once per word, not per mention
                ref.lexicon_words.add(name.words[0])
                ref.weak_gender_votes[gender] += weight
    for title in () if info.built else (*name.titles, *info.titles):
        state.add_role(ref, title)
        ref.label_votes["PERSON"] += 2
        ref.person_cues += 1
        if title in FEMALE_TITLES or title in FEMALE_NOUNS:
            ref.gender_votes["f"] += 3
        elif title in MALE_TITLES or title in MALE_NOUNS:
            ref.gender_votes["m"] += 3


def _absorb(
    state: Discourse, info: NameInfo, ref: Cluster, rule: str, *, salient: bool
) -> None:
    """Put the name on ``ref`` and let the cluster learn what the name tells."""
    index, span, name = info.index, info.span, info.name
    mention = state.mentions[index]
    if not info.nested:
        state.standalone.add(ref.id)
    person = info.person or bool(ref.is_person())
    state.index_name(ref, name, person)
    if mention.label == "ORG" and not person:
        for alias in short_forms(name.words):
            if ref.id not in state.by_short.get(alias, ()):
                state.by_short.setdefault(alias, []).append(ref.id)
    _vote_class(state, info, ref)
    _vote_person(state, info, ref)
    if person and len(name.words) > 1:
        gender, weight = surface_gender(span, name.words[0])
        if gender:
            ref.person_cues += 1
            if name.words[0] not in ref.lexicon_words:
                ref.lexicon_words.add(name.words[0])
                ref.gender_votes[gender] += weight
                ref.lexicon_votes[gender] += weight
    head = span_head(span)
    if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS:
        ref.locative = True
    if len(span) == 1 and is_acronym(span.text) and span.text.isupper():
        ref.initialism = True
    if is_plural_name(span, mention.label):
        ref.plural_form = True
    state.add(ref, index, mention.sent_index, head if salient else None, rule=rule)
    _record_kin(state, info, ref, head)
    _release_waiting(state, index, ref)


def _record_kin(state: Discourse, info: NameInfo, ref: Cluster, head: Token) -> None:
    """Remember a parent named for a child, and a spouse named with a person."""
    child = info.child
    if child is not None and child.id != ref.id and names_a_parent(head):
        known = state.parents.setdefault(child.id, [])
        if ref.id not in known:
            known.append(ref.id)
    spouse = spouse_named_with(state, head)
    if spouse is not None and spouse.id != ref.id:
        for one, other in ((spouse, ref), (ref, spouse)):
            known = state.spouses.setdefault(one.id, [])
            if other.id not in known:
                known.append(other.id)


def _release_waiting(state: Discourse, index: int, ref: Cluster) -> None:
    """Put the descriptions and pronouns that waited for this name on its cluster.

    A pronoun that does not agree with the name is resolved as any other.
    """
    for waiting in state.pending.pop(index, []):
        state.attach_nominal(ref, waiting, rule=state.waiting_rule.get(waiting, ""))
    for waiting in state.pending_pronouns.pop(index, []):
        pronoun = state.spans[waiting]
        if pronoun is not None and agrees(state, ref, pronoun.root.lower_):
            word = pronoun.root.lower_
            if word in NEUT:
                ref.neuter += 1
            else:
                ref.gender_votes["m" if word in MASC else "f"] += 1
            sent = state.mentions[waiting].sent_index
            state.add(ref, waiting, sent, pronoun.root, rule=CATAPHORA)
        elif pronoun is not None:
            state.resolve(waiting, skip=frozenset({CATAPHORA}))
