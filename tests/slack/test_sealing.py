"""``bot.slack.sealing``: what one replica seals, any replica with the same bot token opens;
nothing else opens."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.slack.sealing import Seal

META = json.dumps({"channel": "C0OPS", "connection": "alohub-main", "staged": "s1"})


def _view(meta: str = META, callback_id: str = "import_confirm") -> dict[str, str]:
    return {"type": "modal", "callback_id": callback_id, "private_metadata": meta}


def test_another_replica_with_the_same_token_opens_what_one_sealed() -> None:
    sealed = Seal("xoxb-same").view(_view())
    assert sealed["private_metadata"] != META
    body = {"type": "view_submission", "view": dict(sealed)}
    assert Seal("xoxb-same").unseal(body)
    assert body["view"]["private_metadata"] == META


@pytest.mark.parametrize(
    "tamper",
    [
        lambda raw: raw.replace("C0OPS", "C0AICC"),  # another channel
        lambda raw: raw.replace("alohub-main", "aicc"),  # another connection
        lambda raw: raw.split("~")[0],  # the seal removed
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),  # the seal altered
        lambda raw: raw + "~x",  # a second mark
    ],
)
def test_altered_metadata_does_not_open(tamper: Callable[[str], str]) -> None:
    sealed = Seal("xoxb-same").view(_view())
    view = {**sealed, "private_metadata": tamper(sealed["private_metadata"])}
    assert Seal("xoxb-same").opened(view) is None


def test_a_seal_opens_only_for_its_form_and_its_token() -> None:
    sealed = Seal("xoxb-same").view(_view(callback_id="import_submit"))
    assert Seal("xoxb-same").opened({**sealed, "callback_id": "queue_edit"}) is None
    assert Seal("xoxb-other").opened(sealed) is None


def test_a_view_without_metadata_is_left_as_it_is() -> None:
    view = {"type": "home", "blocks": []}
    assert Seal("t").view(view) is view
    assert Seal("t").unseal({"type": "view_submission", "view": {"private_metadata": ""}})
    assert Seal("t").unseal({"type": "block_actions"})  # a message button: no view
