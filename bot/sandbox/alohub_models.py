"""Alohub simulator records: API keys, campaigns, lists, contacts, queues, bulk jobs."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


class AlohubError(Exception):
    """A refusal, answered with the error envelope and this HTTP status.

    Outside ``bot.errors``: the sandbox imports nothing from the rest of ``bot``; this is the
    simulated provider's refusal, sent as an HTTP answer, not an error of callops.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ApiKey:
    """An API key, its tenant and its scopes."""

    key: str
    tenant_id: str
    scopes: frozenset[str]


@dataclass
class Contact:
    """A contact of a campaign list, in the provider's field names."""

    contactId: int
    customerId: int
    phoneNumber: str
    name: str | None
    processStatus: int = 0
    callStatus: str | None = None


@dataclass
class ContactList:
    """A named list of contacts inside a campaign."""

    listId: int
    listName: str
    contacts: list[Contact] = field(default_factory=list)


@dataclass
class Campaign:
    """A campaign of one tenant; ``phones`` counts its contacts per phone (for dedupe)."""

    campaignId: int
    tenant_id: str
    name: str
    lists: list[ContactList] = field(default_factory=list)
    phones: Counter[str] = field(default_factory=Counter)


@dataclass
class Queue:
    """An inbound queue, in the provider's field names, plus its owner."""

    callinId: int
    callinName: str
    strategy: int | None
    musicinQueue: str | None
    timeWait: str | None
    agentSelector: str | int | None
    nguongRanhRoi: str | int | None
    callinNumber: str | None
    tenant_id: str

    def as_json(self) -> dict[str, Any]:
        """The bare ``Queue`` object the API returns."""
        data = asdict(self)
        del data["tenant_id"]
        return data


@dataclass
class ImportJob:
    """A bulk import running in the provider's RAM."""

    jobId: int
    campaign: Campaign
    target: ContactList
    rows: list[Any]
    started_at: float
    processed: int = 0
    failed: int = 0
    duplicate: int = 0
    error_message: str | None = None

    @property
    def status(self) -> str:
        """pending, processing, done or failed."""
        if self.error_message is not None:
            return "failed"
        if self.processed == 0:
            return "pending"
        return "processing" if self.processed < len(self.rows) else "done"

    def as_json(self) -> dict[str, Any]:
        """The bare poll answer."""
        return {
            "jobId": self.jobId,
            "status": self.status,
            "totalRows": len(self.rows),
            "processedRows": self.processed,
            "failedRows": self.failed,
            "duplicateRows": self.duplicate,
            "errorMessage": self.error_message,
        }
