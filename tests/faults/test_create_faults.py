"""A 5xx on a command that creates something: the provider may have added it (issue 13).

A POST the provider does not deduplicate is never repeated by the transport; the operator
must not be told "try again" either, or following the advice may add the contact twice.
The sentence says the provider may have added it and how to check first: the provider's
lookup where callops has one (OMICall ``/contact find``, Alohub ``/contact list``), else its
dashboard. A read that fails the same way keeps "try again": repeating it changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.faults.conftest import queue_list_answers, reply_words
from tests.jobs.e2e import running_bot
from tests.jobs.providers import at_provider


class FailingPosts:
    """Stands in for a fault switch's ``rng``: a system error for every POST, none for a read.

    The sandbox records a request before it rolls its fault, so the last recorded request
    is the one being answered."""

    def __init__(self, sandbox: Any, provider: str) -> None:
        self.sandbox, self.provider = sandbox, provider

    def random(self) -> float:
        return 0.0 if self.sandbox.requests(self.provider)[-1].method == "POST" else 1.0


def posts(sandbox: Any, provider: str) -> list[Any]:
    return [r for r in sandbox.requests(provider) if r.method == "POST"]


@pytest.mark.parametrize(
    ("connection", "provider", "add", "check"),
    [
        ("vbee", "vbee", "campaign=vbee-cmp-1", "check in its dashboard before sending it again"),
        ("aicc", "aicallcenter", "campaign=cmp-hn-01", "check in its dashboard before sending"),
        (
            "crm",
            "omicall",
            "",
            "look it up with `/contact find &lt;phone&gt; via=crm` before sending",
        ),
        (
            "alohub-main",
            "alohub",
            "campaign=103",
            "look in the list with `/contact list campaign=&lt;id&gt; list=&lt;listId&gt; "
            "via=alohub-main`",
        ),
    ],
)
async def test_a_5xx_on_contact_add_says_it_may_have_been_added_and_how_to_check(
    sandbox: Any, tmp_path: Path, connection: str, provider: str, add: str, check: str
):
    faults = sandbox.faults(provider)
    faults.error_ratio, faults.rng = 1.0, FailingPosts(sandbox, provider)
    async with running_bot(sandbox, tmp_path) as h:
        reply = await h.reply("/contact", f"add 0912000333 Lan {add} via={connection}".strip())
        words = reply_words(reply)
        assert f"`{connection}` had a failure on its side" in words, words
        assert "It may have added it all the same" in words, words
        assert check in words, words
        assert "try again" not in words and "Nothing was lost" not in words, words
        assert len(posts(sandbox, provider)) == 1, "a create that may have acted is not repeated"
        await queue_list_answers(h)


async def test_a_5xx_on_contact_add_in_vietnamese_says_the_same(sandbox: Any, tmp_path: Path):
    sandbox.faults("omicall").error_ratio = 1.0
    sandbox.faults("omicall").rng = FailingPosts(sandbox, "omicall")
    async with running_bot(sandbox, tmp_path, language="vi") as h:
        words = reply_words(await h.reply("/contact", "add 0912000333 Lan via=crm"))
        assert "Có thể nhà cung cấp vẫn đã thêm" in words, words
        assert "`/contact find &lt;số&gt; via=crm` trước khi gửi lại" in words, words
        assert "thử lại" not in words, words


async def test_a_5xx_on_a_read_keeps_try_again(sandbox: Any, tmp_path: Path):
    sandbox.faults("omicall").error_ratio = 1.0  # reads too: they are retried, then given up
    async with running_bot(sandbox, tmp_path) as h:
        words = reply_words(await h.reply("/contact", "find 0912000333 via=crm"))
        assert "`crm` had a failure on its side" in words, words
        assert "try again in a few minutes" in words, words
        assert "may have added" not in words, words
        assert at_provider(sandbox, "crm")["0912000333"] == 0
