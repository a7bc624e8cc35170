"""The security sweep over signed HTTP to the real bot: signatures and replays, admin
operations through every surface, channel bindings under forged values, and user or
provider text that must never ping or link.

Covered elsewhere, not repeated here: a signature of another secret, a timestamp over five
minutes old and unsigned requests (test_requests.py); the bot token's destinations
(test_import_token.py); admin slash commands and ``via=`` typed in a command
(test_access.py); markup in typed names, CRM fields, file cells and queue fields
(test_text_hygiene.py); no secret in any log record of the run (tests/conftest.py).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.errors import InvalidInputError
from tests.harness.signing import select_state, text_state
from tests.jobs.e2e import eventually
from tests.slack.conftest import (
    ADMIN,
    AICC_CHANNEL,
    OPERATOR,
    OPS_CHANNEL,
    SIGNING_SECRET,
    STRANGER,
    Harness,
    mrkdwn_shown,
)

MARKUP = "<!channel> <@U123> <http://evil.example|x>"


def _command_body(text: str = "list") -> bytes:
    return urlencode(
        {
            "command": "/queue",
            "text": text,
            "user_id": OPERATOR,
            "channel_id": OPS_CHANNEL,
            "response_url": "http://127.0.0.1:9/x",
            "trigger_id": "1.2.3",
        }
    ).encode()


def _alohub(harness: Harness, method: str | None = None) -> list[Any]:
    return [r for r in harness.sandbox.requests("alohub") if method in (None, r.method)]


def _queue(harness: Harness) -> Any:
    state = harness.sandbox.alohub
    return next(q for q in state.queues.values() if q.tenant_id == state.tenant_id)


def _said(harness: Harness, since: int = 0) -> str:
    """Everything the bot sent to Slack (messages, ephemerals, responses) since call ``since``."""
    return "\n".join(
        json.dumps(call.args, ensure_ascii=False) for call in harness.fake.calls[since:]
    )


async def _said_eventually(harness: Harness, fragment: str, since: int = 0) -> str:
    """What the bot said, once ``fragment`` is in it (or after a 10 s deadline)."""
    await eventually(
        lambda: fragment in _said(harness, since), within=10, what=f"a message with {fragment!r}"
    )
    return _said(harness, since)


# --- Signatures and replays ------------------------------------------------------------------


async def test_a_body_altered_after_signing_gets_401_and_no_provider_call(harness: Harness):
    before = len(_alohub(harness))
    signed = harness.slack.sign(_command_body("list"))
    ack = await harness.slack.post(
        _command_body("set 1001 strategy=suspended"),
        "application/x-www-form-urlencoded",
        headers=signed,
    )
    assert ack.status == 401
    assert len(_alohub(harness)) == before


async def test_a_timestamp_in_the_future_gets_401_and_no_provider_call(harness: Harness):
    before = len(_alohub(harness))
    ack = await harness.slack.post(
        _command_body(), "application/x-www-form-urlencoded", timestamp=int(time.time()) + 6 * 60
    )
    assert ack.status == 401
    assert len(_alohub(harness)) == before


async def test_a_signature_replayed_with_a_fresh_timestamp_gets_401(harness: Harness):
    # A captured request re-sent later with its timestamp header bumped: the signature
    # covers the timestamp, so it no longer matches.
    body = _command_body()
    old = harness.slack.sign(body, timestamp=int(time.time()) - 10 * 60)
    replay = {**old, "X-Slack-Request-Timestamp": str(int(time.time()))}
    ack = await harness.slack.post(body, "application/x-www-form-urlencoded", headers=replay)
    assert ack.status == 401


async def test_the_same_signed_body_is_accepted_with_the_right_secret(harness: Harness):
    # The control for the refusals above: only the alteration makes the difference.
    body = _command_body()
    ack = await harness.slack.post(
        body, "application/x-www-form-urlencoded", headers=harness.slack.sign(body)
    )
    assert ack.status == 200 and harness.slack.signing_secret == SIGNING_SECRET


# --- Admin operations through every surface --------------------------------------------------


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        element
        for block in message.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )


async def _press(
    harness: Harness, action_id: str, value: str, *, user: str, channel: str = OPS_CHANNEL
) -> str:
    """Press a button as ``user``; the words the bot answered on the response_url."""
    ack = await harness.slack.block_action(action_id, value, user_id=user, channel_id=channel)
    assert ack.status == 200
    tag = ack.response_url.rsplit("/", 1)[-1]
    answer = await harness.fake.wait_for("response_url", predicate=lambda c: c.tag == tag)
    await harness.bot.services.drain()
    return json.dumps(answer.args, ensure_ascii=False)


@pytest.mark.parametrize("user", [OPERATOR, STRANGER])
async def test_a_queue_apply_button_pressed_by_a_non_admin_changes_nothing(
    harness: Harness, user: str
):
    queue = _queue(harness)
    queue.strategy = 1
    proposal = await harness.reply("/queue", f"set {queue.callinId} strategy=suspended", user=ADMIN)
    apply = _button(proposal, "queue_set_confirm")
    said = await _press(harness, "queue_set_confirm", apply["value"], user=user)
    assert "Only admins" in said or "not on the operators list" in said, said
    assert _alohub(harness, "PUT") == [] and queue.strategy == 1
    # The same button, pressed by the admin, applies: the refusal was the user, not the value.
    await _press(harness, "queue_set_confirm", apply["value"], user=ADMIN)
    assert queue.strategy == 99


async def test_a_hand_made_queue_apply_value_from_an_operator_changes_nothing(harness: Harness):
    queue = _queue(harness)
    forged = json.dumps(
        {"connection": "alohub-main", "callinId": queue.callinId, "update": {"strategy": 99}}
    )
    said = await _press(harness, "queue_set_confirm", forged, user=OPERATOR)
    assert "Only admins" in said, said
    assert _alohub(harness, "PUT") == []


def _pending_contact(harness: Harness) -> Any:
    return next(c for c in harness.sandbox.alohub.contacts(101) if c.processStatus == 0)


@pytest.mark.parametrize("user", [OPERATOR, STRANGER])
async def test_a_forged_contact_delete_button_from_a_non_admin_deletes_nothing(
    harness: Harness, user: str
):
    contact = _pending_contact(harness)
    value = json.dumps(
        {"connection": "alohub-main", "campaign": "101", "contact": contact.contactId}
    )
    said = await _press(harness, "contact_delete_confirm", value, user=user)
    assert "Only admins" in said or "not on the operators list" in said, said
    assert _alohub(harness, "DELETE") == []
    assert contact.contactId in {c.contactId for c in harness.sandbox.alohub.contacts(101)}
    # The control: the admin's press of the same value deletes.
    await _press(harness, "contact_delete_confirm", value, user=ADMIN)
    assert len(_alohub(harness, "DELETE")) == 1


def _queue_edit_state(wait: str) -> dict[str, Any]:
    return {
        "strategy": {"value": select_state("1")},
        "wait": {"value": text_state(wait)},
        "moh": {"value": text_state(None)},
        "announce": {"value": select_state("1")},
    }


async def test_an_edit_queue_submission_from_an_operator_changes_nothing(harness: Harness):
    # The form's metadata as the bot seals it: only the user makes the refusal.
    queue = _queue(harness)
    since = len(harness.fake.calls)
    ack = await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values=_queue_edit_state("45"),
        private_metadata=harness.sealed(
            "queue_edit",
            {"connection": "alohub-main", "callinId": str(queue.callinId), "channel": OPS_CHANNEL},
        ),
        user_id=OPERATOR,
    )
    assert ack.status == 200
    said = await _said_eventually(harness, "Only admins", since)
    assert "Only admins" in said, said
    await harness.bot.services.drain()
    assert _alohub(harness, "PUT") == []


@pytest.mark.parametrize(
    ("cmd", "text"),
    [
        ("/queue", "set 1001 strategy=suspended"),
        ("/callops", "connections"),
        ("/contact", "delete 88001 campaign=101"),
        ("/calls", "summary off"),
    ],
)
async def test_a_pager_button_cannot_run_an_admin_command(harness: Harness, cmd: str, text: str):
    value = json.dumps({"cmd": cmd, "text": text, "page": 1, "connection": "alohub-main"})
    said = await _press(harness, "page_next", value, user=OPERATOR)
    # A pager re-runs only the paged listings it was made for; anything else is stale.
    assert "This button is no longer active" in said, said
    assert _alohub(harness) == []


async def test_a_pager_button_pressed_by_a_stranger_is_refused(harness: Harness):
    before = len(_alohub(harness))
    value = json.dumps({"cmd": "/queue", "text": "list", "page": 1, "connection": "alohub-main"})
    said = await _press(harness, "page_next", value, user=STRANGER)
    assert "not on the operators list" in said, said
    assert len(_alohub(harness)) == before


async def test_app_home_offers_a_non_admin_no_action_and_no_one_elses_jobs(harness: Harness):
    # The admin's own Home first: the stranger's must not show what the admin sees as theirs.
    await harness.reply("/queue", "list", user=ADMIN)
    await harness.slack.event({"type": "app_home_opened", "user": STRANGER, "tab": "home"})
    published = await harness.fake.wait_for("views.publish")
    assert published.args["user_id"] == STRANGER
    view = published.args["view"]
    kinds = {block["type"] for block in view["blocks"]}
    assert "actions" not in kinds and "input" not in kinds
    assert all("accessory" not in block for block in view["blocks"])
    shown = json.dumps(view, ensure_ascii=False)
    assert "No import of yours is running" in shown and "not on the operators list" in shown


# --- Channel bindings under forged values ----------------------------------------------------


async def test_a_pager_button_forging_an_unbound_connection_is_refused(harness: Harness):
    before = len(_alohub(harness))
    value = json.dumps({"cmd": "/queue", "text": "list", "page": 1, "connection": "alohub-main"})
    said = await _press(harness, "page_next", value, user=OPERATOR, channel=AICC_CHANNEL)
    assert "may not use `alohub-main`" in said, said
    assert len(_alohub(harness)) == before


@pytest.mark.parametrize(
    "value",
    [
        {"cmd": "/queue", "text": "list via=alohub-main", "page": 1},  # no connection
        {"cmd": "/queue", "text": "list", "page": "x", "connection": "aicc"},
        {"cmd": ["/queue"], "text": "list", "page": 1, "connection": "aicc"},
        {"cmd": "/queue", "text": 7, "page": 1, "connection": "aicc"},
    ],
)
async def test_a_pager_value_the_bot_did_not_make_is_a_stale_button_not_a_failure(
    harness: Harness, caplog: pytest.LogCaptureFixture, value: dict[str, Any]
):
    before = len(_alohub(harness))
    said = await _press(
        harness, "page_next", json.dumps(value), user=OPERATOR, channel=AICC_CHANNEL
    )
    # A stale button, or the channel's own refusal (this channel may not use queues): a
    # sentence either way, never an internal error, and nothing reaches Alohub.
    assert any(words in said for words in (*REFUSED_AS_STALE, "cannot manage inbound queues")), said
    assert "Something went wrong" not in said
    assert len(_alohub(harness)) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_an_admin_button_forging_an_unbound_connection_is_refused(harness: Harness):
    queue = _queue(harness)
    queue.strategy = 1
    forged = json.dumps(
        {"connection": "alohub-main", "callinId": queue.callinId, "update": {"strategy": 99}}
    )
    said = await _press(harness, "queue_set_confirm", forged, user=ADMIN, channel=AICC_CHANNEL)
    assert "may not use `alohub-main`" in said, said
    assert _alohub(harness, "PUT") == [] and queue.strategy == 1


async def test_a_sealed_modal_naming_an_unbound_connection_is_still_refused(harness: Harness):
    # Past the seal, the channel's bindings are checked all the same (defence in depth).
    queue = _queue(harness)
    since = len(harness.fake.calls)
    await harness.slack.view_submission(
        callback_id="queue_edit",
        state_values=_queue_edit_state("45"),
        private_metadata=harness.sealed(
            "queue_edit",
            {"connection": "alohub-main", "callinId": str(queue.callinId), "channel": AICC_CHANNEL},
        ),
        user_id=ADMIN,
    )
    said = await _said_eventually(harness, "may not use", since)
    assert "may not use `alohub-main`" in said, said
    await harness.bot.services.drain()
    assert _alohub(harness, "PUT") == []


# --- User and provider text never pings or links ---------------------------------------------


_shown = mrkdwn_shown


async def test_a_provider_error_message_with_markup_never_pings_or_links(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
):
    client = harness.bot.services.clients["alohub-main"]

    async def refuse(*args: Any, **kwargs: Any) -> Any:
        raise InvalidInputError(
            provider="alohub", connection="alohub-main", status=400, code="BAD", message=MARKUP
        )

    monkeypatch.setattr(client, "queues_page", refuse)
    reply = await harness.reply("/queue", "list")
    shown = _shown(reply)
    for raw in ("<!channel>", "<@U123>", "<http://evil.example|x>"):
        assert raw not in shown, shown
    assert "‹!channel›" in shown, shown  # the provider's words are shown, made inert


async def test_a_note_with_markup_is_echoed_inert(harness: Harness):
    reply = await harness.reply("/contact", f"note 0912345678 {MARKUP} via=crm")
    shown = _shown(reply)
    for raw in ("<!channel>", "<@U123>", "<http://evil.example|x>"):
        assert raw not in shown, shown


# --- Forged values that used to end in "Something went wrong" --------------------------------

# A value the bot never made is refused with a sentence: by the handler as a stale button,
# or, when its types are not even Slack's or the bot's, by the edge's typed reading.
REFUSED_AS_STALE = ("This button is no longer active", "callops could not read this request")


@pytest.mark.parametrize("update", [[1], {"bogus": 1}, "strategy=99"])
async def test_a_queue_apply_value_the_bot_did_not_make_is_a_stale_button(
    harness: Harness, caplog: pytest.LogCaptureFixture, update: Any
):
    queue = _queue(harness)
    value = json.dumps({"connection": "alohub-main", "callinId": queue.callinId, "update": update})
    said = await _press(harness, "queue_set_confirm", value, user=ADMIN)
    assert any(words in said for words in REFUSED_AS_STALE), said
    assert _alohub(harness, "PUT") == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.mark.parametrize("ref", ["J99999999999999999999999", "²", "J١٢"])
async def test_a_job_id_out_of_range_or_in_other_digits_is_answered_in_words(
    harness: Harness, caplog: pytest.LogCaptureFixture, ref: str
):
    said = await _press(harness, "job_refresh", ref, user=OPERATOR)
    typed = json.dumps(await harness.reply("/job", ref), ensure_ascii=False)
    for answer in (said, typed):
        assert "Something went wrong" not in answer, answer
        assert "is not a job id" in answer or "no job" in answer.lower(), answer
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


# --- Forged private_metadata: every form's metadata is sealed by the bot ----------------------

FORGED = "could not confirm that this form is one it made"


def _genuine(view: dict[str, Any]) -> dict[str, Any]:
    """The JSON the bot put in a view it opened (the fake Slack keeps it sealed)."""
    return dict(json.loads(view["private_metadata"].rsplit("~", 1)[0]))


async def _forged_audits(harness: Harness) -> list[Any]:
    await harness.bot.services.drain()
    entries = await harness.bot.services.store.audit_entries(1000)
    return [e for e in entries if e.outcome == "forged"]


def _altered(harness: Harness, view: dict[str, Any], **changes: Any) -> list[tuple[str, str]]:
    """The ways a hand-made request could carry ``view``'s metadata with ``changes``."""
    meta = json.dumps({**_genuine(view), **changes}, separators=(",", ":"))
    seal = view["private_metadata"].rsplit("~", 1)[1]
    other = harness.sealed("import_submit", meta)  # sealed, but for another form
    return [("unsealed", meta), ("old seal", f"{meta}~{seal}"), ("another form's seal", other)]


