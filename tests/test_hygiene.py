"""The sanitizer, the escape helper and the cut: properties and the cases that matter."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import hygiene
from bot.hygiene import NAME_MAX, Markup, clean, clean_deep, cut, inert
from bot.messages import Messages

# What must never survive ``clean``: C0 but tab/newline, DEL, C1, the bidi controls.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " 0123456789.,-'"), max_size=60
)


@given(st.text())
def test_clean_is_idempotent(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    single = clean(text, multiline=False)
    assert clean(single, multiline=False) == single


@given(st.text())
def test_clean_never_leaves_a_control_or_bidi_character(text: str) -> None:
    assert not UNSAFE.search(clean(text))
    single = clean(text, multiline=False)
    assert not UNSAFE.search(single) and "\n" not in single and "\t" not in single


@given(vietnamese_text)
def test_clean_leaves_vietnamese_text_unchanged(text: str) -> None:
    assert clean(text) == text
    assert clean(text, multiline=False) == text


@given(vietnamese_text)
def test_decomposed_vietnamese_is_composed_to_what_the_keyboard_usually_sends(text: str) -> None:
    assert clean(unicodedata.normalize("NFD", text)) == text


def test_the_issue_s_name_comes_out_as_typed_without_its_nul_and_override() -> None:
    assert clean("Ng\u0000uy\u202eễn") == "Nguyễn"
    assert clean("\ufeffTrần\u2067 Thị\u2069 B\u200f") == "Trần Thị B"


def test_newlines_stay_in_notes_and_become_spaces_in_cells() -> None:
    assert clean("gọi lại\r\nsau 17h\rnhé\tạ") == "gọi lại\nsau 17h\nnhé\tạ"
    assert clean("Nguyễn\r\nVăn\tAn", multiline=False) == "Nguyễn Văn An"


def test_clean_deep_cleans_keys_values_and_lists_and_leaves_the_rest() -> None:
    payload = {"values": {"na\x00me": ["A\u202eB", 3, None]}, "n": 1}
    assert clean_deep(payload) == {"values": {"name": ["AB", 3, None]}, "n": 1}


@given(st.text())
def test_inert_text_cannot_mention_link_or_format(text: str) -> None:
    shown = inert(text)
    assert "<" not in shown and ">" not in shown and "`" not in shown
    # A marker that could open or close formatting is never next to a non-word character.
    assert not re.search(r"(?<![^\W_])[*_~]|[*_~](?![^\W_])", shown)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<!channel>", "‹!channel›"),
        ("<@U123>", "‹@U123›"),
        ("<http://evil|x>", "‹http://evil|x›"),
        ("*bold* _it_ ~del~ `code`", "∗bold∗ ˍitˍ ∼del∼ ˋcodeˋ"),
        ("nguyen_van_an@mail.vn", "nguyen_van_an@mail.vn"),  # stays copyable
        ("__a__", "ˍˍaˍˍ"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
    ],
)
def test_inert_replaces_markup_characters_with_look_alikes(typed: str, shown: str) -> None:
    assert inert(typed) == shown


def test_a_catalog_sentence_keeps_its_own_formatting_and_inerts_the_values() -> None:
    msg = Messages("en")
    sentence = msg("contact.find.row", name="*x* <!here>", id="1", phones="—", emails="—")
    assert sentence.startswith("*∗x∗ ‹!here›*")
    # A sentence placed in another one is markup already: kept.
    assert isinstance(sentence, Markup) and isinstance(Markup(", ").join([sentence]), Markup)
    assert not isinstance(Markup(", ").join([sentence, "*typed*"]), Markup)


def test_one_value_in_a_sentence_is_cut_with_an_ellipsis() -> None:
    sentence = Messages("en")("contact.add.bad_phone", value="9" * 40_000, reason="x")
    assert len(sentence) < 1200 and "9…" in sentence


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_cut_fits_the_limit_and_shows_it_cut(text: str, limit: int) -> None:
    shown = cut(text, limit)
    assert len(shown) <= limit
    assert shown == text or shown.endswith("…")


def test_the_file_reason_names_the_same_limit_as_the_code() -> None:
    for language in ("en", "vi"):
        assert str(NAME_MAX) in Messages(language)("import.reason.name_too_long")
    assert hygiene.NAME_MAX == 200
