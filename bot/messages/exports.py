"""Sentences and CSV column names of ``/calls export`` and ``/contact list … export``.

The CSV headers are in the workspace's language, like every other word the bot shows:
the file is read by people in Excel, not by programs; the raw codes (state, process
status) stay in their own columns next to the words, so a sheet formula can rely on them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "usage.calls.export": (
        "`/calls export [today|yesterday|YYYY-MM-DD|YYYY-MM-DD..YYYY-MM-DD|7d] "
        "[campaign=<id>] [via=<connection>]`",
        "`/calls export [today|yesterday|YYYY-MM-DD|YYYY-MM-DD..YYYY-MM-DD|7d] "
        "[campaign=<mã>] [via=<kết nối>]`",
    ),
    "usage.calls.export.example": (
        "`/calls export 7d campaign=cmp-hn-01`",
        "`/calls export 7d campaign=cmp-hn-01`",
    ),
    "export.calls.none": (
        "No calls ({label}) on `{connection}`: there is nothing to export. Try a longer period, "
        "e.g. `/calls export 7d`.",
        "Không có cuộc gọi nào ({label}) trên `{connection}`: không có gì để xuất. Hãy thử "
        "khoảng dài hơn, ví dụ `/calls export 7d`.",
    ),
    "export.calls.comment": (
        "📎 {user} exported {count} calls ({label}) from `{connection}`.",
        "📎 {user} đã xuất {count} cuộc gọi ({label}) từ `{connection}`.",
    ),
    "export.calls.comment_campaign": (
        "📎 {user} exported {count} calls of campaign `{campaign}` ({label}) from `{connection}`.",
        "📎 {user} đã xuất {count} cuộc gọi của chiến dịch `{campaign}` ({label}) từ "
        "`{connection}`.",
    ),
    "export.calls.title": ("Calls {label}", "Cuộc gọi {label}"),
    "export.calls.done": (
        "✅ {count} calls exported: the CSV is posted in this channel (times in {timezone}).",
        "✅ Đã xuất {count} cuộc gọi: tệp CSV đã được đăng trong kênh này (giờ theo {timezone}).",
    ),
    "export.list.none": (
        "List {list} of campaign {campaign} has no contacts: there is nothing to export. "
        "See the campaign's lists with `/contact lists campaign={campaign}`.",
        "Danh sách {list} của chiến dịch {campaign} không có liên hệ nào: không có gì để xuất. "
        "Xem các danh sách của chiến dịch bằng `/contact lists campaign={campaign}`.",
    ),
    "export.list.comment": (
        "📎 {user} exported the {count} contacts of list {list} (campaign {campaign}) "
        "from `{connection}`.",
        "📎 {user} đã xuất {count} liên hệ của danh sách {list} (chiến dịch {campaign}) "
        "từ `{connection}`.",
    ),
    "export.list.title": (
        "Contacts of list {list} · campaign {campaign}",
        "Liên hệ của danh sách {list} · chiến dịch {campaign}",
    ),
    "export.list.done": (
        "✅ {count} contacts exported: the CSV is posted in this channel.",
        "✅ Đã xuất {count} liên hệ: tệp CSV đã được đăng trong kênh này.",
    ),
    "export.failed": (
        "⚠️ The export stopped after {done} of {total} rows, so no file was posted. {reason} "
        "Then run the same command again.",
        "⚠️ Việc xuất dữ liệu dừng lại sau {done} trên {total} dòng nên chưa có tệp nào được "
        "đăng. {reason} Sau đó chạy lại đúng lệnh này.",
    ),
    "export.upload_failed": (
        "⚠️ The {count} rows were read, but Slack did not take the file, so nothing was "
        "posted. Check that the bot has the `files:write` scope, then run the command again.",
        "⚠️ Đã đọc {count} dòng nhưng Slack không nhận tệp nên chưa có gì được đăng. Hãy kiểm "
        "tra bot có quyền `files:write`, rồi chạy lại lệnh.",
    ),
    # CSV columns of a call export.
    "export.col.time": ("Time", "Thời điểm"),
    "export.col.call_id": ("Call ID", "Mã cuộc gọi"),
    "export.col.campaign": ("Campaign", "Chiến dịch"),
    "export.col.caller": ("Caller number", "Số gọi đi"),
    "export.col.callee": ("Called number", "Số được gọi"),
    "export.col.duration": ("Talk time (s)", "Thời lượng đàm thoại (giây)"),
    "export.col.result": ("Result", "Kết quả"),
    "export.col.state": ("State code", "Mã trạng thái"),
    "export.col.keys": ("Keys pressed (second)", "Phím bấm (giây)"),
    "export.col.note": ("Hangup code", "Mã kết thúc"),
    "export.result.answered": ("answered", "nghe máy"),
    "export.result.failed": ("not answered", "không nghe máy"),
    "export.result.other": ("other", "khác"),
    # CSV columns of a contact list export.
    "export.col.contact_id": ("Contact ID", "Mã liên hệ"),
    "export.col.customer_id": ("Customer ID", "Mã khách hàng"),
    "export.col.phone": ("Phone", "Số điện thoại"),
    "export.col.name": ("Name", "Họ tên"),
    "export.col.process": ("Status", "Trạng thái"),
    "export.col.process_code": ("Status code", "Mã trạng thái"),
    "export.col.call_status": ("Call result", "Kết quả cuộc gọi"),
    "export.process.0": ("waiting to be called", "chờ gọi"),
    "export.process.1": ("in a call", "đang gọi"),
    "export.process.2": ("called", "đã gọi"),
    "export.process.other": ("unknown status", "trạng thái không rõ"),
}
