"""Which column is the phone and which the name, whatever the spreadsheet called them."""

from __future__ import annotations

import pytest

from bot.imports import NO_PHONE_COLUMN, Contact, ParseRefused, RowProblem, open_upload, parse_text
from bot.imports.headers import header_key


@pytest.mark.parametrize(
    "header",
    [
        "phone",
        "Phone",
        "PHONE",
        "phone_number",
        "phoneNumber",
        "Phone Number",
        "phone-number",
        "mobile",
        "Mobile",
        "sdt",
        "SĐT",
        "Sđt",
        "so_dien_thoai",
        "số điện thoại",
        "Số Điện Thoại",
        "SỐ ĐIỆN THOẠI",
        "điện thoại",
        "Điện Thoại",
        "tel",
        "Tel.",
        " TEL ",
    ],
)
def test_phone_header_is_recognised_without_case_or_diacritics(header):
    upload = parse_text(f"{header},x\n0912345678,y\n")

    assert upload.columns.has_header
    assert upload.columns.phone == header.strip()


@pytest.mark.parametrize(
    "header",
    ["name", "Name", "ho_ten", "HO_TEN", "họ tên", "Họ Tên", "họ và tên", "Họ và tên", "fullName",
     "full_name", "Full Name", "tên", "Tên", "TÊN"],
)  # fmt: skip
def test_name_header_is_recognised_without_case_or_diacritics(header):
    upload = parse_text(f"sdt,{header}\n0912345678,Nguyễn Văn A\n")

    assert upload.columns.name == header
    assert [r.name for r in upload.contacts()] == ["Nguyễn Văn A"]


def test_header_key_maps_d_with_stroke_which_nfkd_leaves_alone():
    assert header_key("Số Điện Thoại") == "sodienthoai"
    assert header_key("đ Đ") == "dd"


def test_vietnamese_headers_with_other_columns_in_any_order(write):
    text = (
        "STT,Họ và tên,Số điện thoại,danh_xung,otp_code\n1,Nguyễn Thị Hằng,0912345678,chị,123456\n"
    )

    upload = open_upload(write("ds.csv", text.encode("utf-8")))

    assert upload.columns.phone == "Số điện thoại"
    assert upload.columns.name == "Họ và tên"
    assert upload.columns.fields == ("STT", "danh_xung", "otp_code")
    assert list(upload.contacts()) == [
        Contact(
            line=2,
            phone="0912345678",
            name="Nguyễn Thị Hằng",
            fields={"STT": "1", "danh_xung": "chị", "otp_code": "123456"},
        )
    ]


def test_personalization_fields_keep_their_header_text_and_missing_cells_are_empty():
    upload = parse_text(" phone , Tên ,  danh_xung , Mã OTP ,\n0912345678,An,anh\n")

    (contact,) = upload.contacts()
    assert upload.columns.fields == ("danh_xung", "Mã OTP")  # unnamed last column dropped
    assert contact.fields == {"danh_xung": "anh", "Mã OTP": ""}


def test_a_second_phone_like_column_travels_as_a_field():
    upload = parse_text("mobile,tel,name\n0912345678,0243825123,A\n")

    assert upload.columns.phone == "mobile"
    assert upload.columns.fields == ("tel",)


def test_no_header_reads_columns_as_phone_then_name(write):
    upload = open_upload(write("list.csv", "0912345678,Nguyễn Văn A\n0987654321\n".encode()))

    assert not upload.columns.has_header
    assert upload.columns.phone is None
    assert list(upload.contacts()) == [
        Contact(1, "0912345678", "Nguyễn Văn A", {}),
        Contact(2, "0987654321", None, {}),
    ]


def test_no_header_when_the_first_phone_is_mistyped_keeps_it_as_an_invalid_row():
    upload = parse_text("0123 456 789,A\n0912345678,B\n")

    assert not upload.columns.has_header
    rows = list(upload.contacts())
    assert rows[0] == RowProblem(1, "0123 456 789", "invalid", "A")
    assert rows[1] == Contact(2, "0912345678", "B", {})


def test_header_without_a_phone_column_is_refused_with_the_headers_seen(write):
    path = write("list.csv", "email,Họ tên\nan@example.com,An\n".encode())

    with pytest.raises(ParseRefused) as refused:
        open_upload(path)

    assert refused.value.reason == NO_PHONE_COLUMN
    assert refused.value.key == "import.no_phone_column"
    assert refused.value.params == {"headers": ["email", "Họ tên"]}


def test_header_with_a_second_bom_or_zero_width_space_still_matches():
    upload = parse_text("\ufeffSố\u200b điện thoại,Tên\n0912345678,An\n")

    assert upload.columns.phone == "Số\u200b điện thoại"
