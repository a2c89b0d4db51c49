"""Generate many images concurrently, each written straight to a file, with a bounded number of calls in flight.

    ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010 python examples/concurrent_batch.py out/ 12

`save_to=` writes each image to its file while the answer arrives (it is never held in memory), and the
semaphore keeps at most IN_FLIGHT calls open at once: the router and your rate limit see a steady load instead
of a burst. A failed prompt is reported and the others go on.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from orq_images import Orq, OrqError

IN_FLIGHT = 4
PROMPTS = ["a red fox", "a snowy owl", "a lighthouse at dusk", "a bowl of ramen", "a paper boat", "a cactus"]


async def generate(orq: Orq, limit: asyncio.Semaphore, prompt: str, path: Path) -> Path | None:
    async with limit:
        try:
            res = await orq.router.images.generations.create_async(
                prompt=prompt, model="openai/gpt-image-1", save_to=path
            )
        except OrqError as exc:
            print(f"failed: {prompt!r}: {exc}", file=sys.stderr)
            return None
    return res.data[0].saved_to


async def main(out_dir: str = "out", count: str = "6") -> None:
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    limit = asyncio.Semaphore(IN_FLIGHT)
    prompts = [PROMPTS[i % len(PROMPTS)] for i in range(int(count))]
    async with Orq() as orq:
        saved = await asyncio.gather(
            *(generate(orq, limit, prompt, directory / f"image-{i:03}.png") for i, prompt in enumerate(prompts))
        )
    done = [path for path in saved if path is not None]
    print(f"saved {len(done)} of {len(prompts)} images in {directory}/")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:3]))