async def _preview(harness: Harness) -> dict[str, Any]:
    from tests.jobs.data import contact_list
    from tests.jobs.e2e import import_file

    content, _ = contact_list(5)
    return await import_file(harness, "vbee", content)


@pytest.mark.parametrize(
    "changes",
    [
        {"channel": AICC_CHANNEL},  # another channel
        {"connection": "aicc"},  # another connection
        {"staged": "0" * 32},  # another staged import
    ],
    ids=["other-channel", "other-connection", "other-staged"],
)
async def test_an_import_confirm_with_altered_metadata_is_refused_and_audited(
    harness: Harness, changes: dict[str, Any]
):
    from tests.jobs.e2e import confirm

    view = await _preview(harness)
    for how, metadata in _altered(harness, view, **changes):
        ack = await harness.slack.view_submission(
            "import_confirm", {}, private_metadata=metadata, user_id=OPERATOR, view_id=view["id"]
        )
        assert ack.status == 200, how
        assert ack.json_body["response_action"] == "update", (how, ack.text)
        shown = json.dumps(ack.json_body["view"], ensure_ascii=False)
        assert FORGED in shown and "nothing was done" in shown, (how, shown)
    await harness.bot.services.drain()
    assert await harness.bot.services.store.recent_jobs(limit=5) == []
    assert harness.sandbox.requests("vbee") == []
    forged = await _forged_audits(harness)
    assert len(forged) == 3 and {e.user_id for e in forged} == {OPERATOR}
    assert all(e.command == "view_submission import_confirm" for e in forged)
    # The genuine form, untouched, imports.
    ack = await confirm(harness, view)
    assert ack.status == 200 and "response_action" in (ack.json_body or {}), ack.text
    store = harness.bot.services.store
    jobs = await eventually(lambda: store.recent_jobs(limit=5), within=10, what="the job")
    assert [job.channel for job in jobs] == [OPS_CHANNEL]


