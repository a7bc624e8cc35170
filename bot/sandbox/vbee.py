"""Vbee AICall simulator: ``POST /api/v1/public-api/campaign`` behind a per-request JWT.

Errors are ``{"status": 0, "code": int, "message": str}``. A bad or unverifiable token is
HTTP 401 and a system error HTTP 500; every other refusal (1201, 1402, 1403) is HTTP 200
with the error body, which is why clients must read the body as well as the status.
Vbee does not deduplicate: the same phone sent twice is added twice.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from aiohttp import web

from bot.sandbox.clock import Clock
from bot.sandbox.demo_data import token
from bot.sandbox.gate import Gate, ProviderShape, json_response, read_json
from bot.sandbox.ratelimit import Decision
from bot.sandbox.vnphone import e164

MAX_CONTACTS = 1000  # PROVIDERS.md §2: "at most 1000 contacts per request" (assumption)
PATH = "/api/v1/public-api/campaign"
# campaign_id is a String (seed: "campaign_id* String Mã chiến dịch"): the demo ids are text,
# one of them with spaces, Vietnamese letters and URL punctuation.
ENCODED = "Nhắc hẹn T4/2026 #2?"


class VbeeError(Exception):
    """A refusal with Vbee's numeric code and the HTTP status it is sent with.

    Outside ``bot.errors``: the sandbox imports nothing from the rest of ``bot``; this is the
    simulated provider's refusal, sent as an HTTP answer, not an error of callops.
    """

    def __init__(self, code: int, message: str, http_status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


def error(code: int, message: str, http_status: int = 200) -> web.Response:
    """The Vbee error body."""
    return json_response({"status": 0, "code": code, "message": message}, http_status)


@dataclass
class VbeeCampaign:
    """A scripted campaign; ``has_balance`` False makes every import fail with 1402."""

    campaign_id: str
    name: str
    tags: tuple[str, ...]
    has_balance: bool = True


class VbeeState:
    """The Vbee application (key and secret), its campaigns and every contact added."""

    def __init__(self, rng: random.Random, clock: Clock) -> None:
        self.clock = clock
        self._rng = rng
        self.api_key = token(rng, "vbee_ak_", 12)
        self.api_secret = token(rng, "", 32)
        self.apps = {self.api_key: self.api_secret}
        self.campaigns = {
            c.campaign_id: c
            for c in (
                VbeeCampaign("vbee-cmp-1", "Nhắc lịch hẹn", ("danh_xung", "ho_ten")),
                VbeeCampaign("vbee-cmp-2", "Chúc mừng sinh nhật", ("ho_ten",)),
                VbeeCampaign("vbee-cmp-nobalance", "Hết số dư", ("ho_ten",), has_balance=False),
                VbeeCampaign(ENCODED, "Nhắc hẹn tháng 4", ("ho_ten",)),
            )
        }
        self.contacts: dict[str, list[dict[str, Any]]] = {cid: [] for cid in self.campaigns}
        self.requests: list[Any] = []

    def authenticate(self, authorization: str | None) -> str:
        """The apiKey of a valid Bearer token; raises 401 or 1201."""
        scheme, _, access_token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not access_token.strip():
            raise VbeeError(401, "Unauthorized", 401)
        access_token = access_token.strip()
        try:
            claims = jwt.decode(access_token, options={"verify_signature": False})
            algorithm = jwt.get_unverified_header(access_token).get("alg")
        except jwt.PyJWTError:
            raise VbeeError(401, "Unauthorized", 401) from None
        api_key = claims.get("apiKey")
        secret = self.apps.get(api_key) if isinstance(api_key, str) else None
        if secret is None or not isinstance(api_key, str):
            raise VbeeError(1201, "Application is not found")
        if algorithm != "HS256":
            raise VbeeError(401, "Unauthorized", 401)
        try:
            # exp/iat/nbf are checked against the sandbox clock below, not real time
            jwt.decode(
                access_token,
                secret,
                algorithms=["HS256"],
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError:
            raise VbeeError(401, "Unauthorized", 401) from None
        exp = claims.get("exp")
        if isinstance(exp, int | float) and exp < self.clock.time():
            raise VbeeError(401, "Unauthorized", 401)
        return api_key

    def add_contacts(self, body: Any) -> list[dict[str, Any]]:
        """Add the valid contacts of a request body; returns the ``result`` rows."""
        if not isinstance(body, dict):
            raise VbeeError(1402, "Import contacts failed: body must be a JSON object")
        campaign_id = body.get("campaign_id")
        campaign = self.campaigns.get(campaign_id) if isinstance(campaign_id, str) else None
        if campaign is None:  # seed: "1402 Import contacts failed"
            raise VbeeError(1402, "Import contacts failed: campaign not found")
        contacts = body.get("contacts")
        # seed: "Ngoài tham số bắt buộc phone_number, mỗi liên hệ …": a list of contacts
        if not isinstance(contacts, list) or not contacts:
            raise VbeeError(1402, "Import contacts failed: contacts must be a non-empty array")
        if len(contacts) > MAX_CONTACTS:
            raise VbeeError(1402, f"Import contacts failed: at most {MAX_CONTACTS} contacts")
        if not campaign.has_balance:
            raise VbeeError(1402, "Import contacts failed: insufficient balance")
        result = []
        for contact in contacts:
            # seed: "phone_number String Có"; "1403 All contacts is invalid (Kiếm tra lại
            # trường phone_number)": an invalid phone is left out of ``result``
            phone = e164(contact.get("phone_number")) if isinstance(contact, dict) else None
            if phone is None:
                continue
            contact_id = uuid.UUID(int=self._rng.getrandbits(128), version=4)
            row: dict[str, Any] = {"contact_id": str(contact_id)}
            row.update((k, v) for k, v in contact.items() if k != "phone_number")
            row["so_dien_thoai"] = phone
            result.append(row)
        if not result:
            raise VbeeError(1403, "All contacts is invalid")
        self.contacts[campaign.campaign_id].extend(dict(row) for row in result)
        return result


class VbeeShape(ProviderShape):
    """Vbee's generic errors."""

    def system_error(self) -> web.Response:
        """Code 500, HTTP 500."""
        return error(500, "Lỗi hệ thống", 500)

    def error_body(self) -> web.Response:
        """Code 500 ("Lỗi hệ thống", vbee-aicall-campaign.txt) with HTTP 200: ``status`` 0."""
        return error(500, "Lỗi hệ thống", 200)

    def rate_limited(self, decision: Decision) -> web.Response:
        """Code 429, HTTP 429, with Retry-After."""
        response = error(429, "Too many requests", 429)
        response.headers["Retry-After"] = str(decision.retry_after)
        return response

    def route_error(self, status: int) -> web.Response:
        """Unknown path or method."""
        return error(status, "Not found" if status == 404 else "Method not allowed", status)


def build_app(state: VbeeState, gate: Gate) -> web.Application:
    """The Vbee sub-application, to mount under ``/vbee``."""
    app = web.Application(middlewares=[gate.middleware()])

    async def add_contacts(request: web.Request) -> web.Response:
        try:
            state.authenticate(request.headers.get("Authorization"))
            ok, body = await read_json(request)
            if not ok:
                raise VbeeError(1402, "Import contacts failed: body is not valid JSON")
            return json_response({"status": 1, "result": state.add_contacts(body)})
        except VbeeError as exc:
            return error(exc.code, exc.message, exc.http_status)

    app.router.add_post(PATH, add_contacts)
    return app
