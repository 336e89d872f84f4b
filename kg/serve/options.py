"""The limits of ``kg serve``, in a module a worker process imports cheaply."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

from kg.errors import ConfigError

__all__ = ["ServeOptions"]


def _default_workers() -> int:
    """Worker processes by default: one per core, at least 2, at most 8."""
    return max(2, min(8, os.cpu_count() or 2))


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """The limits of ``kg serve`` (most have a ``kg serve --option``).

    ``workers`` processes each serve HTTP and run queries on
    ``query_threads`` threads; ``max_pending`` and ``max_connections`` are
    shared out between the workers.

    Examples
    --------
    >>> ServeOptions(workers=2).per_worker(64)
    32
    >>> ServeOptions.from_json(ServeOptions(allow_hosts=("a",)).to_json()).allow_hosts
    ('a',)
    """

    timeout: float = 10.0
    workers: int = field(default_factory=_default_workers)
    query_threads: int = 4
    max_pending: int = 64
    max_body: int = 1 << 20
    max_head: int = 64 << 10
    head_timeout: float = 10.0
    keep_alive: float = 5.0
    max_connections: int = 256
    max_memory_mb: int = 1024
    max_result_mb: int = 256
    allow_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ConfigError(f"query time limit must be positive, got {self.timeout}")
        for name in (
            "workers",
            "query_threads",
            "max_pending",
            "max_body",
            "max_head",
            "max_connections",
            "max_memory_mb",
            "max_result_mb",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name.replace('_', '-')} must be at least 1")
        if self.head_timeout <= 0 or self.keep_alive <= 0:
            raise ConfigError("header and keep-alive timeouts must be positive")

    def per_worker(self, total: int) -> int:
        """Share ``total`` out between the workers (at least 1 each)."""
        return max(1, -(-total // self.workers))

    def to_json(self) -> dict[str, object]:
        """Return the options as plain JSON values."""
        data = asdict(self)
        data["allow_hosts"] = list(self.allow_hosts)
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ServeOptions:
        """Rebuild options from :meth:`to_json`."""
        values = dict(data)
        values["allow_hosts"] = tuple(values.get("allow_hosts", ()))  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]
