"""The provider clients under generated answers (httpx.MockTransport): a result or a
``ProviderError``; unknown fields kept; a known field of the wrong type is the
"unexpected response" error (``bot.errors.UnexpectedResponse``), never a crash."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from bot.config import AICallCenterConnection, VbeeConnection
from bot.errors import ProviderError, UnexpectedResponse
from bot.providers.aicallcenter import AICallCenterClient
from bot.providers.alohub import AlohubClient
from bot.providers.omicall import OmicallClient
from bot.providers.retry import RetryPolicy
from tests.conftest import make_config, mock_http
from tests.providers.scripted import alohub_connection

ONE_TRY = RetryPolicy(max_attempts=1, max_rate_limited_attempts=1, base_delay=0, max_delay=0)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
# Containers are the wrong type for every scalar field the models know.
WRONG = st.one_of(
    st.lists(JSON, min_size=1, max_size=3),
    st.dictionaries(st.text(max_size=5), JSON, min_size=1, max_size=3),
)
EXTRA = st.dictionaries(st.from_regex(r"x_[a-z]{1,8}", fullmatch=True), JSON, max_size=3)
STATUSES = st.sampled_from([200, 200, 200, 201, 400, 401, 403, 404, 409, 422, 429, 500, 503])

Handler = Callable[[httpx.Request], httpx.Response]


async def _nothing(_: float) -> None:
    return None


def _alohub(handler: Handler) -> AlohubClient:
    return AlohubClient(alohub_connection(), http=mock_http(handler), retry=ONE_TRY, sleep=_nothing)


def _omicall(handler: Handler) -> OmicallClient:
    config = make_config(
        crm={"provider": "omicall", "base_url": "https://omi.test", "access_token": "tok-fuzz-1"}
    )
    return OmicallClient(config.connections["crm"], http=mock_http(handler), retry=ONE_TRY)  # type: ignore[arg-type]


def _aicc(handler: Handler) -> AICallCenterClient:
    config = make_config(
        ac={
            "provider": "aicallcenter",
            "base_url": "https://aicc.test",
            "secret_key": "sk-fuzz-0001",
        }
    )
    connection = config.connections["ac"]
    assert isinstance(connection, AICallCenterConnection)

    def with_token(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/generate-access-token") or "token" in request.url.path:
            return httpx.Response(200, json={"status": 1, "results": {"access_token": "opaque-1"}})
        return handler(request)

    return AICallCenterClient(connection, http=mock_http(with_token), retry=ONE_TRY)


def _vbee(handler: Handler) -> Any:
    from bot.providers.vbee import VbeeClient

    config = make_config(
        vb={
            "provider": "vbee",
            "base_url": "https://vbee.test",
            "api_key": "vk-fuzz-01",
            "api_secret": "vs-fuzz-secret-of-thirty-two-bytes!",
        }
    )
    connection = config.connections["vb"]
    assert isinstance(connection, VbeeConnection)
    return VbeeClient(connection, http=mock_http(handler), retry=ONE_TRY)


def _answer(status: int, body: Any) -> Handler:
    content = json.dumps(body).encode()
    return lambda request: httpx.Response(
        status, content=content, headers={"Content-Type": "application/json"}
    )


def _run(
    make: Callable[[Handler], Any], handler: Handler, call: Callable[[Any], Awaitable[Any]]
) -> Any:
    async def go() -> Any:
        client = make(handler)
        try:
            return await call(client)
        finally:
            await client.aclose()

    return asyncio.run(go())


CALLS: dict[str, tuple[Callable[[Handler], Any], Callable[[Any], Awaitable[Any]]]] = {
    "alohub.queue": (_alohub, lambda c: c.queue(7)),
    "alohub.queues_page": (_alohub, lambda c: c.queues_page(0, 20)),
    "alohub.contacts_page": (_alohub, lambda c: c.contacts_page(101, 501, 0, 20)),
    "alohub.contact_lists": (_alohub, lambda c: c.contact_lists(101)),
    "alohub.import_job": (_alohub, lambda c: c.import_job(101, 9)),
    "omicall.details": (_omicall, lambda c: c.details("c1")),
    "omicall.search_page": (_omicall, lambda c: c.search_page("0912", page=0, size=10)),
    "omicall.layout": (_omicall, lambda c: c.layout()),
    "aicc.call_log_page": (_aicc, lambda c: c.call_log_page(None, None, 0, 10)),
    "aicc.import_contact": (_aicc, lambda c: c.import_contact(2001, "0912345678")),
    "vbee.add_contact": (_vbee, lambda c: c.add_contact("cmp-1", "0912345678")),
}


@given(st.sampled_from(sorted(CALLS)), STATUSES, JSON)
def test_any_json_answer_gives_a_result_or_a_provider_error(
    name: str, status: int, body: Any
) -> None:
    make, call = CALLS[name]
    with contextlib.suppress(ProviderError):
        _run(make, _answer(status, body), call)


@given(st.sampled_from(sorted(CALLS)), STATUSES, st.binary(max_size=64))
def test_any_bytes_answer_gives_a_result_or_a_provider_error(
    name: str, status: int, body: bytes
) -> None:
    make, call = CALLS[name]
    handler: Handler = lambda request: httpx.Response(status, content=body)  # noqa: E731
    with contextlib.suppress(ProviderError):
        _run(make, handler, call)


QUEUE = {
    "callinId": 7,
    "callinName": "CSKH",
    "strategy": 1,
    "musicinQueue": "moh.wav",
    "timeWait": "60",
    "agentSelector": "round_robin",
    "nguongRanhRoi": "1",
    "callinNumber": "02873001234",
}
CONTACT = {
    "id": "c1",
    "fullName": "Khách 1",
    "phones": [{"data": "0912345001", "type": "personal", "valueType": "Cá nhân"}],
    "tags": ["vip"],
}


def _omicall_envelope(payload: Any) -> dict[str, Any]:
    return {
        "instance_id": "stg",
        "instance_version": "1.2.164",
        "key_enabled": False,
        "status_code": 9999,
        "payload": payload,
    }


@given(EXTRA)
def test_unknown_fields_of_a_queue_are_kept(extra: dict[str, Any]) -> None:
    queue = _run(_alohub, _answer(200, {**QUEUE, **extra}), lambda c: c.queue(7))
    assert queue.callin_id == 7 and queue.model_extra == extra


@given(EXTRA)
def test_unknown_fields_of_a_crm_contact_are_kept(extra: dict[str, Any]) -> None:
    contact = _run(
        _omicall, _answer(200, _omicall_envelope({**CONTACT, **extra})), lambda c: c.details("c1")
    )
    assert contact.id == "c1" and contact.model_extra == extra


@given(st.sampled_from(sorted(QUEUE)), WRONG)
def test_a_queue_field_of_the_wrong_type_is_an_unexpected_response(field: str, value: Any) -> None:
    try:
        _run(_alohub, _answer(200, {**QUEUE, field: value}), lambda c: c.queue(7))
    except UnexpectedResponse as error:
        assert error.connection == "alohub-main"
    else:
        raise AssertionError(f"{field}={value!r} was accepted")


@given(
    st.sampled_from(["id", "fullName", "refId", "refCode", "user_owner_email"]),
    WRONG,
)
def test_a_crm_contact_field_of_the_wrong_type_is_an_unexpected_response(
    field: str, value: Any
) -> None:
    body = _omicall_envelope({**CONTACT, field: value})
    try:
        _run(_omicall, _answer(200, body), lambda c: c.details("c1"))
    except UnexpectedResponse as error:
        assert error.connection == "crm"
    else:
        raise AssertionError(f"{field}={value!r} was accepted")


CALL = {
    "call_id": 1001,
    "caller_id": "02873001234",
    "callee_id": "0912345678",
    "called_at": "2025-10-09 10:16:44",
    "duration": 12,
    "key_press": "1 (29)",
    "note": "NORMAL CLEARING",
    "state": 40,
}


def _call_page(*calls: dict[str, Any]) -> dict[str, Any]:
    return {"status": 1, "results": {"total": len(calls), "calls": list(calls)}}


@given(EXTRA)
def test_unknown_fields_of_a_call_record_are_kept(extra: dict[str, Any]) -> None:
    page = _run(_aicc, _answer(200, _call_page({**CALL, **extra})), CALLS["aicc.call_log_page"][1])
    [call] = page.calls
    assert call.call_id == 1001 and call.model_extra == extra


@given(st.sampled_from(sorted(CALL)), WRONG)
def test_a_call_record_field_of_the_wrong_type_is_an_unexpected_response(
    field: str, value: Any
) -> None:
    try:
        _run(
            _aicc, _answer(200, _call_page({**CALL, field: value})), CALLS["aicc.call_log_page"][1]
        )
    except UnexpectedResponse as error:
        assert error.connection == "ac"
    else:
        raise AssertionError(f"{field}={value!r} was accepted")
