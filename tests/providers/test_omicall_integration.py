"""OmicallClient over real HTTP against the sandbox's OMICall simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from bot.config import Config, OmicallConnection
from bot.errors import AuthError, InvalidInputError, NotFoundError, ProviderFault
from bot.providers.omicall import Contact, ContactValue, OmicallClient
from bot.providers.retry import RetryPolicy


def crm_connection(config: Config) -> OmicallConnection:
    """The sandbox's OMICall connection."""
    conn = config.connections["crm"]
    assert isinstance(conn, OmicallConnection)
    return conn


@pytest.fixture
async def client(sandbox_config: Config) -> AsyncIterator[OmicallClient]:
    """A client of the sandbox's ``crm`` connection."""
    async with OmicallClient(crm_connection(sandbox_config)) as omicall:
        yield omicall


def seeded(sandbox: Any) -> list[dict[str, Any]]:
    """The simulator's seeded contacts, as it stores them."""
    return list(sandbox.omicall.contacts.values())


async def eventually_found(client: OmicallClient, keyword: str) -> Contact:
    """The first contact matching ``keyword``, polled for at most five seconds."""
    async with asyncio.timeout(5):
        while True:
            page = await client.search_page(keyword, size=5)
            if page.items:
                return page.items[0]
            await asyncio.sleep(0.05)


async def test_search_finds_a_seeded_contact_by_phone_email_and_name(
    client: OmicallClient, sandbox: Any
) -> None:
    target = next(c for c in seeded(sandbox) if c["emails"])
    phone, email = target["phones"][0]["data"], target["emails"][0]["data"]
    for keyword in (phone, email, target["fullName"]):
        ids = [c.id async for c in client.search(keyword)]
        assert target["id"] in ids, keyword
    found = (await client.search_page(phone)).items[0]
    assert (found.ref_id, found.phones[0].data) == (target["refId"], phone)


async def test_search_pages_count_from_zero_and_iterate_to_the_end(
    client: OmicallClient, sandbox: Any
) -> None:
    total = len(seeded(sandbox))
    first, second = await client.search_page(size=7), await client.search_page(page=1, size=7)
    assert (first.index, first.size, first.total, first.has_next) == (0, 7, total, True)
    assert {c.id for c in first.items}.isdisjoint(c.id for c in second.items)
    assert [r.query["page"] for r in sandbox.requests("omicall")] == ["1", "2"]
    ids = [c.id async for c in client.search(size=40)]
    assert len(ids) == len(set(ids)) == total


async def test_search_by_owner_returns_only_that_agent_or_unassigned(
    client: OmicallClient, sandbox: Any
) -> None:
    owner = next(c["user_owner_email"] for c in seeded(sandbox) if c["user_owner_email"])
    owned = [c async for c in client.search(owners=[owner])]
    assert owned and all(c.user_owner_email == owner for c in owned)
    unassigned = [c async for c in client.search(owners=["unassigned"])]
    assert unassigned and all(c.user_owner_email is None for c in unassigned)


async def test_add_returns_the_created_contact_with_an_id(client: OmicallClient) -> None:
    created = await client.add(
        Contact.from_row(
            "0987654321",
            "Trần Thị Mai",
            {"email": "mai.tran@example.vn", "refId": "T-1", "Hạng": "Vàng"},
        )
    )
    assert created.id and created.full_name == "Trần Thị Mai"
    assert created.more_information[0].value_type == "Hạng"
    assert (await client.details(created.id)).emails[0].data == "mai.tran@example.vn"


async def test_add_more_contacts_appear_after_the_provider_processes_them(
    client: OmicallClient, sandbox: Any
) -> None:
    sandbox.omicall.add_more_delay = 0.3
    rows = [("0977000111", "Lê Văn Nam"), ("0977000222", "Phạm Thị Lan")]
    await client.add_more([Contact.from_row(phone, name) for phone, name in rows])
    for phone, name in rows:
        assert (await eventually_found(client, phone)).full_name == name


async def test_update_sets_fields_and_dynamic_attributes(
    client: OmicallClient, sandbox: Any
) -> None:
    target = seeded(sandbox)[0]
    attribute = next(a for a in await client.layout() if a.field_type == "single_text")
    updated = await client.update(
        Contact(ref_id=target["refId"], note="Gọi lại sau 17h", tags=["VIP"]),
        dynamic_attributes=[attribute.with_values("khách quen")],
    )
    assert updated is not None and updated.note == "Gọi lại sau 17h"
    again = await client.details(target["id"])
    assert (again.note, again.tags) == ("Gọi lại sau 17h", ["VIP"])
    stored = sandbox.omicall.dynamic_values[target["id"]]
    assert stored[0]["field_code"] == attribute.field_code
    assert stored[0]["dynamic_attribute_value"] == [{"display_value": "khách quen"}]