async def test_a_queue_edit_with_altered_metadata_is_refused_and_the_genuine_one_applies(
    harness: Harness,
):
    queue = _queue(harness)
    await harness.command("/queue", f"edit {queue.callinId}", user=ADMIN)
    opened = await harness.fake.wait_for("views.open")
    view = opened.args["view"]
    assert _genuine(view)["channel"] == OPS_CHANNEL
    for changes in ({"channel": AICC_CHANNEL}, {"callinId": "999999"}, {"connection": "aicc"}):
        for how, metadata in _altered(harness, view, **changes):
            ack = await harness.slack.view_submission(
                "queue_edit",
                _queue_edit_state("45"),
                private_metadata=metadata,
                user_id=ADMIN,
            )
            assert FORGED in json.dumps(ack.json_body), (changes, how, ack.text)
    assert len(await _forged_audits(harness)) == 9
    assert _alohub(harness, "PUT") == []
    ack = await harness.slack.view_submission(
        "queue_edit",
        _queue_edit_state("45"),
        private_metadata=view["private_metadata"],
        user_id=ADMIN,
    )
    assert ack.json_body == {"response_action": "clear"}, ack.text
    await eventually(lambda: _alohub(harness, "PUT"), within=10, what="the queue update")


async def test_a_button_in_a_modal_with_altered_metadata_is_refused(harness: Harness):
    # A block action inside a modal takes its channel from the metadata: sealed too.
    view = {
        "id": "V0FORGED",
        "callback_id": "queue_edit",
        "private_metadata": json.dumps({"channel": OPS_CHANNEL, "connection": "alohub-main"}),
    }
    value = json.dumps({"cmd": "/queue", "text": "list", "page": 1, "connection": "alohub-main"})
    before = len(_alohub(harness))
    ack = await harness.slack.block_action(
        "page_next", value, user_id=OPERATOR, channel_id=None, view=view
    )
    assert ack.status == 200
    assert len(await _forged_audits(harness)) == 1
    assert len(_alohub(harness)) == before


