"""Hand-written runtime support for the generated ``orq_images`` client.

The modules here are copied verbatim into ``orq_images/_runtime/`` by the generation pipeline:

- ``errors``: the exception hierarchy and the mapping of HTTP error responses to it.
- ``error_detail``: ``ErrorDetail``, the parsed ``error`` object of an error body (loaded with the first one).
- ``retries``: retry configuration and policy (what is certainly not sent), ``Retry-After`` parsing and backoff.
- ``transport``: ``ClientCore``, which sends requests (sync and async) with retries, within the call's deadline.
- ``pool``: the connection pool of the async client the SDK makes (HTTP/1.1 on h11 over ``netio``).
- ``netio``: the pool's network I/O on asyncio's transports (an httpcore2 network backend).
- ``deadline``: the time limit of a whole call, enforced on every socket read of the clients the SDK makes.
- ``options``: checks of the SDK's own options (``retries``, ``timeout_ms``, ``http_headers``...).
- ``redaction``: the API key kept out of errors, their chains and the DEBUG logs of httpcore2.
- ``logmask``: the logging filter masking the keys sent lately (apart: the loggers keep it until exit).
- ``forks``: work a forked child does first, registered without keeping any module alive until exit.
- ``bodies``: reading response bodies within bounds (size, decompression, error bodies), decoded once.
- ``jsonstream``: parsing a large answer while it arrives, long strings built in place (or diverted to files).
- ``clients``: ``aiohttp_client()``, the switch of the ``aiohttp`` extra (imports nothing of aiohttp itself).
- ``aiohttp_transport``: the client ``aiohttp_client()`` makes, on httpx-aiohttp's transport (needs the extra).
- ``validation``: client-side validation of requests and responses against the API's JSON Schema (``Validator``).
- ``schema_plans``: a schema compiled once into the plan the validator walks (and its numeric bounds).
- ``schema_text``: the English of a validation failure: paths, counts, choices (the parameter reference's too).
- ``reprs``: compact ``repr`` helpers that keep multi-megabyte base64 strings out of logs and tracebacks.
- ``images``: ``ImageMixin`` (``to_bytes()``, ``save()``) for generated image models.
- ``warn``: deprecation warnings attributed to the caller's line, and their one wording.
- ``logs``: the ``ORQ_LOG`` switch and the per-attempt log lines (never a header, so never the key).
- ``testing``, ``fake_router``, ``standin``, ``pngs``: the public ``orq_images.testing`` helpers (an in-process fake
  router, valid answers with real PNGs, the local stand-in server), imported only by ``orq_images.testing``.
- ``cli``, ``cli_options``, ``cli_progress``, ``cli_batch``: the ``orq-images`` command line (loaded only by
  ``__main__``): the parser and the call, the flag rules derived from a request schema, the progress line, and the
  batches of ``--from``.
- ``unset``: ``UNSET``, the "not given" marker, ``DEFAULT`` ("the client's setting"), and ``without_unset`` (a
  request body from a call's arguments).
- ``uploads``: file arguments (paths, bytes, file objects, dicts, tuples): checked before sending, read in pieces.
- ``multipart``: ``multipart/form-data`` bodies as the API's ``encoding`` says, re-read for each attempt.
- ``batch``: the batch engine behind ``batch()`` / ``batch_async()``, its outcome records and exceptions.
- ``batchitems``: a batch's items: their keywords checked, where their images go (``save_to``).
- ``pacing``: the gate a batch's attempts pass (AIMD on 429/503, a shared Retry-After) and the transport's hook.
- ``progress``: progress snapshots of a batch and the one-line display on a terminal.

This file imports nothing, so importing one module does not load the others.
"""
