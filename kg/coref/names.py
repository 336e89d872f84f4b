"""Proper names: their parts, keys and the short forms a text may use for them.

A name is parsed once into :class:`Name` (its words, titles, nickname,
generational suffix); the rest are pure functions over names and name keys:
initials and acronyms, a company's short forms, the family-name forms of a long
personal name, spelling skeletons, and what a name's own words say it names (a
place, an event, a person mistagged).

Examples
--------
>>> parse_name('Dr. Ada "Ace" Byrne Jr.')
Name(words=('ada', 'byrne'), titles=('dr',), nick=('ace',), suffix=('jr',), whole=())
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span

from kg.coref.grammar import PERSON_LABELS, PLACE_CLASSES
from kg.coref.words import (
    ACRONYM_SKIP,
    COMPASS_POINTS,
    CORPORATE,
    GENERATIONS,
    HONORIFICS,
    HYPOCORISMS,
    OFFICE_TITLES,
    PARTICLES,
    SETTLEMENT_NOUNS,
    TRADE_NOUNS,
)
from kg.mentions import (
    EVENT_NOUNS,
    FACILITY_WORDS,
    PERSON_NOUNS,
    given_name_gender,
    name_words,
    nominal_class,
)
from kg.ontology import load_ontology

__all__ = [
    "COMPANY_SUFFIXES",
    "Name",
    "canonical_given",
    "city_base",
    "consonants",
    "family_forms",
    "initials",
    "is_acronym",
    "is_given",
    "is_role_word",
    "looks_like_person",
    "name_key",
    "names_a_place",
    "names_an_event",
    "names_body",
    "names_role",
    "other_place_head",
    "parse_name",
    "plain_name",
    "role_headed",
    "role_led",
    "short_forms",
    "shortens",
    "spelling",
    "surface_gender",
    "thing_named",
    "vowel_variant",
    "MIN_SPELLING",
    "DEFINITE_SHORT",
]


def name_key(text: str) -> str:
    """Normalise a name for comparison: accents, case, punctuation, titles.

    Examples
    --------
    >>> name_key("President  Émile Varenne's")
    'emile varenne'
    >>> name_key('Joe "Ace" Smith-Jones')
    'joe ace smith-jones'
    >>> name_key("Tides: The Return")
    'tides'
    """
    words = name_words(text.split(":")[0] or text)
    while len(words) > 1 and words[0].rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


#: an ordinal in Roman numerals after a name: a regnal number ("Otto IV"),
#: a generation or a sequel ("World War II"); it tells the name's bearers apart
_ROMAN = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
_POST_NOMINAL = re.compile(
    r"(?<=\w)(,?\s+(?:(?!" + _ROMAN.pattern + r"\s*$)[A-Z]{2,5}|PhD))+\s*$"
)
#: words after a title that make it a role over a place ("King of Arda")
_PARTICLES_OF = frozenset({"of"})


def initials(words: Sequence[str]) -> str:
    """Return the initials of a name's significant words ("nasa")."""
    return "".join(w[0] for w in words if w not in ACRONYM_SKIP and w[:1].isalpha())


def is_acronym(text: str) -> bool:
    """Tell an all-capitals word of 2-8 letters, dots allowed ("NASA", "U.S.")."""
    letters = text.replace(".", "")
    return (
        2 <= len(letters) <= 8
        and letters.isalpha()
        and sum(c.isupper() for c in letters) >= 2
    )


_SHORT_FORM_MIN = 3  # a last word this long is a short name only after "the"
DEFINITE_SHORT = "the "
#: Last words a company's name may drop in running text (see short_forms).
COMPANY_SUFFIXES = CORPORATE | TRADE_NOUNS


def short_forms(words: Sequence[str]) -> list[str]:
    """Return the short names of an organisation ("Rovers", "Ashby Vale").

    The name without a generic head ("Ashby Vale" of "Ashby Vale
    University", "Acme" of "Acme Inc.") and a distinctive last word
    ("Rovers" of "Port Varda Rovers"); never for "X of Y" names. A last word
    of three letters is too short to stand alone, and is a short name only
    after "the" ("the Owl" of "The Eastport Owl"): its form is keyed
    ``"the bee"``.

    Examples
    --------
    >>> short_forms(["san", "antonio", "spurs"]), short_forms(["sacramento", "bee"])
    (['spurs'], ['the bee'])
    """
    if len(words) < 2 or "of" in words:
        return []
    out = []
    last = words[-1]
    if last in COMPANY_SUFFIXES or nominal_class(last) in {"ORG", "GPE"}:
        out.append(" ".join(words[:-1]))
    elif not nominal_class(last) and last not in FACILITY_WORDS:
        if len(last) > _SHORT_FORM_MIN:
            out.append(last)
        elif len(last) == _SHORT_FORM_MIN:
            out.append(f"{DEFINITE_SHORT}{last}")
    return out


