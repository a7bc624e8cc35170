"""Rows: phone normalization, blank lines, line numbers, problems and duplicates."""

from __future__ import annotations

from bot.imports import (
    MISSING_PHONE,
    Contact,
    Duplicate,
    RowProblem,
    open_upload,
    parse_text,
    summarize,
)

MIXED = """\
Số điện thoại,Họ và tên
+84 912 345 678,A
84912345679,B
0912.345.680,C
091-234-5681,D
(091) 234 5682,E
+84-91-234-5683,F
0084912345684,G
 0912 345 685 ,H
024 3825 1234,I
"""


def test_mixed_phone_formats_are_normalized_to_national_form(write):
    upload = open_upload(write("list.csv", MIXED.encode("utf-8")))

    assert [r.phone for r in upload.contacts() if isinstance(r, Contact)] == [
        "0912345678",
        "0912345679",
        "0912345680",
        "0912345681",
        "0912345682",
        "0912345683",
        "0912345684",
        "0912345685",
        "02438251234",
    ]


def test_e164_connection_gets_e164_phones(write):
    upload = open_upload(write("list.csv", MIXED.encode("utf-8")))

    phones = [r.phone for r in upload.contacts("e164") if isinstance(r, Contact)]

    assert phones[0] == "+84912345678"
    assert phones[-1] == "+842438251234"


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file():
    upload = parse_text("phone,name\n\n0912345678,A\n   \n,\n\t\n0987654321,B\n\n")

    rows = list(upload.contacts())
    summary = summarize(upload)

    assert [(r.line, r.phone) for r in rows] == [(3, "0912345678"), (7, "0987654321")]
    assert (summary.rows_read, summary.valid, summary.invalid) == (2, 2, 0)


def test_invalid_phones_carry_the_phones_reason_code_and_line():
    text = "sdt,ten\nabc,A\n0912,B\n09123456789012,C\n+1 650 253 0000,D\n0123456789,E\n,F\n"

    rows = list(parse_text(text).contacts())

    assert rows == [
        RowProblem(2, "abc", "not_a_number", "A"),
        RowProblem(3, "0912", "too_short", "B"),
        RowProblem(4, "09123456789012", "too_long", "C"),
        RowProblem(5, "+1 650 253 0000", "foreign", "D"),
        RowProblem(6, "0123456789", "invalid", "E"),
        RowProblem(7, "", MISSING_PHONE, "F"),
    ]


def test_foreign_numbers_are_valid_for_an_e164_connection():
    rows = list(parse_text("phone\n+1 650 253 0000\n").contacts("e164"))

    assert rows == [Contact(2, "+16502530000", None, {})]


def test_duplicates_after_normalization_point_at_the_first_occurrence():
    text = "phone,name\n0912345678,A\n+84 912 345 678,B\n0987654321,C\n84912345678,D\n"

    rows = list(parse_text(text).contacts())

    assert rows == [
        Contact(2, "0912345678", "A", {}),
        Duplicate(3, "0912345678", first_line=2),
        Contact(4, "0987654321", "C", {}),
        Duplicate(5, "0912345678", first_line=2),
    ]


def test_summary_counts_everything_and_keeps_ten_samples_of_each(write):
    lines = ["phone,name", "0912345678,First"]
    lines += [f"0912 345 678,Dup {i}" for i in range(15)]
    lines += [f"12{i},Bad {i}" for i in range(12)]
    lines += [f"09870000{i:02d},Ok {i}" for i in range(5)]
    upload = open_upload(write("list.csv", "\n".join(lines).encode("utf-8")))

    summary = summarize(upload)

    assert (summary.rows_read, summary.valid, summary.invalid, summary.duplicates) == (
        33,
        6,
        12,
        15,
    )
    assert summary.duplicate_samples[0] == Duplicate(3, "0912345678", 2)
    assert [d.line for d in summary.duplicate_samples] == list(range(3, 13))
    assert [p.line for p in summary.invalid_samples] == list(range(18, 28))
    assert summary.columns.phone == "phone"
    assert (summary.kind, summary.encoding, summary.delimiter) == ("csv", "utf-8", ",")


def test_preview_then_import_reads_the_file_twice_with_the_same_result(write):
    path = write("list.csv", MIXED.encode("utf-8"))
    upload = open_upload(path, "list.csv")

    summary = summarize(upload)
    first = list(upload.contacts())
    second = list(upload.contacts())

    assert summary.valid == len(first) == 9
    assert first == second


def test_txt_with_one_phone_per_line_and_optional_names(write):
    text = "0912345678\n0987 654 321, Trần Thị B\n\n+84903123456\n"

    upload = open_upload(write("danh-sach.txt", text.encode("utf-8")), "danh-sach.txt")

    assert upload.kind == "txt"
    assert list(upload.contacts()) == [
        Contact(1, "0912345678", None, {}),
        Contact(2, "0987654321", "Trần Thị B", {}),
        Contact(4, "0903123456", None, {}),
    ]


def test_pasted_list_is_read_like_a_file():
    upload = parse_text("0912345678, Nguyễn Văn A\r\n0987654321\r\n")

    assert (upload.kind, upload.encoding) == ("paste", "utf-8")
    assert [(r.phone, r.name) for r in upload.contacts()] == [
        ("0912345678", "Nguyễn Văn A"),
        ("0987654321", None),
    ]


def test_pasted_csv_with_header_and_tabs_from_a_spreadsheet():
    upload = parse_text("Số điện thoại\tHọ và tên\tdanh_xung\n0912345678\tAn\tanh\n")

    assert upload.delimiter == "\t"
    assert list(upload.contacts()) == [Contact(2, "0912345678", "An", {"danh_xung": "anh"})]
