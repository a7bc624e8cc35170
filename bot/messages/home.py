"""Sentences of the live App Home: key → (English, Vietnamese)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "home.title": ("callops", "callops"),
    "home.updated": (
        "Updated {time} ({timezone}). Figures may be up to a minute old; reopen the tab to "
        "refresh.",
        "Cập nhật lúc {time} ({timezone}). Số liệu có thể trễ tới một phút; mở lại thẻ để làm mới.",
    ),
    # Today's calls
    "home.calls.title": ("*Today's calls*", "*Cuộc gọi hôm nay*"),
    "home.calls.connection": (
        "*`{connection}`* · today until {time}, against yesterday until {time}",
        "*`{connection}`* · hôm nay đến {time}, so với hôm qua đến {time}",
    ),
    "home.calls.calls": ("*Calls*\n{count} {change}", "*Cuộc gọi*\n{count} {change}"),
    "home.calls.rate": (
        "*Answer rate*\n{rate} {change}",
        "*Tỉ lệ nghe máy*\n{rate} {change}",
    ),
    "home.calls.failed": (
        "`{connection}`: I could not read today's calls. {reason}",
        "`{connection}`: tôi không đọc được cuộc gọi hôm nay. {reason}",
    ),
    "home.calls.none": (
        "None of your connections keeps call records (AICallCenter): `/calls` in a channel "
        "shows what yours can.",
        "Không kết nối nào của bạn có lịch sử cuộc gọi (AICallCenter): gõ `/calls` trong một "
        "kênh để xem kết nối của bạn làm được gì.",
    ),
    "home.calls.other": ("`{connection}`", "`{connection}`"),
    "home.calls.others": (
        "Also yours: {connections}.",
        "Bạn cũng dùng được: {connections}.",
    ),
    "home.connections.none": (
        "You use no connection yet: the connections are bound to channels, and you are in none "
        "of callops' channels. Ask an admin ({admins}) which channel to join.",
        "Bạn chưa dùng kết nối nào: kết nối gắn với kênh, và bạn chưa ở kênh nào của callops. "
        "Hỏi quản trị viên ({admins}) nên vào kênh nào.",
    ),
    "home.connections.stranger": (
        "You are not on the operators list, so I show no figures here. Ask an admin "
        "({admins}) to add you.",
        "Bạn chưa có trong danh sách vận hành nên tôi không hiển thị số liệu ở đây. Nhờ quản "
        "trị viên ({admins}) thêm bạn.",
    ),
    "home.channels.unknown": (
        "I could not see which channels you are in, so I show no connections or alerts. If "
        "this lasts, ask an admin to reinstall callops with the channels:read and groups:read "
        "scopes.",
        "Tôi không biết bạn ở những kênh nào nên không hiển thị kết nối hay cảnh báo. Nếu lỗi "
        "kéo dài, nhờ quản trị viên cài lại callops với quyền channels:read và groups:read.",
    ),
    # Jobs
    "home.jobs.title": ("*Your running imports*", "*Các lượt nhập đang chạy của bạn*"),
    "home.jobs.none": (
        "No import of yours is running. Start one with `/import` in a channel.",
        "Bạn không có lượt nhập nào đang chạy. Bắt đầu bằng `/import` trong một kênh.",
    ),
    "home.jobs.line": (
        "*{ref}* · {state} · `{connection}` campaign {campaign} · {done} of {total} rows\n`{bar}`",
        "*{ref}* · {state} · `{connection}` chiến dịch {campaign} · {done} trên {total} dòng\n"
        "`{bar}`",
    ),
    # Alerts
    "home.alerts.title": (
        "*Open alerts in your channels*",
        "*Cảnh báo đang mở trong các kênh của bạn*",
    ),
    "home.alerts.none": ("No open alert.", "Không có cảnh báo nào đang mở."),
    "home.alerts.line": ("{channel} · {text}", "{channel} · {text}"),
    "home.alerts.acknowledge": ("Acknowledge", "Xác nhận"),
    "home.alerts.acknowledged": (
        "✅ You acknowledged the alert in {channel}; the channel's message says so.",
        "✅ Bạn đã xác nhận cảnh báo trong {channel}; tin nhắn trong kênh đã ghi lại.",
    ),
    "home.alerts.closed": (
        "That alert is no longer open: the list below is up to date.",
        "Cảnh báo đó không còn mở: danh sách bên dưới đã được cập nhật.",
    ),
    "home.alerts.not_member": (
        "That alert belongs to {channel}, which you are not in: only its members can "
        "acknowledge it.",
        "Cảnh báo đó thuộc {channel}, kênh bạn không tham gia: chỉ thành viên kênh mới xác "
        "nhận được.",
    ),
    # Slack's limit
    "home.truncated": (
        "… {count} more lines are not shown (Slack shows at most 100 blocks on Home). "
        "`/job` and `/calls` in a channel show everything.",
        "… còn {count} dòng không hiển thị (Slack chỉ hiện tối đa 100 khối ở Home). Gõ `/job` "
        "và `/calls` trong một kênh để xem đầy đủ.",
    ),
}
