"""OmicallClient against a mock transport: envelope, errors, retries, paging, bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest

from bot.errors import (
    AuthError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    ProviderError,
    ProviderFault,
    RateLimitedError,
    ScopeError,
    UnexpectedResponse,
)
from bot.providers.omicall import Contact, DynamicAttribute, Note, OmicallClient
from bot.providers.retry import RetryPolicy
from tests.conftest import make_config, mock_http

BASE = "https://omi.test"
NO_WAIT = RetryPolicy(base_delay=0, max_delay=0)


def envelope(payload: Any, status_code: int = 9999) -> dict[str, Any]:
    """An OMICall answer around ``payload``."""
    return {
        "instance_id": "stg",
        "instance_version": "1.2.164",
        "key_enabled": False,
        "status_code": status_code,
        "payload": payload,
    }


def contact(n: int, **extra: Any) -> dict[str, Any]:
    """A contact as OMICall sends it."""
    return {
        "id": f"c{n}",
        "fullName": f"Khách {n}",
        "phones": [{"data": f"09123450{n:02d}", "type": "personal", "valueType": "Cá nhân"}],
        **extra,
    }


class Recorder:
    """A mock provider: answers from ``handler`` and keeps every request."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def body(self, index: int = -1) -> Any:
        """The JSON body of a recorded request."""
        return json.loads(self.requests[index].content)


