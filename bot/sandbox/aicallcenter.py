"""AICallCenter simulator state: secret key → access token, campaigns, imports, call records.

Business errors are ``{"status": 0, "code": "<string>", "message": str}`` sent with
HTTP 200 (only system errors are 5xx and rate limiting 429): clients must read the body.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from aiohttp import web

from bot.sandbox.aicc_calls import DAY, call_record, generate_calls
from bot.sandbox.clock import Clock
from bot.sandbox.demo_data import token
from bot.sandbox.gate import Gate, ProviderShape, json_response, read_json
from bot.sandbox.ratelimit import Decision
from bot.sandbox.vnphone import national

MAX_CONTACTS = 1000  # PROVIDERS.md §3.2: "at most 1000 contacts per request" (assumption)
MAX_LIMIT = 500  # PROVIDERS.md §3: "the largest limit the provider accepts is 500" (assumption)
DEFAULT_LIMIT = 10
USER_ID = 276
FIRST_CALL_ID = 1_000_001
BAD_TOKEN = "access token không chính xác. bạn không có quyền truy cập"
# campaign_id is a String (seed: "Params campaign_id Có String id của chiến dịch"): the
# demo ids are text, one of them with every character a URL path must encode.
CARE, OTP, STOPPED, FOREIGN = "cmp-hn-01", "cmp-otp-02", "cmp-ks-03", "cmp-other-04"
ENCODED = "Tri ân T4/2026 #1?"


class AiccError(Exception):
    """A refusal with AICallCenter's string code.

    Outside ``bot.errors``: the sandbox imports nothing from the rest of ``bot``; this is the
    simulated provider's refusal, sent as an HTTP answer, not an error of callops.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class AiccCampaign:
    """A campaign; ``ours`` False means another account owns it (answered as code 01)."""

    campaign_id: str
    name: str
    created_ms: int
    caller_id: str
    answer_rate: float
    otp: bool = False
    running: bool = True
    ours: bool = True


