"""Sentences about Slack's side of things: requests the bot no longer knows, Socket Mode.

Key → (English, Vietnamese). ``{command}`` is a slash command as the user types it.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "stale.button": (
        "This button belongs to an older message; run `{command}` again.",
        "Nút này thuộc về một tin nhắn cũ; hãy chạy lại `{command}`.",
    ),
    "stale.button.generic": (
        "This button belongs to an older message; run the command again (`/callops` lists them).",
        "Nút này thuộc về một tin nhắn cũ; hãy chạy lại lệnh (`/callops` liệt kê các lệnh).",
    ),
    "stale.form.title": ("Form out of date", "Biểu mẫu đã cũ"),
    "stale.form": (
        "This form belongs to an older version of callops; close it and run `{command}` again.",
        "Biểu mẫu này thuộc về phiên bản cũ của callops; hãy đóng nó và chạy lại `{command}`.",
    ),
    "stale.form.generic": (
        "This form belongs to an older version of callops; close it and run the command "
        "again (`/callops` lists them).",
        "Biểu mẫu này thuộc về phiên bản cũ của callops; hãy đóng nó và chạy lại lệnh "
        "(`/callops` liệt kê các lệnh).",
    ),
    "stale.close": ("Close", "Đóng"),
    "request.unreadable.title": ("Could not read", "Không đọc được"),
    "request.unreadable": (
        "callops could not read this request (some of its fields were not what Slack sends); "
        "nothing was done. Run the command again; if it happens again, tell your callops admin.",
        "callops không đọc được yêu cầu này (một số trường không đúng như Slack gửi); chưa có "
        "gì được thực hiện. Hãy chạy lại lệnh; nếu vẫn gặp lỗi, hãy báo quản trị viên callops.",
    ),
    "request.forged.title": ("Form not accepted", "Biểu mẫu bị từ chối"),
    "request.forged": (
        "callops could not confirm that this form is one it made (its hidden data was changed, "
        "or callops' keys changed since it opened), so nothing was done. Close it and run the "
        "command again; if it happens again, tell your callops admin.",
        "callops không xác nhận được biểu mẫu này do chính nó tạo (dữ liệu ẩn đã bị thay đổi, "
        "hoặc khóa của callops đã đổi từ khi mở), nên chưa có gì được thực hiện. Hãy đóng nó và "
        "chạy lại lệnh; nếu vẫn gặp lỗi, hãy báo quản trị viên callops.",
    ),
    "request.busy": (
        "callops is busy — try again in a minute.",
        "callops đang bận — vui lòng thử lại sau một phút.",
    ),
    "stale.shortcut": (
        "This shortcut is no longer part of callops; type `/callops` to see what it offers.",
        "Lối tắt này không còn trong callops; hãy gõ `/callops` để xem các lệnh hiện có.",
    ),
    "cli.socket_mode_disabled": (
        "Slack turned Socket Mode off for this app — turn it back on (api.slack.com/apps → "
        "your app → Socket Mode → Enable Socket Mode), or unset SLACK_APP_TOKEN and set "
        "SLACK_SIGNING_SECRET to serve Slack over HTTP instead.",
        "Slack đã tắt Socket Mode của ứng dụng này — hãy bật lại (api.slack.com/apps → "
        "ứng dụng của bạn → Socket Mode → Enable Socket Mode), hoặc bỏ SLACK_APP_TOKEN và "
        "đặt SLACK_SIGNING_SECRET để phục vụ Slack qua HTTP.",
    ),
}
