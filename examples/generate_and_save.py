"""Generate an image and save it to a file.

    python -m orq_images.testing serve                    # in one shell: a local stand-in, no account needed
    ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010 python examples/generate_and_save.py fox.png

Without ORQ_SERVER_URL the call goes to the orq.ai router, with your ORQ_API_KEY.
"""

from __future__ import annotations

import sys

from orq_images import Orq


def main(path: str = "fox.png") -> None:
    with Orq() as orq:  # reads ORQ_API_KEY (and ORQ_SERVER_URL when set)
        res = orq.router.images.generations.create(
            prompt="a red fox in the snow, watercolour",
            model="openai/gpt-image-1",
            size="1024x1024",
        )
    saved = res.data[0].save(path)  # decodes the base64 image into the file
    print(f"saved {saved} ({saved.stat().st_size} bytes)")


if __name__ == "__main__":
    main(*sys.argv[1:2])