class AICallCenterState:
    """The account (secret key, tokens), its campaigns, imported contacts and calls."""

    def __init__(
        self, rng: random.Random, clock: Clock, call_records: int, token_ttl_seconds: int
    ) -> None:
        self.clock = clock
        self.token_ttl_seconds = token_ttl_seconds
        self._rng = rng
        self._signing_key = token(rng, "aicc-signing-", 32)
        self.secret_key = token(rng, "aicc_sk_", 16)
        created = int(clock.time() - 30 * DAY) * 1000
        self.campaigns = {
            c.campaign_id: c
            for c in (
                AiccCampaign(CARE, "Chăm sóc khách hàng", created, "02873001234", 0.68),
                AiccCampaign(OTP, "Xác thực OTP", created, "02873001235", 0.62, otp=True),
                AiccCampaign(
                    STOPPED, "Khảo sát (đã dừng)", created, "02873001236", 0.58, running=False
                ),
                AiccCampaign(FOREIGN, "Tài khoản khác", created, "02873009999", 0.6, ours=False),
                AiccCampaign(ENCODED, "Tri ân tháng 4", created, "02873001237", 0.7),
            )
        }
        # The last campaign has no past calls: only those its imports place.
        shares = {CARE: 6.0, OTP: 3.0, STOPPED: 1.0, ENCODED: 0.0}
        self.calls, self._times = generate_calls(
            rng,
            call_records,
            clock.time(),
            [
                (c.campaign_id, shares[c.campaign_id], c.caller_id, c.answer_rate)
                for c in self.campaigns.values()
                if c.ours
            ],
            FIRST_CALL_ID,
        )
        self._by_campaign: dict[str, tuple[list[int], list[dict[str, Any]]]] = {
            cid: ([], []) for cid in self.campaigns
        }
        for when, call in zip(self._times, self.calls, strict=True):
            times, calls = self._by_campaign[call["campaign_id"]]
            times.append(when)
            calls.append(call)
        self._next_call_id = FIRST_CALL_ID + len(self.calls)
        self.imports: dict[str, list[dict[str, Any]]] = {cid: [] for cid in self.campaigns}
        self.requests: list[Any] = []

    # -- tokens -------------------------------------------------------------------------

    def rotate_secret(self) -> str:
        """Change the secret key, as the website does: every earlier token becomes invalid."""
        self.secret_key = token(self._rng, "aicc_sk_", 16)
        return self.secret_key

    def generate_token(self, secret_key: str | None) -> str:
        """A new access token for the current secret key."""
        if secret_key != self.secret_key:
            raise AiccError("401", "secret_key không chính xác")
        now = int(self.clock.time())
        claims = {
            "user_id": USER_ID,
            "sign": _sign(self.secret_key),
            "iat": now,
            "exp": now + self.token_ttl_seconds,
        }
        return jwt.encode(claims, self._signing_key, algorithm="HS256")

    def check_token(self, access_token: object) -> None:
        """Raise code 401 unless the token is ours, from the current secret and unexpired."""
        if not isinstance(access_token, str) or not access_token:
            raise AiccError("401", BAD_TOKEN)
        try:
            claims = jwt.decode(
                access_token,
                self._signing_key,
                algorithms=["HS256"],
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError:
            raise AiccError("401", BAD_TOKEN) from None
        if claims.get("sign") != _sign(self.secret_key):
            raise AiccError("401", BAD_TOKEN)
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp <= self.clock.time():
            raise AiccError("401", BAD_TOKEN)

    # -- import -------------------------------------------------------------------------

    def import_contacts(self, campaign_id: str, body: Any) -> tuple[str, list[dict[str, Any]]]:
        """Import contacts into a campaign; returns the message and the accepted rows."""
        if not isinstance(body, dict):
            raise AiccError("401", BAD_TOKEN)
        self.check_token(body.get("access_token"))
        campaign = self._campaign(campaign_id)
        contacts = body.get("contacts")
        # seed: "contacts Có Array" and "Mã 400 - Trường contacts không đúng định dạng"
        if not isinstance(contacts, list) or not contacts or len(contacts) > MAX_CONTACTS:
            raise AiccError("400", "contacts không đúng định dạng")
        # seed: "Mã 03 - Chiến dịch đang bị tạm dừng, không thể thêm dữ liệu."
        if not campaign.running:
            raise AiccError("03", "The campaign stopped. Can not import data")
        seen: set[str] = set()
        results = []
        for contact in contacts:
            # seed: "Nếu phần tử nào trong mảng không đạt đủ điều kiện sẽ bị bỏ qua", and
            # "Những phần tử trong mảng nếu trùng số điện thoại sẽ bị xóa"
            phone = national(contact.get("phone_number")) if isinstance(contact, dict) else None
            if phone is None or phone in seen:
                continue
            seen.add(phone)
            if campaign.otp and not _valid_otp(contact.get("otp_code")):
                continue
            call_id = self._place_call(campaign, phone)
            results.append({"phone_number": phone, "call_id": call_id})
            self.imports[campaign.campaign_id].append(
                {"phone_number": phone, "call_id": call_id, "contact": dict(contact)}
            )
        return f"Ghi nhận thành công {len(results)} trên {len(contacts)} bản ghi", results

    # -- call records -------------------------------------------------------------------

    def export(self, campaign_id: str, query: Mapping[str, str]) -> dict[str, Any]:
        """One page of a campaign's calls: ``{limit, total, calls}``."""
        self.check_token(query.get("access_token"))
        campaign = self._campaign(campaign_id)
        times, calls = self._by_campaign[campaign.campaign_id]
        return self._page(times, calls, query, campaign.created_ms)

    def call_log(self, query: Mapping[str, str]) -> dict[str, Any]:
        """One page of every call of the account: ``{limit, total, calls}``."""
        self.check_token(query.get("access_token"))
        first = min(c.created_ms for c in self.campaigns.values() if c.ours)
        return self._page(self._times, self.calls, query, first)

    def _page(
        self, times: list[int], calls: list[dict[str, Any]], query: Mapping[str, str], start: int
    ) -> dict[str, Any]:
        start_ms = _query_int(query, "start_time", start)
        end_ms = _query_int(query, "end_time", self.clock.now_ms())
        limit = min(_query_int(query, "limit", DEFAULT_LIMIT), MAX_LIMIT)
        offset = _query_int(query, "offset", 0)
        lo, hi = bisect_left(times, start_ms), bisect_right(times, end_ms)
        total = max(0, hi - lo)
        first = lo + offset
        return {"limit": limit, "total": total, "calls": calls[first : min(hi, first + limit)]}

    def place_calls(self, campaign_id: str, answered: int = 0, failed: int = 0) -> list[int]:
        """Record calls of a campaign that end now: ``answered`` with state 40, ``failed``
        with 50 (a test's control over the figures of a window); their call ids."""
        campaign = self._campaign(campaign_id)
        return [
            self._place_call(campaign, f"09{n % 100_000_000:08d}", answer_rate=rate)
            for n, rate in enumerate([1.0] * answered + [0.0] * failed)
        ]

    def _campaign(self, campaign_id: str) -> AiccCampaign:
        # seed: "Mã 01 - campaign_id không tồn tại hoặc không có quyền truy cập campaign_id này"
        campaign = self.campaigns.get(campaign_id)
        if campaign is None or not campaign.ours:
            raise AiccError("01", "campaign_id không hợp lệ")
        return campaign

    def _place_call(
        self, campaign: AiccCampaign, phone: str, *, answer_rate: float | None = None
    ) -> int:
        """Calls start right after an import into a running campaign; record the outcome now."""
        call_id = self._next_call_id
        self._next_call_id += 1
        epoch = int(self.clock.time())
        when = max(epoch * 1000, self._times[-1] if self._times else 0)
        call = call_record(
            self._rng,
            call_id,
            epoch,
            campaign.campaign_id,
            campaign.caller_id,
            phone,
            campaign.answer_rate if answer_rate is None else answer_rate,
        )
        for times, calls in (self._by_campaign[campaign.campaign_id], (self._times, self.calls)):
            times.append(when)
            calls.append(call)
        return call_id


def _sign(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


def _valid_otp(otp: object) -> bool:
    # seed: "Trường otp_code bắt buộc nếu chiến dịch thuộc loại voice OTP.
    # Giới hạn từ ‘000001’ đến ‘999999’"
    return (
        isinstance(otp, str)
        and len(otp) == 6
        and otp.isascii()
        and otp.isdigit()
        and otp != "000000"
    )


def _query_int(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    # seed: "start_time Không Long", "end_time Không Long", "offset Không Number"; limit has no
    # type in the seed but "Giới hạn số bản ghi" is a count. The answer to a non-number is
    # ours (the seed lists only 401 and 01 for the export).
    if not (raw.isascii() and raw.isdigit()):
        raise AiccError("400", f"{name} không hợp lệ")
    return int(raw)


def error(code: str, message: str, http_status: int = 200) -> web.Response:
    """The AICallCenter error body."""
    return json_response({"status": 0, "code": code, "message": message}, http_status)


class AICallCenterShape(ProviderShape):
    """AICallCenter's generic errors."""

    def system_error(self) -> web.Response:
        """Code "500", HTTP 500."""
        return error("500", "Lỗi hệ thống", 500)

    def error_body(self) -> web.Response:
        """Code "500" with HTTP 200: ``status`` 0, as every error of aicallcenter-api.txt."""
        return error("500", "Lỗi hệ thống", 200)

    def rate_limited(self, decision: Decision) -> web.Response:
        """Code "429", HTTP 429, with Retry-After."""
        response = error("429", "Too many requests", 429)
        response.headers["Retry-After"] = str(decision.retry_after)
        return response

    def route_error(self, status: int) -> web.Response:
        """Unknown path or method."""
        return error(str(status), "Not found" if status == 404 else "Method not allowed", status)


def build_app(state: AICallCenterState, gate: Gate) -> web.Application:
    """The AICallCenter sub-application, to mount under ``/aicallcenter``."""
    app = web.Application(middlewares=[gate.middleware()])

    async def generate_token(request: web.Request) -> web.Response:
        try:
            access_token = state.generate_token(request.query.get("secret_key"))
        except AiccError as exc:
            return error(exc.code, exc.message)
        return json_response({"status": 1, "results": {"access_token": access_token}})

    async def import_contacts(request: web.Request) -> web.Response:
        ok, body = await read_json(request)
        try:
            message, results = state.import_contacts(
                request.match_info["campaign"], body if ok else None
            )
        except AiccError as exc:
            return error(exc.code, exc.message)
        return json_response({"status": 1, "message": message, "results": results})

    async def export(request: web.Request) -> web.Response:
        try:
            results = state.export(request.match_info["campaign"], request.query)
        except AiccError as exc:
            return error(exc.code, exc.message)
        return json_response({"status": 1, "results": results})

    async def call_log(request: web.Request) -> web.Response:
        try:
            results = state.call_log(request.query)
        except AiccError as exc:
            return error(exc.code, exc.message)
        return json_response({"status": 1, "results": results})

    app.router.add_get("/api/users/generate-access-token", generate_token)
    app.router.add_post("/api/campaigns/{campaign}/import", import_contacts)
    app.router.add_get("/api/campaigns/{campaign}/export", export)
    app.router.add_get("/api/users/call-log", call_log)
    return app