async def test_every_registered_form_refuses_metadata_the_bot_did_not_seal(harness: Harness):
    # Driven by the router: a new form is in this sweep the day it is declared.
    router = harness.bot.dispatcher.router
    forms = sorted(id for kind, id in router.interactions if kind == "view")
    assert forms, "no form registered"
    meta = json.dumps({"channel": OPS_CHANNEL, "connection": "alohub-main", "staged": "x"})
    since = len(harness.fake.calls)
    for callback_id in forms:
        for metadata in (meta, harness.sealed(f"{callback_id}_other", meta)):
            ack = await harness.slack.view_submission(
                callback_id, {}, private_metadata=metadata, user_id=ADMIN
            )
            assert ack.status == 200
            assert FORGED in json.dumps(ack.json_body), (callback_id, ack.text)
    assert len(await _forged_audits(harness)) == 2 * len(forms)
    assert harness.sandbox.requests("alohub") == [] and harness.sandbox.requests("vbee") == []
    # Nothing was said anywhere but in the refused forms themselves, and to the audit channel.
    copies = await eventually(
        lambda: _audit_copies(harness, since), what="the audit copies", within=10
    )
    assert len(copies) == 2 * len(forms)
    assert all(c.method == "chat.postMessage" for c in harness.fake.calls[since:])
    assert len(harness.fake.calls[since:]) == len(copies)


