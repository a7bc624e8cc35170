"""OMICall CRM contacts v1 simulator (the nine endpoints of PROVIDERS.md §4).

Every answer is the envelope ``{instance_id, instance_version, key_enabled, status_code,
payload}``; 9999 is success. Decisions where the document is silent:

- A missing or wrong Bearer token is HTTP 401 with ``status_code`` 401.
- Validation errors (``status_code`` 400) and unknown ids (``status_code`` 404) are sent
  with **HTTP 200**; errors carry ``payload: {"message": ...}``.
- ``add-more`` answers at once with ``payload: null``; the contacts appear after
  ``add_more_delay`` seconds of the sandbox clock (default 0: immediately). Invalid
  elements are dropped silently, as an asynchronous job would. Nothing is deduplicated.
- ``delete`` answers ``payload: null``; ``add-note`` answers the created notes and is
  404 (nothing added) when a phone matches no contact.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from bot.sandbox.clock import Clock
from bot.sandbox.demo_data import token
from bot.sandbox.gate import ProviderShape, json_response
from bot.sandbox.omicall_contacts import (
    ContactInvalid,
    blank_contact,
    clean_contact,
    has_phone,
    matches_keyword,
    seed_contacts,
)
from bot.sandbox.ratelimit import Decision

SUCCESS = 9999
LAYOUT = (
    {
        "field_code": "vWabCEBkqM",
        "field_name": "Hạng khách hàng",
        "field_type": "single_choice",
        "values": ["Vàng", "Bạc", "Đồng"],
    },
    {
        "field_code": "kT3pQz9LmA",
        "field_name": "Ngày mua gần nhất",
        "field_type": "date",
        "values": [],
    },
    {
        "field_code": "nB7xR2cVwE",
        "field_name": "Ghi chú nội bộ",
        "field_type": "single_text",
        "values": [],
    },
)


class OmiError(Exception):
    """A refusal with an envelope ``status_code``.

    Outside ``bot.errors``: the sandbox imports nothing from the rest of ``bot``; this is the
    simulated provider's refusal, sent as an HTTP answer, not an error of callops.
    """

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def envelope(payload: Any, status_code: int = SUCCESS, http_status: int = 200) -> web.Response:
    """The OMICall envelope around ``payload``."""
    body = {
        "instance_id": "sandbox",
        "instance_version": "1.2.164",
        "key_enabled": False,
        "status_code": status_code,
        "payload": payload,
    }
    return json_response(body, http_status)


class OmicallState:
    """The CRM account: its token, contacts, notes and custom-field layout."""

    def __init__(self, rng: random.Random, clock: Clock) -> None:
        self.clock = clock
        self._rng = rng
        self.access_token = token(rng, "omi_at_", 24)
        self.contacts = {c["id"]: c for c in seed_contacts(rng)}
        self.layout = [dict(field) for field in LAYOUT]
        self.notes: list[dict[str, Any]] = []
        self.dynamic_values: dict[str, list[dict[str, Any]]] = {}
        self.add_more_delay = 0.0
        self._pending: list[tuple[float, list[dict[str, Any]]]] = []
        self.requests: list[Any] = []

    def authenticate(self, authorization: str | None) -> None:
        """Raise 401 unless the header is ``Bearer <access token>``."""
        scheme, _, value = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or value.strip() != self.access_token:
            raise OmiError(401, "Unauthorized")

    def tick(self) -> None:
        """Create the ``add-more`` contacts whose delay has passed."""
        now = self.clock.monotonic()
        due = [batch for when, batch in self._pending if when <= now]
        self._pending = [(when, batch) for when, batch in self._pending if when > now]
        for batch in due:
            for fields in batch:
                self._create(fields)

    def search(self, body: Any, query: Mapping[str, str]) -> dict[str, Any]:
        """One page (from 1) of the contacts matching a keyword and filters."""
        page, size = _positive(query, "page", 1), _positive(query, "size", 50)
        body = {} if body is None else body
        if not isinstance(body, dict):
            raise OmiError(400, "body must be a JSON object")
        keyword = body.get("keyword") or ""
        if not isinstance(keyword, str):
            raise OmiError(400, "keyword must be a string")
        owners = _owner_filter(body.get("filters"))
        found = [
            c
            for c in self.contacts.values()
            if matches_keyword(c, keyword)
            and (owners is None or (c.get("user_owner_email") or "unassigned").lower() in owners)
        ]
        pages = math.ceil(len(found) / size)
        return {
            "items": found[(page - 1) * size : page * size],
            "page_number": page,
            "page_size": size,
            "total_items": len(found),
            "total_pages": pages,
            "has_next": page < pages,
            "next_page": page + 1 if page < pages else page,
            "has_previous": page > 1,
            "previous_page": max(page - 1, 1),
        }

    def add(self, body: Any) -> dict[str, Any]:
        """Create one contact."""
        return self._create(_clean(body))

    def add_more(self, body: Any) -> None:
        """Accept an array of contacts for asynchronous creation."""
        if not isinstance(body, list) or not body:
            raise OmiError(400, "body must be a non-empty array of contacts")
        batch = []
        for item in body:
            try:
                batch.append(clean_contact(item))
            except ContactInvalid:
                continue
        self._pending.append((self.clock.monotonic() + self.add_more_delay, batch))
        self.tick()

    def update(self, body: Any) -> dict[str, Any]:
        """Update the contact named by ``refId``."""
        # seed, update: "refId string Id khách hàng" names the contact to change
        if not isinstance(body, dict) or not isinstance(body.get("refId"), str):
            raise OmiError(400, "refId is required")
        contact = self._find(lambda c: c.get("refId") == body["refId"], body["refId"])
        fields = _clean(body)
        attributes = body.get("dynamic_attributes")
        if attributes is not None:
            self.dynamic_values[contact["id"]] = self._dynamic_attributes(attributes)
        contact.update(fields)
        return contact

    def delete(self, contact_id: str) -> None:
        """Delete a contact by id."""
        if self.contacts.pop(contact_id, None) is None:
            raise OmiError(404, f"contact {contact_id} not found")

    def add_notes(self, body: Any) -> list[dict[str, Any]]:
        """Add notes to the contacts with the given phones (all or nothing)."""
        if not isinstance(body, list) or not body:
            raise OmiError(400, "body must be a non-empty array of notes")
        planned = []
        for i, item in enumerate(body):
            if not isinstance(item, dict):
                raise OmiError(400, f"[{i}] must be an object")
            for name in ("content", "phone"):  # seed: "content*", "phone*" (required)
                if not isinstance(item.get(name), str) or not item[name].strip():
                    raise OmiError(400, f"[{i}].{name} is required")
            if item.get("note_by") is not None and not isinstance(item["note_by"], str):
                raise OmiError(400, f"[{i}].note_by must be a string")
            contact = self._by_phone(item["phone"])
            planned.append((contact, item))
        created = []
        for contact, item in planned:
            note = {
                "id": token(self._rng, "", 12),
                "contact_id": contact["id"],
                "phone": item["phone"],
                "content": item["content"],
                "note_by": item.get("note_by"),
                "created_date": self.clock.now_ms(),
            }
            self.notes.append(note)
            created.append(note)
        return created

    def get(self, query: Mapping[str, str]) -> dict[str, Any]:
        """The first contact with the given phone, ref_id or ref_code."""
        if query.get("phone"):
            return self._by_phone(query["phone"])
        if query.get("ref_id"):
            return self._find(lambda c: c.get("refId") == query["ref_id"], query["ref_id"])
        if query.get("ref_code"):
            return self._find(lambda c: c.get("refCode") == query["ref_code"], query["ref_code"])
        raise OmiError(400, "one of phone, ref_id, ref_code is required")

    def details(self, contact_id: str) -> dict[str, Any]:
        """One contact by id."""
        contact = self.contacts.get(contact_id)
        if contact is None:
            raise OmiError(404, f"contact {contact_id} not found")
        return contact

    def _create(self, fields: dict[str, Any]) -> dict[str, Any]:
        contact = blank_contact(token(self._rng, "", 12))
        contact.update(fields)
        self.contacts[contact["id"]] = contact
        return contact

    def _by_phone(self, phone: str) -> dict[str, Any]:
        return self._find(lambda c: has_phone(c, phone), phone)

    def _find(self, predicate: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        for contact in self.contacts.values():
            if predicate(contact):
                return contact
        raise OmiError(404, f"contact {what} not found")

    def _dynamic_attributes(self, value: Any) -> list[dict[str, Any]]:
        known = {field["field_code"] for field in self.layout}
        if not isinstance(value, list):
            raise OmiError(400, "dynamic_attributes must be an array")
        for i, item in enumerate(value):
            if not isinstance(item, dict) or item.get("field_code") not in known:
                raise OmiError(400, f"dynamic_attributes[{i}].field_code is unknown")
            if not isinstance(item.get("dynamic_attribute_value"), list):
                raise OmiError(
                    400, f"dynamic_attributes[{i}].dynamic_attribute_value must be an array"
                )
        return [dict(item) for item in value]


def _clean(body: Any) -> dict[str, Any]:
    try:
        return clean_contact(body)
    except ContactInvalid as exc:
        raise OmiError(400, str(exc)) from None


def _positive(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    # seed: "page interger Trang. Bắt đầu từ 1", "size interger Kích thước trang"
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise OmiError(400, f"{name} must be an integer >= 1")
    return int(raw)


def _owner_filter(filters: Any) -> set[str] | None:
    """The lower-cased owner e-mails (or ``unassigned``) to keep, or None for no filter."""
    if filters is None:
        return None
    if not isinstance(filters, list):
        raise OmiError(400, "filters must be an array")
    owners: set[str] | None = None
    for i, item in enumerate(filters):
        if not isinstance(item, dict) or item.get("field_code") != "contact_owner":
            raise OmiError(400, f"filters[{i}].field_code must be contact_owner")
        values = item.get("value")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise OmiError(400, f"filters[{i}].value must be an array of strings")
        wanted = {v.lower() for v in values}
        owners = wanted if owners is None else owners & wanted
    return owners


class OmicallShape(ProviderShape):
    """OMICall's generic errors, in the envelope."""

    def system_error(self) -> web.Response:
        """status_code 500, HTTP 500."""
        return envelope({"message": "Internal server error"}, 500, 500)

    def error_body(self) -> web.Response:
        """status_code 500 in the envelope (not 9999: an error), with HTTP 200."""
        return envelope({"message": "Internal server error"}, 500, 200)

    def rate_limited(self, decision: Decision) -> web.Response:
        """status_code 429, HTTP 429, with Retry-After."""
        response = envelope({"message": "Too many requests"}, 429, 429)
        response.headers["Retry-After"] = str(decision.retry_after)
        return response

    def route_error(self, status: int) -> web.Response:
        """Unknown path or method."""
        return envelope(
            {"message": "Not found" if status == 404 else "Method not allowed"}, status, status
        )