def is_given(word: str) -> bool:
    """Tell a word the first-name lexicon knows as a given name."""
    return given_name_gender(word)[0] is not None


def family_forms(words: Sequence[str]) -> list[str]:
    """Forms a personal name of three or more words may be shortened to.

    The tails after the first word that keep two or more words, and each
    inner word that is no particle: Spanish and Portuguese names carry two
    family names, Dutch and Italian ones particles.

    Examples
    --------
    >>> family_forms(["guillermo", "david", "endara", "galimany"])
    ['david endara galimany', 'endara galimany', 'david', 'endara']
    >>> family_forms(["ada", "de", "masi"])
    ['de masi']
    """
    tails = [" ".join(words[k:]) for k in range(1, len(words) - 1)]
    inner = [w for w in words[1:-1] if w not in PARTICLES and len(w) > 1]
    return tails + inner


def is_role_word(word: str) -> bool:
    """Tell a title or role noun ("minister", "maid") used as if a name."""
    return word in HONORIFICS or word in PERSON_NOUNS


def shortens(short: Sequence[str], full: Sequence[str]) -> bool:
    """Tell a short form made of the full name's words or their beginnings.

    >>> shortens(["iowa", "telecom"], ["iowa", "telecommunications", "services"])
    True
    >>> shortens(["iowa", "state"], ["iowa", "telecommunications", "services"])
    False
    """
    if len(short) >= len(full) or short[0] != full[0]:
        return False
    k = 0
    for word in full:
        if k < len(short) and word.startswith(short[k]) and len(short[k]) >= 2:
            k += 1
    return k == len(short)


@dataclass(frozen=True, slots=True)
class Name:
    """The parts of a proper name, normalised."""

    words: tuple[str, ...]
    titles: tuple[str, ...]
    nick: tuple[str, ...]
    suffix: tuple[str, ...] = ()
    #: the words before a territorial "of Y" was cut off (empty if none was):
    #: "Institute of Technology" keeps its acronym
    whole: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The name's words and suffix, the form names are matched by."""
        return " ".join(self.words + self.suffix)

    @property
    def given(self) -> str | None:
        """The given name (its canonical form), if the name has one."""
        if len(self.words) < 2 or self.words[0] in PARTICLES:
            return None
        return canonical_given(self.words[0])

    @property
    def surname(self) -> str:
        """The family name: the last word, or the word before a territorial "of"."""
        if "of" in self.words[1:]:
            # "Otto of Varda", "King of Arda": the place is no surname
            return self.words[self.words.index("of", 1) - 1]
        return self.words[-1]


def names_body(words: Sequence[str]) -> bool:
    """Tell name words headed by a body's or place's noun ("league baseball").

    A rank before such words is no title but a word of the name: "Major
    League Football", "General Hospital", "King Street" name no person.

    >>> names_body(["league", "baseball"]), names_body(["ada", "byrne"])
    (True, False)
    """
    return any(
        nominal_class(w) in {"ORG", "GPE", "EVENT"} or w in FACILITY_WORDS
        for w in words
    )


def _strip_titles(words: list[str]) -> list[str]:
    """Take the titles and glued-on roles off the front of a name's words."""
    titles: list[str] = []
    while (
        len(words) > 1
        and words[0].rstrip(".") in HONORIFICS
        and words[1] not in _PARTICLES_OF
        and not names_body(words[1:])
    ):
        # "King of Arda" is a role over Arda, not a king named Arda
        titles.append(words.pop(0).rstrip("."))
    # a role glued to a name ("Critic Jane Doe") when a given name follows
    while (
        len(words) > 2
        and words[0] in PERSON_NOUNS
        and given_name_gender(words[1])[1] == 2
    ):
        titles.append(words.pop(0))
    return titles


def parse_name(text: str) -> Name:
    """Parse a proper name into its words, titles, nickname and suffix.

    Examples
    --------
    >>> parse_name("King of Arda").words, parse_name("The Rovers").words
    (('king', 'of', 'arda'), ('rovers',))
    """
    if is_acronym(text) and "." in text:
        return Name((text.replace(".", "").casefold(),), (), ())
    nick = re.findall(r"[\"“”]([^\"“”]+)[\"“”]", text)
    nick_words = tuple(w for n in nick for w in name_words(n))
    # a subtitle ("Tides: The Return") is no part of the name to match
    text = text.split(":")[0] or text
    # post-nominal letters ("Ada Byrne DBE", "PhD") and generational suffixes
    # go, but not after an acronym ("BBC HD" is no "BBC"); a Roman numeral
    # stays ("Otto IV" is no "Otto III")
    bare = re.sub(_POST_NOMINAL, "", text)
    if not is_acronym(bare.strip()):
        text = bare
    words = name_words(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]  # "The Rovers" is "Rovers" written with its article
    suffix: tuple[str, ...] = ()
    last = text.split()[-1] if text.split() else ""
    if len(words) >= 2 and (
        words[-1].rstrip(".") in GENERATIONS or _ROMAN.fullmatch(last)
    ):
        suffix = (words.pop().rstrip("."),)
    titles = _strip_titles(words)
    # a territorial designation ("X of Y") is no part of the family name
    whole: tuple[str, ...] = ()
    if "of" in words[2:]:
        whole = tuple(words)
        words = words[: words.index("of", 2)]
    if nick_words and len(words) > len(nick_words) + 1:
        rest = [w for w in words if w not in nick_words]
        words = rest or words
    return Name(tuple(words), tuple(titles), nick_words, suffix, whole)