AUDIT_CHANNEL = "C0AUDIT"
ALTERED = {
    "en": "<@{user}> sent back the form `{form}` altered outside Slack (its hidden data is not "
    "what callops put in it); callops refused it and nothing was done.",
    "vi": "<@{user}> đã gửi lại biểu mẫu `{form}` bị sửa bên ngoài Slack (dữ liệu ẩn không phải "
    "do callops tạo); callops đã từ chối và chưa có gì được thực hiện.",
}


async def _audit_copies(harness: Harness, since: int = 0, count: int = 1) -> list[Any]:
    copies = [
        c
        for c in harness.fake.calls[since:]
        if c.method == "chat.postMessage" and c.args.get("channel") == AUDIT_CHANNEL
    ]
    return copies if len(copies) >= count else []


async def test_a_forged_form_is_copied_to_the_audit_channel_after_its_row_in_its_language(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
):
    store = harness.bot.services.store
    posted_when_audited: list[int] = []
    audit = store.audit

    async def audited(entry: Any) -> None:
        await audit(entry)
        if entry.outcome == "forged":
            posted_when_audited.append(len(await _audit_copies(harness)))

    monkeypatch.setattr(store, "audit", audited)
    meta = json.dumps({"channel": OPS_CHANNEL, "connection": "vbee", "staged": "0" * 32})
    ack = await harness.slack.view_submission(
        "import_confirm", {}, private_metadata=meta, user_id=OPERATOR
    )
    assert FORGED in json.dumps(ack.json_body), ack.text
    [copy] = await eventually(lambda: _audit_copies(harness), what="the audit copy", within=10)
    assert copy.args["text"] == ALTERED["en"].format(user=OPERATOR, form="import_confirm")
    assert posted_when_audited == [0]  # the row was written before the copy was posted

    # The audit channel reads Vietnamese: so does the copy (a button in a forged modal).
    await harness.reply("/callops", "language channel vi", user=ADMIN, channel=AUDIT_CHANNEL)
    await harness.fake.wait_for(  # that command's own copy, first
        "chat.postMessage", predicate=lambda c: "language channel vi" in c.args["text"]
    )
    since = len(harness.fake.calls)
    view = {"id": "V0FORGED", "callback_id": "queue_edit", "private_metadata": meta}
    value = json.dumps({"cmd": "/queue", "text": "list", "page": 1, "connection": "alohub-main"})
    ack = await harness.slack.block_action(
        "page_next", value, user_id=ADMIN, channel_id=None, view=view
    )
    assert ack.status == 200
    [copy] = await eventually(
        lambda: _audit_copies(harness, since), what="the Vietnamese copy", within=10
    )
    assert copy.args["text"] == ALTERED["vi"].format(user=ADMIN, form="queue_edit")
    assert len(await _forged_audits(harness)) == 2


