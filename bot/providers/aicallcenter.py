"""AICallCenter: import contacts into a campaign and read call records (by campaign or user).

Auth is an access token made from the account's ``secret_key`` and sent in the body (POST)
or the query string (GET), never a header. The token is cached, renewed a day before its
JWT ``exp`` and, on a 401, renewed once and the call retried once. Neither the token nor
the secret ever goes into an error message.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

import httpx
import jwt
from pydantic import field_validator

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
from bot.phonefast import match_key
from bot.providers.base import ProviderClient, ProviderModel
from bot.providers.retry import RetryPolicy
from bot.providers.transport import error_for_status, segment

MAX_CONTACTS = 1000  # PROVIDERS.md §3.2: "at most 1000 contacts per request" (assumption)
MAX_LIMIT = 500  # the largest page the provider accepts (PROVIDERS.md §3, assumption)
RENEW_BEFORE = 24 * 3600.0  # seconds of validity left at which the token is renewed

# Reason codes of a rejected row (the catalog explains each).
INVALID_PHONE = "invalid_phone"  # our parser refuses the phone: not sent
INVALID_OTP = "invalid_otp"  # otp_code given but not "000001".."999999": not sent
DUPLICATE_IN_REQUEST = "duplicate_in_request"  # same phone earlier in the batch: not sent
REJECTED = "rejected"  # sent, and the provider skipped it without saying why

_ERROR_CODES: dict[str, type[ProviderError]] = {
    "401": AuthError,
    "400": InvalidInputError,
    "1": NotFoundError,  # "01": campaign missing or not yours
    "3": InvalidStateError,  # "03": campaign stopped
    "500": ProviderFault,
}
_COUNTS = re.compile(r"(\d+)\D+?(\d+)")
_OTP = re.compile(r"[0-9]{6}")
_NO_FIELDS: Mapping[str, str] = MappingProxyType({})
_SECRET_REJECTED = "secret_key rejected (was it changed on the website?)"


class ContactInput(NamedTuple):
    """One row to import: a normalized phone and its fields (``otp_code``, ``ho_ten``, …)."""

    phone: str
    fields: Mapping[str, str] = _NO_FIELDS


class ImportedCall(ProviderModel):
    """A row the provider accepted, with the call it scheduled."""

    phone_number: str
    call_id: int | str


@dataclass(frozen=True, slots=True)
class ContactOutcome:
    """What became of one input row: accepted with ``call_id``, or rejected with ``reason``."""

    phone: str
    call_id: int | str | None = None
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        """True when the provider accepted the row."""
        return self.call_id is not None


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The rows of one import request and what the provider said about them."""

    rows: list[ContactOutcome]
    message: str = ""
    accepted_count: int | None = None  # X of "Ghi nhận thành công X trên Y bản ghi"
    received_count: int | None = None  # Y: how many rows the provider counted


