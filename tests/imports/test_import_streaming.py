"""Big lists: memory stays flat in the number of rows; the phone shortcut changes no answer."""

from __future__ import annotations

import gc
import random
import sys

import pytest

from bot import phonefast
from bot.imports import open_upload
from bot.phones import InvalidPhone, normalize


def test_100_000_rows_are_streamed_not_kept_in_memory(write):
    lines = ["Số điện thoại,Họ và tên,danh_xung,otp_code"]
    lines += [f"09{i:08d},Nguyễn Thị Hằng {i},chị,{i:06d}" for i in range(100_000)]
    path = write("100k.csv", ("\n".join(lines) + "\n").encode("utf-8"))
    del lines
    upload = open_upload(path)
    gc.collect()
    # Counting the interpreter's allocated blocks is exact and, unlike tracemalloc, free:
    # the dedupe map costs 2 blocks a row (phone, line); a row kept as a Contact costs 8.
    baseline = sys.getallocatedblocks()
    growth = []
    rows = 0
    for rows, _ in enumerate(upload.contacts(), 1):
        if rows % 10_000 == 0:
            growth.append(sys.getallocatedblocks() - baseline)
    gc.collect()
    left = sys.getallocatedblocks() - baseline

    assert rows == 100_000
    per_row = (growth[-1] - growth[0]) / 90_000
    assert per_row < 3, f"{per_row:.1f} blocks kept per row"
    assert left < 1_000  # and nothing stays behind once the pass is over


def _answer(raw: str, fmt) -> str:
    try:
        return normalize(raw, fmt)
    except InvalidPhone as exc:
        return f"! {exc.reason}"


def _fast_answer(raw: str, fmt) -> str:
    try:
        return phonefast.fast_normalize(raw, fmt)
    except InvalidPhone as exc:
        return f"! {exc.reason}"


def test_phone_shortcut_is_on_with_the_installed_phonenumbers():
    # If an upgrade turned it off, imports stay correct but get ~3x slower: look at phonefast.
    assert phonefast.ENABLED


@pytest.mark.parametrize("length", [9, 10])
def test_phone_shortcut_agrees_with_normalize_for_every_four_digit_prefix(length):
    rng = random.Random(length)
    for prefix in range(10_000):
        nsn = f"{prefix:04d}" + "".join(rng.choices("0123456789", k=length - 4))
        raw = "0" + nsn
        assert _fast_answer(raw, "national") == _answer(raw, "national"), raw


@pytest.mark.parametrize("length", [9, 10])
def test_phone_shortcut_agrees_with_normalize_on_numbers_a_spreadsheet_kept_as_numbers(length):
    # Excel drops the 0 of a phone typed as a number: 912345678 reaches the shortcut bare.
    rng = random.Random(length + 100)
    for prefix in range(1_000, 10_000):
        raw = f"{prefix:04d}" + "".join(rng.choices("0123456789", k=length - 4))
        for fmt in ("national", "e164"):
            assert _fast_answer(raw, fmt) == _answer(raw, fmt), raw


def test_phone_shortcut_agrees_with_normalize_on_every_shape_and_format():
    rng = random.Random(84)
    shapes = [
        lambda n: "0" + n,
        lambda n: "+84" + n,
        lambda n: "84" + n,
        lambda n: "+84 " + n[:2] + " " + n[2:5] + " " + n[5:],
        lambda n: "0" + n[:3] + "." + n[3:6] + "." + n[6:],
        lambda n: "0" + n[:2] + "-" + n[2:5] + "-" + n[5:],
        lambda n: " 84 " + n + " ",
        lambda n: "0" + n + "0",
        lambda n: "00" + n,
        lambda n: "840" + n,
        lambda n: "+840" + n,
        lambda n: n,
        lambda n: n + "0",
    ]
    for _ in range(400):
        nsn = rng.choice("123456789") + "".join(rng.choices("0123456789", k=rng.choice([6, 8, 9])))
        for shape in shapes:
            raw = shape(nsn)
            for fmt in ("national", "e164"):
                assert _fast_answer(raw, fmt) == _answer(raw, fmt), (raw, fmt)


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "912345678",
        "86123456",
        "2438251234",
        "9123456789",
        "9.12345678",
        "+912345678",
        "84912345678",
        "8491234567",  # 10 digits starting 84: a national number, not a country code
        "849123456789",
        "840912345678",
        "+84912345678",
        "+840912345678",
        "0084912345678",
        "02438251234",
        "842438251234",
        "1900123456",
        "01900123456",
        "0900 000 000",
        "0-9-1-2-3-4-5-6-7-8",
        "0912..345--678",
        "09 12",
        "0 9",
        "+84",
        "٠٩١٢٣٤٥٦٧٨",  # Arabic-Indic digits go to phonenumbers, never to the shortcut
        "０９１２３４５６７８",
        "0912345678 ",
        "0" + "9" * 40,
    ],
)
@pytest.mark.parametrize("fmt", ["national", "e164"])
def test_phone_shortcut_agrees_with_normalize_on_edge_cases(raw, fmt):
    assert _fast_answer(raw, fmt) == _answer(raw, fmt)
