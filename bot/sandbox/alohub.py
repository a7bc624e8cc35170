"""Alohub xapi simulator state: API keys, campaigns, contact lists, bulk jobs, inbound queues.

Everything a handler can do is a method here that returns plain data or raises
``AlohubError``; ``alohub_routes`` turns both into HTTP. Bulk jobs progress with
``clock`` at ``rows_per_second`` and are applied lazily by ``tick()``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from bot.sandbox.alohub_models import (
    AlohubError,
    ApiKey,
    Campaign,
    Contact,
    ContactList,
    ImportJob,
    Queue,
)
from bot.sandbox.alohub_seed import seed_campaigns, seed_queues
from bot.sandbox.clock import Clock
from bot.sandbox.demo_data import token
from bot.sandbox.vnphone import national

TENANT_ID = "20260310"
OTHER_TENANT_ID = "20250001"
PROCESS_STATES = {0: "pending", 1: "in_call", 2: "processed"}


class AlohubState:
    """Everything the Alohub simulator knows; tests may read and change it."""

    def __init__(self, rng: random.Random, clock: Clock, rows_per_second: float) -> None:
        self.clock = clock
        self.rows_per_second = rows_per_second
        self.tenant_id = TENANT_ID
        self.api_key = token(rng, "sk_live_", 16)
        self.campaign_only_key = token(rng, "sk_live_cmp_", 16)
        self.other_tenant_key = token(rng, "sk_live_other_", 16)
        both = frozenset({"campaign", "queue"})
        self.keys = {
            self.api_key: ApiKey(self.api_key, TENANT_ID, both),
            self.campaign_only_key: ApiKey(
                self.campaign_only_key, TENANT_ID, frozenset({"campaign"})
            ),
            self.other_tenant_key: ApiKey(self.other_tenant_key, OTHER_TENANT_ID, both),
        }
        self.campaigns: dict[int, Campaign] = {}
        for campaign_id, tenant, name, lists in seed_campaigns(rng, TENANT_ID, OTHER_TENANT_ID):
            campaign = Campaign(campaign_id, tenant, name)
            for list_id, list_name, rows in lists:
                contacts = [Contact(**row) for row in rows]
                campaign.lists.append(ContactList(list_id, list_name, contacts))
                campaign.phones.update(c.phoneNumber for c in contacts)
            self.campaigns[campaign_id] = campaign
        self.queues = {
            q["callinId"]: Queue(**q) for q in seed_queues(rng, TENANT_ID, OTHER_TENANT_ID)
        }
        self.jobs: dict[int, ImportJob] = {}
        self.requests: list[Any] = []
        all_contacts = [
            c for cmp in self.campaigns.values() for lst in cmp.lists for c in lst.contacts
        ]
        self._next_contact = max(c.contactId for c in all_contacts) + 1
        self._next_customer = max(c.customerId for c in all_contacts) + 1
        self._next_list = (
            max(lst.listId for cmp in self.campaigns.values() for lst in cmp.lists) + 1
        )
        self._next_job = 1

    # -- test helpers -------------------------------------------------------------------

    def restart(self) -> None:
        """Simulate a provider restart: rows processed so far stay, every job id is forgotten."""
        self.tick()
        self.jobs.clear()

    def fail_job(self, job_id: int, message: str = "Import worker crashed") -> None:
        """Make a job end in ``failed`` with ``message``; rows not yet processed are dropped."""
        self.tick()
        self.jobs[job_id].error_message = message

    def process_contacts(
        self, campaign_id: int, count: int | None = None, call_status: str = "ANSWERED"
    ) -> int:
        """Call the campaign's waiting contacts: the first ``count`` (all when None) pending
        or in-call contacts become processed (``processStatus`` 2, seed: "0=pending,
        1=in_call, 2=processed") with ``call_status``; returns how many moved."""
        moved = 0
        for contact in self.contacts(campaign_id):
            if count is not None and moved >= count:
                break
            if contact.processStatus in (0, 1):
                contact.processStatus = 2
                contact.callStatus = call_status
                moved += 1
        return moved

    def contacts(self, campaign_id: int) -> list[Contact]:
        """Every contact of a campaign, over all its lists, after applying job progress."""
        self.tick()
        return [c for lst in self.campaigns[campaign_id].lists for c in lst.contacts]

    def set_process_status(
        self, campaign_id: int, phone: str, status: int, call_status: str | None = None
    ) -> Contact:
        """Move a contact as the dialer does: 0 pending → 1 in a call → 2 processed
        (alohub-campaign-contacts.txt:127); only a pending one may then be deleted (:390)."""
        if status not in PROCESS_STATES:
            raise ValueError(f"processStatus {status} is not one of {sorted(PROCESS_STATES)}")
        for contact in self.contacts(campaign_id):
            if contact.phoneNumber == phone:
                contact.processStatus = status
                contact.callStatus = call_status if status == 2 else None
                return contact
        raise KeyError(f"no contact {phone} in campaign {campaign_id}")

    def tick(self) -> None:
        """Apply the progress every unfinished bulk job has made by now."""
        now = self.clock.monotonic()
        for job in self.jobs.values():
            if job.status in ("done", "failed"):
                continue
            elapsed = max(0.0, now - job.started_at)
            # the epsilon keeps 0.3 s × 100 rows/s at 30 rows despite binary floating point
            target = min(len(job.rows), int(elapsed * self.rows_per_second + 1e-6))
            while job.processed < target:
                self._process_row(job, job.rows[job.processed])
                job.processed += 1

    # -- authentication -----------------------------------------------------------------

    def authenticate(self, headers: Mapping[str, str], scope: str) -> ApiKey:
        """The key of a request (``Authorization`` or ``X-Api-Key``), checked for ``scope``."""
        sent = {h.strip() for h in (headers.get("Authorization"), headers.get("X-Api-Key")) if h}
        sent.discard("")
        if not sent:
            raise AlohubError(401, "UNAUTHORIZED", "Missing API key")
        if len(sent) > 1:
            raise AlohubError(401, "UNAUTHORIZED", "Authorization and X-Api-Key disagree")
        key = self.keys.get(sent.pop())
        if key is None:
            raise AlohubError(401, "UNAUTHORIZED", "Invalid API key")
        tenant = headers.get("X-Tenant-ID")
        if tenant is not None and tenant.strip() != key.tenant_id:
            raise AlohubError(401, "UNAUTHORIZED", "X-Tenant-ID does not match the API key")
        if scope not in key.scopes:
            raise AlohubError(403, "INSUFFICIENT_SCOPE", f"API key lacks scope '{scope}'")
        return key

    # -- campaign contacts --------------------------------------------------------------

    def contact_lists(self, key: ApiKey, campaign_id: str) -> list[dict[str, Any]]:
        """The lists of a campaign with their sizes."""
        campaign = self._campaign(key, campaign_id)
        return [
            {"listId": lst.listId, "listName": lst.listName, "contactCount": len(lst.contacts)}
            for lst in campaign.lists
        ]

    def list_contacts(
        self, key: ApiKey, campaign_id: str, list_id: str, page: int, size: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """One page (from 0) of a list's contacts, and the list's total."""
        contact_list = self._list(self._campaign(key, campaign_id), list_id)
        rows = contact_list.contacts[page * size : (page + 1) * size]
        return len(contact_list.contacts), [asdict(c) for c in rows]

    def add_contact(self, key: ApiKey, campaign_id: str, body: Any) -> int:
        """Add one contact; returns the id of the list it went to."""
        campaign = self._campaign(key, campaign_id)
        if not isinstance(body, dict):
            raise AlohubError(400, "INVALID_INPUT", "Body must be a JSON object")
        raw_phone = body.get("phoneNumber")
        # seed: "| Có | Số điện thoại — bắt buộc |"
        if not isinstance(raw_phone, str) or not raw_phone.strip():
            raise AlohubError(400, "INVALID_INPUT", "phoneNumber is required")
        phone = national(raw_phone)
        if phone is None:
            raise AlohubError(400, "INVALID_INPUT", "phoneNumber is not a valid phone number")
        name = body.get("name")
        if name is not None and not isinstance(name, str):
            raise AlohubError(400, "INVALID_INPUT", "name must be a string")
        list_id = body.get("listId")
        if list_id is None:
            if not campaign.lists:
                campaign.lists.append(ContactList(self._new_list_id(), "Default List"))
            target = campaign.lists[0]
        elif isinstance(list_id, int) and not isinstance(list_id, bool):  # seed: "listId": 501
            target = self._list(campaign, str(list_id))
        else:
            raise AlohubError(400, "INVALID_INPUT", "listId must be an integer")
        self._append(campaign, target, phone, name)
        return target.listId

    def start_bulk(self, key: ApiKey, campaign_id: str, body: Any) -> tuple[int, int]:
        """Start a bulk import into a new list; returns ``(job_id, total_rows)``."""
        campaign = self._campaign(key, campaign_id)
        if not isinstance(body, dict):
            raise AlohubError(400, "INVALID_INPUT", "Body must be a JSON object")
        list_name = body.get("listName")
        if list_name is not None and not isinstance(list_name, str):
            raise AlohubError(400, "INVALID_INPUT", "listName must be a string")
        rows = body.get("contacts")
        # seed: "Mảng contact — tối thiểu 1 item có phoneNumber"
        if not isinstance(rows, list) or not any(
            isinstance(r, dict) and isinstance(r.get("phoneNumber"), str) and r["phoneNumber"]
            for r in rows
        ):
            raise AlohubError(
                400, "INVALID_INPUT", "contacts must contain at least one item with phoneNumber"
            )
        job_id = self._next_job
        self._next_job += 1
        target = ContactList(self._new_list_id(), list_name or f"Bulk import #{job_id}")
        campaign.lists.append(target)
        self.jobs[job_id] = ImportJob(job_id, campaign, target, rows, self.clock.monotonic())
        return job_id, len(rows)

    def job_status(self, key: ApiKey, campaign_id: str, job_id: str) -> dict[str, Any]:
        """The bare status object of a bulk job (404 once the provider restarted)."""
        campaign = self._campaign(key, campaign_id)
        job = self.jobs.get(_path_id(job_id, "Import job"))
        if job is None or job.campaign is not campaign:
            raise AlohubError(404, "NOT_FOUND", f"Import job {job_id} not found")
        return job.as_json()

    def delete_contact(self, key: ApiKey, campaign_id: str, contact_id: str) -> None:
        """Delete a pending contact; any other state is ``INVALID_STATE``."""
        campaign = self._campaign(key, campaign_id)
        wanted = _path_id(contact_id, "Contact")
        for contact_list in campaign.lists:
            for contact in contact_list.contacts:
                if contact.contactId != wanted:
                    continue
                if contact.processStatus != 0:
                    state = PROCESS_STATES.get(contact.processStatus, str(contact.processStatus))
                    raise AlohubError(
                        400,
                        "INVALID_STATE",
                        f"Contact {wanted} is {state} (processStatus={contact.processStatus}); "
                        "only pending contacts can be deleted",
                    )
                contact_list.contacts.remove(contact)
                campaign.phones[contact.phoneNumber] -= 1
                return
        raise AlohubError(404, "NOT_FOUND", f"Contact {contact_id} not found")

    # -- inbound queues -----------------------------------------------------------------

    def queue_page(self, key: ApiKey, page: int, size: int) -> tuple[int, list[dict[str, Any]]]:
        """One page (from 0) of the tenant's inbound queues, and their total."""
        mine = [q for q in self.queues.values() if q.tenant_id == key.tenant_id]
        return len(mine), [q.as_json() for q in mine[page * size : (page + 1) * size]]

    def queue(self, key: ApiKey, callin_id: str) -> Queue:
        """One queue of the key's tenant; others' queues are 404."""
        queue = self.queues.get(_path_id(callin_id, "Inbound queue"))
        if queue is None or queue.tenant_id != key.tenant_id:
            raise AlohubError(404, "NOT_FOUND", f"Inbound queue {callin_id} not found")
        return queue

    def update_queue(self, key: ApiKey, callin_id: str, body: Any) -> None:
        """Validate and apply a PUT body (see PROVIDERS.md §1.9)."""
        queue = self.queue(key, callin_id)
        changes = validate_queue_update(body)
        for attribute, value in changes.items():
            setattr(queue, attribute, value)

    # -- internals ----------------------------------------------------------------------

    def _campaign(self, key: ApiKey, campaign_id: str) -> Campaign:
        self.tick()
        campaign = self.campaigns.get(_path_id(campaign_id, "Campaign"))
        if campaign is None or campaign.tenant_id != key.tenant_id:
            raise AlohubError(404, "NOT_FOUND", f"Campaign {campaign_id} not found")
        return campaign

    def _list(self, campaign: Campaign, list_id: str) -> ContactList:
        wanted = _path_id(list_id, "Contact list")
        for contact_list in campaign.lists:
            if contact_list.listId == wanted:
                return contact_list
        raise AlohubError(
            404, "NOT_FOUND", f"Contact list {list_id} not found in campaign {campaign.campaignId}"
        )

    def _new_list_id(self) -> int:
        self._next_list += 1
        return self._next_list - 1

    def _append(
        self, campaign: Campaign, target: ContactList, phone: str, name: str | None
    ) -> None:
        contact = Contact(self._next_contact, self._next_customer, phone, name)
        self._next_contact += 1
        self._next_customer += 1
        target.contacts.append(contact)
        campaign.phones[phone] += 1

    def _process_row(self, job: ImportJob, row: Any) -> None:
        phone = national(row.get("phoneNumber")) if isinstance(row, dict) else None
        if phone is None:
            job.failed += 1
        elif job.campaign.phones[phone] > 0:
            job.duplicate += 1
        else:
            name = row.get("name")
            self._append(job.campaign, job.target, phone, name if isinstance(name, str) else None)


_QUEUE_FIELDS = ("moh_file_id", "max_wait_sec", "strategy", "announce_position")
STRATEGIES = (1, 2, 3, 4, 99)


def validate_queue_update(body: Any) -> dict[str, Any]:
    """The ``Queue`` attributes a PUT body changes, or ``INVALID_INPUT`` naming the field."""
    if not isinstance(body, dict):
        raise AlohubError(400, "INVALID_INPUT", "Body must be a JSON object")
    given = {name: body[name] for name in _QUEUE_FIELDS if body.get(name) is not None}
    # seed alohub-inbound-queues.txt: "Tất cả field optional — cần ít nhất 1 field"
    if not given:
        raise AlohubError(
            400, "INVALID_INPUT", "At least one of " + ", ".join(_QUEUE_FIELDS) + " is required"
        )
    changes: dict[str, Any] = {}
    if "moh_file_id" in given:
        # seed: "moh_file_id | Không | Tên file nhạc chờ", a file name (PROVIDERS.md: str)
        if not isinstance(given["moh_file_id"], str):
            raise AlohubError(400, "INVALID_INPUT", "moh_file_id must be a string")
        changes["musicinQueue"] = given["moh_file_id"]
    if "max_wait_sec" in given:
        wait = given["max_wait_sec"]
        # seed: "max_wait_sec | Không | Thời gian chờ tối đa (string số, đơn vị giây)"
        if not isinstance(wait, str) or not wait.isascii() or not wait.isdigit():
            raise AlohubError(400, "INVALID_INPUT", "max_wait_sec must be a string of digits")
        changes["timeWait"] = wait
    if "strategy" in given:
        strategy = given["strategy"]
        # seed: "strategy phải là số nguyên trong tập {1,2,3,4,99}"
        if (
            isinstance(strategy, bool)
            or not isinstance(strategy, int)
            or strategy not in STRATEGIES
        ):
            raise AlohubError(
                400, "INVALID_INPUT", "strategy must be an integer in {1, 2, 3, 4, 99}"
            )
        changes["strategy"] = strategy
    if "announce_position" in given:
        # seed: "announce_position | Không | "0" = tắt thông báo vị trí, "1" = bật"
        if given["announce_position"] not in ("0", "1"):
            raise AlohubError(400, "INVALID_INPUT", 'announce_position must be "0" or "1"')
        changes["nguongRanhRoi"] = given["announce_position"]
    return changes


def _path_id(raw: str, what: str) -> int:
    """A numeric id from the path; anything else names nothing, so it is 404."""
    # seed alohub-campaign-contacts.txt: campaignId 1042, listId 501, contactId 88001, job_id
    # 5; alohub-inbound-queues.txt: callinId 1001226 (every id is a number in the examples)
    if not (raw.isascii() and raw.isdigit()):
        raise AlohubError(404, "NOT_FOUND", f"{what} {raw} not found")
    return int(raw)
