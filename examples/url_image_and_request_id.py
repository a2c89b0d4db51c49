"""Ask for an image as a URL, read the answer's request id, and download the image to a file.

    python -m orq_images.testing serve                    # in one shell: a local stand-in, no account needed
    ORQ_API_KEY=test ORQ_SERVER_URL=http://127.0.0.1:4010 python examples/url_image_and_request_id.py fox.png

Without ORQ_SERVER_URL the call goes to the orq.ai router, with your ORQ_API_KEY. Image URLs expire (about an hour
for the provider's links): download soon.
"""

from __future__ import annotations

import sys

from orq_images import Orq


def main(path: str = "fox.png") -> None:
    with Orq() as orq:  # reads ORQ_API_KEY (and ORQ_SERVER_URL when set)
        raw = orq.router.images.generations.with_raw_response.create(
            prompt="a red fox in the snow, watercolour",
            model="openai/dall-e-2",
            response_format="url",
        )
        print(f"HTTP {raw.status_code}, request id {raw.request_id}, {raw.elapsed.total_seconds():.3f} s")
        image = raw.parse().data[0]
        saved = image.save(path)  # downloads the URL (without the API key) into the file
    print(f"saved {saved} ({saved.stat().st_size} bytes)")


if __name__ == "__main__":
    main(*sys.argv[1:2])