class Call(ProviderModel):
    """A call record; keys the document does not name (``campaign_id``, …) are kept."""

    call_id: int | str
    caller_id: str = ""
    callee_id: str = ""
    called_at: str = ""  # "YYYY-MM-DD HH:MM:SS", Asia/Ho_Chi_Minh; kept as text on purpose
    duration: int = 0  # seconds answered
    key_press: str = ""  # "1 (29)": key 1 at second 29
    note: str = ""  # the switch's hangup code, e.g. "NORMAL CLEARING"
    state: int | None = None  # 40 answered, 50 error

    @field_validator("caller_id", "callee_id", "called_at", "key_press", "note", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if value is None:
            return ""
        return str(value) if isinstance(value, int | float) else value

    @field_validator("duration", mode="before")
    @classmethod
    def _seconds(cls, value: Any) -> Any:
        return 0 if value is None or value == "" else value


@dataclass(frozen=True, slots=True)
class CallPage:
    """One page of call records: ``offset``/``limit`` as the provider applied them."""

    total: int
    calls: list[Call]
    offset: int
    limit: int

    @property
    def next_offset(self) -> int:
        """Where the next page starts."""
        return self.offset + (self.limit or len(self.calls))

    @property
    def has_next(self) -> bool:
        """True when records remain after this page."""
        return bool(self.calls) and self.next_offset < self.total


class AICallCenterClient(ProviderClient):
    """Client of one AICallCenter account."""

    provider: ClassVar[str] = "aicallcenter"
    connection: AICallCenterConnection

    def __init__(
        self,
        connection: AICallCenterConnection,
        *,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        renew_before: float = RENEW_BEFORE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(connection, http=http, retry=retry)
        self.renew_before = renew_before
        self._clock = clock
        self._token: str | None = None
        self._expires_at: float | None = None
        self._generation = 0  # counts renewals: a refused token's generation renews once
        self._lock = asyncio.Lock()

    def interpret(self, response: httpx.Response, body: Any) -> Any:
        """Return a ``status: 1`` body or raise what ``{"status": 0, "code": "…"}`` means."""
        status = response.status_code
        if isinstance(body, dict) and "status" in body:
            if str(body["status"]) == "1" and status < 400:
                return body
            code = None if body.get("code") is None else str(body["code"])
            cls = _ERROR_CODES.get(code.lstrip("0") or "0") if code else None
            if cls is None:
                cls = error_for_status(status) if status >= 400 else UnexpectedResponse
            raise cls(
                provider=self.provider,
                status=status,
                code=code,
                message=str(body.get("message") or ""),
                retryable=cls is ProviderFault,
            )
        if status >= 400:
            cls = error_for_status(status)
            raise cls(provider=self.provider, status=status, retryable=status >= 500)
        raise UnexpectedResponse(provider=self.provider, status=status, message="no status field")

    async def check(self) -> None:
        """Make a new access token: cheap, and it proves the secret key."""
        async with self._lock:
            await self._renew()

    # Access token

    async def _access_token(self) -> tuple[str, int]:
        """The cached token and its generation, renewed first when near expiry."""
        if self._token is None or self._expiring():
            async with self._lock:  # concurrent callers wait for one renewal
                if self._token is None or self._expiring():
                    await self._renew()
        assert self._token is not None
        return self._token, self._generation

    async def _renewed_token(self, refused: int) -> str:
        """A token newer than generation ``refused``; only the first caller renews."""
        async with self._lock:
            if self._generation == refused:
                await self._renew()
        assert self._token is not None
        return self._token

    def _expiring(self) -> bool:
        if self._expires_at is None:
            return False  # no readable exp: renewed on a 401 only
        return self._expires_at - self._clock() < self.renew_before

    async def _renew(self) -> None:
        secret = self.connection.secret_key.get_secret_value()
        try:
            body = await self.transport.call(
                "GET", "/api/users/generate-access-token", params={"secret_key": secret}
            )
        except AuthError as error:
            raise self._secret_rejected(error) from error
        token = (body.get("results") or {}).get("access_token")
        if not isinstance(token, str) or not token:
            raise self._unexpected("no access_token in the answer")
        self._token, self._expires_at = token, _expiry(token)
        self._generation += 1

    def _secret_rejected(self, error: AuthError) -> AuthError:
        said = f" (provider: {error.message})" if error.message else ""
        return AuthError(
            provider=self.provider,
            connection=self.name,
            status=error.status,
            code=error.code,
            message=_SECRET_REJECTED + said,
        )

    async def _call(
        self, method: str, path: str, params: Mapping[str, Any], body: Mapping[str, Any] | None
    ) -> Any:
        """Send with the token; on a 401 renew once and retry once, then give up."""
        token, generation = await self._access_token()
        try:
            return await self._send(method, path, token, params, body)
        except AuthError:
            token = await self._renewed_token(refused=generation)
        try:
            return await self._send(method, path, token, params, body)
        except AuthError as error:
            # A token made a moment ago is refused: the secret itself no longer counts.
            raise self._secret_rejected(error) from error

    async def _send(
        self,
        method: str,
        path: str,
        token: str,
        params: Mapping[str, Any],
        body: Mapping[str, Any] | None,
    ) -> Any:
        if body is None:
            return await self.transport.call(method, path, params={**params, "access_token": token})
        # A POST import is not idempotent (the provider does not deduplicate across
        # requests): the transport's POST default never repeats it after a timeout/5xx.
        return await self.transport.call(
            method, path, params=params, json_body={"access_token": token, **body}
        )

    # Import

    async def import_contacts(
        self, campaign_id: int | str, contacts: Sequence[ContactInput]
    ) -> ImportOutcome:
        """Import up to 1000 rows; one outcome per input row, in input order.

        Decided locally and not sent: a phone our parser refuses (``invalid_phone``), an
        ``otp_code`` outside "000001".."999999" (``invalid_otp``) and a phone already earlier
        in the batch (``duplicate_in_request``; the provider would drop it). Rows sent but
        missing from ``results`` are ``rejected`` (invalid for the provider, e.g. no OTP on
        a voice-OTP campaign).
        """
        if len(contacts) > MAX_CONTACTS:
            raise ValueError(f"at most {MAX_CONTACTS} contacts per request, got {len(contacts)}")
        keys = [match_key(c.phone) for c in contacts]
        reasons = _local_reasons(contacts, keys)
        sendable = [c for c, reason in zip(contacts, reasons, strict=True) if reason is None]
        if not sendable:
            return ImportOutcome(
                [ContactOutcome(c.phone, reason=r) for c, r in zip(contacts, reasons, strict=True)]
            )
        payload = {"contacts": [{**c.fields, "phone_number": c.phone} for c in sendable]}
        body = await self._call(
            "POST", f"/api/campaigns/{segment(campaign_id)}/import", {}, payload
        )
        imported = self.parse_list(ImportedCall, body.get("results"))
        message = str(body.get("message") or "")
        accepted, received = _counts(message)
        rows = _match(contacts, keys, reasons, imported)
        return ImportOutcome(rows, message, accepted, received)

    async def import_contact(
        self, campaign_id: int | str, phone: str, fields: Mapping[str, str] = _NO_FIELDS
    ) -> ContactOutcome:
        """Import one row (see ``import_contacts``)."""
        outcome = await self.import_contacts(campaign_id, [ContactInput(phone, fields)])
        return outcome.rows[0]

    # Call records

    async def export_page(
        self,
        campaign_id: int | str,
        start_ms: int | None,
        end_ms: int | None,
        offset: int = 0,
        limit: int = MAX_LIMIT,
    ) -> CallPage:
        """One page of a campaign's calls between two epoch-millisecond bounds."""
        return await self._page(
            f"/api/campaigns/{segment(campaign_id)}/export", start_ms, end_ms, offset, limit
        )

    async def call_log_page(
        self, start_ms: int | None, end_ms: int | None, offset: int = 0, limit: int = MAX_LIMIT
    ) -> CallPage:
        """One page of the calls of every campaign of the account."""
        return await self._page("/api/users/call-log", start_ms, end_ms, offset, limit)

    async def iter_call_pages(
        self,
        campaign_id: int | str | None,
        start_ms: int | None,
        end_ms: int | None,
        *,
        limit: int = MAX_LIMIT,
    ) -> AsyncIterator[CallPage]:
        """Every page of a campaign's calls (``campaign_id=None``: the user's call log)."""
        offset = 0
        while True:
            if campaign_id is None:
                page = await self.call_log_page(start_ms, end_ms, offset, limit)
            else:
                page = await self.export_page(campaign_id, start_ms, end_ms, offset, limit)
            yield page
            if not page.has_next:
                return
            offset = page.next_offset

    async def iter_calls(
        self,
        campaign_id: int | str | None,
        start_ms: int | None,
        end_ms: int | None,
        *,
        limit: int = MAX_LIMIT,
    ) -> AsyncIterator[Call]:
        """Every call of a campaign (``campaign_id=None``: the user's call log)."""
        async for page in self.iter_call_pages(campaign_id, start_ms, end_ms, limit=limit):
            for call in page.calls:
                yield call

    def export_calls(
        self, campaign_id: int | str, start_ms: int | None, end_ms: int | None
    ) -> AsyncIterator[Call]:
        """Every call of one campaign between two epoch-millisecond bounds."""
        return self.iter_calls(campaign_id, start_ms, end_ms)

    def call_log(self, start_ms: int | None, end_ms: int | None) -> AsyncIterator[Call]:
        """Every call of the account between two epoch-millisecond bounds."""
        return self.iter_calls(None, start_ms, end_ms)

    async def _page(
        self, path: str, start_ms: int | None, end_ms: int | None, offset: int, limit: int
    ) -> CallPage:
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
        if offset < 0:  # seed: "offset Không Number - Vị trí muốn query. Mặc định: 0"
            raise ValueError(f"offset must not be negative, got {offset}")
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        for name, value in (("start_time", start_ms), ("end_time", end_ms)):
            if value is not None:
                params[name] = _epoch_ms(name, value)
        body = await self._call("GET", path, params, None)
        results = body.get("results")
        if not isinstance(results, dict):
            raise self._unexpected("results is not an object")
        calls = self.parse_list(Call, results.get("calls"))
        echoed = results.get("limit")
        # Advance by the limit the provider says it applied; the call log does not echo
        # one, and stepping by the rows received can never skip a record.
        step = echoed if isinstance(echoed, int) and echoed > 0 else len(calls)
        total = results.get("total")
        return CallPage(
            int(total) if total is not None else offset + len(calls), calls, offset, step
        )

    def _unexpected(self, message: str) -> UnexpectedResponse:
        return UnexpectedResponse(provider=self.provider, connection=self.name, message=message)


def _local_reasons(
    contacts: Sequence[ContactInput], keys: Sequence[str | None]
) -> list[str | None]:
    """Why each row is not sent, or None to send it."""
    seen: set[str] = set()
    reasons: list[str | None] = []
    for contact, key in zip(contacts, keys, strict=True):
        otp = contact.fields.get("otp_code")
        if key is None:  # PRODUCT.md: "Phones are normalized with phonenumbers (region VN)"
            reasons.append(INVALID_PHONE)
        elif otp and not _valid_otp(otp):  # an empty cell is no OTP: the provider decides
            reasons.append(INVALID_OTP)
        elif key in seen:
            # seed: "Những phần tử trong mảng nếu trùng số điện thoại sẽ bị xóa khỏi danh sách"
            reasons.append(DUPLICATE_IN_REQUEST)
        else:
            seen.add(key)
            reasons.append(None)
    return reasons


def _valid_otp(otp: str) -> bool:
    # seed aicallcenter-api.txt, contacts: "otp_code … Giới hạn từ ‘000001’ đến ‘999999’"
    return bool(_OTP.fullmatch(otp)) and otp != "000000"


def _match(
    contacts: Sequence[ContactInput],
    keys: Sequence[str | None],
    reasons: Sequence[str | None],
    imported: Sequence[ImportedCall],
) -> list[ContactOutcome]:
    """Pair ``results`` rows with the rows sent by normalized phone, in order."""
    echoes: dict[str, deque[ImportedCall]] = {}
    for row in imported:
        key = match_key(row.phone_number)
        if key is not None:
            echoes.setdefault(key, deque()).append(row)
    outcomes = []
    for contact, key, reason in zip(contacts, keys, reasons, strict=True):
        queue = echoes.get(key) if key is not None and reason is None else None
        if queue:
            outcomes.append(ContactOutcome(contact.phone, queue.popleft().call_id))
        else:
            outcomes.append(ContactOutcome(contact.phone, reason=reason or REJECTED))
    return outcomes


def _counts(message: str) -> tuple[int | None, int | None]:
    """X and Y of "Ghi nhận thành công X trên Y bản ghi"."""
    found = _COUNTS.search(message)
    return (int(found[1]), int(found[2])) if found else (None, None)


def _expiry(token: str) -> float | None:
    """The token's ``exp`` (read, not verified: the provider signs it, not us), or None."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    exp = claims.get("exp")
    return float(exp) if isinstance(exp, int | float) else None


def _epoch_ms(name: str, value: int) -> int:
    """Refuse bounds that are not epoch milliseconds (a seconds value is a likely slip)."""
    # seed: "start_time Không Long - Timestamp theo milliseconds - VD: 1580981004000"
    if isinstance(value, bool) or not isinstance(value, int) or value < 10**11:
        raise ValueError(f"{name} must be epoch milliseconds, got {value!r}")
    return value
