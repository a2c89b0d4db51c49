"""``KeyMask``: the API keys sent lately, masked in the DEBUG lines of ``httpcore2``'s loggers.

What httpcore2 logs (2.16): the request as ``<Request [b'POST']>`` (method only: the Authorization header is never
printed), each response's status line and headers (``receive_response_headers.complete return_value=...``: an
echoed key appears there) and exceptions by ``repr``. The filter runs only when DEBUG is enabled for those loggers.

Apart from ``redaction`` and importing nothing of the package but ``forks``: the loggers keep their filters until the
interpreter ends, so the filter's module stays alive until then, with everything its globals reach. Were it
``redaction`` (which imports ``httpx2``, ``attrs`` and the errors), the whole package and ``httpx2`` would outlive
the collection that frees modules at exit and be wiped one by one afterwards (measured: about 6 ms more at the exit
of a process that made a call).
"""

from __future__ import annotations

import logging
import threading

from .forks import after_fork_in_child

__all__ = ["MASK", "SHORTEST_MASKED", "KeyMask", "remember"]

MASK = "***"
SHORTEST_MASKED = 8
"""Keys shorter than this are not searched for in text (a 3-letter test key would mask every "abc")."""
_REMEMBERED = 32
_LOGGERS = (
    "httpcore2.http11",
    "httpcore2.http2",
    "httpcore2.connection",
    "httpcore2.connection_pool",
    "httpcore2.proxy",
    "httpcore2.socks",
    "httpx2",
)

_recent: dict[str, None] = {}  # the keys sent lately, oldest first (a dict as an ordered set)
_recent_lock = threading.RLock()  # reentrant: see ClientCore._lock (an interrupt may leave it held)
_installed = False


def _new_lock_after_fork() -> None:
    global _recent_lock
    _recent_lock = threading.RLock()  # another thread of the parent may have held it at the fork


after_fork_in_child(_new_lock_after_fork)


def remember(key: str) -> None:
    """Note ``key`` as sent, so that ``KeyMask`` masks it (the last ``_REMEMBERED`` keys: rotating keys change)."""
    global _installed
    if len(key) < SHORTEST_MASKED or key in _recent:
        return
    with _recent_lock:
        _recent[key] = None
        while len(_recent) > _REMEMBERED:
            del _recent[next(iter(_recent))]
        if not _installed:
            for name in _LOGGERS:
                logging.getLogger(name).addFilter(KeyMask())
            _installed = True


class KeyMask(logging.Filter):
    """Masks the keys sent lately in the records of the logger it is added to (never drops a record).

    A logger's filters see only the records of that very logger, not those of its children: it is added to each
    of ``httpcore2``'s loggers by name.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        keys = list(_recent)
        if not keys:
            return True
        message = record.getMessage()
        masked = message
        for key in keys:
            masked = masked.replace(key, MASK)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
