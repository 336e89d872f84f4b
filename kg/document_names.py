"""Which stored document a user means: by id, IRI, path or bare file name.

:func:`resolve_document` is what ``kg remove`` reads its arguments with: an id,
an IRI or a path (:func:`kg.inputs.document_id`) names one document; failing
that, the same in Unicode NFC; a bare file name names the documents of that
name. An ambiguous name is refused with its candidates listed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ConfigError, InputError
from kg.inputs import document_id

if TYPE_CHECKING:  # kg.store imports this module at its end
    from kg.store import StoredDocument

__all__ = ["resolve_document"]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


#: Candidates an ambiguity error lists before "and N more".
_LISTED = 8


def _listing(documents: Sequence[StoredDocument]) -> str:
    names = [repr(d.doc_id) for d in documents[:_LISTED]]
    more = len(documents) - _LISTED
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _matching(documents: Sequence[StoredDocument], name: str) -> list[StoredDocument]:
    """Return the documents ``name`` may mean, by the most exact reading."""
    exact = [d for d in documents if name in {d.doc_id, d.iri}]
    if exact:
        return exact
    try:
        as_path = document_id(name)
    except InputError:
        as_path = ""
    by_path = [d for d in documents if d.doc_id == as_path]
    if by_path:
        return by_path
    wanted = {_nfc(name), _nfc(as_path)} - {""}
    by_nfc = [d for d in documents if _nfc(d.doc_id) in wanted]
    if by_nfc or "/" in name:
        return by_nfc
    # a bare file name: the documents of that name (their label)
    return [d for d in documents if _nfc(d.source) == _nfc(name)]


def resolve_document(out_dir: Path | str, name: str) -> StoredDocument:
    """Find a stored document by its id, IRI, path or (bare) file name.

    An id, an IRI or a path (:func:`kg.inputs.document_id`) names one
    document; failing that, the same in Unicode NFC; a bare file name
    names the documents of that name. More than one match is refused.

    Raises
    ------
    ConfigError
        No stored document matches (the message lists the stored ones), or
        several do (the message lists them).

    Examples
    --------
    >>> import tempfile
    >>> from kg.store import write_documents
    >>> from kg.types import Document
    >>> d = tempfile.mkdtemp()
    >>> _ = write_documents(d, [Document("news/a.txt", "a.txt", "0" * 64, ())])
    >>> resolve_document(d, "a.txt").doc_id
    'news/a.txt'
    """
    from kg.store import list_documents

    documents = list_documents(out_dir)
    found = _matching(documents, name)
    if len(found) == 1:
        return found[0]
    if found:
        raise ConfigError(
            f"{name!r} names {len(found)} documents: {_listing(found)}; "
            "give its id or path"
        )
    known = _listing(documents) or "none"
    raise ConfigError(f"no document {name!r} in the store; stored documents: {known}")
