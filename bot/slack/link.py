"""The link between the front door and the bot process: framed messages on a stream socket.

A frame is a JSON object (the metadata) and a body of bytes, each preceded by its length:

    !II  metadata length, body length
    ...  metadata (UTF-8 JSON object)
    ...  body

The front door sends ``hello`` back once it serves, then one frame per Slack request
(``id``, ``answer``, ``headers``; the body is Slack's, byte for byte) and one per health
check (``id``, ``health``). The bot sends the signing secret first, then a frame (``id``,
``status``, ``headers``) for each request or check the front door waits on. Standard
library only: the front door imports this and little else.
"""

from __future__ import annotations

import asyncio
import json
import struct
from typing import Any

_LENGTHS = struct.Struct("!II")

# Slack's largest request (a modal submission with every block) is far below this.
MAX_FRAME = 4 * 1024 * 1024


class LinkError(Exception):
    """The other side sent something that is not a frame."""


def encode(meta: dict[str, Any], body: bytes = b"") -> bytes:
    """One frame, ready to write."""
    head = json.dumps(meta, separators=(",", ":")).encode()
    return _LENGTHS.pack(len(head), len(body)) + head + body


async def read_frame(reader: asyncio.StreamReader) -> tuple[dict[str, Any], bytes] | None:
    """The next frame, or None when the other side closed the link between frames."""
    try:
        lengths = await reader.readexactly(_LENGTHS.size)
    except asyncio.IncompleteReadError as error:
        if error.partial:
            raise LinkError("the link closed in the middle of a frame") from error
        return None
    head_size, body_size = _LENGTHS.unpack(lengths)
    if head_size + body_size > MAX_FRAME:
        raise LinkError(f"a frame of {head_size + body_size} bytes is over the limit")
    try:
        head = await reader.readexactly(head_size)
        body = await reader.readexactly(body_size)
    except asyncio.IncompleteReadError as error:
        raise LinkError("the link closed in the middle of a frame") from error
    try:
        meta = json.loads(head)
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise LinkError(f"a frame's metadata is not JSON: {error}") from error
    if not isinstance(meta, dict):
        raise LinkError("a frame's metadata is not an object")
    return meta, body


class FrameWriter:
    """Writes frames, all those queued in one turn of the event loop in a single write.

    In a burst the front door hands dozens of requests over per turn of its loop; one
    system call for them all instead of one each (a send on loopback costs ~0.1 ms here,
    a third of an ack).
    """

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        # ``send`` returns only once nothing is left in this process's buffer: what was
        # sent is in the kernel and reaches the other side even if this process dies next.
        writer.transport.set_write_buffer_limits(high=0)
        self._queued: list[bytes] = []
        self._written: asyncio.Future[None] | None = None

    async def send(self, meta: dict[str, Any], body: bytes = b"") -> None:
        """Queue a frame; returns once the kernel has it."""
        self._queued.append(encode(meta, body))
        if self._written is None:
            loop = asyncio.get_running_loop()
            self._written = loop.create_future()
            loop.call_soon(self._write)
        # Shared by the turn's senders: one cancelled sender must not cancel it for all.
        await asyncio.shield(self._written)
        await self._writer.drain()

    def _write(self) -> None:
        data = b"".join(self._queued)
        self._queued.clear()
        written, self._written = self._written, None
        assert written is not None
        if self._writer.is_closing():
            written.set_exception(ConnectionResetError("the link is closed"))
            written.exception()  # retrieved here; each sender gets it from its await
            return
        self._writer.write(data)
        written.set_result(None)

    def close(self) -> None:
        """Close the underlying stream."""
        self._writer.close()
