"""Sentences that say what to do: refusals, outages, ids, numbers and dates, in both languages.

Signed HTTP against the sandbox (a bot in English and one in Vietnamese); every test asserts
the words the operator reads.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest

from bot.config import Environment
from bot.slack.bot import Bot
from tests.harness.fake_slack import FakeSlack
from tests.harness.signing import SlackClient
from tests.slack.conftest import OPS_CHANNEL, SIGNING_SECRET, Harness, bot_config

VBEE_FIRST = "C0VBEE"  # a channel whose default connection (Vbee) cannot answer /calls


def shown(reply: dict[str, Any]) -> str:
    """Everything the operator reads in a reply: its text and every text of its blocks."""
    parts = [reply.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            text = node.get("text")
            if isinstance(text, str):
                parts.append(text)
            for value in node.values():
                if not isinstance(value, str):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(reply.get("blocks") or [])
    return "\n".join(parts)


@asynccontextmanager
async def bot_in(sandbox: Any, tmp_path: Any, **overrides: Any) -> AsyncIterator[Harness]:
    """A bot on the sandbox with config ``overrides`` (language, channels …)."""
    connections = list(sandbox.connections())
    channels = {OPS_CHANNEL: connections, VBEE_FIRST: ["vbee", "aicc"]}
    config = bot_config(sandbox, tmp_path, channels=channels, **overrides)
    async with FakeSlack() as fake:
        env = Environment(
            slack_bot_token=fake.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.api_url,
        )
        bot = Bot(config, env)
        port = await bot.start_http("127.0.0.1", 0)
        try:
            async with SlackClient(
                f"http://127.0.0.1:{port}", SIGNING_SECRET, response_url_factory=fake.response_url
            ) as client:
                yield Harness(client, fake, sandbox, bot)
        finally:
            await bot.services.drain()
            await bot.stop()


@pytest.fixture(params=["en", "vi"])
async def any_language(request: Any, sandbox: Any, tmp_path: Any) -> AsyncIterator[Harness]:
    """The bot in English, then in Vietnamese."""
    async with bot_in(sandbox, tmp_path, language=request.param) as harness:
        yield harness


@pytest.fixture
async def vi(sandbox: Any, tmp_path: Any) -> AsyncIterator[Harness]:
    """The bot in Vietnamese."""
    async with bot_in(sandbox, tmp_path, language="vi") as harness:
        yield harness


@pytest.fixture
async def en(sandbox: Any, tmp_path: Any) -> AsyncIterator[Harness]:
    """The bot in English, with a channel whose default connection is Vbee."""
    async with bot_in(sandbox, tmp_path, language="en") as harness:
        yield harness


def language(harness: Harness) -> str:
    return harness.bot.services.config.language


def by_language(harness: Harness, en: str, vi: str) -> str:
    return vi if language(harness) == "vi" else en


# -- ids, raw values, numbers and dates ------------------------------------------------


async def test_queue_list_sets_the_id_apart_from_a_name_ending_in_a_number(vi: Harness):
    state = vi.sandbox.alohub
    queue = next(q for q in state.queues.values() if q.tenant_id == state.tenant_id)
    assert queue.callinName[-1].isdigit()  # "Bán hàng 1": the id must not run into it
    text = shown(await vi.reply("/queue", "list"))
    assert f"*{queue.callinName}* · #{queue.callinId} · " in text, text


@pytest.mark.parametrize(
    ("selector", "en_words", "vi_words"),
    [
        ("roundrobin", "agents in turn, one after another", "lần lượt từng nhân viên"),
        ("ringall", "ring every free agent at once", "đổ chuông đồng thời mọi nhân viên rảnh"),
        (1, "a setting of the Alohub dashboard", "thiết lập trên trang quản trị Alohub"),
    ],
)
async def test_queue_show_explains_the_agent_selection_in_words(
    any_language: Harness, selector: Any, en_words: str, vi_words: str
):
    harness = any_language
    state = harness.sandbox.alohub
    queue = next(q for q in state.queues.values() if q.tenant_id == state.tenant_id)
    queue.agentSelector = selector
    text = shown(await harness.reply("/queue", f"show {queue.callinId}"))
    assert by_language(harness, en_words, vi_words) in text, text


async def test_calls_numbers_and_dates_follow_vietnamese(vi: Harness):
    text = shown(await vi.reply("/calls", "7d"))
    today = vi.bot.services.now().astimezone(vi.bot.services.config.tz).date()
    first, before = today - timedelta(days=6), today - timedelta(days=7)
    assert f"Cuộc gọi {first:%d/%m/%Y} – {today:%d/%m/%Y}: tổng " in text, text
    assert f"so với {first - timedelta(days=7):%d/%m/%Y} – {before:%d/%m/%Y}" in text, text
    assert re.search(r"tổng \d{1,3}(\.\d{3})+, \d{1,3}(\.\d{3})* nghe máy \(\d+,\d%\)", text), text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text  # no ISO date left


# -- /calls from another connection than the channel's default ---------------------------


async def test_calls_says_why_it_answers_from_another_connection_than_the_default(en: Harness):
    text = shown(await en.reply("/calls", "today", channel=VBEE_FIRST))
    assert (
        "This channel's default connection `vbee` (vbee) cannot answer `/calls`, so this is "
        "from `aicc`, the first connection here that can show call statistics."
    ) in text, text


async def test_calls_on_a_channel_whose_default_shows_progress_says_how_to_see_it(vi: Harness):
    text = shown(await vi.reply("/calls", "today"))
    assert "Thống kê cuộc gọi lấy từ `aicc`" in text, text
    assert "`/calls via=alohub-main campaign=" in text, text


async def test_calls_with_via_needs_no_explanation(en: Harness):
    text = shown(await en.reply("/calls", "today via=aicc", channel=VBEE_FIRST))
    assert "default connection" not in text and "Call statistics come from" not in text


Check = Callable[[Harness], Any]
# -- provider refusals that waiting will not fix ----------------------------------------


def _aicc_campaign(harness: Harness, **wanted: Any) -> str:
    campaigns = harness.sandbox.aicallcenter.campaigns.values()
    found = next(c for c in campaigns if all(getattr(c, k) == v for k, v in wanted.items()))
    return str(found.campaign_id)


def _vbee_without_balance(harness: Harness) -> str:
    return next(c.campaign_id for c in harness.sandbox.vbee.campaigns.values() if not c.has_balance)


PERMANENT: list[tuple[Check, str, str]] = [
    (
        lambda h: f"add 0912345678 campaign={_aicc_campaign(h, running=False)} via=aicc",
        "`aicc` refused: the campaign is stopped, and a stopped campaign takes no contacts. "
        "The provider said: “The campaign stopped. Can not import data”. Nothing was added. "
        "Start the campaign again in the AICallCenter dashboard",
        "`aicc` từ chối: chiến dịch đang dừng, mà chiến dịch đang dừng thì không nhận liên hệ. "
        "Nhà cung cấp báo: “The campaign stopped. Can not import data”. Chưa thêm gì. Hãy bật "
        "lại chiến dịch trên trang quản trị AICallCenter",
    ),
    (
        lambda h: f"add 0912345678 campaign={_aicc_campaign(h, ours=False)} via=aicc",
        "`aicc` has no campaign with that id in this account (it does not exist or belongs to "
        "another account).",
        "`aicc` không có chiến dịch nào mang mã này trong tài khoản",
    ),
    (
        lambda h: f"add 0912345678 campaign={_vbee_without_balance(h)} via=vbee",
        "an admin can check the balance and top it up in the Vbee dashboard",
        "quản trị viên hãy kiểm tra và nạp thêm số dư trên trang quản trị Vbee",
    ),
]


@pytest.mark.parametrize(("command", "en_words", "vi_words"), PERMANENT)
async def test_a_permanent_refusal_says_what_to_do_not_to_wait(
    any_language: Harness, command: Check, en_words: str, vi_words: str
):
    harness = any_language
    text = shown(await harness.reply("/contact", command(harness)))
    assert by_language(harness, en_words, vi_words) in text, text
    for temporary in ("right now", "try again later", "hiện không thể", "thử lại sau"):
        assert temporary not in text.lower(), text


async def test_a_note_for_a_phone_without_contact_does_not_ask_to_check_an_id(
    any_language: Harness,
):
    harness = any_language
    before = len(harness.sandbox.requests("omicall"))
    text = shown(await harness.reply("/contact", "note 0912000111 gọi lại sau via=crm"))
    assert len(harness.sandbox.requests("omicall")) == before + 1  # one add-note, refused
    assert (
        by_language(
            harness,
            "`crm` has no contact with that phone number.",
            "`crm` không có khách hàng nào có số điện thoại này.",
        )
        in text
    ), text
    assert "/contact add " in text
    assert "id" not in text.replace("via=", "").lower().split(), text
    assert "Check the id" not in text and "kiểm tra lại mã" not in text, text


async def test_an_unreachable_provider_is_named_with_how_long_the_bot_tried(
    sandbox: Any, tmp_path: Any
):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    connections = sandbox.connections()
    connections["vbee"]["base_url"] = f"http://127.0.0.1:{port}/vbee"
    campaign = next(iter(sandbox.vbee.campaigns))
    for lang, words in (
        ("en", r"I could not reach `vbee` \(I tried 4 times over \d+(\.\d)? s\); nothing was sent"),
        ("vi", r"Không kết nối được tới `vbee` \(đã thử 4 lần trong \d+(,\d)? giây\); chưa gửi gì"),
    ):
        (tmp_path / lang).mkdir()
        async with bot_in(
            sandbox, tmp_path / lang, language=lang, connections=connections
        ) as harness:
            text = shown(
                await harness.reply("/contact", f"add 0912345678 campaign={campaign} via=vbee")
            )
            assert re.search(words, text), text
            assert "callops check" in text and "base_url" in text, text


# -- campaign ids the operator can find ----------------------------------------------------


async def test_campaigns_used_here_are_offered_in_help_and_both_modals(any_language: Harness):
    harness = any_language
    running = _aicc_campaign(harness, running=True, otp=False, ours=True)
    stopped = _aicc_campaign(harness, running=False)
    vbee = next(iter(harness.sandbox.vbee.campaigns))

    text = shown(await harness.reply("/callops"))
    assert (
        by_language(harness, "No campaign used here yet.", "Kênh này chưa dùng chiến dịch nào.")
        in text
    ), text

    await harness.reply("/contact", f"add 0912345678 campaign={running} via=aicc")
    await harness.reply("/contact", f"add 0912345679 campaign={vbee} via=vbee")
    await harness.reply("/contact", f"add 0912345670 campaign={stopped} via=aicc")  # refused

    text = shown(await harness.reply("/callops"))
    used = f"`{vbee}` (vbee), `{running}` (aicc)"
    assert (
        by_language(
            harness,
            f"Campaign ids used here lately: {used}.",
            f"Mã chiến dịch kênh này dùng gần đây: {used}.",
        )
        in text
    ), text
    assert f"`{stopped}`" not in text  # a campaign the provider refused is not offered

    for command, callback in (("/contact", "contact_add"), ("/import", "import_submit")):
        ack = await harness.command(command, "add" if command == "/contact" else "")
        assert ack.status == 200
        opened = await harness.fake.wait_for(
            "views.open", predicate=lambda c, cb=callback: c.args["view"]["callback_id"] == cb
        )
        field = next(b for b in opened.args["view"]["blocks"] if b.get("block_id") == "campaign")
        hint = field["hint"]["text"]
        assert by_language(harness, "Used here lately: ", "Kênh này dùng gần đây: ") in hint
        assert f"{running} (aicc)" in hint and str(stopped) not in hint.split(":", 1)[-1], hint


async def test_the_campaign_of_an_import_job_is_offered_in_help(sandbox: Any, tmp_path: Any):
    from tests.jobs.data import contact_list
    from tests.jobs.e2e import confirm, finished_job, import_file, running_bot

    content, _ = contact_list(5, seed=4, bad=())
    async with running_bot(sandbox, tmp_path) as h:
        view = await import_file(h, "alohub-main", content, "khach.csv")
        await confirm(h, view)
        job = await finished_job(h)
        text = shown(await h.reply("/callops"))
        assert f"Campaign ids used here lately: `{job.campaign}` (alohub-main)." in text, text


async def test_an_unknown_alohub_campaign_is_named_as_the_campaign(any_language: Harness):
    harness = any_language
    unknown = max(harness.sandbox.alohub.campaigns) + 100
    text = shown(
        await harness.reply("/contact", f"add 0912345678 campaign={unknown} via=alohub-main")
    )
    assert (
        by_language(
            harness,
            "`alohub-main` has no campaign with that id. The provider said: "
            f"“Campaign {unknown} not found”. Check the campaign id: `/callops` lists",
            "`alohub-main` không có chiến dịch nào mang mã này. Nhà cung cấp báo: "
            f"“Campaign {unknown} not found”. Hãy kiểm tra mã chiến dịch: `/callops` liệt kê",
        )
        in text
    ), text


async def test_a_crm_birthday_is_written_as_the_language_writes_dates(any_language: Harness):
    harness = any_language
    contact = next(c for c in harness.sandbox.omicall.contacts.values() if c.get("birthday"))
    day, month, year = contact["birthday"].split("/")
    text = shown(await harness.reply("/contact", f"show {contact['id']} via=crm"))
    expected = by_language(harness, f"{year}-{month}-{day}", f"{day}/{month}/{year}")
    assert expected in text, text


async def test_a_long_crm_search_counts_its_results_as_the_language_writes_numbers(
    vi: Harness,
):
    state = vi.sandbox.omicall
    template = next(iter(state.contacts.values()))
    for n in range(1_200):
        clone = {**template, "id": f"clone-{n}", "fullName": f"Khách Mẫu {n}"}
        state.contacts[clone["id"]] = clone
    text = shown(await vi.reply("/contact", "find Mẫu via=crm"))
    assert "1.200" in text, text


async def test_a_provider_failing_on_its_side_says_how_long_the_bot_tried(en: Harness):
    en.sandbox.faults("aicallcenter").error_ratio = 1.0
    text = shown(await en.reply("/calls", "today via=aicc"))
    assert re.search(
        r"`aicc` had a failure on its side \(I tried 4 times over \d+\.\d s\)\.", text
    ), text
    assert "check the provider's status page" in text, text


async def test_a_timeout_says_the_request_may_have_arrived_and_what_to_check(
    sandbox: Any, tmp_path: Any
):
    connections = sandbox.connections()
    connections["vbee"]["read_timeout"] = 0.3
    sandbox.faults("vbee").latency = 1.0
    campaign = next(iter(sandbox.vbee.campaigns))
    async with bot_in(sandbox, tmp_path, language="vi", connections=connections) as harness:
        text = shown(
            await harness.reply("/contact", f"add 0912345678 campaign={campaign} via=vbee")
        )
    assert re.search(r"`vbee` không phản hồi kịp \(đã chờ 0,\d giây\)\. Yêu cầu có thể", text), text
    assert "hãy xem trên trang quản trị của nhà cung cấp trước khi gửi lại" in text, text
    assert len(sandbox.requests("vbee")) == 1  # a POST that may have arrived is not repeated


async def test_call_outcomes_are_explained_in_words_with_the_raw_code_kept(any_language: Harness):
    harness = any_language
    text = shown(await harness.reply("/calls", "7d via=aicc"))
    assert (
        by_language(
            harness,
            "• ended normally (NORMAL CLEARING) — ",
            "• kết thúc bình thường (NORMAL CLEARING) — ",
        )
        in text
    ), text
    assert by_language(harness, "no answer (NO ANSWER)", "không nghe máy (NO ANSWER)") in text
