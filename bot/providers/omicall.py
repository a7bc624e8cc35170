"""OMICall CRM contacts v1: search, add (one or many), update, delete, notes, custom fields."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar

import httpx
from pydantic import Field, ValidationError, field_validator

from bot.config import OmicallConnection
from bot.errors import (
    InvalidInputError,
    NotFoundError,
    ProviderError,
    ProviderFault,
    RateLimitedError,
    UnexpectedResponse,
)
from bot.providers.base import ProviderClient, ProviderModel
from bot.providers.pagination import Page, iterate
from bot.providers.retry import RetryPolicy, parse_retry_after
from bot.providers.transport import STATUS_ERRORS, error_for_status, segment

SUCCESS = 9999
PHONE_TYPES = {"home": "Nhà", "personal": "Cá nhân", "office": "Công ty"}
GENDERS = ("male", "female", "other")
UNASSIGNED = "unassigned"  # the owner filter value for contacts nobody is in charge of

# Import-row keys that are Contact fields; any other key becomes a custom value.
_ROW_FIELDS = frozenset(
    {"note", "address", "job_title", "birthday", "gender", "passport", "user_owner_email"}
    | {"ref_id", "refId", "ref_code", "refCode"}
)

M = TypeVar("M", bound=ProviderModel)


def _as_text(value: Any) -> Any:
    """Numbers the provider may send for text fields (ids, phones), as text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class ContactValue(ProviderModel):
    """A phone or e-mail of a contact: ``{data, type, valueType}``."""

    data: str
    type: str | None = None
    value_type: str | None = Field(default=None, alias="valueType")

    @field_validator("data", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _as_text(value)

    @classmethod
    def of(cls, data: str, type: str = "personal") -> ContactValue:
        """A value of ``type`` (home, personal, office) with its Vietnamese label."""
        return cls(data=data, type=type, value_type=PHONE_TYPES.get(type))


class CustomValue(ProviderModel):
    """One ``more_infomation`` entry: a free label and its value."""

    value_type: str
    display_value: str

    @field_validator("display_value", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _as_text(value)


class DisplayValue(ProviderModel):
    """One value of a dynamic attribute."""

    display_value: str

    @field_validator("display_value", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return _as_text(value)


class DynamicAttribute(ProviderModel):
    """A custom field of the account's layout, or (with values) one to set on update."""

    field_code: str
    field_type: str | None = None
    name: str | None = Field(default=None, alias="field_name")
    dynamic_attribute_value: list[DisplayValue] = Field(default_factory=list)

    def with_values(self, *values: str) -> DynamicAttribute:
        """This attribute carrying ``values``, ready for ``OmicallClient.update``."""
        return self.model_copy(
            update={"dynamic_attribute_value": [DisplayValue(display_value=v) for v in values]}
        )

    def to_body(self) -> dict[str, Any]:
        """The update body entry (only the three documented keys)."""
        return {
            "field_code": self.field_code,
            "field_type": self.field_type,
            "dynamic_attribute_value": [v.model_dump() for v in self.dynamic_attribute_value],
        }


class Contact(ProviderModel):
    """A CRM contact (PROVIDERS.md §4); ``birthday`` is ``dd/MM/yyyy``."""

    id: str | None = None
    full_name: str | None = Field(default=None, alias="fullName")
    phones: list[ContactValue] = Field(default_factory=list)
    emails: list[ContactValue] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    # The provider spells it "more_infomation"; the alias keeps that spelling on the wire.
    more_information: list[CustomValue] = Field(default_factory=list, alias="more_infomation")
    user_owner_email: str | None = None
    ref_id: str | None = Field(default=None, alias="refId")
    ref_code: str | None = Field(default=None, alias="refCode")
    job_title: str | None = None
    note: str | None = None
    birthday: str | None = None
    gender: str | None = None
    passport: str | None = None
    address: str | None = None

    @field_validator("id", "ref_id", "ref_code", "passport", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        return _as_text(value)

    @field_validator("birthday", mode="before")
    @classmethod
    def _birthday(cls, value: Any) -> Any:
        return value.strftime("%d/%m/%Y") if isinstance(value, date) else value

    @classmethod
    def from_row(
        cls, phone: str, name: str | None = None, fields: Mapping[str, str] | None = None
    ) -> Contact:
        """A contact for an import row: a personal phone, the name, and ``fields`` mapped."""
        # ``email`` and ``tags`` (comma-separated) and Contact field names map to fields;
        # any other column becomes a ``more_infomation`` entry labelled with its name.
        data: dict[str, Any] = {"phones": [ContactValue.of(phone)]}
        if name:
            data["full_name"] = name
        custom = []
        for key, value in (fields or {}).items():
            if not value:
                continue
            if key == "email":
                data["emails"] = [ContactValue.of(value)]
            elif key == "tags":
                data["tags"] = [tag.strip() for tag in value.split(",") if tag.strip()]
            elif key in _ROW_FIELDS:
                data[key] = value
            else:
                custom.append(CustomValue(value_type=key, display_value=value))
        if custom:
            data["more_information"] = custom
        return cls.model_validate(data)

    def to_body(self) -> dict[str, Any]:
        """The documented fields the caller set, with the provider's names."""
        # Unknown keys read from the provider are kept on the model but never sent back.
        return self.model_dump(
            by_alias=True,
            exclude_unset=True,
            exclude_none=True,
            include=set(type(self).model_fields),
        )


class Note(ProviderModel):
    """A note (interaction) on the contact with ``phone``; ``note_by`` is an agent e-mail."""

    phone: str
    content: str
    note_by: str | None = None


@dataclass(frozen=True)
class ContactPage(Page[Contact]):
    """A page of contacts that trusts OMICall's own ``has_next`` when it sends one."""

    has_more: bool | None = None

    @property
    def has_next(self) -> bool:
        """The provider's ``has_next``, else what the total says."""
        return super().has_next if self.has_more is None else self.has_more


class OmicallClient(ProviderClient):
    """Client of one OMICall CRM connection (bearer token, ``status_code`` envelope)."""

    provider: ClassVar[str] = "omicall"
    connection: OmicallConnection

    def __init__(
        self,
        connection: OmicallConnection,
        *,
        http: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        token = connection.access_token.get_secret_value()
        headers = {"Authorization": f"Bearer {token}"}
        super().__init__(connection, http=http, retry=retry, headers=headers)

    def interpret(self, response: httpx.Response, body: Any) -> Any:
        """Return the ``payload`` of a 9999 envelope or raise what the envelope or status says."""
        status = response.status_code
        if isinstance(body, dict) and "status_code" in body:
            code = body["status_code"]
            if str(code) == str(SUCCESS) and status < 300:
                return body.get("payload")
            raise self._envelope_error(response, code, body.get("payload"))
        if status >= 300:
            message = body.get("message") if isinstance(body, dict) else None
            cls = error_for_status(status)
            raise cls(
                provider=self.provider,
                status=status,
                message=str(message or ""),
                retryable=status >= 500,
            )
        raise UnexpectedResponse(provider=self.provider, status=status, message="no envelope")

    def _envelope_error(self, response: httpx.Response, code: Any, payload: Any) -> ProviderError:
        try:
            number = int(code)
        except (TypeError, ValueError):
            number = 0
        if 500 <= number < 600:
            cls: type[ProviderError] = ProviderFault
        else:
            cls = STATUS_ERRORS.get(number) or (
                error_for_status(response.status_code)
                if response.status_code >= 300
                else UnexpectedResponse
            )
        message = payload.get("message") if isinstance(payload, dict) else payload
        error = cls(
            provider=self.provider,
            status=response.status_code,
            code=str(code),
            message=str(message or ""),
            retryable=cls in (ProviderFault, RateLimitedError),
        )
        if isinstance(error, RateLimitedError):
            error.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return error

    async def check(self) -> None:
        """Read the custom-field layout: a GET with no body, the cheapest authenticated call."""
        await self.layout()

    async def search_page(
        self,
        keyword: str | None = None,
        page: int = 0,
        size: int = 50,
        owners: list[str] | None = None,
    ) -> ContactPage:
        """One page (from 0) of contacts by ``keyword`` (phone, e-mail, name) and ``owners``."""
        # ``owners`` are agent e-mails, or ``UNASSIGNED`` for contacts nobody is in charge of.
        body: dict[str, Any] = {}
        if keyword:
            body["keyword"] = keyword
        if owners:
            body["filters"] = [{"field_code": "contact_owner", "value": list(owners)}]
        # A search changes nothing, so repeating it after a timeout or 5xx is safe.
        payload = await self.transport.call(
            "POST",
            "/api/contacts/list",
            params={"page": page + 1, "size": size},  # OMICall pages count from 1
            json_body=body,
            idempotent=True,
        )
        if not isinstance(payload, dict):
            raise self._unexpected("the search payload is not an object")
        items = [self._parse(Contact, item) for item in payload.get("items") or []]
        total = payload.get("total_items")
        has_next = payload.get("has_next")
        return ContactPage(
            items=items,
            index=page,
            size=int(payload.get("page_size") or size),
            total=int(total) if total is not None else None,
            has_more=bool(has_next) if has_next is not None else None,
        )

    def search(
        self, keyword: str | None = None, size: int = 50, owners: list[str] | None = None
    ) -> AsyncIterator[Contact]:
        """Every contact matching ``keyword`` and ``owners``, page after page."""
        return iterate(lambda page: self.search_page(keyword, page, size, owners))

    async def add(self, contact: Contact) -> Contact:
        """Create one contact; returns it as created (with its ``id``)."""
        # Not retried after a timeout/5xx: a second add would create a second contact.
        payload = await self.transport.call(
            "POST", "/api/contacts/add", json_body=contact.to_body()
        )
        return self._parse(Contact, payload)

    async def add_more(self, contacts: Sequence[Contact]) -> None:
        """Hand ``contacts`` to the provider, which creates them later (no job id to poll)."""
        if not contacts:
            return
        # NOT idempotent: the provider does not dedupe by phone, so a repeated batch would
        # create every contact twice; never retried after a timeout/5xx. Callers batch.
        await self.transport.call(
            "POST", "/api/contacts/add-more", json_body=[c.to_body() for c in contacts]
        )

    async def update(
        self, contact: Contact, dynamic_attributes: Sequence[DynamicAttribute] = ()
    ) -> Contact | None:
        """Set the fields set on ``contact`` (found by ``ref_id``) and ``dynamic_attributes``."""
        # Returns the updated contact when the provider sends it back, else None.
        if not contact.ref_id:  # seed, update: "refId string Id khách hàng"
            raise InvalidInputError(
                provider=self.provider,
                connection=self.name,
                message="refId identifies the contact to update",
                field="refId",
            )
        body = contact.to_body()
        if dynamic_attributes:
            body["dynamic_attributes"] = [a.to_body() for a in dynamic_attributes]
        # Retried after a timeout/5xx: an update sets fields to given values, so a second
        # one leaves the same state.
        payload = await self.transport.call(
            "POST", "/api/contacts/update", json_body=body, idempotent=True
        )
        return self._parse(Contact, payload) if isinstance(payload, dict) and payload else None

    async def delete(self, id: str) -> None:
        """Delete the contact with ``id``."""
        await self.transport.call("DELETE", f"/api/contacts/delete/{segment(id)}")

    async def add_notes(self, notes: Sequence[Note]) -> None:
        """Add notes to the contacts with the notes' phones."""
        if not notes:
            return
        # Not retried after a timeout/5xx: a second call would add each note twice.
        try:
            await self.transport.call(
                "POST",
                "/api/contacts/add-note",
                json_body=[n.model_dump(exclude_none=True) for n in notes],
            )
        except NotFoundError as error:
            error.field = "phone"  # notes are addressed by phone: no contact has that phone
            raise

    async def add_note(self, phone: str, content: str, note_by: str | None = None) -> None:
        """Add one note to the contact with ``phone``."""
        await self.add_notes([Note(phone=phone, content=content, note_by=note_by)])

    async def get(
        self, *, phone: str | None = None, ref_id: str | None = None, ref_code: str | None = None
    ) -> Contact:
        """The contact with ``phone``, ``ref_id`` or ``ref_code`` (give exactly one)."""
        selectors = {"phone": phone, "ref_id": ref_id, "ref_code": ref_code}
        given = {key: value for key, value in selectors.items() if value is not None}
        # seed: GET /api/contacts/get "Query Parameters phone … ref_id … ref_code"; PROVIDERS.md
        # §4.7 reads them as alternatives ("?phone=... or ?ref_id=... or ?ref_code=...")
        if len(given) != 1:
            raise ValueError("give exactly one of phone, ref_id, ref_code")
        try:
            payload = await self.transport.call("GET", "/api/contacts/get", params=given)
        except NotFoundError as error:
            error.field = next(iter(given))  # what the lookup was by: phone, ref_id, ref_code
            raise
        return self._parse(Contact, payload)

    async def details(self, id: str) -> Contact:
        """The contact with ``id``."""
        payload = await self.transport.call("GET", f"/api/contacts/details/{segment(id)}")
        return self._parse(Contact, payload)

    async def layout(self) -> list[DynamicAttribute]:
        """The account's custom fields (dynamic attributes)."""
        payload = await self.transport.call("GET", "/api/source_contact_layout/get")
        if isinstance(payload, dict) and isinstance(payload.get("items"), list):
            payload = payload["items"]
        if not isinstance(payload, list):
            raise self._unexpected("the layout payload is not a list")
        return [self._parse(DynamicAttribute, item) for item in payload]

    def _parse(self, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise self._unexpected(f"not a {model.__name__}: {exc.errors()[0]['msg']}") from exc

    def _unexpected(self, message: str) -> UnexpectedResponse:
        return UnexpectedResponse(provider=self.provider, connection=self.name, message=message)
