"""A modal's ``private_metadata`` sealed with the bot's own key, so Slack hands back only ours.

What a modal carries (the channel it was opened from, the connection, a staged import, a
queue) decides what its submission may do: the channel picks the connections it may use.
Slack returns ``private_metadata`` as the bot set it, but a request made by hand could
carry any; so every view that leaves the bot (``views.open``, ``views.update``,
``views.publish``, a ``response_action`` view) has its metadata sealed — an HMAC over the
view's ``callback_id`` and the JSON, with a key derived from the bot token, which every
replica has and no one else — and every request coming back is unsealed at the edge
(``bot.slack.payloads.PayloadReader``) before any listener reads it. Metadata that is
not sealed, sealed for another form, or altered is refused with a sentence, audited, and
nothing is done. The key lives in no database and needs no setting; a new bot token
makes the modals open at that moment ask to be opened again.

(The console shows its views in its own process: nothing there crosses a boundary.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

# Between the JSON and its seal; the seal itself is base64url, which has no "~".
MARK = "~"
_PURPOSE = b"callops private_metadata v1"


class Seal:
    """Seals and unseals ``private_metadata`` with a key derived from ``secret``."""

    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()

    def _mac(self, callback_id: str, meta: str) -> str:
        message = callback_id.encode() + b"\0" + meta.encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def view(self, view: dict[str, Any]) -> dict[str, Any]:
        """``view`` with its metadata sealed (a copy; one without metadata as it is)."""
        meta = view.get("private_metadata")
        if not isinstance(meta, str) or not meta:
            return view
        sealed = f"{meta}{MARK}{self._mac(str(view.get('callback_id') or ''), meta)}"
        return {**view, "private_metadata": sealed}

    def opened(self, view: dict[str, Any]) -> str | None:
        """The metadata of ``view`` as the bot made it; None when it is not the bot's seal."""
        raw = view.get("private_metadata")
        if raw is None or raw == "":
            return ""
        if not isinstance(raw, str) or MARK not in raw:
            return None
        meta, mac = raw.rsplit(MARK, 1)
        callback_id = view.get("callback_id")
        expected = self._mac(callback_id if isinstance(callback_id, str) else "", meta)
        genuine = hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace"))
        return meta if genuine else None

    def unseal(self, body: dict[str, Any]) -> bool:
        """Replace a request's sealed metadata by the bot's JSON; False when it is not sealed."""
        view = body.get("view")
        if not isinstance(view, dict):
            return True
        meta = self.opened(view)
        if meta is None:
            return False
        view["private_metadata"] = meta
        return True
