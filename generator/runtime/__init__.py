"""Hand-written runtime support for the generated ``orq_images`` client.

The modules here are copied verbatim into ``orq_images/_runtime/`` by the generation pipeline:

- ``errors``: the exception hierarchy and the mapping of HTTP error responses to it.
- ``retries``: retry configuration, ``Retry-After`` parsing and backoff.
- ``transport``: ``ClientCore``, which sends requests (sync and async) with retries and timeouts.
- ``bodies``: reading response bodies into one buffer, decoded once; a large one goes to ``jsonstream``.
- ``jsonstream``: ``JsonReader``, parsing a large JSON answer while it arrives, holding its long strings once.
- ``clients``: ``aiohttp_client()``, the switch of the ``aiohttp`` extra (imports nothing of aiohttp itself).
- ``aiohttp_transport``: the client ``aiohttp_client()`` makes, on httpx-aiohttp's transport (needs the extra).
- ``validation``: client-side validation of requests and responses against the API's JSON Schema.
- ``reprs``: compact ``repr`` helpers that keep multi-megabyte base64 strings out of logs and tracebacks.
- ``images``: ``ImageMixin`` (``to_bytes()``, ``save()``) for generated image models.
- ``warn``: deprecation warnings attributed to the caller's line.

This file imports nothing, so importing one module does not load the others.
"""
