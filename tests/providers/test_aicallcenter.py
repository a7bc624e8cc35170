"""AICallCenter client against a mocked HTTP transport: token life, imports, paging, errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import jwt
import pytest

from bot.config import AICallCenterConnection
from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    ProviderError,
    ProviderFault,
    UnexpectedResponse,
)
from bot.providers.aicallcenter import (
    DUPLICATE_IN_REQUEST,
    INVALID_OTP,
    INVALID_PHONE,
    REJECTED,
    AICallCenterClient,
    Call,
    ContactInput,
)
from bot.providers.retry import RetryPolicy
from tests.conftest import make_config, mock_http

SECRET = "aicc_sk_0123456789abcdef"
SIGNING_KEY = "the-provider-signs-its-tokens-with-this-key"
DAY = 86400
NOW = 1_760_000_000.0
START_MS = 1_759_000_000_000
END_MS = 1_760_000_000_000
SECRET_REFUSED = {"status": 0, "code": "401", "message": "secret_key không chính xác"}
TOKEN_REFUSED = {"status": 0, "code": "401", "message": "access token không chính xác."}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


class FakeAicc:
    """Issues JWT tokens, accepts only the valid ones, serves ``calls`` by offset."""

    def __init__(self, clock: Clock, calls: int = 0, ttl: float | None = 60 * DAY) -> None:
        self.clock = clock
        self.ttl = ttl
        self.secret = SECRET
        self.valid: set[str] = set()
        self.requests: list[httpx.Request] = []
        self.calls = [_call(i) for i in range(calls)]
        self.max_limit = 500
        self.echo_limit = True
        self.answers: dict[str, list[httpx.Response]] = {}  # path → canned answers, in order
        self.opaque_tokens = False
        self.issued = 0
        self.same_token_again = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if self.answers.get(path):
            return self.answers[path].pop(0)
        if path == "/api/users/generate-access-token":
            if request.url.params.get("secret_key") != self.secret:
                return httpx.Response(200, json=SECRET_REFUSED)
            return httpx.Response(
                200, json={"status": 1, "results": {"access_token": self.issue()}}
            )
        body = json.loads(request.content) if request.content else {}
        token = body.get("access_token") or request.url.params.get("access_token")
        if token not in self.valid:
            return httpx.Response(200, json=TOKEN_REFUSED)
        if path.endswith("/import"):
            results = [
                {"phone_number": c["phone_number"].replace("+84", "0"), "call_id": 5000 + i}
                for i, c in enumerate(body["contacts"])
                if c.get("ho_ten") != "skip me"
            ]
            message = f"Ghi nhận thành công {len(results)} trên {len(body['contacts'])} bản ghi"
            return httpx.Response(200, json={"status": 1, "message": message, "results": results})
        params = request.url.params
        offset, limit = int(params["offset"]), min(int(params["limit"]), self.max_limit)
        page: dict[str, Any] = {
            "total": len(self.calls),
            "calls": self.calls[offset : offset + limit],
        }
        if self.echo_limit:
            page["limit"] = limit
        return httpx.Response(200, json={"status": 1, "results": page})

    def issue(self) -> str:
        """A new token valid until revoked (and until ``exp`` if ``ttl`` is set)."""
        self.issued += 1
        n = 0 if self.same_token_again else self.issued
        if self.opaque_tokens:
            token = f"opaque-{n}"
        else:
            claims: dict[str, Any] = {"user_id": 276, "n": n, "iat": int(self.clock())}
            if self.ttl is not None:
                claims["exp"] = int(self.clock() + self.ttl)
            token = jwt.encode(claims, SIGNING_KEY, algorithm="HS256")
        self.valid.add(token)
        return token

    def count(self, path_end: str) -> int:
        """How many requests went to a path ending so."""
        return sum(r.url.path.endswith(path_end) for r in self.requests)

    @property
    def token_requests(self) -> int:
        return self.count("/generate-access-token")


def _call(i: int) -> dict[str, Any]:
    return {
        "call_id": 1000 + i,
        "caller_id": "02873001234",
        "callee_id": f"09{i:08d}",
        "called_at": "2025-10-09 10:16:44",
        "duration": i % 60,
        "key_press": "1 (29)" if i % 2 else "",
        "note": "NORMAL CLEARING",
        "state": 40,
        "campaign_id": 2001,
    }


def client_for(
    fake: FakeAicc, clock: Clock | None = None, http: httpx.AsyncClient | None = None, **kwargs: Any
) -> AICallCenterClient:
    """A client of connection ``ac`` whose requests ``fake`` answers."""
    config = make_config(
        ac={"provider": "aicallcenter", "base_url": "https://es.aicc.test", "secret_key": SECRET}
    )
    connection = config.connections["ac"]
    assert isinstance(connection, AICallCenterConnection)
    retry = RetryPolicy(base_delay=0)
    return AICallCenterClient(
        connection,
        http=http or mock_http(fake),
        retry=retry,
        clock=clock or fake.clock,
        **kwargs,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> FakeAicc:
    return FakeAicc(clock, calls=3)


def assert_no_secrets(error: ProviderError, fake: FakeAicc) -> None:
    text = f"{error} {error.message} {error!r}"
    assert SECRET not in text and fake.secret not in text
    assert not any(token in text for token in fake.valid)


# Access token


async def test_one_token_serves_many_calls(fake: FakeAicc) -> None:
    client = client_for(fake)
    for _ in range(5):
        await client.call_log_page(START_MS, END_MS, 0)
    assert fake.token_requests == 1
    assert fake.requests[0].url.params["secret_key"] == SECRET


async def test_concurrent_first_calls_share_one_token_request(fake: FakeAicc) -> None:
    client = client_for(fake)
    await asyncio.gather(*(client.call_log_page(START_MS, END_MS, 0) for _ in range(10)))
    assert fake.token_requests == 1


@pytest.mark.parametrize("same_token_again", [False, True])
async def test_concurrent_calls_refused_together_share_one_renewal(
    fake: FakeAicc, same_token_again: bool
) -> None:
    fake.same_token_again = same_token_again  # a token made in the same second may repeat
    all_refused = asyncio.Event()
    refused: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        response = fake(request)
        if response.json()["status"] == 0:  # hold each refusal until all ten are refused
            refused.append(request)
            if len(refused) == 10:
                all_refused.set()
            await all_refused.wait()
        return response

    client = client_for(fake, http=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    await client.check()
    fake.valid.clear()  # the provider forgets the token (secret unchanged)
    await asyncio.gather(*(client.call_log_page(START_MS, END_MS, 0) for _ in range(10)))
    assert fake.token_requests == 2
    assert fake.count("/call-log") == 20


async def test_token_is_renewed_a_day_before_exp(fake: FakeAicc, clock: Clock) -> None:
    client = client_for(fake)
    await client.call_log_page(START_MS, END_MS, 0)
    clock.now += 58 * DAY
    await client.call_log_page(START_MS, END_MS, 0)
    assert fake.token_requests == 1  # two days left
    clock.now += 1.5 * DAY
    await client.call_log_page(START_MS, END_MS, 0)
    assert fake.token_requests == 2  # half a day left: renewed before the call
    assert fake.count("/call-log") == 3  # and no call was refused


async def test_renewal_margin_is_configurable(fake: FakeAicc, clock: Clock) -> None:
    client = client_for(fake, renew_before=10 * DAY)
    await client.call_log_page(START_MS, END_MS, 0)
    clock.now += 51 * DAY
    await client.call_log_page(START_MS, END_MS, 0)
    assert fake.token_requests == 2


@pytest.mark.parametrize("opaque", [False, True])
async def test_token_without_readable_exp_is_renewed_on_401_only(
    fake: FakeAicc, clock: Clock, opaque: bool
) -> None:
    fake.ttl, fake.opaque_tokens = None, opaque
    client = client_for(fake)
    await client.call_log_page(START_MS, END_MS, 0)
    clock.now += 365 * DAY
    await client.call_log_page(START_MS, END_MS, 0)
    assert fake.token_requests == 1
    fake.valid.clear()
    await client.call_log_page(START_MS, END_MS, 0)
    assert fake.token_requests == 2


async def test_a_refused_token_is_renewed_once_and_the_call_retried_once(fake: FakeAicc) -> None:
    client = client_for(fake)
    await client.check()
    fake.valid.clear()
    page = await client.export_page(2001, START_MS, END_MS, 0)
    assert len(page.calls) == 3
    assert [r.url.path.rsplit("/", 1)[-1] for r in fake.requests] == [
        "generate-access-token",
        "export",
        "generate-access-token",
        "export",
    ]


async def test_rotated_secret_gives_one_auth_error_and_few_requests(fake: FakeAicc) -> None:
    client = client_for(fake)
    await client.check()
    fake.secret, fake.valid = "aicc_sk_rotated", set()
    before = len(fake.requests)
    with pytest.raises(AuthError) as caught:
        await client.export_page(2001, START_MS, END_MS, 0)
    assert len(fake.requests) - before == 2  # the refused call, the refused renewal
    error = caught.value
    assert (error.provider, error.connection, error.code) == ("aicallcenter", "ac", "401")
    assert "secret_key rejected" in error.message
    assert_no_secrets(error, fake)


async def test_token_refused_right_after_renewal_gives_one_auth_error(fake: FakeAicc) -> None:
    fake.answers["/api/users/call-log"] = [httpx.Response(200, json=TOKEN_REFUSED)] * 5
    client = client_for(fake)
    with pytest.raises(AuthError) as caught:
        await client.call_log_page(START_MS, END_MS, 0)
    assert fake.token_requests == 2 and fake.count("/call-log") == 2
    assert "secret_key rejected" in caught.value.message
    assert caught.value.status == 200
    assert_no_secrets(caught.value, fake)


async def test_token_rides_in_the_body_or_query_never_a_header(fake: FakeAicc) -> None:
    client = client_for(fake)
    await client.import_contact(2001, "0987654321")
    await client.export_page(2001, START_MS, END_MS, 0)
    [token] = fake.valid
    post, get = fake.requests[1], fake.requests[2]
    assert json.loads(post.content)["access_token"] == token
    assert "access_token" not in post.url.params
    assert get.url.params["access_token"] == token
    for request in fake.requests:
        assert token not in str(request.headers) and SECRET not in str(request.headers)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json=SECRET_REFUSED),
        httpx.Response(401, json=SECRET_REFUSED),
        httpx.Response(401, text="Unauthorized"),
    ],
)
async def test_check_raises_auth_error_when_the_secret_is_refused(
    fake: FakeAicc, answer: httpx.Response
) -> None:
    fake.answers["/api/users/generate-access-token"] = [answer]
    with pytest.raises(AuthError) as caught:
        await client_for(fake).check()
    assert "secret_key rejected" in caught.value.message
    assert fake.token_requests == 1
    assert_no_secrets(caught.value, fake)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html/>"),
        httpx.Response(200, json={"status": 1, "results": {}}),
        httpx.Response(200, json={"status": 1}),
    ],
)
async def test_token_answer_without_a_token_is_unexpected(
    fake: FakeAicc, answer: httpx.Response
) -> None:
    fake.answers["/api/users/generate-access-token"] = [answer]
    with pytest.raises(UnexpectedResponse) as caught:
        await client_for(fake).check()
    assert (caught.value.provider, caught.value.connection) == ("aicallcenter", "ac")


# Errors


ERRORS = [
    # (path, HTTP status, body code, message, class, retryable)
    (
        "/api/campaigns/2001/import",
        200,
        "400",
        "contacts không đúng định dạng",
        InvalidInputError,
        False,
    ),
    ("/api/campaigns/2001/import", 200, "01", "campaign_id không hợp lệ", NotFoundError, False),
    (
        "/api/campaigns/2001/import",
        200,
        "03",
        "The campaign stopped. Can not import data",
        InvalidStateError,
        False,
    ),
    ("/api/campaigns/2001/import", 500, "500", "Lỗi hệ thống", ProviderFault, True),
    ("/api/campaigns/2001/import", 200, "77", "lạ", UnexpectedResponse, False),
    ("/api/campaigns/2001/export", 200, "01", "campaign_id không hợp lệ", NotFoundError, False),
    ("/api/campaigns/2001/export", 200, 1, "campaign_id không hợp lệ", NotFoundError, False),
    ("/api/campaigns/2001/export", 404, "404", "Not found", NotFoundError, False),
    ("/api/users/call-log", 200, "400", "start_time không hợp lệ", InvalidInputError, False),
]


@pytest.mark.parametrize(("path", "status", "code", "message", "cls", "retryable"), ERRORS)
async def test_error_bodies_become_one_error_class_with_every_field(
    fake: FakeAicc,
    path: str,
    status: int,
    code: str | int,
    message: str,
    cls: type[ProviderError],
    retryable: bool,
) -> None:
    fake.answers[path] = [
        httpx.Response(status, json={"status": 0, "code": code, "message": message})
    ]
    client = client_for(fake)
    with pytest.raises(ProviderError) as caught:
        if path.endswith("/import"):
            await client.import_contact(2001, "0987654321")
        elif path.endswith("/export"):
            await client.export_page(2001, START_MS, END_MS, 0)
        else:
            await client.call_log_page(START_MS, END_MS, 0)
    error = caught.value
    assert type(error) is cls
    assert (error.provider, error.connection, error.status, error.code, error.message) == (
        "aicallcenter",
        "ac",
        status,
        str(code),
        message,
    )
    assert error.retryable is retryable


async def test_failed_import_is_never_repeated_but_a_failed_read_is(fake: FakeAicc) -> None:
    fault = httpx.Response(500, json={"status": 0, "code": "500", "message": "Lỗi hệ thống"})
    fake.answers["/api/campaigns/2001/import"] = [fault]
    fake.answers["/api/campaigns/2001/export"] = [fault, fault]
    client = client_for(fake)
    with pytest.raises(ProviderFault):
        await client.import_contact(2001, "0987654321")
    assert fake.count("/import") == 1
    page = await client.export_page(2001, START_MS, END_MS, 0)
    assert fake.count("/export") == 3 and len(page.calls) == 3


@pytest.mark.parametrize(
    ("answer", "cls"),
    [
        (httpx.Response(200, text="<html>502 Bad Gateway</html>"), UnexpectedResponse),
        (httpx.Response(200, json={"status": 1, "results": []}), UnexpectedResponse),
        (
            httpx.Response(200, json={"status": 1, "results": {"total": 1, "calls": [{"x": 1}]}}),
            UnexpectedResponse,
        ),
        (httpx.Response(200, json="ok"), UnexpectedResponse),
    ],
)
async def test_malformed_call_pages_are_unexpected(
    fake: FakeAicc, answer: httpx.Response, cls: type[ProviderError]
) -> None:
    fake.answers["/api/users/call-log"] = [answer]
    with pytest.raises(ProviderError) as caught:
        await client_for(fake).call_log_page(START_MS, END_MS, 0)
    assert type(caught.value) is cls
    assert caught.value.connection == "ac"
    assert_no_secrets(caught.value, fake)


# Import


async def test_import_matches_results_by_phone_and_parses_x_of_y(fake: FakeAicc) -> None:
    outcome = await client_for(fake).import_contacts(
        "2001",
        [
            ContactInput("+84987654321", {"ho_ten": "Nguyễn Văn A"}),
            ContactInput("0912345678", {"ho_ten": "skip me"}),
            ContactInput("0933 333 333"),
        ],
    )
    assert [(r.phone, r.call_id, r.reason) for r in outcome.rows] == [
        ("+84987654321", 5000, None),
        ("0912345678", None, REJECTED),
        ("0933 333 333", 5002, None),
    ]
    assert outcome.message == "Ghi nhận thành công 2 trên 3 bản ghi"
    assert (outcome.accepted_count, outcome.received_count) == (2, 3)
    sent = json.loads(fake.requests[-1].content)["contacts"]
    assert sent[0] == {"ho_ten": "Nguyễn Văn A", "phone_number": "+84987654321"}


async def test_rows_the_provider_would_drop_are_decided_locally_and_not_sent(
    fake: FakeAicc,
) -> None:
    outcome = await client_for(fake).import_contacts(
        2002,
        [
            ContactInput("0987654321", {"otp_code": "123456"}),
            ContactInput("0912345678", {"otp_code": "000000"}),
            ContactInput("0912345679", {"otp_code": "12345"}),
            ContactInput("+84987654321", {"otp_code": "654321"}),
            ContactInput("not a phone"),
            ContactInput("0933333333", {"otp_code": ""}),
        ],
    )
    assert [r.reason for r in outcome.rows] == [
        None,
        INVALID_OTP,
        INVALID_OTP,
        DUPLICATE_IN_REQUEST,
        INVALID_PHONE,
        None,
    ]
    sent = json.loads(fake.requests[-1].content)["contacts"]
    assert [c["phone_number"] for c in sent] == ["0987654321", "0933333333"]
    assert fake.requests[-1].url.path == "/api/campaigns/2002/import"


async def test_import_with_nothing_to_send_makes_no_request(fake: FakeAicc) -> None:
    outcome = await client_for(fake).import_contacts(2002, [ContactInput("x"), ContactInput("")])
    assert [r.reason for r in outcome.rows] == [INVALID_PHONE, INVALID_PHONE]
    assert fake.requests == [] and outcome.accepted_count is None


async def test_import_refuses_more_than_1000_rows_before_sending(fake: FakeAicc) -> None:
    with pytest.raises(ValueError, match="1000"):
        await client_for(fake).import_contacts(2001, [ContactInput("0987654321")] * 1001)
    assert fake.requests == []


# Call records


async def test_pages_follow_the_offset_to_the_total(clock: Clock) -> None:
    fake = FakeAicc(clock, calls=1234)
    client = client_for(fake)
    pages = [p async for p in client.iter_call_pages(2001, START_MS, END_MS)]
    assert [(p.offset, p.limit, len(p.calls), p.total) for p in pages] == [
        (0, 500, 500, 1234),
        (500, 500, 500, 1234),
        (1000, 500, 234, 1234),
    ]
    exports = [r.url.params for r in fake.requests if r.url.path.endswith("/export")]
    assert [(q["offset"], q["limit"]) for q in exports] == [
        ("0", "500"),
        ("500", "500"),
        ("1000", "500"),
    ]
    assert {(q["start_time"], q["end_time"]) for q in exports} == {(str(START_MS), str(END_MS))}
    calls = [c async for c in client.export_calls(2001, START_MS, END_MS)]
    assert [c.call_id for c in calls] == [1000 + i for i in range(1234)]


async def test_paging_advances_by_the_limit_the_provider_applied(clock: Clock) -> None:
    fake = FakeAicc(clock, calls=450)
    fake.max_limit = 200
    client = client_for(fake)
    pages = [p async for p in client.iter_call_pages(None, START_MS, END_MS)]
    assert [(p.offset, len(p.calls)) for p in pages] == [(0, 200), (200, 200), (400, 50)]


async def test_call_log_without_an_echoed_limit_advances_by_the_rows_received(clock: Clock) -> None:
    fake = FakeAicc(clock, calls=450)
    fake.max_limit, fake.echo_limit = 200, False
    client = client_for(fake)
    calls = [c async for c in client.call_log(START_MS, END_MS)]
    assert len({c.call_id for c in calls}) == 450 == len(calls)
    assert fake.count("/call-log") == 3


async def test_empty_period_is_one_request(fake: FakeAicc) -> None:
    fake.calls = []
    pages = [p async for p in client_for(fake).iter_call_pages(2001, START_MS, END_MS)]
    assert [(p.total, p.calls) for p in pages] == [(0, [])]


async def test_bounds_may_be_omitted_but_not_given_in_seconds(fake: FakeAicc) -> None:
    client = client_for(fake)
    await client.export_page(2001, None, None)
    assert "start_time" not in fake.requests[-1].url.params
    with pytest.raises(ValueError, match="milliseconds"):
        await client.export_page(2001, 1_759_000_000, END_MS)
    with pytest.raises(ValueError, match="limit"):
        await client.call_log_page(START_MS, END_MS, 0, limit=501)


def test_call_records_keep_unknown_keys_and_tolerate_nulls() -> None:
    call = Call.model_validate(
        {
            **_call(1),
            "key_press": None,
            "note": None,
            "caller_id": 2873001234,
            "duration": None,
            "recording_url": "https://x/rec.mp3",
        }
    )
    assert (call.key_press, call.note, call.caller_id, call.duration) == ("", "", "2873001234", 0)
    assert call.called_at == "2025-10-09 10:16:44"
    assert call.model_extra == {"campaign_id": 2001, "recording_url": "https://x/rec.mp3"}


@pytest.mark.parametrize(
    ("campaign", "raw_path"),
    [
        ("cmp-hn-01", "cmp-hn-01"),
        ("Tri ân T4/2026 #1?", "Tri%20%C3%A2n%20T4%2F2026%20%231%3F"),
        ("a%2Fb", "a%252Fb"),
        ("..", "%2E%2E"),
        (".", "%2E"),
    ],
)
async def test_a_text_campaign_id_is_one_percent_encoded_path_segment(
    fake: FakeAicc, campaign: str, raw_path: str
) -> None:
    # seed aicallcenter-api.txt: "Params campaign_id Có String", in the URL path
    client = client_for(fake)
    await client.import_contact(campaign, "0987654321")
    await client.export_page(campaign, START_MS, END_MS, 0)
    import_, export = fake.requests[-2:]
    assert import_.url.raw_path == f"/api/campaigns/{raw_path}/import".encode()
    assert export.url.raw_path.split(b"?")[0] == f"/api/campaigns/{raw_path}/export".encode()
