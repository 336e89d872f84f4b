"""The word lists of the mention stage, read from ``ontology/lexicons``.

Every list lives in a data file and is read through :mod:`kg.lexicon`; this
module names them for the passes and for the later stages that share them
(re-exported by :mod:`kg.mentions`), and holds the two lookups built on
them: the class a common noun denotes and the gender a given name has.
"""

from __future__ import annotations

import functools
from typing import Any

from kg.lexicon import class_nouns, load_list, load_mapping, load_words

__all__ = [
    "EVENT_NOUNS",
    "FACILITY_WORDS",
    "FEMALE_NOUNS",
    "KIN_GROUP_NOUNS",
    "MALE_NOUNS",
    "ORDINAL_PICKS",
    "ORG_NOUNS",
    "PERSON_NOUNS",
    "PLACE_NOUNS",
    "PRONOUNS",
    "STATE_ABBREVIATIONS",
    "WORK_NOUNS",
    "given_name_gender",
    "is_given_name",
    "nominal_class",
]

#: US state postal codes and abbreviations ("Calif") -> the state's name.
STATE_ABBREVIATIONS = dict(load_mapping("us-state-abbreviations"))
#: Third-person and first/second-person pronouns that can refer to entities.
PRONOUNS = load_words("pronouns")
#: Nouns whose referent is female.
FEMALE_NOUNS = load_words("nouns-female")
#: Nouns whose referent is male.
MALE_NOUNS = load_words("nouns-male")
#: Common nouns that denote people (roles, jobs, relations, ages): the class
#: nouns of people in ``ontology/nouns.ttl`` (less those that name bodies too,
#: "publisher"), the nouns that refer to people without typing a name
#: ("member", "host"), and the gendered nouns.
PERSON_NOUNS = (
    (class_nouns("Person") - class_nouns("Organization"))
    | load_words("nouns-person")
    | FEMALE_NOUNS
    | MALE_NOUNS
)
#: Nouns for a group of kin a family name names ("the Varn dynasty").
KIN_GROUP_NOUNS = load_words("nouns-kin-group")
#: Common nouns that denote organisations.
ORG_NOUNS = load_words("nouns-organization")
#: Common nouns that denote places.
PLACE_NOUNS = load_words("nouns-place")
#: Common nouns that denote creative works.
WORK_NOUNS = load_words("nouns-work")
#: Common nouns that denote named events.
EVENT_NOUNS = load_words("nouns-event")
#: Common nouns that head the names of places, buildings and prizes.
FACILITY_WORDS = load_words("facility-words")
#: Adjectives that pick one of two things named before ("the latter").
ORDINAL_PICKS = load_words("ordinal-picks")

_PERSON_SUFFIXES = load_list("person-noun-suffixes")
_NON_PERSON_SUFFIX_WORDS = load_words("person-suffix-exceptions")


def nominal_class(lemma: str) -> str:
    """Return the coarse class a common-noun head denotes, or ``""``.

    One of ``PERSON``, ``ORG``, ``GPE`` (places), ``WORK_OF_ART``,
    ``EVENT`` or ``""``.

    Examples
    --------
    >>> nominal_class("lawyer"), nominal_class("company"), nominal_class("table")
    ('PERSON', 'ORG', '')
    >>> nominal_class("pianist")
    'PERSON'
    """
    word = lemma.lower()
    if word in PERSON_NOUNS:
        return "PERSON"
    if word in ORG_NOUNS:
        return "ORG"
    if word in PLACE_NOUNS:
        return "GPE"
    if word in WORK_NOUNS:
        return "WORK_OF_ART"
    if word in EVENT_NOUNS:
        return "EVENT"
    if (
        word not in _NON_PERSON_SUFFIX_WORDS
        and len(word) > 5
        and word.endswith(_PERSON_SUFFIXES)
    ):
        return "PERSON"
    return ""


@functools.cache
def _gender_detector() -> Any:
    try:
        import gender_guesser.detector as detector
    except ImportError:  # pragma: no cover - optional lexicon
        return None
    return detector.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=8192)
def given_name_gender(word: str) -> tuple[str | None, int]:
    """Return the gender a first-name lexicon gives a name, and how sure (0-2).

    ``("m", 2)`` for a name the lexicon calls male, ``("f", 1)`` for mostly
    female, ``(None, 0)`` for an unknown or unisex word. The lexicon is the
    ``gender-guesser`` package's (about 40,000 names from many countries).

    Examples
    --------
    >>> given_name_gender("Margaret"), given_name_gender("Table")
    (('f', 2), (None, 0))
    """
    det = _gender_detector()
    if det is None or not word.isalpha():
        return None, 0
    guess = det.get_gender(word.capitalize())
    return _GUESSES.get(guess, (None, 0))


_GUESSES: dict[str, tuple[str | None, int]] = {
    "male": ("m", 2),
    "mostly_male": ("m", 1),
    "female": ("f", 2),
    "mostly_female": ("f", 1),
}


def is_given_name(word: str) -> bool:
    """Tell a word the first-name lexicon knows as a given name of either sex.

    Examples
    --------
    >>> is_given_name("Margaret"), is_given_name("Table")
    (True, False)
    """
    return given_name_gender(word)[0] is not None
