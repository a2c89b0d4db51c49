"""Benchmarks of orq-images against raw httpx and the official SDK (`make bench`, `python -m bench --help`).

Modules, one job each:

- `paths`: where the repo, the generated package and the interpreter are; the environment for child processes.
- `seed`: the seed call's exact arguments and the fixed answers the local server sends.
- `server`: the local HTTP/1.1 keep-alive server (run as its own process: `python -m bench.server`).
- `serverproc`: start and stop that server process.
- `clients`: the three clients under test (orq-images, raw httpx, the official SDK), sync and async.
- `stats`: medians and the result rows; `report`: the table printed at the end.
- `percall`, `concurrent`, `imports`, `memory` (with `memprobe`, the fresh-process probe), `pipeline`: the figures.
- `profiling`: pyinstrument profiles of the orq-images calls, written under `.bench/`.
"""
