"""Reading a ``multipart/form-data`` body back into its parts, to check what the client sent.

The standard library's MIME parser (``email``) does the parsing: it is independent of the client's encoder and
needs no extra dependency. ``parse_form`` also checks the framing the parser forgives (CRLF line ends, the
closing delimiter), so a sloppy body fails here.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
from dataclasses import dataclass

__all__ = ["FormPart", "parse_form"]

_BOUNDARY = re.compile(r"^multipart/form-data; boundary=([0-9a-f]{32})$")


@dataclass(frozen=True)
class FormPart:
    name: str
    filename: str | None
    content_type: str | None
    headers: tuple[tuple[str, str], ...]
    body: bytes


def parse_form(content_type: str, body: bytes) -> list[FormPart]:
    """The parts of ``body``, in order. ``content_type`` must carry a 32-hex-digit boundary, as orq-ai-sdk sends."""
    match = _BOUNDARY.match(content_type)
    assert match, content_type
    boundary = match.group(1).encode()
    assert body.startswith(b"--" + boundary + b"\r\n"), body[:80]
    assert body.endswith(b"\r\n--" + boundary + b"--\r\n"), body[-80:]
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        disposition = part.get("Content-Disposition")
        assert disposition is not None and disposition.startswith("form-data;"), disposition
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append(
            FormPart(
                name=str(part.get_param("name", header="content-disposition")),
                filename=part.get_filename(),
                content_type=part.get("Content-Type"),
                headers=tuple((key, str(value)) for key, value in part.items()),
                body=payload,
            )
        )
    return parts