# --- Every registered button: its value is checked against the real channel and user ---------


async def _job_in_ops(harness: Harness) -> str:
    """A finished job of alohub-main, started in the ops channel by the operator."""
    from bot.store.jobs import JobStore
    from bot.store.models import Job

    job = Job(
        connection="alohub-main",
        provider="alohub",
        campaign="101",
        creator=OPERATOR,
        channel=OPS_CHANNEL,
        state="done",
    )
    job_id = await JobStore(harness.bot.services.store).create_job(job, [])
    return f"J{job_id}"


def _conn(connection: str, **fields: Any) -> str:
    return json.dumps({"connection": connection, **fields})


def _undo_value() -> str:
    """An undo button's value as shown to the operator in the ops channel."""
    return json.dumps({"job": "{job}", "user": OPERATOR, "channel": OPS_CHANNEL})


# action id → the forged presses to try: (value, user, channel, words of the refusal).
# A value names a connection the channel may not use, or the press comes from a user or
# channel the real request names and the value cannot change.
ACTION_FORGERIES: dict[str, list[tuple[str, str, str, str]]] = {
    # An undo's buttons name who was asked and where: the presser and channel Slack gives
    # must be those (an admin pressing an operator's button too), and a stranger none.
    # An alert's buttons name a rule and an event: one that is not an open alert of the
    # channel pressed in (another channel's, or none) changes nothing; a stranger none.
    # tests/alerts/test_alerts_e2e.py also forges a real alert's button in another channel.
    "alert_ack": [
        ('{"rule": 4242, "event": 4242}', OPERATOR, OPS_CHANNEL, "does not match an open alert"),
        ('{"rule": 1, "event": 1}', STRANGER, OPS_CHANNEL, "not on the operators list"),
    ],
    "alert_mute": [
        ('{"rule": 4242, "event": 4242}', OPERATOR, OPS_CHANNEL, "does not match an open alert"),
        ('{"rule": 1, "event": 1}', STRANGER, OPS_CHANNEL, "not on the operators list"),
    ],
    "job_undo_confirm": [
        (_undo_value(), ADMIN, OPS_CHANNEL, "shown to someone else or in another channel"),
        (_undo_value(), STRANGER, OPS_CHANNEL, "not on the operators list"),
    ],
    "job_undo_keep": [
        (_undo_value(), STRANGER, OPS_CHANNEL, "not on the operators list"),
    ],
    "page_next": [
        (
            _conn("alohub-main", cmd="/queue", text="list", page=1),
            OPERATOR,
            AICC_CHANNEL,
            "may not use `alohub-main`",
        ),
        (
            _conn("alohub-main", cmd="/queue", text="list", page=1),
            STRANGER,
            OPS_CHANNEL,
            "not on the operators list",
        ),
    ],
    "page_prev": [
        (
            _conn("alohub-main", cmd="/queue", text="list", page=0),
            OPERATOR,
            AICC_CHANNEL,
            "may not use `alohub-main`",
        ),
        (
            _conn("alohub-main", cmd="/queue", text="list", page=0),
            STRANGER,
            OPS_CHANNEL,
            "not on the operators list",
        ),
    ],
    "queue_set_confirm": [
        (
            _conn("alohub-main", callinId=1001, update={"strategy": 99}),
            ADMIN,
            AICC_CHANNEL,
            "may not use `alohub-main`",
        ),
        (
            _conn("alohub-main", callinId=1001, update={"strategy": 99}),
            OPERATOR,
            OPS_CHANNEL,
            "Only admins",
        ),
    ],
    "queue_set_cancel": [
        (
            _conn("alohub-main", callinId=1001, name="q"),
            OPERATOR,
            AICC_CHANNEL,
            "may not use `alohub-main`",
        ),
        (
            _conn("alohub-main", callinId=1001, name="q"),
            STRANGER,
            OPS_CHANNEL,
            "not on the operators list",
        ),
    ],
    "contact_delete_confirm": [
        (
            _conn("alohub-main", campaign="101", contact=88001),
            ADMIN,
            AICC_CHANNEL,
            "may not use `alohub-main`",
        ),
        (_conn("alohub-main", campaign="101", contact=88001), OPERATOR, OPS_CHANNEL, "Only admins"),
    ],
    "contact_crm_update": [
        (
            _conn("crm", refId="r1", name="X", phone="0912345678"),
            OPERATOR,
            AICC_CHANNEL,
            "may not use `crm`",
        ),
        (
            _conn("crm", refId="r1", name="X", phone="0912345678"),
            STRANGER,
            OPS_CHANNEL,
            "not on the operators list",
        ),
    ],
    # {job} is the job of alohub-main started in the ops channel by the operator.
    "job_refresh": [
        ("{job}", OPERATOR, AICC_CHANNEL, "which this channel may not use"),
        ("{job}", STRANGER, OPS_CHANNEL, "not on the operators list"),
    ],
    "job_cancel": [
        ("{job}", OPERATOR, AICC_CHANNEL, "which this channel may not use"),
        ("{job}", STRANGER, OPS_CHANNEL, "not on the operators list"),
    ],
    # An alert's Acknowledge on Home: only a member of the alert's channel (Slack says who).
    "home_alert_ack": [
        (json.dumps({"channel": OPS_CHANNEL, "id": "1"}), OPERATOR, AICC_CHANNEL, "you are not in"),
        (
            json.dumps({"channel": OPS_CHANNEL, "id": "1"}),
            STRANGER,
            OPS_CHANNEL,
            "not on the operators",
        ),
    ],
}


