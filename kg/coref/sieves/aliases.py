"""Alias sieves: a name the text gives as another name of a referent.

A birth name ("X, born Y", "X (née Y)"); the surname that closes a name a
bracket interrupted; a place named with its class noun in either order ("the
island of X ... X Island"); a body's short name written inside its full name;
a name given by a naming verb or a cue ("X, also known as Y", "X (now Y)"); a
name in another language ("X (Latin: Y)"); a state's postal code after a town;
a capitalised role apposed to a name ("the King of Arda, Tom Vale"); a name in
brackets after a described thing or another name.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Portvale (now Eastmere) is a town. Eastmere has a port.")
>>> [(m.text, m.link) for m in resolve_entities(doc, extract_mentions(doc))[0].mentions]
[('Portvale', ''), ('now Eastmere', 'kg.coref.name_with_clause.v1'),
 ('Eastmere', 'kg.coref.alias_cue.v1'), ('a town', 'kg.coref.predicate_nominal.v1'),
 ('Eastmere', 'kg.coref.exact_name.v1')]
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.coref.grammar import (
    NOMINAL_SUBJ_DEPS,
    PEOPLE_LABELS,
    PERSON_LABELS,
    PLACE_LABELS,
    span_head,
    subjects_of,
)
from kg.coref.names import (
    Name,
    is_given,
    names_role,
    parse_name,
    short_forms,
)
from kg.coref.naming import join_name, name_info
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.coref.words import (
    ALIAS_CUES,
    BIRTH_NAME_MARKERS,
    CORPORATE,
    DEFINITE,
    NAME_NOUNS,
    NAMING_VERBS,
    OF_NAMED_NOUNS,
    UNDER_NAME_VERBS,
)
from kg.mentions import STATE_ABBREVIATIONS, name_words, nominal_class

__all__ = [
    "alias_of",
    "birth_name_of",
    "bracketed_alias",
    "classed_name",
    "introduced_alias",
    "resumed_name_of",
    "role_apposed",
    "short_name_inside",
    "translated_name",
]

#: Words a bracket inside a full name may hold ("Ann (née Hale) Vale").
_BRACKET_WORDS = 3
#: Tokens a bracketed gloss or alias may span ("X (Latin: Y; Greek: Z)").
_BRACKET_SPAN = 40
#: Articles, quote marks or phrase hops looked through before a name.
_LEAD_WORDS = 5


def birth_name_of(state: Discourse, span: Span) -> Cluster | None:
    """Return the person whose birth name this is.

    "X was born Ann Byrne", "X, born Ann Byrne,", "X (née Byrne)": the
    name after "born" or "née" is another name of the same person.
    """
    doc = state.doc
    head = span_head(span)
    if span.start > 0 and doc[span.start - 1].lower_ in BIRTH_NAME_MARKERS:
        before = doc[span.start - 1]
        node = doc[before.i - 1] if before.i > 0 else before
        if node.text == "(" and node.i > 0:
            node = doc[node.i - 1]
        ref = state.cluster_at(node.i)
        return ref if ref is not None and ref.is_person() is not False else None
    verb = head.head
    if head.dep_ not in {"oprd", "attr", "dobj"} or verb.lower_ != "born":
        return None
    if verb.i > span.start or span.start - verb.i > 1:
        return None  # the name follows "born" directly
    if verb.dep_ == "acl" and verb.head.i < verb.i:
        ref = state.cluster_at(verb.head.i)
    else:
        subjects = subjects_of(verb)
        ref = state.cluster_at(subjects[0].i) if subjects else None
    if ref is None or ref.is_person() is False or not ref.named:
        return None
    return ref


def resumed_name_of(state: Discourse, span: Span) -> Cluster | None:
    """Return the person whose full name a bracket interrupted before this word.

    "Ann Byrne (née Hale) Vale", "Ann (Hale) Vale": a birth name or a
    nickname in brackets may stand inside a full name; a lone surname
    right after the bracket ends the name begun before it, so it is that
    person's surname, not a mention of someone else so called.
    """
    doc = state.doc
    if len(span) != 1 or span.start < 3 or doc[span.start - 1].text != ")":
        return None
    i = span.start - 2
    while i > 0 and doc[i].text != "(" and span.start - i <= _BRACKET_WORDS + 1:
        if doc[i].is_punct or doc[i].pos_ in {"VERB", "AUX"}:
            return None
        i -= 1
    if doc[i].text != "(" or i == span.start - 2:
        return None
    ref = state.name_ending_at(i - 1)
    if ref is None or ref.is_person() is not True:
        return None
    return ref


def classed_name(state: Discourse, span: Span, name: Name) -> Cluster | None:
    """Return the place a class noun and a name make, in either order.

    "the island of X" and "X Island", "the county of Y" and "Y County":
    an "of"-phrase after a definite place noun names the place that noun
    heads the name of, and a name closed by such a noun is the place
    described so before ("the island of X ... X Island"). Only a referent
    the noun was said of is taken, so a bare "X" stays apart from "X
    Island" when nothing ties the two.
    """
    head = span_head(span)
    prep = head.head
    noun = prep.head
    if (
        head.dep_ == "pobj"
        and prep.lower_ == "of"
        and prep.dep_ == "prep"
        and noun.lemma_.lower() in OF_NAMED_NOUNS
        and noun.tag_ == "NN"
        and any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.lefts)
    ):
        key = f"{name.key} {noun.lemma_.lower()}"
        found = [state.clusters[r] for r in state.by_key.get(key, ())]
        return max(found, key=lambda r: r.last_token) if found else None
    words = name.words
    if len(words) > 1 and words[-1] in OF_NAMED_NOUNS:
        base = " ".join(words[:-1])
        found = [
            state.clusters[r]
            for r in state.by_key.get(base, ())
            if words[-1] in state.clusters[r].roles
            and not state.clusters[r].is_person()
        ]
        return max(found, key=lambda r: r.last_token) if found else None
    return None


def short_name_inside(state: Discourse, span: Span, label: str) -> Cluster | None:
    """Return the body whose name holds this name as its own short form.

    "Ashby" of "Ashby University", "Rovers" of "the Port Varda Rovers":
    written inside the body's full name, the short name the text later
    uses alone is the body's, not a referent of its own. The part opens
    the name before a body noun or corporate suffix, and is no place the
    body is named after ("Boston" of "Boston University"); or it is a
    plural last word, however tagged (never "Varda" of "Real Varda").
    """
    words = tuple(name_words(span.text))
    if not words:
        return None
    for i in state.token_mentions.get(span.start, ()):
        outer = state.mentions[i]
        if (
            outer.kind != "name"
            or outer.label != "ORG"
            or outer.end_char - outer.start_char <= len(span.text)
            or not outer.start_char <= span.start_char < outer.end_char
            or i not in state.cluster_of
        ):
            continue
        full = parse_name(outer.text).words
        if " ".join(words) not in short_forms(full):
            continue
        if full[: len(words)] == words:
            # "Ashby University", "Acme Inc.": never "Varda Island", nor
            # "Eastport School" in a text that uses Eastport as a place
            if (
                nominal_class(full[-1]) != "ORG" and full[-1] not in CORPORATE
            ) or label in PLACE_LABELS | PEOPLE_LABELS:
                continue
            if label == "PERSON" and (len(words) > 1 or is_given(words[0])):
                continue  # "the Ada Byrne Institute" is named after her
            key = " ".join(words)
            known = [
                *state.by_key.get(key, ()),
                *state.by_surname.get(key, ()),
            ]
            if known:
                continue  # "in Ashby ... Ashby College": the place first
        elif span[-1].tag_ != "NNPS":
            continue  # a team's plural last word ("Rovers")
        ref = state.clusters[state.cluster_of[i]]
        return None if ref.is_person() else ref
    return None


def alias_of(state: Discourse, span: Span) -> Cluster | None:
    """Return the named referent this name is given as another name of.

    "X, also known as Y", "X (locally called Y)", "X is better known as Y",
    "X was renamed Y", "X self-identified as Y": a naming verb introduces
    Y as a name of X (the thing the verb's clause modifies, or its subject).
    """
    head = span_head(span)
    verb = head.head
    verbs = NAMING_VERBS
    if (
        head.dep_ == "appos"
        and verb.lemma_.lower() in NAME_NOUNS
        and verb.dep_ == "pobj"
        and verb.head.lower_ in {"by", "under", "as"}
    ):
        # "better known by her pseudonym Y", "wrote under the pen name Y"
        verb, verbs = verb.head.head, NAMING_VERBS | UNDER_NAME_VERBS
    elif head.dep_ == "pobj" and verb.lower_ == "as" and verb.dep_ == "prep":
        verb = verb.head
    elif head.dep_ not in {"oprd", "attr"}:
        return None
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in verbs:
        return None
    if verb.dep_ in {"acl", "relcl", "amod"} and verb.head.i < verb.i:
        target = verb.head
    else:
        subjects = [c for c in verb.children if c.dep_ in NOMINAL_SUBJ_DEPS]
        if not subjects:
            return None
        target = subjects[0]
    if target.i not in state.head_mention:
        # "an editor for a venue called Y": Y names the venue, not what
        # a longer phrase holding the venue is about
        return None
    ref = state.cluster_at(target.i)
    if ref is None or not ref.named or ref.plural:
        return None
    return ref


def introduced_alias(state: Discourse, span: Span) -> Cluster | None:
    """Return the referent this name is given as another name of.

    "Portvale (now Eastmere)", "the Arda Games, also known as the Ardiad",
    "the Varda Bridge (or the Eastport Viaduct)": a cue right after a
    bracket or comma that follows a name introduces a second name of the
    same referent. A bracketed group between the two ("X (XA), or Y") is
    passed over.
    """
    doc = state.doc
    if state.inside_longer_name(span):
        # "also known as Varda Telecom": the alias is the whole name, not
        # the place name nested at its start
        return None
    i = span.start - 1
    stop = max(span.start - 1 - _LEAD_WORDS, -1)
    while i > stop and (doc[i].lower_ == "the" or doc[i].is_quote):
        i -= 1
    longest = max(len(c) for c in ALIAS_CUES)
    before = tuple(doc[k].lower_ for k in range(max(i - longest + 1, 0), i + 1))
    cue = next(
        (c for c in ALIAS_CUES if i - len(c) >= 0 and before[-len(c) :] == c),
        None,
    )
    if cue is None:
        return None
    i -= len(cue)
    if i < 1 or doc[i].text not in {"(", ","}:
        return None
    i -= 1
    if doc[i].text == ")":  # "X (XA), or Y"
        stop = max(i - _BRACKET_SPAN, 0)
        while i > stop and doc[i].text != "(":
            i -= 1
        i -= 1
    stop = max(i - _LEAD_WORDS, -1)
    while i > stop and doc[i].is_quote:
        i -= 1
    if i < 0 or doc[i].sent.start != span.sent.start:
        return None
    if (
        i > 0
        and doc[i].text.rstrip(".") in STATE_ABBREVIATIONS
        and doc[i - 1].text == ","
    ):
        return None  # "from Tarnby, OK, aka Y": an address takes no alias
    return state.name_ending_at(i)


def translated_name(state: Discourse, span: Span) -> Cluster | None:
    """Return the name a bracketed "Language: Y" gives another form of.

    "X (Latin: Y; Greek: Z)", "X (Arabic: Y, also ...)": the name after a
    capitalised word and a colon inside a bracket opened right after a
    name is that name in another language or script.
    """
    doc = state.doc
    i = span.start - 1
    if i < 2 or doc[i].text != ":" or not doc[i - 1].text[:1].isupper():
        return None
    j = i - 2
    first = max(span.sent.start, span.start - _BRACKET_SPAN - 1)
    while j >= first and doc[j].text != "(":
        if doc[j].text in {")", "."}:
            return None
        j -= 1
    if j < 1 or doc[j].text != "(" or span.start - j > _BRACKET_SPAN:
        return None
    return state.name_ending_at(j - 1)


def role_apposed(state: Discourse, span: Span) -> Cluster | None:
    """Return the referent a name is in apposition with, one being a role.

    "the King of Arda, Tom Vale, ...", "Tom Vale, 2nd Earl of Arda,": a
    capitalised role ("King of Y", "Earl of Y") and a name side by side
    after a comma are one person; the parse links them as appositives or
    as two subjects of one verb.
    """
    doc = state.doc
    head = span_head(span)
    if span.start < 2 or doc[span.start - 1].text != ",":
        return None
    prev_index = next(
        (
            k
            for k in state.token_mentions.get(span.start - 2, ())
            if state.mentions[k].kind == "name"
        ),
        None,
    )
    prev = state.spans[prev_index] if prev_index is not None else None
    if prev is None or prev_index is None or prev.end != span.start - 1:
        return None
    if not (names_role(prev.text) or names_role(span.text)):
        return None
    # a lone capitalised role ("the Chancellor") is often tagged a place or a
    # body; its tag says nothing against the person beside it
    labels = {
        state.mentions[k].label
        for k in (
            prev_index,
            *(
                k
                for k in state.token_mentions.get(span.start, ())
                if state.spans[k] == span
            ),
        )
        if len(parse_name(state.mentions[k].text).words) > 1
        or not names_role(state.mentions[k].text)
    }
    if labels - (PERSON_LABELS | {""}):
        return None  # "the Mayor of Y, Acme Ltd": no person and a role
    linked = (head.dep_ == "appos" and prev.start <= head.head.i < prev.end) or (
        head.dep_ in NOMINAL_SUBJ_DEPS
        and prev.root.dep_ in NOMINAL_SUBJ_DEPS
        and prev.root.head.i == head.head.i
    )
    if not linked:
        return None
    ref = state.cluster_at(prev.root.i)
    if ref is None or ref.plural:
        return None
    return ref


def _noun_above_modifiers(phrase: Token) -> Token:
    """Return the noun a chain of prepositional modifiers ending at the token hangs on.

    "the largest theatre in the region (the Vale Hall)": the bracket follows
    "region", but names the theatre. At most a few modifiers are climbed.
    """
    for _ in range(_LEAD_WORDS):
        if not (
            phrase.dep_ == "pobj"
            and phrase.head.dep_ == "prep"
            and phrase.head.head.pos_ in {"NOUN", "PROPN"}
            and phrase.head.head.i < phrase.i
        ):
            break
        phrase = phrase.head.head
    return phrase


def bracketed_alias(state: Discourse, span: Span) -> Cluster | None:
    """Return what a name in brackets right after a phrase names.

    "the largest theatre in the region (Varda Hall)", "Kessa Arena ("The
    K")": a name alone in brackets closing a described thing names it,
    and a quoted one after a name is its other name. An unquoted name
    after a name ("Lyon (France)") is rather where it lies.
    """
    doc = state.doc
    i, j = span.start - 1, span.end
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1  # '("The K")': the article is outside the name
    quoted = i >= 0 and doc[i].is_quote
    if quoted:
        i -= 1
        if j >= len(doc) or not doc[j].is_quote:
            return None
        j += 1
    if i < 1 or doc[i].text != "(" or j >= len(doc) or doc[j].text != ")":
        return None
    phrase = _noun_above_modifiers(doc[i - 1])
    index = state.head_mention.get(phrase.i)
    ref = state.cluster_at(phrase.i)
    if index is None or ref is None or ref.plural:
        return None
    if state.mentions[index].kind == "name":
        return ref if quoted and ref.named else None
    described = state.spans[index]
    if (
        state.mentions[index].kind != "nominal"
        or described is None
        or ref.named
        or described[0].lower_ not in {"a", "an", "the"}
    ):
        return None
    return ref


@sieve("kg.coref.birth_name.v1", "name")
def birth_name(state: Discourse, index: int) -> bool:
    """Link a person's birth name ("X, born Y", "X (née Y)") to the person."""
    info = name_info(state, index)
    if info is None or not info.person:
        return False
    found = birth_name_of(state, info.span)
    return found is not None and join_name(
        state, index, [found], "kg.coref.birth_name.v1"
    )


@sieve("kg.coref.resumed_name.v1", "name")
def resumed_name(state: Discourse, index: int) -> bool:
    """Link the surname that closes a name a bracket interrupted (no salience)."""
    info = name_info(state, index)
    if info is None:
        return False
    found = resumed_name_of(state, info.span)
    return found is not None and join_name(
        state, index, [found], "kg.coref.resumed_name.v1", salient=False
    )


@sieve("kg.coref.classed_place_name.v1", "name")
def classed_place_name(state: Discourse, index: int) -> bool:
    """Link "X Island" to "the island of X" (and back) when the noun was said of it."""
    info = name_info(state, index)
    if info is None or info.person:
        return False
    found = classed_name(state, info.span, info.name)
    return found is not None and join_name(
        state, index, [found], "kg.coref.classed_place_name.v1"
    )


@sieve("kg.coref.short_name_inside.v1", "name")
def short_name_inside_sieve(state: Discourse, index: int) -> bool:
    """Link a body's short name written inside its full name to the body."""
    info = name_info(state, index)
    if info is None:
        return False
    found = short_name_inside(state, info.span, state.mentions[index].label)
    return found is not None and join_name(
        state, index, [found], "kg.coref.short_name_inside.v1"
    )


@sieve("kg.coref.naming_verb.v1", "name")
def naming_verb(state: Discourse, index: int) -> bool:
    """Link a name a naming verb gives ("X, also known as Y", "X was renamed Y")."""
    info = name_info(state, index)
    if info is None:
        return False
    found = alias_of(state, info.span)
    return found is not None and join_name(
        state, index, [found], "kg.coref.naming_verb.v1"
    )


@sieve("kg.coref.alias_cue.v1", "name")
def alias_cue(state: Discourse, index: int) -> bool:
    """Link a name after a cue ("X (now Y)", "X, or Y") to the name before it."""
    info = name_info(state, index)
    if info is None:
        return False
    found = introduced_alias(state, info.span)
    return found is not None and join_name(
        state, index, [found], "kg.coref.alias_cue.v1"
    )


@sieve("kg.coref.translated_name.v1", "name")
def translated_name_sieve(state: Discourse, index: int) -> bool:
    """Link a name in another language ("X (Latin: Y)") to the name it renders."""
    info = name_info(state, index)
    if info is None:
        return False
    found = translated_name(state, info.span)
    return found is not None and join_name(
        state, index, [found], "kg.coref.translated_name.v1"
    )


@sieve("kg.coref.state_abbreviation.v1", "name")
def state_abbreviation(state: Discourse, index: int) -> bool:
    """Link a state's postal code or abbreviation after a town to the state."""
    info = name_info(state, index)
    if info is None or info.state_cluster is None:
        return False
    return join_name(
        state, index, [info.state_cluster], "kg.coref.state_abbreviation.v1"
    )


@sieve("kg.coref.role_apposition.v1", "name")
def role_apposition(state: Discourse, index: int) -> bool:
    """Link a name and a capitalised role side by side ("Tom Vale, Earl of Arda")."""
    info = name_info(state, index)
    if info is None:
        return False
    found = role_apposed(state, info.span)
    return found is not None and join_name(
        state, index, [found], "kg.coref.role_apposition.v1"
    )


@sieve("kg.coref.bracketed_alias.v1", "name")
def bracketed_alias_sieve(state: Discourse, index: int) -> bool:
    """Link a name in brackets to the described thing or quoted name before it."""
    info = name_info(state, index)
    if info is None:
        return False
    found = bracketed_alias(state, info.span)
    return found is not None and join_name(
        state, index, [found], "kg.coref.bracketed_alias.v1"
    )
