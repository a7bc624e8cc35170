"""Sentences of the campaign-finished post (Alohub): key → (English, Vietnamese)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "finished.text": (
        "🏁 Campaign {campaign} is finished: {processed} contacts processed, none pending or "
        "in call.",
        "🏁 Chiến dịch {campaign} đã xong: {processed} liên hệ đã xử lý, không còn liên hệ "
        "chờ gọi hay đang gọi.",
    ),
    "finished.title": ("🏁 Campaign {campaign} finished", "🏁 Chiến dịch {campaign} đã xong"),
    "finished.lead": (
        "On `{connection}` every contact has been called: {processed} processed, none pending "
        "or in call.",
        "Trên `{connection}` mọi liên hệ đã được gọi: {processed} đã xử lý, không còn liên hệ "
        "chờ gọi hay đang gọi.",
    ),
    "finished.processed": ("✅ Processed", "✅ Đã xử lý"),
    "finished.no_call_status": ("No call status", "Không có trạng thái cuộc gọi"),
    "finished.next": (
        "This is said once per campaign. The lists: `/calls campaign={campaign}`. "
        "Stop the daily summary: `/calls summary off`.",
        "Thông báo này chỉ gửi một lần cho mỗi chiến dịch. Xem các danh sách: "
        "`/calls campaign={campaign}`. Tắt báo cáo hằng ngày: `/calls summary off`.",
    ),
}