def test_the_button_sweep_covers_every_registered_action(harness: Harness):
    router = harness.bot.dispatcher.router
    registered = {id for kind, id in router.interactions if kind == "action"}
    assert registered == set(ACTION_FORGERIES), (
        "a button was added or removed: say in ACTION_FORGERIES how a forged press of it "
        f"is refused (missing: {sorted(registered - set(ACTION_FORGERIES))})"
    )


@pytest.mark.parametrize("action_id", sorted(ACTION_FORGERIES))
async def test_a_forged_press_of_every_button_is_refused_and_changes_nothing(
    harness: Harness, action_id: str
):
    job = await _job_in_ops(harness)
    before = {name: len(harness.sandbox.requests(name)) for name in ("alohub", "omicall")}
    for value, user, channel, refusal in ACTION_FORGERIES[action_id]:
        presses = [value.replace("{job}", job)]
        if value.startswith('{"') and channel != OPS_CHANNEL:
            # A value naming the channel it "came from" changes nothing: Slack's field counts.
            presses.append(json.dumps({**json.loads(value), "channel": OPS_CHANNEL}))
        for pressed in presses:
            said = await _press(harness, action_id, pressed, user=user, channel=channel)
            assert refusal in said, (action_id, user, channel, pressed, said)
    after = {name: len(harness.sandbox.requests(name)) for name in ("alohub", "omicall")}
    assert after == before
    assert (await harness.bot.services.store.job(int(job[1:]))).state == "done"
