"""Hand-written runtime support for the generated ``orq_images`` client.

The modules here are copied verbatim into ``orq_images/_runtime/`` by the generation pipeline:

- ``errors``: the exception hierarchy and the mapping of HTTP error responses to it.
- ``retries``: retry configuration and policy (what is certainly not sent), ``Retry-After`` parsing and backoff.
- ``transport``: ``ClientCore``, which sends requests (sync and async) with retries, within the call's deadline.
- ``deadline``: the time limit of a whole call, enforced on every socket read of the clients the SDK makes.
- ``options``: checks of the SDK's own options (``retries``, ``timeout_ms``, ``http_headers``...).
- ``redaction``: the API key kept out of errors, their chains and the DEBUG logs of httpcore2.
- ``bodies``: reading response bodies within bounds (size, decompression, error bodies), decoded once.
- ``validation``: client-side validation of requests and responses against the API's JSON Schema.
- ``reprs``: compact ``repr`` helpers that keep multi-megabyte base64 strings out of logs and tracebacks.
- ``images``: ``ImageMixin`` (``to_bytes()``, ``save()``) for generated image models.
- ``warn``: deprecation warnings attributed to the caller's line.

This file imports nothing, so importing one module does not load the others.
"""
