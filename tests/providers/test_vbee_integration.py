"""Vbee AICall client over real HTTP against the sandbox simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Config, VbeeConnection
from bot.errors import AuthError, InvalidInputError, InvalidStateError
from bot.providers.vbee import INVALID_PHONE, ContactInput, VbeeClient
from tests.conftest import make_config


def vbee_client(config: Config, name: str = "vbee") -> VbeeClient:
    connection = config.connections[name]
    assert isinstance(connection, VbeeConnection)
    return VbeeClient(connection)


@pytest.fixture
async def client(sandbox_config: Config) -> AsyncIterator[VbeeClient]:
    async with vbee_client(sandbox_config) as vbee:
        yield vbee


def with_credentials(sandbox: Any, **fields: str) -> VbeeClient:
    """A client of the sandbox's Vbee with some credential replaced."""
    return vbee_client(make_config(vbee={**sandbox.connections()["vbee"], **fields}))


async def test_valid_rows_are_added_and_invalid_rows_reported(
    sandbox: Any, client: VbeeClient
) -> None:
    rows = [
        ContactInput("0987654321", {"ho_ten": "Nguyễn Văn A", "danh_xung": "Anh"}),
        ContactInput("+16502530000", {"ho_ten": "Foreign"}),  # sent; Vbee refuses it
        ContactInput("12", {"ho_ten": "Garbage"}),  # refused locally
        ContactInput("0912.345.678", {"ho_ten": "Trần Thị B", "danh_xung": "Chị"}),
        ContactInput("0987654321", {"ho_ten": "Nguyễn Văn A again"}),  # Vbee adds it twice
    ]
    outcomes = await client.add_contacts("vbee-cmp-1", rows)

    assert [o.reason for o in outcomes] == [None, INVALID_PHONE, INVALID_PHONE, None, None]
    stored = sandbox.vbee.contacts["vbee-cmp-1"]
    assert [o.contact_id for o in outcomes if o.accepted] == [c["contact_id"] for c in stored]
    assert [c["ho_ten"] for c in stored] == ["Nguyễn Văn A", "Trần Thị B", "Nguyễn Văn A again"]
    assert outcomes[3].record is not None and outcomes[3].record.phone == "+84912345678"
    [request] = sandbox.requests("vbee")
    assert request.path == "/api/v1/public-api/campaign"
    assert len(request.json["contacts"]) == 4


async def test_all_rows_invalid_is_error_1403(sandbox: Any, client: VbeeClient) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await client.add_contacts("vbee-cmp-1", [ContactInput("+16502530000")])
    error = caught.value
    assert (error.provider, error.connection, error.status, error.code) == (
        "vbee",
        "vbee",
        200,
        "1403",
    )
    assert error.message == "All contacts is invalid" and not error.retryable


@pytest.mark.parametrize("campaign", ["vbee-cmp-nobalance", "no-such-campaign"])
async def test_import_refused_by_the_campaign_is_error_1402(
    client: VbeeClient, campaign: str
) -> None:
    with pytest.raises(InvalidStateError) as caught:
        await client.add_contact(campaign, "0987654321")
    assert caught.value.code == "1402"


async def test_wrong_secret_is_auth_error_401(sandbox: Any) -> None:
    async with with_credentials(sandbox, api_secret="x" * 40) as client:
        with pytest.raises(AuthError) as caught:
            await client.add_contact("vbee-cmp-1", "0987654321")
        with pytest.raises(AuthError):
            await client.check()
    assert (caught.value.status, caught.value.code) == (401, "401")
    assert sandbox.vbee.contacts["vbee-cmp-1"] == []


async def test_unknown_api_key_is_auth_error_1201(sandbox: Any) -> None:
    async with with_credentials(sandbox, api_key="vbee_ak_unknown") as client:
        with pytest.raises(AuthError) as caught:
            await client.check()
    assert (caught.value.status, caught.value.code) == (200, "1201")
    assert caught.value.message == "Application is not found"


async def test_check_passes_with_good_credentials_and_adds_nothing(
    sandbox: Any, client: VbeeClient
) -> None:
    await client.check()
    assert all(contacts == [] for contacts in sandbox.vbee.contacts.values())
    assert len(sandbox.requests("vbee")) == 1
