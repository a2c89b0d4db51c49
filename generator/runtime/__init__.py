"""Hand-written runtime support for the generated ``orq_images`` client.

The modules here are copied verbatim into ``orq_images/_runtime/`` by the generation pipeline:

- ``errors``: the exception hierarchy and the mapping of HTTP error responses to it.
- ``retries``: retry configuration, ``Retry-After`` parsing and backoff.
- ``transport``: ``ClientCore``, which sends requests (sync and async) with retries and timeouts.
- ``bodies``: reading response bodies into one buffer, decoded once (a large answer is held at most twice).
- ``validation``: client-side validation of requests and responses against the API's JSON Schema.
- ``reprs``: compact ``repr`` helpers that keep multi-megabyte base64 strings out of logs and tracebacks.
- ``images``: ``ImageMixin`` (``to_bytes()``, ``save()``) for generated image models.
- ``warn``: deprecation warnings attributed to the caller's line.
- ``batch``: the batch engine behind ``batch()`` / ``batch_async()``, its outcome records and exceptions.
- ``batchitems``: a batch's items: their keywords checked, where their images go (``save_to``).
- ``pacing``: the gate a batch's attempts pass (AIMD on 429/503, a shared Retry-After) and the transport's hook.
- ``progress``: progress snapshots of a batch and the one-line display on a terminal.

This file imports nothing, so importing one module does not load the others.
"""
