"""Sentences of the calls feature: key → (English, Vietnamese)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Usage
    "usage.calls": (
        "`/calls [today|yesterday|YYYY-MM-DD|YYYY-MM-DD..YYYY-MM-DD|7d] [campaign=<id>] "
        "[via=<connection>]`",
        "`/calls [today|yesterday|YYYY-MM-DD|YYYY-MM-DD..YYYY-MM-DD|7d] [campaign=<mã>] "
        "[via=<kết nối>]`",
    ),
    "usage.calls.example": (
        "`/calls yesterday campaign=cmp-hn-01`",
        "`/calls yesterday campaign=cmp-hn-01`",
    ),
    "usage.calls.summary_on": (
        "`/calls summary on [HH:MM] [day=today|yesterday] [campaign=<id>]`",
        "`/calls summary on [HH:MM] [day=today|yesterday] [campaign=<mã>]`",
    ),
    "usage.calls.summary_on.example": (
        "`/calls summary on 08:00 day=yesterday`",
        "`/calls summary on 08:00 day=yesterday`",
    ),
    "usage.calls.summary_off": ("`/calls summary off`", "`/calls summary off`"),
    "usage.calls.summary": ("`/calls summary`", "`/calls summary`"),
    "capability.calls": (
        "show call statistics or campaign progress",
        "xem thống kê cuộc gọi hay tiến độ chiến dịch",
    ),
    # Input mistakes
    "calls.bad_period.format": (
        "`{value}` is not a period. Use today, yesterday, 7d, a date like 2026-04-20 or a "
        "range like 2026-04-01..2026-04-20.",
        "`{value}` không phải khoảng thời gian. Dùng today, yesterday, 7d, một ngày như "
        "2026-04-20 hoặc một khoảng như 2026-04-01..2026-04-20.",
    ),
    "calls.bad_period.date": (
        "`{value}` is not a real date.",
        "`{value}` không phải ngày có thật.",
    ),
    "calls.bad_period.reversed": (
        "The range `{value}` ends before it starts; put the earlier date first.",
        "Khoảng `{value}` kết thúc trước khi bắt đầu; hãy ghi ngày sớm hơn trước.",
    ),
    "calls.bad_period.future": (
        "`{value}` is in the future, so there are no calls yet.",
        "`{value}` là ngày trong tương lai nên chưa có cuộc gọi nào.",
    ),
    "calls.bad_period.too_long": (
        "`{value}` covers more than {max} days; ask for a shorter period.",
        "`{value}` dài hơn {max} ngày; hãy chọn khoảng ngắn hơn.",
    ),
    "calls.bad_campaign": (
        "`{value}` is not an Alohub campaign id: Alohub campaign ids are numbers, e.g. 1042.",
        "`{value}` không phải mã chiến dịch Alohub: mã chiến dịch Alohub là số, ví dụ 1042.",
    ),
    "calls.empty_campaign": (
        "Write the campaign id right after `campaign=`, with no space, e.g. `campaign=cmp-hn-01`.",
        "Hãy ghi mã chiến dịch ngay sau `campaign=`, không có dấu cách, "
        "ví dụ `campaign=cmp-hn-01`.",
    ),
    "calls.campaign_required": (
        "On Alohub (`{connection}`) I show the progress of one campaign: add `campaign=<id>`.",
        "Trên Alohub (`{connection}`) tôi hiển thị tiến độ của một chiến dịch: hãy thêm "
        "`campaign=<mã>`.",
    ),
    "calls.summary.bad_time": (
        "`{value}` is not a time of day; write HH:MM, e.g. 08:00.",
        "`{value}` không phải giờ trong ngày; hãy ghi HH:MM, ví dụ 08:00.",
    ),
    "calls.summary.bad_day": (
        "`day={value}` must be `today` or `yesterday`.",
        "`day={value}` phải là `today` (hôm nay) hoặc `yesterday` (hôm qua).",
    ),
    "calls.summary.none": (
        "This channel has no daily summary. An admin can start one with `/calls summary on`.",
        "Kênh này chưa có báo cáo hằng ngày. Quản trị viên có thể bật bằng `/calls summary on`.",
    ),
    # Progress of a long fetch
    "calls.progress.calls": (
        "⏳ Fetched {done} of {total} calls…",
        "⏳ Đã tải {done} trên {total} cuộc gọi…",
    ),
    "calls.progress.contacts": (
        "⏳ Read {done} of {total} contacts…",
        "⏳ Đã đọc {done} trên {total} liên hệ…",
    ),
    # Call statistics
    "calls.text": (
        "Calls {label}: {total} in all, {answered} answered ({rate}).",
        "Cuộc gọi {label}: tổng {total}, {answered} nghe máy ({rate}).",
    ),
    "calls.title": ("📞 Calls · {label}", "📞 Cuộc gọi · {label}"),
    "calls.title.campaign": (
        "📞 Calls · campaign {campaign} · {label}",
        "📞 Cuộc gọi · chiến dịch {campaign} · {label}",
    ),
    "calls.why.default_cannot": (
        "This channel's default connection `{default}` ({provider}) cannot answer `/calls`, "
        "so this is from `{connection}`, the first connection here that can {what}.",
        "Kết nối mặc định của kênh này, `{default}` ({provider}), không trả lời được `/calls`, "
        "nên số liệu lấy từ `{connection}`, kết nối đầu tiên ở đây có thể {what}.",
    ),
    "calls.why.records_first": (
        "Call statistics come from `{connection}`: `/calls` uses a connection that can "
        "{what} first. This channel's default `{default}` ({provider}) shows campaign progress "
        "instead: `/calls via={default} campaign=<id>`.",
        "Thống kê cuộc gọi lấy từ `{connection}`: `/calls` ưu tiên kết nối có thể {what}. "
        "Kết nối mặc định của kênh, `{default}` ({provider}), thì cho xem tiến độ chiến dịch: "
        "`/calls via={default} campaign=<mã>`.",
    ),
    # Call outcomes as switches name them (Q.850 hangup causes: AICallCenter's ``note``,
    # Alohub's ``callStatus``); display only, unknown ones are shown as sent.
    "call.outcome": ("{words} ({raw})", "{words} ({raw})"),
    "call.outcome.NORMAL_CLEARING": ("ended normally", "kết thúc bình thường"),
    "call.outcome.ANSWERED": ("answered", "đã nghe máy"),
    "call.outcome.NO_ANSWER": ("no answer", "không nghe máy"),
    "call.outcome.USER_BUSY": ("line busy", "máy bận"),
    "call.outcome.BUSY": ("line busy", "máy bận"),
    "call.outcome.CALL_REJECTED": ("rejected by the customer", "khách từ chối cuộc gọi"),
    "call.outcome.NO_USER_RESPONSE": ("phone did not respond", "máy không phản hồi"),
    "call.outcome.ORIGINATOR_CANCEL": ("cancelled before answer", "huỷ trước khi nghe máy"),
    "call.outcome.UNALLOCATED_NUMBER": ("number does not exist", "số không tồn tại"),
    "call.outcome.FAILED": ("failed", "thất bại"),
    "calls.source": (
        "`{connection}` · compared with {previous}",
        "`{connection}` · so với {previous}",
    ),
    "calls.field.total": ("Calls", "Cuộc gọi"),
    "calls.field.answered": ("Answered", "Nghe máy"),
    "calls.field.failed": ("Failed", "Thất bại"),
    "calls.field.other": ("Other states", "Trạng thái khác"),
    "calls.field.answer_rate": ("Answer rate", "Tỉ lệ nghe máy"),
    "calls.field.talk": ("Talk time", "Thời gian đàm thoại"),
    "calls.field.average_talk": ("Average talk", "Đàm thoại trung bình"),
    "calls.field.busiest": ("Busiest hour", "Giờ cao điểm"),
    "calls.busiest": ("{start}–{end} ({count})", "{start}–{end} ({count})"),
    "calls.none": ("No calls in this period.", "Không có cuộc gọi nào trong khoảng này."),
    "calls.previous_none": (
        "The previous period ({previous}) had no calls, so there is no change to show.",
        "Khoảng trước ({previous}) không có cuộc gọi nên không có thay đổi để so sánh.",
    ),
    "calls.change.up": ("▲ {value}", "▲ {value}"),
    "calls.change.down": ("▼ {value}", "▼ {value}"),
    "calls.change.same": ("= {value}", "= {value}"),
    "calls.pp": ("{value} pp", "{value} điểm %"),
    "calls.duration.hours": ("{hours} h {minutes} min", "{hours} giờ {minutes} phút"),
    "calls.duration.minutes": ("{minutes} min {seconds} s", "{minutes} phút {seconds} giây"),
    "calls.duration.seconds": ("{seconds} s", "{seconds} giây"),
    "calls.hours.title": (
        "*Calls per hour*  █ answered  ░ not answered",
        "*Cuộc gọi theo giờ*  █ nghe máy  ░ không nghe máy",
    ),
    "calls.hours.title.days": (
        "*Calls per hour of day, {days} days together*  █ answered  ░ not answered",
        "*Cuộc gọi theo giờ trong ngày, cộng {days} ngày*  █ nghe máy  ░ không nghe máy",
    ),
    "calls.notes.title": ("*Top hangup notes*", "*Lý do kết thúc phổ biến*"),
    "calls.keys.title": (
        "*Key presses* (calls in which each key was pressed)",
        "*Phím bấm* (số cuộc gọi có bấm mỗi phím)",
    ),
    "calls.campaigns.title": ("*By campaign*", "*Theo chiến dịch*"),
    "calls.campaigns.row": (
        "• `{campaign}` — total {total} · answered {answered} ({rate}) · failed {failed} · "
        "talk {talk}",
        "• `{campaign}` — tổng {total} · nghe máy {answered} ({rate}) · thất bại {failed} · "
        "đàm thoại {talk}",
    ),
    "calls.campaigns.unknown": ("(no campaign)", "(không rõ chiến dịch)"),
    "calls.campaigns.more": ("… and {count} more campaigns", "… và {count} chiến dịch khác"),
    "calls.footer": ("Local times, {timezone}.", "Giờ địa phương, {timezone}."),
    "calls.unparsable": (
        "{count} records had a time I could not read: they are in the totals, not per hour.",
        "{count} bản ghi có thời gian không đọc được: có trong tổng, không có trong từng giờ.",
    ),
    # Alohub campaign progress
    "calls.progress_view.text": (
        "Campaign {campaign}: {processed} of {total} contacts processed.",
        "Chiến dịch {campaign}: đã xử lý {processed} trên {total} liên hệ.",
    ),
    "calls.progress_view.title": (
        "📋 Campaign {campaign} · progress",
        "📋 Chiến dịch {campaign} · tiến độ",
    ),
    "calls.progress_view.source": (
        "`{connection}` · the campaign's state now",
        "`{connection}` · trạng thái hiện tại của chiến dịch",
    ),
    "calls.progress_view.contacts": ("Contacts", "Liên hệ"),
    "calls.progress_view.pending": ("⏳ Pending", "⏳ Chờ gọi"),
    "calls.progress_view.in_call": ("📞 In call", "📞 Đang gọi"),
    "calls.progress_view.processed": ("✅ Processed", "✅ Đã xử lý"),
    "calls.progress_view.unknown": ("❔ Unknown status", "❔ Trạng thái lạ"),
    "calls.progress_view.lists_title": ("*Lists*", "*Danh sách*"),
    "calls.progress_view.list": (
        "*{name}* · #{id} — total {total} · ⏳ {pending} · 📞 {in_call} · ✅ {processed}",
        "*{name}* · #{id} — tổng {total} · ⏳ {pending} · 📞 {in_call} · ✅ {processed}",
    ),
    "calls.progress_view.more_lists": ("… and {count} more lists", "… và {count} danh sách khác"),
    "calls.progress_view.no_lists": (
        "This campaign has no contact lists yet.",
        "Chiến dịch này chưa có danh sách liên hệ nào.",
    ),
    "calls.progress_view.call_status": (
        "*Call results*",
        "*Kết quả cuộc gọi*",
    ),
    "calls.progress_view.period_ignored": (
        "Progress is the campaign's state now; the period `{period}` does not apply on Alohub.",
        "Tiến độ là trạng thái hiện tại của chiến dịch; khoảng `{period}` không áp dụng cho "
        "Alohub.",
    ),
    # Daily summaries
    "summary.text": ("Daily call summary · {label}", "Báo cáo cuộc gọi hằng ngày · {label}"),
    "summary.title": ("🗓 Daily summary · {label}", "🗓 Báo cáo hằng ngày · {label}"),
    "summary.title.campaign": (
        "🗓 Daily summary · campaign {campaign} · {label}",
        "🗓 Báo cáo hằng ngày · chiến dịch {campaign} · {label}",
    ),
    "summary.chart.file_title": ("Calls per hour · {label}", "Cuộc gọi theo giờ · {label}"),
    "summary.chart.hour": ("Hour ({timezone})", "Giờ ({timezone})"),
    "summary.chart.calls": ("Calls", "Cuộc gọi"),
    "summary.chart.answered": ("Answered", "Nghe máy"),
    "summary.chart.failed": ("Failed", "Thất bại"),
    "summary.chart.other": ("Other", "Khác"),
    "summary.chart.previous": ("{label} (total)", "{label} (tổng)"),
    "summary.chart.empty": ("No calls", "Không có cuộc gọi"),
    "summary.failed.text": (
        "The daily summary for {label} could not be made.",
        "Không lập được báo cáo hằng ngày cho {label}.",
    ),
    "summary.failed.title": (
        "⚠️ Daily summary · {label}: could not fetch the numbers",
        "⚠️ Báo cáo hằng ngày · {label}: không lấy được số liệu",
    ),
    "summary.failed.next": (
        "The next summary is due {when}. `/calls summary` shows this channel's subscription.",
        "Báo cáo kế tiếp vào {when}. `/calls summary` hiển thị đăng ký của kênh này.",
    ),
    "summary.connection_gone": (
        "The connection `{connection}` is no longer in callops.yml. An admin should subscribe "
        "again with `/calls summary on via=<connection>`.",
        "Kết nối `{connection}` không còn trong callops.yml. Quản trị viên cần đăng ký lại "
        "bằng `/calls summary on via=<kết nối>`.",
    ),
    "summary.day.yesterday": ("yesterday's calls", "cuộc gọi hôm qua"),
    "summary.day.today": ("today's calls so far", "cuộc gọi hôm nay tới lúc đó"),
    "summary.day.progress": ("campaign progress", "tiến độ chiến dịch"),
    "summary.campaign": (", campaign {campaign}", ", chiến dịch {campaign}"),
    "summary.on.created": (
        "🗓 <@{user}> subscribed this channel to a daily summary at *{at}* ({timezone}): "
        "{day}{campaign} from `{connection}`.",
        "🗓 <@{user}> đã đăng ký báo cáo hằng ngày cho kênh này lúc *{at}* ({timezone}): "
        "{day}{campaign} từ `{connection}`.",
    ),
    "summary.on.updated": (
        "🗓 <@{user}> changed this channel's daily summary: *{at}* ({timezone}), "
        "{day}{campaign} from `{connection}`.",
        "🗓 <@{user}> đã đổi báo cáo hằng ngày của kênh này: *{at}* ({timezone}), "
        "{day}{campaign} từ `{connection}`.",
    ),
    "summary.off.done": (
        "🗓 <@{user}> turned off this channel's daily summary.",
        "🗓 <@{user}> đã tắt báo cáo hằng ngày của kênh này.",
    ),
    "summary.off.none": (
        "This channel has no daily summary to turn off.",
        "Kênh này không có báo cáo hằng ngày nào để tắt.",
    ),
    "summary.show.text": ("Daily summary at {at}", "Báo cáo hằng ngày lúc {at}"),
    "summary.show.body": (
        "🗓 Every day at *{at}* ({timezone}): {day}{campaign} from `{connection}`. Set up by "
        "<@{user}>.",
        "🗓 Mỗi ngày lúc *{at}* ({timezone}): {day}{campaign} từ `{connection}`. Người thiết "
        "lập: <@{user}>.",
    ),
    "summary.show.next": ("Next post: {when}", "Lần gửi kế tiếp: {when}"),
    "summary.show.last": ("Last post: {date} — {state}", "Lần gửi gần nhất: {date} — {state}"),
    "summary.show.never": ("Not posted yet.", "Chưa gửi lần nào."),
    "summary.show.hint": (
        "Admins change it with `/calls summary on …` and stop it with `/calls summary off`.",
        "Quản trị viên đổi bằng `/calls summary on …` và tắt bằng `/calls summary off`.",
    ),
    "summary.state.posting": ("being posted", "đang gửi"),
    "summary.state.posted": ("posted", "đã gửi"),
    "summary.state.provider_error": (
        "posted, saying the provider could not be reached",
        "đã gửi, báo không lấy được số liệu từ nhà cung cấp",
    ),
    "summary.state.error": (
        "posted, saying the numbers could not be made",
        "đã gửi, báo không lập được số liệu",
    ),
    "summary.state.failed": ("Slack refused the post", "Slack từ chối tin nhắn"),
}
