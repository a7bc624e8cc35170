"""Sentences of the command line and the local console: key → (English, Vietnamese)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # callops run / console start-up
    "cli.no_token": (
        "No SLACK_BOT_TOKEN set — opening the local console on the sandbox providers.",
        "Chưa đặt SLACK_BOT_TOKEN — mở bảng điều khiển cục bộ trên nhà cung cấp giả lập.",
    ),
    "cli.no_config": (
        "No {path} here — using the sandbox providers.",
        "Không có {path} ở đây — dùng nhà cung cấp giả lập.",
    ),
    "cli.needs_bot_token": (
        "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not — Socket Mode needs both; "
        "copy the bot token (xoxb-…) from the Slack app's OAuth page.",
        "Đã đặt SLACK_APP_TOKEN nhưng chưa có SLACK_BOT_TOKEN — Socket Mode cần cả hai; "
        "hãy chép bot token (xoxb-…) từ trang OAuth của ứng dụng Slack.",
    ),
    "cli.needs_signing_secret": (
        "SLACK_SIGNING_SECRET is not set — HTTP mode needs it to verify Slack's requests; "
        "copy it from the Slack app's Basic Information page, or set SLACK_APP_TOKEN for "
        "Socket Mode.",
        "Chưa đặt SLACK_SIGNING_SECRET — chế độ HTTP cần nó để xác minh yêu cầu từ Slack; "
        "hãy chép từ trang Basic Information của ứng dụng Slack, hoặc đặt SLACK_APP_TOKEN "
        "để dùng Socket Mode.",
    ),
    "cli.cannot_listen": (
        "Cannot listen on {host}:{port} ({reason}) — pick another --port or stop what uses it.",
        "Không thể lắng nghe trên {host}:{port} ({reason}) — chọn --port khác hoặc dừng "
        "chương trình đang dùng cổng đó.",
    ),
    "cli.slack_refused": (
        "Slack refused to connect ({error}) — check SLACK_APP_TOKEN and SLACK_BOT_TOKEN.",
        "Slack từ chối kết nối ({error}) — hãy kiểm tra SLACK_APP_TOKEN và SLACK_BOT_TOKEN.",
    ),
    # callops check
    "check.column.connection": ("connection", "kết nối"),
    "check.column.provider": ("provider", "nhà cung cấp"),
    "check.column.result": ("result", "kết quả"),
    "check.ok": ("✓ ok", "✓ tốt"),
    "check.failed": ("✗ {reason}", "✗ {reason}"),
    "check.timeout": (
        "{connection} did not answer within {seconds} s. Check that the provider is up and "
        "that base_url is right.",
        "{connection} không trả lời trong {seconds} giây. Hãy kiểm tra nhà cung cấp có hoạt "
        "động và base_url có đúng không.",
    ),
    "check.crashed": (
        "Checking {connection} failed unexpectedly ({error}). Run again with --verbose and "
        "tell the maintainers.",
        "Kiểm tra {connection} gặp lỗi bất ngờ ({error}). Hãy chạy lại với --verbose và báo "
        "cho người bảo trì.",
    ),
    "check.all_ok": ("All {count} connections work.", "Cả {count} kết nối đều hoạt động."),
    "check.some_failed": (
        "{failed} of {count} connections failed.",
        "{failed} trên {count} kết nối bị lỗi.",
    ),
    "check.not_recorded": (
        "The results could not be saved in the database ({error}); /callops connections will "
        "not show them.",
        "Không lưu được kết quả vào cơ sở dữ liệu ({error}); /callops connections sẽ không "
        "hiển thị chúng.",
    ),
    # the console
    "console.banner": (
        "callops console — you are {user} ({role}) in {channel}. Type a slash command "
        "(/callops for the list), a button's number, help or quit.",
        "bảng điều khiển callops — bạn là {user} ({role}) trong {channel}. Gõ lệnh gạch chéo "
        "(/callops để xem danh sách), số của một nút, help hoặc quit.",
    ),
    "console.help": (
        "Type a slash command exactly as in Slack, e.g. /queue list or /contact find 0912345678.\n"
        "Buttons are shown as [1] Next ▶ — type the number to press one.\n"
        "Forms (modals) ask one question at a time: Enter keeps the value in [brackets], "
        "- clears it, cancel or Ctrl-C closes the form.\n"
        "Files the bot uploads are saved on disk; the path is printed.\n"
        "quit, Ctrl-D or Ctrl-C twice leaves.",
        "Gõ lệnh gạch chéo y như trên Slack, ví dụ /queue list hoặc /contact find 0912345678.\n"
        "Các nút hiện dạng [1] Trang sau ▶ — gõ số để bấm.\n"
        "Biểu mẫu hỏi từng câu một: Enter giữ giá trị trong [ngoặc], - để xoá, cancel hoặc "
        "Ctrl-C để đóng biểu mẫu.\n"
        "Tệp bot tải lên được lưu trên đĩa; đường dẫn được in ra.\n"
        "quit, Ctrl-D hoặc nhấn Ctrl-C hai lần để thoát.",
    ),
    "console.prompt": ("callops> ", "callops> "),
    "console.interrupt_again": (
        "Press Ctrl-C again to leave the console, or type a command to go on.",
        "Nhấn Ctrl-C lần nữa để thoát bảng điều khiển, hoặc gõ một lệnh để tiếp tục.",
    ),
    "console.sandbox_database": (
        "The sandbox keeps its jobs and history in {path}; they are still there next time. "
        "Delete that file to start afresh.",
        "Bảng điều khiển giả lập lưu các lượt nhập và lịch sử ở {path}; lần sau mở lại vẫn còn. "
        "Xoá tệp đó để bắt đầu lại từ đầu.",
    ),
    "console.log_file": (
        "Log lines go to {path} (add --log-stderr to also see warnings here).",
        "Nhật ký được ghi vào {path} (thêm --log-stderr để xem cả cảnh báo ở đây).",
    ),
    "console.not_a_command": (
        "“{text}” is not a command. Type a slash command such as /callops, a button's "
        "number, help or quit.",
        "“{text}” không phải là lệnh. Gõ lệnh gạch chéo như /callops, số của một nút, help "
        "hoặc quit.",
    ),
    "console.no_button": (
        "There is no button [{number}] on screen. Buttons are numbered in the last answer.",
        "Không có nút [{number}] trên màn hình. Các nút được đánh số trong câu trả lời gần nhất.",
    ),
    "console.posted": ("— posted in {channel} —", "— đã đăng trong {channel} —"),
    "console.posted_thread": (
        "— posted in a thread in {channel} —",
        "— đã đăng trong luồng ở {channel} —",
    ),
    "console.updated": (
        "— message updated in {channel} —",
        "— tin nhắn đã cập nhật trong {channel} —",
    ),
    "console.only_you": ("— only you can see this —", "— chỉ bạn thấy tin này —"),
    "console.file_saved": (
        "📎 {filename} ({size}) saved to {path}",
        "📎 {filename} ({size}) đã lưu vào {path}",
    ),
    "console.confirm": ("{question} [y/N] ", "{question} [c/K] "),
    "console.not_pressed": ("Not pressed.", "Chưa bấm."),
    # modals as prompts
    "console.modal.optional": (" (optional)", " (không bắt buộc)"),
    "console.modal.required": ("This one is required.", "Mục này là bắt buộc."),
    "console.modal.pick": (
        "Type a number from 1 to {count}.",
        "Gõ một số từ 1 đến {count}.",
    ),
    "console.modal.pick_many": (
        "Type numbers from 1 to {count}, separated by commas.",
        "Gõ các số từ 1 đến {count}, cách nhau bằng dấu phẩy.",
    ),
    "console.modal.multiline": (
        "(several lines; an empty line ends)",
        "(nhiều dòng; một dòng trống để kết thúc)",
    ),
    "console.modal.file": ("path to a local file", "đường dẫn tới tệp trên máy"),
    "console.modal.no_file": ("There is no file at {path}.", "Không có tệp nào ở {path}."),
    "console.modal.choice": (
        "Enter: {submit} · cancel: {close} ",
        "Enter: {submit} · cancel: {close} ",
    ),
    "console.modal.choice_buttons": (
        "Enter: {submit} · a button's number · cancel: {close} ",
        "Enter: {submit} · số của một nút · cancel: {close} ",
    ),
    "console.modal.choice_no_submit": (
        "A button's number · Enter or cancel: {close} ",
        "Số của một nút · Enter hoặc cancel: {close} ",
    ),
    "console.modal.submit": ("Submit", "Gửi"),
    "console.modal.close": ("Close", "Đóng"),
    "console.modal.closed": ("Form closed, nothing sent.", "Đã đóng biểu mẫu, không gửi gì."),
    "console.modal.error": ("⚠ {label}: {error}", "⚠ {label}: {error}"),
}
