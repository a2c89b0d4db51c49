"""HTTP clients the SDK makes for you to hand to ``Orq``: ``aiohttp_client()`` (the ``aiohttp`` extra).

Nothing of aiohttp is imported here: ``aiohttp_transport`` is, when ``aiohttp_client()`` is first called.
"""

from __future__ import annotations

from typing import Any

import httpx2

__all__ = ["AIOHTTP_EXTRA_MISSING", "SdkAsyncClient", "aiohttp_client"]

AIOHTTP_EXTRA_MISSING = "aiohttp_client() needs the aiohttp extra: pip install 'orq-images[aiohttp]'"
_AIOHTTP_PACKAGES = frozenset({"aiohttp", "httpx_aiohttp"})


class SdkAsyncClient(httpx2.AsyncClient):
    """An ``httpx2.AsyncClient`` the SDK made for one ``Orq`` (``aiohttp_client()``).

    The ``Orq`` it is given to owns it as if it had made it: it sets its headers and closes it in ``aclose()`` /
    ``async with``. It serves calls from any event loop (a second ``asyncio.run()``) by itself.
    """

    adopted = False
    """Whether it was given to a ``ClientCore`` already: to one only, since that one closes it."""
    made_with: dict[str, Any] = {}  # noqa: RUF012 - set per instance by the function that made it
    """The options it was made with: ``renewed()`` makes a like one."""

    def renewed(self) -> SdkAsyncClient:
        """A new client made with the same options, with no connection yet (in a forked child: this one's
        connections are the parent's). Not adopted, headers as made."""
        fresh = type(self)(**self.made_with)
        fresh.made_with = self.made_with
        return fresh


def aiohttp_client(**options: Any) -> httpx2.AsyncClient:
    """An async client whose requests go through aiohttp, for ``Orq(async_client=aiohttp_client())``.

    For those who prefer aiohttp's networking: with hundreds of calls in flight it costs about what the SDK's own
    pool does (``_runtime/pool.py``; both far less than httpx2's). The ``Orq`` it is given to closes it
    (``aclose()`` / ``async with``): make one per ``Orq``. ``options`` are ``httpx2.AsyncClient``'s (``limits``,
    ``verify``, ``proxy``, ``event_hooks``, ...); the pool keeps up to 1000 connections unless ``limits`` says
    otherwise (aiohttp has no separate keep-alive count: ``max_keepalive_connections`` is ignored).

    Raises ``ImportError`` when the ``aiohttp`` extra is not installed (``pip install 'orq-images[aiohttp]'``).
    """
    try:
        from .aiohttp_transport import AiohttpClient
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in _AIOHTTP_PACKAGES:
            raise
        raise ImportError(AIOHTTP_EXTRA_MISSING, name=exc.name) from exc
    from .transport import DEFAULT_LIMITS

    settings = {"limits": DEFAULT_LIMITS, "follow_redirects": False, **options}
    client = AiohttpClient(**settings)
    client.made_with = settings
    return client
