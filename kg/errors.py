"""Exception hierarchy of kg.

Every error a user can cause derives from :class:`KGError` and carries the
process exit code that ``kg`` uses for it: 2 for configuration and usage
errors, 1 for everything else.

Examples
--------
>>> err = ConfigError("no .txt files under 'docs/'")
>>> isinstance(err, KGError), err.exit_code
(True, 2)
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ExtractionError",
    "InputError",
    "KGError",
    "LimitError",
    "ModelNotFoundError",
    "OntologyError",
    "OutputError",
    "QueryError",
]


class KGError(Exception):
    """Root of every error kg raises on purpose."""

    exit_code: int = 1


class ConfigError(KGError):
    """A bad option, path or setting given by the user."""

    exit_code = 2


class InputError(ConfigError):
    """An input document that cannot be read (missing, empty, binary, not UTF-8)."""


class LimitError(InputError):
    """An input over one of the build's limits (the build skips it with a warning)."""


class ModelNotFoundError(ConfigError):
    """The requested spaCy pipeline is not installed."""


class OntologyError(KGError):
    """The ontology files are missing, unparsable or lack a required term."""


class ExtractionError(KGError):
    """Extraction failed on a document."""


class OutputError(KGError, OSError):
    """Writing the output failed part-way (it is left as it was before)."""


class QueryError(KGError):
    """A SPARQL query could not be parsed or evaluated."""

    exit_code = 2