def canonical_given(word: str) -> str:
    """Return the given name a hypocorism stands for ("joe" -> "joseph")."""
    return HYPOCORISMS.get(word, word)


def role_headed(name: Name) -> bool:
    """Tell a name headed by a role noun ("Harbour Poet"): no given name, no surname.

    "Tom Baker" keeps its surname: its first word is a given name.
    """
    return (
        name.words[-1] in PERSON_NOUNS
        and given_name_gender(name.words[0])[1] < 2
        and not name.titles
    )


def thing_named(span: Span) -> str:
    """Return the class a name's own phrase gives it, if no person's.

    "the journal X", "the film X" (a class noun apposed or compounded): that
    noun's class; "Varenne's X" (a person's possessed name): a work.
    """
    head = span.root
    nouns = [head.head] if head.dep_ == "appos" else []
    nouns += [c for c in head.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
    for noun in nouns:
        if noun.pos_ == "NOUN" and noun.i < span.start:
            cls = nominal_class(noun.lemma_)
            if cls and cls != "PERSON":
                return cls
    for child in head.lefts:
        if (
            child.dep_ == "poss"
            and child.ent_type_ == "PERSON"
            and child.i < span.start
        ):
            return "WORK_OF_ART"
    if (
        span[-1].lower_ in COMPASS_POINTS
        and span[-1].is_title
        and span.start > 0
        and span.doc[span.start - 1].lower_ == "the"
        and not any(t.ent_type_ == "PERSON" for t in span)
    ):
        # "the Ruritanian Northwest", "the Midwest": a compass point heading a
        # name with its article makes it a region, whatever the tagger said
        # (a surname takes no article: "Ada North ... North")
        return "LOC"
    return "EVENT" if names_an_event(span) else ""


def names_an_event(span: Span) -> bool:
    """Tell a name an event noun heads or leads ("the Hale Games", "Cyclone Ada").

    The noun says what the name is, a storm, war or contest, however the tagger
    labelled it; a person's name that ends in such a word ("Ann Tempest") starts
    with a given name, and a leading word before a place noun names a place
    ("Battle Hill").
    """
    words = [t for t in span if t.is_alpha]
    if len(words) < 2 or not all(t.is_title or t.is_upper for t in words):
        return False
    first, last = words[0], words[-1]
    if is_given(first.text):
        return False
    if last.lower_ in EVENT_NOUNS:
        return True
    return first.lower_ in EVENT_NOUNS and not (
        nominal_class(last.lower_) or last.lower_ in FACILITY_WORDS
    )


def names_a_place(name: Name, titles: Sequence[str] = ()) -> bool:
    """Tell a name headed by a place or institution noun ("X Hotel", "Y Square").

    A title before the noun (read off the name, or ``titles`` the tagger left
    out of it) is still a word of the name: "Bishop Square", "King Street" are
    no person titled "Bishop" or "King".
    """
    words = len(name.words) + len(name.titles) + len(titles)
    last = name.words[-1] if words > 1 else ""
    return last in FACILITY_WORDS or nominal_class(last) in PLACE_CLASSES


def looks_like_person(name: Name, label: str) -> bool:
    """Tell a mistagged personal name: a strong given name, then a surname.

    A four-word name qualifies when its second word is a given name too
    ("Given Middle Birthname Surname", common for married women).
    """
    if label in PERSON_LABELS | {"GPE", "LOC"} or not 2 <= len(name.words) <= 4:
        return False
    last = name.words[-1]
    if last in FACILITY_WORDS or nominal_class(last):
        return False
    if len(name.words) == 4 and given_name_gender(name.words[1])[0] is None:
        return False
    gender, weight = given_name_gender(name.words[0])
    return gender is not None and weight == 2


def surface_gender(span: Span, word: str) -> tuple[str | None, int]:
    """Return the lexicon's gender of a name word as the text spells it.

    The lexicon knows "Zoë" but not the accent-free "zoe".
    """
    for token in span:
        if name_words(token.text) == [word]:
            return given_name_gender(token.text)
    return given_name_gender(word)


def names_role(text: str) -> bool:
    """Tell a capitalised role used as a name ("King of Y", "2nd Earl of Y")."""
    words = [w for w in parse_name(text).words if not w[:1].isdigit()]
    return (
        bool(words) and is_role_word(words[0]) and (len(words) == 1 or words[1] == "of")
    )


def role_led(text: str) -> bool:
    """Tell a rank or role before a surname ("Corporal Hale"), or brackets."""
    words = parse_name(text).words
    return "[" in text or (len(words) == 2 and nominal_class(words[0]) == "PERSON")


def plain_name(text: str) -> str:
    """Drop an office or courtesy title before a full name ("President Ada Byrne").

    Titles that are part of how a person is called ("Queen Elizabeth", "Sir
    Ian") stay, and so does a title before a single name.

    Examples
    --------
    >>> plain_name("Minister Ada Byrne"), plain_name("Queen Ada")
    ('Ada Byrne', 'Queen Ada')
    >>> plain_name("Dr. Byrne")
    'Dr. Byrne'
    """
    words = text.split()
    start = 0
    while start < len(words) - 2 and words[start].lower().rstrip(".") in OFFICE_TITLES:
        start += 1
    return " ".join(words[start:]) if start else text


def city_base(key: str) -> str | None:
    """Return the town name a "X Y City" name adds "City" to ("new york").

    A town is named with or without "City" ("Port Varda City" ... "Port Varda");
    a one-word base is left alone, since "Varda City" named after a state "Varda" is
    another place than the country or state it is named after.

    Examples
    --------
    >>> city_base("new york city"), city_base("mexico city")
    ('new york', None)
    """
    words = key.split()
    if len(words) > 2 and words[-1] == "city" and "of" not in words:
        return " ".join(words[:-1])
    return None


def other_place_head(key: str, noun: str) -> bool:
    """Tell a name headed by a place noun other than ``noun`` ("main street").

    Examples
    --------
    >>> other_place_head("main street", "city"), other_place_head("dover", "city")
    (True, False)
    >>> other_place_head("new york city", "city")
    False
    >>> other_place_head("city of x", "town")  # the head before "of"
    False
    """
    last = key.split(" of ")[0].split()[-1]  # "city of festivals": "city"
    lemma = last[:-1] if last.endswith("s") and len(last) > 3 else last
    if noun in SETTLEMENT_NOUNS and lemma in SETTLEMENT_NOUNS:
        return False
    if lemma == noun:
        return False
    return lemma in FACILITY_WORDS or bool(load_ontology().classes_for_noun(lemma))


#: Shortest name key matched by its spelling skeleton alone.
MIN_SPELLING = 6


def spelling(key: str) -> str:
    """Reduce a name key to its spelling skeleton.

    Transliteration and loose spelling double letters ("Aalborg" for
    "Ålborg", "Vallmora" for "Valmora") and join or split compounds with a
    hyphen ("Port-Varda", "Port Varda"); the skeleton drops both.

    Examples
    --------
    >>> spelling("vallmora"), spelling("port-marin")
    ('valmora', 'port marin')
    """
    return " ".join(
        # a Roman numeral keeps its letters ("Otto II" is no "Otto I")
        word if _ROMAN.fullmatch(word.upper()) else re.sub(r"(\w)\1+", r"\1", word)
        for word in key.replace("-", " ").split()
    )


_VOWELS = frozenset("aeiouy")


def consonants(key: str) -> str:
    """Reduce a name key to its consonants: keys one vowel apart share them.

    >>> consonants("vardolin") == consonants("vardelin") == consonants("vardlin")
    True
    """
    return "".join(c for c in key if c not in _VOWELS)


def vowel_variant(key: str, other: str) -> bool:
    """Tell two name keys that differ by one inner vowel of one long word.

    Transliterations and old spellings vary a vowel ("Vardolin" and
    "Vardelin") or write one more ("Tarlin", "Tairlin"); the consonants,
    the first and last letters and every other word stay.

    Examples
    --------
    >>> vowel_variant("vardolin", "vardelin"), vowel_variant("tarlin", "tairlin")
    (True, True)
    >>> vowel_variant("tarlin", "marlin")
    False
    """
    words, others = key.split(), other.split()
    if len(words) != len(others):
        return False
    diff = [(a, b) for a, b in zip(words, others, strict=True) if a != b]
    if len(diff) != 1:
        return False
    a, b = sorted(diff[0], key=len)
    if len(a) < MIN_SPELLING - 1 or a[0] != b[0] or a[-1] != b[-1]:
        return False
    if len(a) == len(b):
        changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(changed) == 1 and set(changed[0]) <= _VOWELS
    if len(b) != len(a) + 1:
        return False
    k = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return b[k] in _VOWELS and a[k:] == b[k + 1 :]
