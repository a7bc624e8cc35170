"""Seeded Alohub demo data: campaigns with contact lists, and inbound queues."""

from __future__ import annotations

import random
from typing import Any

from bot.sandbox.demo_data import person_name, unique_mobiles

# (campaignId, ours?, name, [(listId, listName, size)])
CAMPAIGNS: tuple[tuple[int, bool, str, tuple[tuple[int, str, int], ...]], ...] = (
    (
        101,
        True,
        "Chăm sóc khách hàng tháng 4",
        ((501, "Danh sách tháng 4", 150), (502, "Default List", 30)),
    ),
    (102, True, "Khuyến mãi hè", ((503, "Khách hàng cũ", 120), (504, "Khách hàng mới", 60))),
    (103, True, "Khảo sát mức độ hài lòng", ()),
    (999, False, "Chiến dịch của tenant khác", ((505, "Danh sách riêng", 20),)),
)
FIRST_CONTACT_ID = 88001
FIRST_CUSTOMER_ID = 55001
CALL_STATUSES = ("ANSWERED", "ANSWERED", "ANSWERED", "NO_ANSWER", "BUSY", None)
QUEUE_NAMES = (
    "Tổng đài CSKH",
    "Hỗ trợ kỹ thuật",
    "Bán hàng",
    "Khách hàng VIP",
    "Khiếu nại",
    "Bảo hành",
    "Đặt lịch hẹn",
    "Thu hồi nợ",
)
FIRST_QUEUE_ID = 1001201
OUR_QUEUES = 25
OTHER_TENANT_QUEUE_ID = 1009001


def seed_campaigns(
    rng: random.Random, tenant_id: str, other_tenant_id: str
) -> list[tuple[int, str, str, list[tuple[int, str, list[dict[str, Any]]]]]]:
    """Campaigns as ``(id, tenant, name, [(listId, listName, contact rows)])``."""
    total = sum(size for *_, lists in CAMPAIGNS for _, _, size in lists)
    phones = iter(unique_mobiles(rng, total))
    contact_id, customer_id = FIRST_CONTACT_ID, FIRST_CUSTOMER_ID
    out = []
    for campaign_id, ours, name, lists in CAMPAIGNS:
        seeded_lists = []
        for list_id, list_name, size in lists:
            rows = []
            for _ in range(size):
                rows.append(_contact_row(rng, contact_id, customer_id, next(phones)))
                contact_id += 1
                customer_id += 1
            seeded_lists.append((list_id, list_name, rows))
        out.append((campaign_id, tenant_id if ours else other_tenant_id, name, seeded_lists))
    return out


def _contact_row(
    rng: random.Random, contact_id: int, customer_id: int, phone: str
) -> dict[str, Any]:
    roll = rng.random()
    process_status = 0 if roll < 0.4 else 1 if roll < 0.5 else 2
    return {
        "contactId": contact_id,
        "customerId": customer_id,
        "phoneNumber": phone,
        "name": person_name(rng)[0] if rng.random() < 0.9 else None,
        "processStatus": process_status,
        "callStatus": rng.choice(CALL_STATUSES) if process_status == 2 else None,
    }


def seed_queues(rng: random.Random, tenant_id: str, other_tenant_id: str) -> list[dict[str, Any]]:
    """25 inbound queues of our tenant (ids from 1001201) and one of another tenant."""
    queues = []
    for n in range(OUR_QUEUES):
        name = f"{QUEUE_NAMES[n % len(QUEUE_NAMES)]} {n // len(QUEUE_NAMES) + 1}"
        queues.append(_queue(rng, FIRST_QUEUE_ID + n, name, tenant_id))
    queues.append(_queue(rng, OTHER_TENANT_QUEUE_ID, "Queue tenant khác", other_tenant_id))
    return queues


def _queue(rng: random.Random, callin_id: int, name: str, tenant_id: str) -> dict[str, Any]:
    if rng.random() < 0.5:
        number: str | None = f"1900{rng.randrange(10_000):04d}"
    else:
        number = rng.choice((f"028{rng.randrange(10**8):08d}", None))
    return {
        "callinId": callin_id,
        "callinName": name,
        "strategy": rng.choice((1, 1, 1, 2, 3, 4, 99, None)),
        "musicinQueue": rng.choice(("waiting.wav", "nhac_cho.mp3", None)),
        "timeWait": rng.choice(("60", "120", "180", None)),
        "agentSelector": rng.choice(("ringall", "roundrobin", "leastrecent", 1, None)),
        "nguongRanhRoi": rng.choice(("0", "1", 0, 1, None)),
        "callinNumber": number,
        "tenant_id": tenant_id,
    }
