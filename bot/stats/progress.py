"""Alohub campaign progress: contacts counted by process status, per list and in total."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["IN_CALL", "PENDING", "PROCESSED", "CampaignProgress", "ListProgress"]

PENDING = 0
IN_CALL = 1
PROCESSED = 2
# callStatus is provider text; the cap keeps memory bounded whatever it holds.
_MAX_CALL_STATUSES = 200


@dataclass(slots=True)
class ListProgress:
    """Counts for one contact list (or the whole campaign)."""

    list_id: int | str | None = None
    name: str | None = None
    pending: int = 0
    in_call: int = 0
    processed: int = 0
    unknown: int = 0
    call_statuses: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Every contact counted, whatever its status."""
        return self.pending + self.in_call + self.processed + self.unknown

    @property
    def processed_ratio(self) -> float | None:
        """Processed / total, None for an empty list."""
        total = self.total
        return self.processed / total if total else None

    def add(self, process_status: object, call_status: object) -> None:
        """Count one contact from its two status fields."""
        if process_status == PENDING:
            self.pending += 1
        elif process_status == IN_CALL:
            self.in_call += 1
        elif process_status == PROCESSED:
            self.processed += 1
        else:
            self.unknown += 1
        if call_status:
            text = str(call_status)
            statuses = self.call_statuses
            if text in statuses:
                statuses[text] += 1
            elif len(statuses) < _MAX_CALL_STATUSES:
                statuses[text] = 1

    def absorb(self, other: ListProgress) -> None:
        """Add another list's counts into this one."""
        self.pending += other.pending
        self.in_call += other.in_call
        self.processed += other.processed
        self.unknown += other.unknown
        for status, count in other.call_statuses.items():
            if status in self.call_statuses:
                self.call_statuses[status] += count
            elif len(self.call_statuses) < _MAX_CALL_STATUSES:
                self.call_statuses[status] = count


class CampaignProgress:
    """Streams a campaign's contacts, list by list, into per-list and total counts."""

    __slots__ = ("_lists",)

    def __init__(self) -> None:
        self._lists: dict[int | str | None, ListProgress] = {}

    def add(
        self,
        contact: object,
        *,
        list_id: int | str | None = None,
        list_name: str | None = None,
    ) -> None:
        """Count one contact (model or dict with ``processStatus`` and ``callStatus``)."""
        self.for_list(list_id, list_name).add(
            _field(contact, "process_status", "processStatus"),
            _field(contact, "call_status", "callStatus"),
        )

    def add_all(
        self,
        contacts: Iterable[object],
        *,
        list_id: int | str | None = None,
        list_name: str | None = None,
    ) -> CampaignProgress:
        """Count every contact of one list; returns self."""
        target = self.for_list(list_id, list_name)
        for contact in contacts:
            target.add(
                _field(contact, "process_status", "processStatus"),
                _field(contact, "call_status", "callStatus"),
            )
        return self

    def for_list(self, list_id: int | str | None, name: str | None = None) -> ListProgress:
        """The counts of one list, created empty (so empty lists still show)."""
        progress = self._lists.get(list_id)
        if progress is None:
            progress = self._lists[list_id] = ListProgress(list_id, name)
        elif name and not progress.name:
            progress.name = name
        return progress

    @property
    def lists(self) -> list[ListProgress]:
        """Per-list counts in the order the lists were first seen."""
        return list(self._lists.values())

    @property
    def total(self) -> ListProgress:
        """The sum over every list."""
        total = ListProgress()
        for progress in self._lists.values():
            total.absorb(progress)
        return total

    def merge(self, other: CampaignProgress) -> CampaignProgress:
        """A new progress holding both; neither input changes."""
        merged = CampaignProgress()
        for part in (self, other):
            for progress in part._lists.values():
                merged.for_list(progress.list_id, progress.name).absorb(progress)
        return merged


def _field(contact: object, snake: str, camel: str) -> object:
    if isinstance(contact, Mapping):
        return contact.get(camel, contact.get(snake))
    value = getattr(contact, snake, None)
    return getattr(contact, camel, None) if value is None else value
