"""The one loader for the word lists kg's rules read (data beside the ontology).

Word lists live in ``ontology/lexicons/NAME.txt``: one entry per line
(an entry may hold several words, "prime minister"), ``#`` starts a comment,
blank lines are ignored, entries are kept as written (lexicons of lemmas are
written in lower case). A mapping list holds ``key<TAB>value`` lines
(``NAME.tsv``). Class nouns ("X is a village" makes X a place) stay in
``ontology/nouns.ttl`` as ``kgo:classNoun`` and are read through
:func:`class_nouns`, so one list serves every stage.

Rules never keep their own copy of a list: they call these functions (each
cached), and a test checks that every list file parses and is used.

Examples
--------
>>> "he" in load_words("pronouns-masculine")
True
>>> sorted({"accountant", "table"} & class_nouns("Person"))
['accountant']
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from kg.errors import OntologyError
from kg.ontology import load_ontology, ontology_dir

__all__ = [
    "class_nouns",
    "lexicon_dir",
    "lexicon_names",
    "load_list",
    "load_mapping",
    "load_words",
]


def lexicon_dir() -> Path:
    """Return the folder of the word lists (``ontology/lexicons``).

    Examples
    --------
    >>> lexicon_dir().name
    'lexicons'
    """
    return ontology_dir() / "lexicons"


def lexicon_names() -> tuple[str, ...]:
    """Return the names of every word list and mapping, sorted.

    Examples
    --------
    >>> "pronouns-masculine" in lexicon_names()
    True
    """
    folder = lexicon_dir()
    return tuple(
        sorted(p.stem for p in folder.iterdir() if p.suffix in {".txt", ".tsv"})
    )


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise OntologyError(
            f"lexicon {path.stem!r} not found at {str(path)!r}; "
            f"known lexicons: {', '.join(lexicon_names())}"
        )
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@functools.cache
def load_list(name: str) -> tuple[str, ...]:
    """Return the entries of ``ontology/lexicons/NAME.txt`` in file order.

    Raises
    ------
    OntologyError
        No such list.

    Examples
    --------
    >>> load_list("pronouns-masculine")[:2]
    ('he', 'him')
    """
    return tuple(
        dict.fromkeys(
            " ".join(line.split()) for line in _lines(lexicon_dir() / f"{name}.txt")
        )
    )


@functools.cache
def load_words(name: str) -> frozenset[str]:
    """Return the entries of ``ontology/lexicons/NAME.txt`` as a set.

    Raises
    ------
    OntologyError
        No such list.

    Examples
    --------
    >>> "himself" in load_words("pronouns-masculine")
    True
    """
    return frozenset(load_list(name))


@functools.cache
def load_mapping(name: str) -> Mapping[str, str]:
    """Return ``ontology/lexicons/NAME.tsv`` (``key<TAB>value`` lines) as a mapping.

    Raises
    ------
    OntologyError
        No such mapping, or a line without a tab.

    Examples
    --------
    >>> load_mapping("number-words")["twelve"]
    '12'
    """
    path = lexicon_dir() / f"{name}.tsv"
    out: dict[str, str] = {}
    for line in _lines(path):
        key, sep, value = line.partition("\t")
        if not sep:
            raise OntologyError(
                f"lexicon {name!r}: line {line!r} has no tab; "
                "a mapping line is KEY<TAB>VALUE"
            )
        out[key.strip()] = value.strip()
    return MappingProxyType(out)


@functools.cache
def class_nouns(cls: str) -> frozenset[str]:
    """Return the noun lemmas ``ontology/nouns.ttl`` lists for a class.

    Examples
    --------
    >>> "village" in class_nouns("Place")
    True
    """
    nouns = load_ontology().class_nouns
    return frozenset(noun for noun, classes in nouns.items() if cls in classes)
