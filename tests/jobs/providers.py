"""What each provider's sandbox holds after an import: phone → how many times."""

from __future__ import annotations

from collections import Counter
from typing import Any

CAMPAIGNS = {"alohub-main": "103", "vbee": "vbee-cmp-1", "aicc": "cmp-hn-01", "crm": ""}


def at_provider(sandbox: Any, connection: str, campaign: str | None = None) -> Counter[str]:
    """How many times each national phone is in the campaign (OMICall: in the CRM)."""
    campaign = campaign or CAMPAIGNS[connection]
    if connection == "alohub-main":
        return Counter(c.phoneNumber for c in sandbox.alohub.contacts(int(campaign)))
    if connection == "vbee":
        return Counter("0" + c["so_dien_thoai"][3:] for c in sandbox.vbee.contacts[campaign])
    if connection == "aicc":
        return Counter(c["phone_number"] for c in sandbox.aicallcenter.imports[campaign])
    sandbox.omicall.tick()
    return Counter(
        p["data"] for c in sandbox.omicall.contacts.values() for p in c.get("phones") or []
    )