async def test_update_of_an_unknown_ref_id_is_not_found(client: OmicallClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.update(Contact(ref_id="NO-SUCH-REF", note="x"))
    assert (caught.value.connection, caught.value.code) == ("crm", "404")


async def test_delete_removes_the_contact(client: OmicallClient) -> None:
    created = await client.add(Contact.from_row("0966111222", "Đỗ Minh Quân"))
    assert created.id
    await client.delete(created.id)
    with pytest.raises(NotFoundError):
        await client.details(created.id)


async def test_add_note_is_stored_against_the_contact(client: OmicallClient, sandbox: Any) -> None:
    target = seeded(sandbox)[1]
    phone = target["phones"][0]["data"]
    await client.add_note(phone, "Khách hẹn gọi lại", note_by="an.nguyen@callops.vn")
    note = sandbox.omicall.notes[-1]
    assert (note["contact_id"], note["content"], note["note_by"]) == (
        target["id"],
        "Khách hẹn gọi lại",
        "an.nguyen@callops.vn",
    )


async def test_note_for_an_unknown_phone_is_not_found(client: OmicallClient) -> None:
    with pytest.raises(NotFoundError):
        await client.add_note("0900000000", "không ai")


async def test_get_by_phone_ref_id_and_ref_code(client: OmicallClient, sandbox: Any) -> None:
    target = seeded(sandbox)[2]
    by_phone = await client.get(phone=target["phones"][0]["data"])
    by_ref_id = await client.get(ref_id=target["refId"])
    by_ref_code = await client.get(ref_code=target["refCode"])
    assert by_phone.id == by_ref_id.id == by_ref_code.id == target["id"]
    assert by_ref_code.phones[0] == ContactValue.of(target["phones"][0]["data"])


async def test_details_of_an_unknown_id_is_not_found(client: OmicallClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.details("no-such-id")
    error = caught.value
    assert (error.provider, error.connection, error.code, error.retryable) == (
        "omicall",
        "crm",
        "404",
        False,
    )
    assert "no-such-id" in error.message


async def test_layout_lists_the_custom_fields(client: OmicallClient, sandbox: Any) -> None:
    layout = await client.layout()
    assert [a.field_code for a in layout] == [f["field_code"] for f in sandbox.omicall.layout]
    assert all(a.name for a in layout)


async def test_invalid_contact_is_refused_with_the_provider_message(client: OmicallClient) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await client.add(Contact(full_name="Ngô Thu Hà", birthday="1990-01-02"))
    assert "birthday" in caught.value.message


async def test_check_passes_with_the_token_and_fails_with_a_bad_one(
    client: OmicallClient, sandbox_config: Config
) -> None:
    await client.check()
    wrong = crm_connection(sandbox_config).model_copy(update={"access_token": SecretStr("nope")})
    async with OmicallClient(wrong) as bad:
        with pytest.raises(AuthError) as caught:
            await bad.check()
    assert (caught.value.status, caught.value.connection, caught.value.retryable) == (
        401,
        "crm",
        False,
    )


async def test_system_errors_retry_reads_but_never_repeat_an_add(
    sandbox: Any, sandbox_config: Config
) -> None:
    sandbox.faults("omicall").error_ratio = 1.0
    policy = RetryPolicy(base_delay=0, max_delay=0)
    async with OmicallClient(crm_connection(sandbox_config), retry=policy) as client:
        with pytest.raises(ProviderFault) as caught:
            await client.add(Contact.from_row("0955123456", "Vũ Thị Yến"))
        assert (caught.value.status, caught.value.retryable) == (500, True)
        assert len(sandbox.requests("omicall")) == 1
        with pytest.raises(ProviderFault):
            await client.layout()
    assert len(sandbox.requests("omicall")) == 1 + policy.max_attempts


async def test_rate_limited_request_waits_and_succeeds(client: OmicallClient, sandbox: Any) -> None:
    sandbox.set_rate_limit("omicall", 1, 0.5)
    await client.layout()
    await client.layout()  # refused once with Retry-After: 1, then admitted
    assert [r.status for r in sandbox.requests("omicall")] == [200, 429, 200]
    assert all(
        r.headers["Authorization"] == f"Bearer {sandbox.omicall.access_token}"
        for r in sandbox.requests("omicall")
    )
