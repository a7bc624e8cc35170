"""Contact lists made by the tests: unique valid Vietnamese mobiles, CSV bytes."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence

PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "086", "088")


def phones(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct valid mobile numbers in national form."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        phone = rng.choice(PREFIXES) + f"{rng.randrange(10**7):07d}"
        if phone not in seen:
            seen.add(phone)
            out.append(phone)
    return out


def csv_bytes(
    rows: Iterable[Sequence[object]],
    header: Sequence[str] | None = ("phone", "name"),
    *,
    encoding: str = "utf-8",
) -> bytes:
    """A CSV file of ``rows`` under ``header``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def contact_list(count: int, *, seed: int = 1, bad: Sequence[str] = ()) -> tuple[bytes, list[str]]:
    """A CSV with ``count`` valid rows then the ``bad`` phones; returns it and the valid phones."""
    valid = phones(count, seed)
    rows = [(p, f"Khách {i}") for i, p in enumerate(valid)] + [(b, "Lỗi") for b in bad]
    return csv_bytes(rows), valid
