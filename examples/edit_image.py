"""Edit an existing image: upload it with a prompt, save the result.

    ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010 python examples/edit_image.py fox.png fox-hat.png

`image=` takes the path of the image to edit.
"""

from __future__ import annotations

import sys

from orq_images import Orq


def main(source: str = "fox.png", target: str = "fox-hat.png") -> None:
    with Orq() as orq:
        res = orq.router.images.edits.create(
            image=source,
            prompt="give the fox a red woollen hat",
            model="openai/gpt-image-1",
        )
    saved = res.data[0].save(target)
    print(f"saved {saved} ({saved.stat().st_size} bytes)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