def client_for(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[OmicallClient, Recorder]:
    """A client of connection ``crm`` whose requests ``handler`` answers."""
    config = make_config(crm={"provider": "omicall", "base_url": BASE, "access_token": "tok-1"})
    recorder = Recorder(handler)
    conn = config.connections["crm"]
    assert conn.provider == "omicall"
    return OmicallClient(conn, http=mock_http(recorder), retry=NO_WAIT), recorder


def answer(payload: Any, status_code: int = 9999, http: int = 200) -> Callable[..., httpx.Response]:
    """A handler answering every request with one envelope."""
    return lambda request: httpx.Response(http, json=envelope(payload, status_code))


async def test_requests_carry_bearer_token_and_json_body() -> None:
    client, rec = client_for(answer(contact(1)))
    await client.add(Contact.from_row("0912345001", "Khách 1"))
    request = rec.requests[0]
    assert request.headers["Authorization"] == "Bearer tok-1"
    assert request.headers["Content-Type"] == "application/json"
    assert (request.method, request.url.path) == ("POST", "/api/contacts/add")


async def test_first_ui_page_is_omicall_page_one_with_keyword_and_owner_filter() -> None:
    payload = {"items": [contact(1)], "page_number": 1, "page_size": 10, "total_items": 1}
    client, rec = client_for(answer({**payload, "has_next": False}))
    page = await client.search_page("0912", page=0, size=10, owners=["unassigned", "a@x.vn"])
    assert dict(rec.requests[0].url.params) == {"page": "1", "size": "10"}
    assert rec.body() == {
        "keyword": "0912",
        "filters": [{"field_code": "contact_owner", "value": ["unassigned", "a@x.vn"]}],
    }
    assert (page.index, page.size, page.total, page.has_next) == (0, 10, 1, False)
    assert page.items[0].full_name == "Khách 1"


async def test_search_without_keyword_sends_an_empty_body() -> None:
    client, rec = client_for(answer({"items": [], "total_items": 0, "has_next": False}))
    page = await client.search_page(page=2, size=5)
    assert rec.requests[0].url.params["page"] == "3"
    assert rec.body() == {}
    assert page.items == [] and not page.has_next


async def test_search_iterates_pages_until_provider_says_no_next() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        items = [contact(number * 10 + i) for i in range(2 if number < 3 else 1)]
        payload = {"items": items, "page_number": number, "page_size": 2, "has_next": number < 3}
        return httpx.Response(200, json=envelope(payload))

    client, rec = client_for(handler)
    ids = [c.id async for c in client.search("Khách", size=2)]
    assert ids == ["c10", "c11", "c20", "c21", "c30"]
    assert [r.url.params["page"] for r in rec.requests] == ["1", "2", "3"]


async def test_search_trusts_has_next_over_a_clamped_page_size() -> None:
    # Asked for 500 but the provider clamps to 2: the total alone would end after page 1.
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        payload = {
            "items": [contact(number)],
            "page_size": 1,
            "total_items": 2,
            "has_next": number < 2,
        }
        return httpx.Response(200, json=envelope(payload))

    client, _ = client_for(handler)
    assert [c.id async for c in client.search(size=500)] == ["c1", "c2"]


async def test_search_without_has_next_stops_at_total() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return httpx.Response(200, json=envelope({"items": [contact(number)], "total_items": 2}))

    client, rec = client_for(handler)
    assert [c.id async for c in client.search(size=1)] == ["c1", "c2"]
    assert len(rec.requests) == 2


async def test_unknown_fields_are_kept_and_not_sent_back() -> None:
    raw = contact(
        1, created_date=1747128866529, more_infomation=[{"value_type": "Điểm", "display_value": 90}]
    )
    client, rec = client_for(answer(raw))
    found = await client.details("c1")
    assert found.model_extra == {"created_date": 1747128866529}
    assert found.more_information[0].display_value == "90"
    await client.update(found.model_copy(update={"ref_id": "R1"}))
    assert "created_date" not in rec.body()
    assert rec.body()["more_infomation"] == [{"value_type": "Điểm", "display_value": "90"}]


async def test_numeric_ids_become_text() -> None:
    client, _ = client_for(answer({"id": 42, "refId": 7, "phones": [{"data": 912345678}]}))
    found = await client.get(phone="0912345678")
    assert (found.id, found.ref_id, found.phones[0].data) == ("42", "7", "912345678")


ENVELOPE_ERRORS = [
    (401, AuthError, False),
    (403, ScopeError, False),
    (404, NotFoundError, False),
    (400, InvalidInputError, False),
    (422, InvalidInputError, False),
    (409, InvalidStateError, False),
    (500, ProviderFault, True),
    (503, ProviderFault, True),
    (1234, UnexpectedResponse, False),
]


@pytest.mark.parametrize(("code", "cls", "retryable"), ENVELOPE_ERRORS)
@pytest.mark.parametrize("payload", ["Có lỗi xảy ra", {"message": "Có lỗi xảy ra"}])
async def test_envelope_error_becomes_its_class(
    code: int, cls: type[ProviderError], retryable: bool, payload: Any
) -> None:
    client, rec = client_for(answer(payload, status_code=code))
    with pytest.raises(ProviderError) as caught:
        await client.add(Contact(full_name="A"))
    error = caught.value
    assert type(error) is cls
    assert (error.provider, error.connection, error.status) == ("omicall", "crm", 200)
    assert (error.code, error.message, error.retryable) == (str(code), "Có lỗi xảy ra", retryable)
    assert len(rec.requests) == 1  # POST add is never repeated


async def test_envelope_error_with_http_error_status_keeps_both() -> None:
    client, _ = client_for(answer("không tìm thấy", status_code=404, http=404))
    with pytest.raises(NotFoundError) as caught:
        await client.details("nope")
    assert (caught.value.status, caught.value.code) == (404, "404")
    assert caught.value.message == "không tìm thấy"


async def test_envelope_rate_limit_waits_retry_after_then_succeeds() -> None:
    answers = iter(
        [
            httpx.Response(200, json=envelope("quá nhiều", 429), headers={"Retry-After": "0"}),
            httpx.Response(200, json=envelope(contact(1))),
        ]
    )
    client, rec = client_for(lambda request: next(answers))
    assert (await client.add(Contact(full_name="A"))).id == "c1"
    assert len(rec.requests) == 2  # the provider did not act on a rate-limited request


async def test_envelope_rate_limit_past_the_budget_is_raised() -> None:
    client, rec = client_for(answer("quá nhiều", status_code=429))
    with pytest.raises(RateLimitedError) as caught:
        await client.layout()
    assert caught.value.retryable and caught.value.code == "429"
    assert len(rec.requests) == NO_WAIT.max_rate_limited_attempts


async def test_http_401_without_envelope_is_auth_error() -> None:
    client, _ = client_for(lambda request: httpx.Response(401, json={"message": "Unauthorized"}))
    with pytest.raises(AuthError) as caught:
        await client.check()
    error = caught.value
    assert (error.provider, error.connection, error.status, error.code) == (
        "omicall",
        "crm",
        401,
        None,
    )
    assert (error.message, error.retryable) == ("Unauthorized", False)


async def test_http_404_with_empty_body_is_not_found() -> None:
    client, _ = client_for(lambda request: httpx.Response(404))
    with pytest.raises(NotFoundError) as caught:
        await client.details("c404")
    assert (caught.value.status, caught.value.retryable) == (404, False)


async def test_malformed_json_is_unexpected_response() -> None:
    client, _ = client_for(lambda request: httpx.Response(200, text="<html>502 Bad Gateway</html>"))
    with pytest.raises(UnexpectedResponse) as caught:
        await client.layout()
    assert (caught.value.connection, caught.value.status, caught.value.retryable) == (
        "crm",
        200,
        False,
    )


async def test_json_without_envelope_is_unexpected_response() -> None:
    client, _ = client_for(lambda request: httpx.Response(200, json={"items": []}))
    with pytest.raises(UnexpectedResponse):
        await client.layout()


async def test_payload_of_the_wrong_shape_is_unexpected_response() -> None:
    client, _ = client_for(answer("not a contact"))
    with pytest.raises(UnexpectedResponse) as caught:
        await client.details("c1")
    assert caught.value.connection == "crm"


async def test_5xx_on_get_is_retried_until_it_succeeds() -> None:
    answers = iter(
        [
            httpx.Response(502, text="<html>Bad Gateway</html>"),
            httpx.Response(200, json=envelope("lỗi hệ thống", 500)),
            httpx.Response(200, json=envelope(contact(1))),
        ]
    )
    client, rec = client_for(lambda request: next(answers))
    assert (await client.get(ref_id="R1")).id == "c1"
    assert len(rec.requests) == 3


async def test_5xx_on_get_gives_up_after_the_retry_budget() -> None:
    client, rec = client_for(answer("lỗi hệ thống", status_code=500))
    with pytest.raises(ProviderFault) as caught:
        await client.details("c1")
    assert caught.value.retryable
    assert len(rec.requests) == NO_WAIT.max_attempts


@pytest.mark.parametrize("http", [200, 500])
async def test_5xx_on_add_is_not_repeated(http: int) -> None:
    client, rec = client_for(answer("lỗi hệ thống", status_code=500, http=http))
    with pytest.raises(ProviderFault):
        await client.add(Contact.from_row("0912345001", "A"))
    assert len(rec.requests) == 1


async def test_5xx_on_add_more_is_not_repeated() -> None:
    client, rec = client_for(answer("lỗi hệ thống", status_code=503))
    with pytest.raises(ProviderFault):
        await client.add_more([Contact.from_row("0912345001", "A")])
    assert len(rec.requests) == 1


async def test_add_more_sends_one_array_and_nothing_when_empty() -> None:
    client, rec = client_for(answer(None))
    await client.add_more([])
    assert rec.requests == []
    await client.add_more(
        [Contact.from_row("0912345001", "A"), Contact.from_row("0912345002", "B")]
    )
    assert rec.requests[0].url.path == "/api/contacts/add-more"
    assert [c["phones"][0]["data"] for c in rec.body()] == ["0912345001", "0912345002"]


async def test_update_sends_ref_id_fields_and_dynamic_attributes() -> None:
    client, rec = client_for(answer(None))
    layout_item = DynamicAttribute.model_validate(
        {"field_code": "vWabCEBkqM", "field_type": "single_text", "field_name": "Hạng"}
    )
    result = await client.update(
        Contact(ref_id="R1", note="gọi lại"), dynamic_attributes=[layout_item.with_values("VIP")]
    )
    assert result is None
    assert rec.requests[0].url.path == "/api/contacts/update"
    assert rec.body() == {
        "refId": "R1",
        "note": "gọi lại",
        "dynamic_attributes": [
            {
                "field_code": "vWabCEBkqM",
                "field_type": "single_text",
                "dynamic_attribute_value": [{"display_value": "VIP"}],
            }
        ],
    }


async def test_update_returns_the_contact_when_the_provider_sends_it() -> None:
    client, _ = client_for(answer(contact(1, refId="R1", note="mới")))
    updated = await client.update(Contact(ref_id="R1", note="mới"))
    assert updated is not None and updated.note == "mới"


async def test_update_without_ref_id_is_refused_before_sending() -> None:
    client, rec = client_for(answer(None))
    with pytest.raises(InvalidInputError) as caught:
        await client.update(Contact(id="c1", note="x"))
    assert (caught.value.field, caught.value.connection) == ("refId", "crm")
    assert rec.requests == []


async def test_delete_uses_the_id_in_the_path() -> None:
    client, rec = client_for(answer(None))
    await client.delete("c9")
    assert (rec.requests[0].method, rec.requests[0].url.path) == (
        "DELETE",
        "/api/contacts/delete/c9",
    )


async def test_notes_are_sent_as_one_array() -> None:
    client, rec = client_for(answer(None))
    await client.add_notes([Note(phone="0912345001", content="a", note_by="ag@x.vn")])
    await client.add_note("0912345002", "b")
    assert rec.body(0) == [{"phone": "0912345001", "content": "a", "note_by": "ag@x.vn"}]
    assert rec.body(1) == [{"phone": "0912345002", "content": "b"}]


@pytest.mark.parametrize(
    ("selector", "param"),
    [
        ({"phone": "0912345001"}, "phone"),
        ({"ref_id": "R1"}, "ref_id"),
        ({"ref_code": "K1"}, "ref_code"),
    ],
)
async def test_get_sends_exactly_the_selector_given(selector: dict[str, str], param: str) -> None:
    client, rec = client_for(answer(contact(1)))
    await client.get(**selector)
    assert rec.requests[0].url.path == "/api/contacts/get"
    assert dict(rec.requests[0].url.params) == {param: selector[param]}


@pytest.mark.parametrize("selector", [{}, {"phone": "0912345001", "ref_id": "R1"}])
async def test_get_needs_exactly_one_selector(selector: dict[str, str]) -> None:
    client, rec = client_for(answer(contact(1)))
    with pytest.raises(ValueError, match="exactly one"):
        await client.get(**selector)
    assert rec.requests == []


async def test_layout_lists_dynamic_attributes_and_check_reads_it() -> None:
    items = [{"field_code": "f1", "field_type": "single_text", "field_name": "Hạng", "order": 1}]
    client, rec = client_for(answer(items))
    layout = await client.layout()
    assert (layout[0].field_code, layout[0].name, layout[0].model_extra) == (
        "f1",
        "Hạng",
        {"order": 1},
    )
    await client.check()
    assert [r.url.path for r in rec.requests] == ["/api/source_contact_layout/get"] * 2


def test_contact_from_row_maps_known_fields_and_keeps_the_rest_as_custom_values() -> None:
    row = {"email": "an@x.vn", "tags": "VIP, mới", "refId": "R1", "Cao": "1.75m", "note": ""}
    body = Contact.from_row("0912345001", "Nguyễn An", row).to_body()
    assert body == {
        "fullName": "Nguyễn An",
        "phones": [{"data": "0912345001", "type": "personal", "valueType": "Cá nhân"}],
        "emails": [{"data": "an@x.vn", "type": "personal", "valueType": "Cá nhân"}],
        "tags": ["VIP", "mới"],
        "refId": "R1",
        "more_infomation": [{"value_type": "Cao", "display_value": "1.75m"}],
    }


def test_birthday_accepts_a_date() -> None:
    assert Contact(birthday=date(1990, 1, 2)).birthday == "02/01/1990"
