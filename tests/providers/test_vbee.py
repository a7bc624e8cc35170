"""Vbee AICall client against a mocked HTTP transport: JWT, row matching, every error shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest

from bot.config import VbeeConnection
from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    ProviderError,
    ProviderFault,
    UnexpectedResponse,
)
from bot.providers.retry import RetryPolicy
from bot.providers.vbee import INVALID_PHONE, ContactInput, VbeeClient
from tests.conftest import make_config, mock_http

API_KEY = "vbee-key-123"
API_SECRET = "s3cret-of-at-least-thirty-two-bytes-long!"
NOW = 1_760_000_000
URL = "https://aicall.test/api/v1/public-api/campaign"

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(
    handler: Handler, *, secret: str = API_SECRET, clock: Callable[[], float] = lambda: NOW
) -> VbeeClient:
    """A client of connection ``vb`` whose requests ``handler`` answers."""
    config = make_config(
        vb={
            "provider": "vbee",
            "base_url": "https://aicall.test",
            "api_key": API_KEY,
            "api_secret": secret,
        }
    )
    connection = config.connections["vb"]
    assert isinstance(connection, VbeeConnection)
    retry = RetryPolicy(base_delay=0)
    return VbeeClient(connection, http=mock_http(handler), retry=retry, clock=clock)


class FakeVbee:
    """Echoes every parseable contact as ``+84…`` with a new contact_id; records requests."""

    def __init__(self, answers: list[httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answers = answers or []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answers:
            return self.answers.pop(0)
        body = json.loads(request.content)
        result = []
        for index, contact in enumerate(body["contacts"]):
            digits = contact["phone_number"].lstrip("0+")
            if not digits.isdigit() or len(digits) < 9:
                continue
            extra = {k: v for k, v in contact.items() if k != "phone_number"}
            phone = "+84" + digits.removeprefix("84")
            result.append(
                {"contact_id": f"id-{len(self.requests)}-{index}", **extra, "so_dien_thoai": phone}
            )
        if not result:
            return httpx.Response(
                200, json={"status": 0, "code": 1403, "message": "All contacts is invalid"}
            )
        return httpx.Response(200, json={"status": 1, "result": result})

    def sent(self, index: int = -1) -> dict[str, Any]:
        """The JSON body of a recorded request."""
        body: dict[str, Any] = json.loads(self.requests[index].content)
        return body


def error_body(code: int | str, message: str, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"status": 0, "code": code, "message": message})


# Auth


async def test_each_request_carries_a_fresh_hs256_jwt_with_api_key_and_iat() -> None:
    times = iter([NOW, NOW + 60])
    fake = FakeVbee()
    client = client_for(fake, clock=lambda: next(times))
    await client.add_contact("cmp-1", "0987654321")
    await client.add_contact("cmp-1", "0987654322")

    tokens = []
    for request in fake.requests:
        scheme, _, token = request.headers["Authorization"].partition(" ")
        assert scheme == "Bearer"
        assert jwt.get_unverified_header(token)["alg"] == "HS256"
        tokens.append(jwt.decode(token, API_SECRET, algorithms=["HS256"]))
    assert tokens == [{"apiKey": API_KEY, "iat": NOW}, {"apiKey": API_KEY, "iat": NOW + 60}]
    assert str(fake.requests[0].url) == URL


async def test_short_api_secret_signs_without_a_warning() -> None:
    fake = FakeVbee()
    client = client_for(fake, secret="short")  # filterwarnings=error would fail on a warning
    await client.add_contact("cmp-1", "0987654321")
    token = fake.requests[0].headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["apiKey"] == API_KEY


# Rows and outcomes


async def test_rows_are_sent_with_their_personalization_fields() -> None:
    fake = FakeVbee()
    client = client_for(fake)
    await client.add_contacts(
        "cmp-1",
        [
            ContactInput("0987654321", {"ho_ten": "Nguyễn Văn A", "danh_xung": "Anh"}),
            ContactInput("0912345678", {"phone_number": "not this", "ho_ten": "Trần Thị B"}),
        ],
    )
    assert fake.sent() == {
        "campaign_id": "cmp-1",
        "contacts": [
            {"ho_ten": "Nguyễn Văn A", "danh_xung": "Anh", "phone_number": "0987654321"},
            {"ho_ten": "Trần Thị B", "phone_number": "0912345678"},
        ],
    }


async def test_echoed_plus84_phones_match_input_rows_and_missing_rows_are_invalid() -> None:
    answer = httpx.Response(
        200,
        json={
            "status": 1,
            "result": [
                {"contact_id": "c-2", "ho_ten": "B", "so_dien_thoai": "+84912345678"},
                {"contact_id": "c-1", "ho_ten": "A", "so_dien_thoai": "+84987654321"},
            ],
        },
    )
    client = client_for(FakeVbee([answer]))
    outcomes = await client.add_contacts(
        "cmp-1",
        [
            ContactInput("0987654321"),
            ContactInput("0999"),
            ContactInput("0912 345 678"),
            ContactInput("0933333333"),
        ],
    )
    assert [(o.phone, o.contact_id, o.reason) for o in outcomes] == [
        ("0987654321", "c-1", None),
        ("0999", None, INVALID_PHONE),
        ("0912 345 678", "c-2", None),
        ("0933333333", None, INVALID_PHONE),
    ]
    assert outcomes[0].accepted and not outcomes[1].accepted
    assert outcomes[0].record is not None and outcomes[0].record.model_extra == {"ho_ten": "A"}


async def test_same_phone_twice_is_matched_in_order() -> None:
    answer = httpx.Response(
        200,
        json={
            "status": 1,
            "result": [
                {"contact_id": "first", "so_dien_thoai": "+84987654321"},
            ],
        },
    )
    fake = FakeVbee([answer])
    outcomes = await client_for(fake).add_contacts(
        "cmp-1", [ContactInput("0987654321"), ContactInput("+84987654321")]
    )
    assert [(o.contact_id, o.reason) for o in outcomes] == [("first", None), (None, INVALID_PHONE)]

    both = await client_for(FakeVbee()).add_contacts(
        "cmp-1", [ContactInput("0987654321"), ContactInput("0987654321")]
    )
    assert [o.contact_id for o in both] == ["id-1-0", "id-1-1"]


async def test_unparseable_phones_are_rejected_without_being_sent() -> None:
    fake = FakeVbee()
    client = client_for(fake)
    outcomes = await client.add_contacts("cmp-1", [ContactInput("abc"), ContactInput("0987654321")])
    assert [o.reason for o in outcomes] == [INVALID_PHONE, None]
    assert [c["phone_number"] for c in fake.sent()["contacts"]] == ["0987654321"]

    only_bad = await client.add_contacts("cmp-1", [ContactInput(""), ContactInput("123")])
    assert [o.reason for o in only_bad] == [INVALID_PHONE, INVALID_PHONE]
    assert len(fake.requests) == 1


async def test_more_than_1000_rows_are_refused_before_sending() -> None:
    fake = FakeVbee()
    with pytest.raises(ValueError, match="1000"):
        await client_for(fake).add_contacts("cmp-1", [ContactInput("0987654321")] * 1001)
    assert fake.requests == []


# Errors


ERRORS = [
    # (HTTP status, body code, error class, retryable)
    (200, 401, AuthError, False),
    (401, 401, AuthError, False),
    (200, 1201, AuthError, False),
    (200, 1402, InvalidStateError, False),
    (200, 1403, InvalidInputError, False),
    (200, "1403", InvalidInputError, False),
    (200, 500, ProviderFault, True),
    (500, 500, ProviderFault, True),
    (200, 7777, UnexpectedResponse, False),
    (400, 7777, InvalidInputError, False),
]


@pytest.mark.parametrize(("http_status", "code", "cls", "retryable"), ERRORS)
async def test_error_bodies_become_one_error_class_with_every_field(
    http_status: int, code: int | str, cls: type[ProviderError], retryable: bool
) -> None:
    fake = FakeVbee([error_body(code, "nói gì đó", http_status)])
    with pytest.raises(ProviderError) as caught:
        await client_for(fake).add_contact("cmp-1", "0987654321")
    error = caught.value
    assert type(error) is cls
    assert (error.provider, error.connection, error.status, error.code, error.message) == (
        "vbee",
        "vb",
        http_status,
        str(code),
        "nói gì đó",
    )
    assert error.retryable is retryable
    assert len(fake.requests) == 1  # a POST that may have added rows is never repeated


@pytest.mark.parametrize(
    ("response", "cls", "status"),
    [
        (httpx.Response(200, text="<html>oops</html>"), UnexpectedResponse, 200),
        (httpx.Response(502, text="<html>502 Bad Gateway</html>"), ProviderFault, 502),
        (httpx.Response(401, text="Unauthorized"), AuthError, 401),
        (httpx.Response(200, json=[1, 2]), UnexpectedResponse, 200),
        (httpx.Response(200, json={"status": 1}), UnexpectedResponse, None),
        (
            httpx.Response(200, json={"status": 1, "result": [{"so_dien_thoai": "+84987654321"}]}),
            UnexpectedResponse,
            None,
        ),
        (httpx.Response(503, json={"error": "down"}), ProviderFault, 503),
    ],
)
async def test_malformed_or_unknown_answers_are_unexpected_or_by_status(
    response: httpx.Response, cls: type[ProviderError], status: int | None
) -> None:
    fake = FakeVbee([response])
    with pytest.raises(ProviderError) as caught:
        await client_for(fake).add_contact("cmp-1", "0987654321")
    assert type(caught.value) is cls
    assert (caught.value.provider, caught.value.connection, caught.value.status) == (
        "vbee",
        "vb",
        status,
    )
    assert len(fake.requests) == 1


async def test_rate_limited_post_is_retried_because_vbee_did_not_act() -> None:
    limited = httpx.Response(
        429,
        headers={"Retry-After": "0"},
        json={"status": 0, "code": 429, "message": "Too many requests"},
    )
    fake = FakeVbee([limited])
    outcome = await client_for(fake).add_contact("cmp-1", "0987654321")
    assert outcome.accepted
    assert len(fake.requests) == 2


# check()


@pytest.mark.parametrize("code", [1402, 1403])
async def test_check_treats_a_refused_empty_import_as_good_credentials(code: int) -> None:
    fake = FakeVbee([error_body(code, "refused")])
    await client_for(fake).check()
    assert fake.sent() == {"campaign_id": "", "contacts": []}


@pytest.mark.parametrize(("status", "code"), [(401, 401), (200, 1201)])
async def test_check_raises_auth_error_on_rejected_credentials(status: int, code: int) -> None:
    fake = FakeVbee([error_body(code, "no", status)])
    with pytest.raises(AuthError) as caught:
        await client_for(fake).check()
    assert caught.value.code == str(code)


async def test_check_passes_other_failures_through() -> None:
    fake = FakeVbee([error_body(500, "Lỗi hệ thống", 500)])
    with pytest.raises(ProviderFault):
        await client_for(fake).check()
    fake = FakeVbee([httpx.Response(400, text="bad")])
    with pytest.raises(InvalidInputError):
        await client_for(fake).check()
