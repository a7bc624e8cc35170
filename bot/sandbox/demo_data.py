"""Deterministic demo people: Vietnamese names, mobile numbers, e-mails, dates."""

from __future__ import annotations

import random
import unicodedata

from bot.sandbox.vnphone import MOBILE_PREFIXES

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MALE_MIDDLE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Ngọc", "Thu", "Thanh", "Hoài", "Kim", "Bảo", "Mỹ"]
MALE_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Tuấn",
    "Việt",
    "Thắng",
]
FEMALE_GIVEN = [
    "Anh",
    "Hà",
    "Hạnh",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Phương",
    "Tâm",
    "Thảo",
    "Trang",
    "Yến",
    "Hằng",
    "Nhung",
]
STREETS = (
    "Lê Lợi",
    "Nguyễn Huệ",
    "Trần Hưng Đạo",
    "Hai Bà Trưng",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
    "Võ Văn Tần",
)
CITIES = (
    "Quận 1, TP. Hồ Chí Minh",
    "Quận 3, TP. Hồ Chí Minh",
    "Ba Đình, Hà Nội",
    "Hải Châu, Đà Nẵng",
)
MAIL_DOMAINS = ("gmail.com", "yahoo.com.vn", "outlook.com")


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics (``Đỗ Thị Hằng`` → ``Do Thi Hang``)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def person_name(rng: random.Random) -> tuple[str, str]:
    """A full name and its gender (``male`` or ``female``)."""
    if rng.random() < 0.5:
        middle, given, gender = rng.choice(MALE_MIDDLE), rng.choice(MALE_GIVEN), "male"
    else:
        middle, given, gender = rng.choice(FEMALE_MIDDLE), rng.choice(FEMALE_GIVEN), "female"
    return f"{rng.choice(SURNAMES)} {middle} {given}", gender


def mobile(rng: random.Random) -> str:
    """A valid Vietnamese mobile number, ``0xxxxxxxxx``."""
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}"


def unique_mobiles(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct mobile numbers."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        number = mobile(rng)
        if number not in seen:
            seen.add(number)
            out.append(number)
    return out


def email_for(name: str, serial: int, rng: random.Random) -> str:
    """A plausible e-mail address for ``name``."""
    parts = ascii_fold(name).lower().split()
    return f"{parts[-1]}.{parts[0]}{serial}@{rng.choice(MAIL_DOMAINS)}"


def address(rng: random.Random) -> str:
    """A street address in a Vietnamese city."""
    return f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, {rng.choice(CITIES)}"


def birthday(rng: random.Random) -> str:
    """A birth date as ``dd/MM/yyyy``."""
    return f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1960, 2004)}"


def token(rng: random.Random, prefix: str, nbytes: int = 24) -> str:
    """A secret-looking string, deterministic from ``rng``."""
    return prefix + rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()
