"""Hand-written runtime support for the generated ``orq_images`` client.

The modules here are copied verbatim into ``orq_images/_runtime/`` by the generation pipeline:

- ``errors``: the exception hierarchy and the mapping of HTTP error responses to it.
- ``retries``: retry configuration, ``Retry-After`` parsing and backoff.
- ``transport``: ``ClientCore``, which sends requests (sync and async) with retries and timeouts.
- ``bodies``: reading response bodies into one buffer, decoded once (a large answer is held at most twice).
- ``jsonstream``: parsing a large answer while it arrives, long strings built in place (or diverted to files).
- ``validation``: client-side validation of requests and responses against the API's JSON Schema.
- ``reprs``: compact ``repr`` helpers that keep multi-megabyte base64 strings out of logs and tracebacks.
- ``images``: ``ImageMixin`` (``to_bytes()``, ``save()``) for generated image models.
- ``warn``: deprecation warnings attributed to the caller's line, and their one wording.
- ``unset``: ``UNSET``, the "not given" marker, and ``without_unset`` (a request body from a call's arguments).
- ``uploads``: file arguments (paths, bytes, file objects, dicts, tuples): checked before sending, read in pieces.
- ``multipart``: ``multipart/form-data`` bodies as the API's ``encoding`` says, re-read for each attempt.

This file imports nothing, so importing one module does not load the others.
"""
