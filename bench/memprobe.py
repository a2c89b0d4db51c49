"""Probe, run in a fresh process per measurement: the peak resident memory one 20 MiB b64_json call adds.

    python -m bench.memprobe VARIANT SERVER_URL [--file PATH]

VARIANT is `orq`, `orq-save`, `orq-save-to`, `raw` (httpx2), `raw-save`, `raw-httpx` (httpx 0.28) or `official`.
The probe makes one small warm-up call
on the same client (imports, lazy schema loading and the connection are then done), resets the peak (`5` into
/proc/self/clear_refs), makes the large call (`*-save`: then writes the decoded image to `--file`; `orq-save-to`:
`create(..., save_to=file)`, the image written while the answer arrives), and reads VmHWM. Then it drops the
result and reads VmRSS without and with `gc.collect()`, then after glibc's `malloc_trim(0)` (memory the allocator
kept), and (for models) whether a weak reference to the result died without the collector,
i.e. no reference cycle keeps it alive.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import re
import sys
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .seed import API_KEY, LARGE_B64_CHARS, LARGE_PREFIX, OPERATION_PATH, seed_kwargs

VARIANTS = ("orq", "orq-save", "orq-save-to", "raw", "raw-save", "raw-httpx", "official")


def _status_kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    assert match, field
    return int(match[1])


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")


def _malloc_trim() -> bool:
    """Ask glibc to give free heap memory back to the system (it keeps large freed blocks after its mmap
    threshold has grown); tells RSS kept by the allocator apart from RSS kept by live objects."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    libc.malloc_trim(0)
    return True


def _payload_chars(result: Any, file: Path | None) -> int:
    """The length of the b64_json the call received (for save_to=: of the file it wrote, in base64 characters)."""
    if isinstance(result, dict):
        return len(result["data"][0]["b64_json"])
    item = result.data[0]
    if getattr(item, "saved_to", None) is not None:  # orq-images with save_to=
        assert file is not None and item.saved_to == file, item.saved_to
        return len(base64.b64encode(file.read_bytes()))
    return len(item.b64_json)


def _large_call(variant: str, small_url: str, file: Path | None) -> Callable[[], Any]:
    """Build the client, make the warm-up call, return the measured call."""
    large_url = small_url + LARGE_PREFIX
    args = seed_kwargs()
    if variant.startswith("orq"):
        from orq_images import Orq

        orq = Orq(api_key=API_KEY, server_url=large_url)
        create = orq.router.images.generations.create
        create(**args, server_url=small_url)
        if variant == "orq":
            return lambda: create(**args)
        if variant == "orq-save-to":
            return lambda: create(**args, save_to=file)

        def orq_save() -> Any:
            res = create(**args)
            assert file is not None
            res.data[0].save(file)
            return res

        return orq_save
    if variant.startswith("raw"):
        import importlib

        client = importlib.import_module("httpx" if variant == "raw-httpx" else "httpx2").Client()
        headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

        def post(base: str) -> Any:
            response = client.post(base + OPERATION_PATH, content=json.dumps(args).encode(), headers=headers)
            assert response.status_code == 200, response.status_code
            return json.loads(response.content)

        post(small_url)
        if variant in ("raw", "raw-httpx"):
            return lambda: post(large_url)

        def raw_save() -> Any:
            data = post(large_url)
            assert file is not None
            file.write_bytes(base64.b64decode(data["data"][0]["b64_json"]))
            return data

        return raw_save
    if variant == "official":
        from orq_ai_sdk import Orq as OfficialOrq

        sdk = OfficialOrq(api_key=API_KEY, server_url=large_url)
        official_create = sdk.router.images.generations.create
        official_create(**args, server_url=small_url)
        return lambda: official_create(**args)
    raise SystemExit(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")


def probe(variant: str, small_url: str, file: Path | None) -> dict[str, Any]:
    call = _large_call(variant, small_url, file)
    gc.collect()
    rss_before = _status_kib("VmRSS")
    _reset_peak()
    hwm_before = _status_kib("VmHWM")
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    hwm_after = _status_kib("VmHWM")
    rss_with_result = _status_kib("VmRSS")
    payload = _payload_chars(result, file)
    assert payload == LARGE_B64_CHARS, payload

    gc.disable()
    try:
        ref: weakref.ref[Any] | None = weakref.ref(result)
    except TypeError:  # a plain dict (raw httpx2) cannot be weakly referenced
        ref = None
    del result
    rss_after_del = _status_kib("VmRSS")
    alive_after_del = None if ref is None else ref() is not None
    gc.enable()
    gc.collect()
    rss_after_gc = _status_kib("VmRSS")
    alive_after_gc = None if ref is None else ref() is not None
    rss_after_trim = rss_after_gc if not _malloc_trim() else _status_kib("VmRSS")
    return {
        "variant": variant,
        "payload_bytes": payload,
        "seconds": seconds,
        "peak_added_kib": hwm_after - hwm_before,
        "rss_before_kib": rss_before,
        "rss_with_result_added_kib": rss_with_result - rss_before,
        "rss_after_del_added_kib": rss_after_del - rss_before,
        "rss_after_gc_added_kib": rss_after_gc - rss_before,
        "rss_after_trim_added_kib": rss_after_trim - rss_before,
        "alive_after_del": alive_after_del,
        "alive_after_gc": alive_after_gc,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memprobe", description=__doc__)
    parser.add_argument("variant", choices=VARIANTS)
    parser.add_argument("server_url")
    parser.add_argument("--file", type=Path, default=None, help="where *-save variants write the image")
    args = parser.parse_args()
    try:
        result = probe(args.variant, args.server_url, args.file)
    except Exception as exc:
        result = {"variant": args.variant, "error": f"{type(exc).__name__}: {exc}"[:300]}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
