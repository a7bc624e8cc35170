"""Sentences of threshold alerts (``/calls alert``): key → (English, Vietnamese)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Usage
    "usage.calls.alert_on": (
        "`/calls alert on answer_rate<40%|failed>50 [window=60m] [min_calls=30] "
        "[campaign=<id>] [via=<connection>]` (a window of 5 min to 24 h)",
        "`/calls alert on answer_rate<40%|failed>50 [window=60m] [min_calls=30] "
        "[campaign=<mã>] [via=<kết nối>]` (khung thời gian từ 5 phút đến 24 giờ)",
    ),
    "usage.calls.alert_on.example": (
        "`/calls alert on answer_rate<40% window=60m min_calls=30`",
        "`/calls alert on answer_rate<40% window=60m min_calls=30`",
    ),
    "usage.calls.alert": ("`/calls alert`", "`/calls alert`"),
    "usage.calls.alert_off": ("`/calls alert off <rule id>`", "`/calls alert off <mã quy tắc>`"),
    "usage.calls.alert_off.example": ("`/calls alert off 3`", "`/calls alert off 3`"),
    "usage.calls.alert_history": ("`/calls alert history`", "`/calls alert history`"),
    # Bad rules
    "alerts.bad.missing": (
        "Say what to watch: a metric, `<` or `>` and a threshold, e.g. `answer_rate<40%` or "
        "`failed>50`.",
        "Hãy ghi điều cần theo dõi: một chỉ số, `<` hoặc `>` và một ngưỡng, ví dụ "
        "`answer_rate<40%` hoặc `failed>50`.",
    ),
    "alerts.bad.condition": (
        "`{value}` is not a rule: write a metric, `<` or `>`, then a threshold, with no "
        "space, e.g. `answer_rate<40%`.",
        "`{value}` không phải một quy tắc: ghi chỉ số, `<` hoặc `>`, rồi ngưỡng, liền nhau, "
        "ví dụ `answer_rate<40%`.",
    ),
    "alerts.bad.metric": (
        "`{value}` is not a metric alerts can watch; use one of: {metrics}.",
        "`{value}` không phải chỉ số cảnh báo theo dõi được; hãy dùng một trong: {metrics}.",
    ),
    "alerts.bad.percent": (
        "`{value}%` is out of range: a rate's threshold is a percent above 0 and below 100.",
        "`{value}%` nằm ngoài phạm vi: ngưỡng của một tỷ lệ là phần trăm lớn hơn 0 và nhỏ hơn 100.",
    ),
    "alerts.bad.count_percent": (
        "`{metric}` counts calls: write its threshold as a number of calls, without %, e.g. "
        "`{metric}>50`.",
        "`{metric}` đếm số cuộc gọi: hãy ghi ngưỡng là số cuộc gọi, không có %, ví dụ "
        "`{metric}>50`.",
    ),
    "alerts.bad.count": (
        "`{value}` is not a usable number of calls: write a whole number (at least 1 after `<`).",
        "`{value}` không phải số cuộc gọi dùng được: hãy ghi số nguyên (ít nhất 1 sau `<`).",
    ),
    "alerts.bad.window": (
        "`window={value}` is not a length of time: write minutes or hours, e.g. `window=30m` "
        "or `window=2h`.",
        "`window={value}` không phải khoảng thời gian: hãy ghi số phút hoặc giờ, ví dụ "
        "`window=30m` hoặc `window=2h`.",
    ),
    "alerts.bad.window_range": (
        "`window={value}` is out of range: a window is 5 minutes to 24 hours.",
        "`window={value}` nằm ngoài phạm vi: khung thời gian từ 5 phút đến 24 giờ.",
    ),
    "alerts.bad.min_calls": (
        "`min_calls={value}` must be a whole number of calls, at least 1.",
        "`min_calls={value}` phải là số cuộc gọi nguyên, ít nhất là 1.",
    ),
    "alerts.bad.rule_id": (
        "`{value}` is not a rule id; `/calls alert` lists this channel's rules with theirs.",
        "`{value}` không phải mã quy tắc; `/calls alert` liệt kê các quy tắc của kênh này "
        "cùng mã của chúng.",
    ),
    "alerts.too_many": (
        "This channel has {count} alert rules, the most it may have; remove one with "
        "`/calls alert off <rule id>` first.",
        "Kênh này đã có {count} quy tắc cảnh báo, mức tối đa; hãy xoá bớt một quy tắc bằng "
        "`/calls alert off <mã quy tắc>` trước.",
    ),
    # Words
    "alerts.metric.answer_rate": ("answer rate", "tỷ lệ nghe máy"),
    "alerts.metric.failed": ("failed calls", "cuộc gọi lỗi"),
    "alerts.op.below": ("below", "dưới"),
    "alerts.op.above": ("above", "trên"),
    "alerts.window": ("{minutes} min", "{minutes} phút"),
    "alerts.campaign": (", campaign {campaign}", ", chiến dịch {campaign}"),
    "alerts.connection_gone": (
        "the connection `{connection}` is no longer in callops.yml; an admin can remove the "
        "rule with `/calls alert off`.",
        "kết nối `{connection}` không còn trong callops.yml; quản trị viên có thể xoá quy tắc "
        "bằng `/calls alert off`.",
    ),
    # Rules
    "alerts.on.done": (
        "<@{user}> set alert rule *#{id}* for this channel: {metric} {op} *{threshold}* over "
        "the last {window} (at least {min_calls} calls{campaign}) from `{connection}`. It is "
        "checked every {every} minutes and alerts here after two bad checks in a row.",
        "<@{user}> đã đặt quy tắc cảnh báo *#{id}* cho kênh này: {metric} {op} *{threshold}* "
        "trong {window} gần nhất (ít nhất {min_calls} cuộc gọi{campaign}) từ `{connection}`. "
        "Quy tắc được kiểm tra mỗi {every} phút và cảnh báo tại đây sau hai lần kiểm tra xấu "
        "liên tiếp.",
    ),
    "alerts.off.done": (
        "<@{user}> removed alert rule *#{id}* ({rule}).",
        "<@{user}> đã xoá quy tắc cảnh báo *#{id}* ({rule}).",
    ),
    "alerts.off.none": (
        "This channel has no alert rule #{id}; `/calls alert` lists its rules.",
        "Kênh này không có quy tắc cảnh báo #{id}; `/calls alert` liệt kê các quy tắc của kênh.",
    ),
    "alerts.list.none": (
        "This channel has no alert rules. An admin can add one, e.g. "
        "`/calls alert on answer_rate<40%`.",
        "Kênh này chưa có quy tắc cảnh báo nào. Quản trị viên có thể thêm, ví dụ "
        "`/calls alert on answer_rate<40%`.",
    ),
    "alerts.list.text": (
        "This channel's alert rules: {count}.",
        "Quy tắc cảnh báo của kênh: {count}.",
    ),
    "alerts.list.title": ("Alert rules of this channel", "Quy tắc cảnh báo của kênh này"),
    "alerts.list.rule": (
        "*#{id}* {metric} {op} *{threshold}* over {window}, at least {min_calls} calls"
        "{campaign} · `{connection}`",
        "*#{id}* {metric} {op} *{threshold}* trong {window}, ít nhất {min_calls} cuộc gọi"
        "{campaign} · `{connection}`",
    ),
    "alerts.list.hint": (
        "Checked every 5 minutes. `/calls alert history` shows the last 20 events; an admin "
        "removes a rule with `/calls alert off <rule id>`.",
        "Kiểm tra mỗi 5 phút. `/calls alert history` hiện 20 sự kiện gần nhất; quản trị viên "
        "xoá quy tắc bằng `/calls alert off <mã quy tắc>`.",
    ),
    "alerts.state.ok": ("🟢 OK", "🟢 Bình thường"),
    "alerts.state.pending": (
        "🟡 one bad check: it alerts if the next one is bad too",
        "🟡 một lần kiểm tra xấu: sẽ cảnh báo nếu lần sau cũng xấu",
    ),
    "alerts.state.firing": ("🔴 alerting since {since}", "🔴 đang cảnh báo từ {since}"),
    "alerts.state.acked": (
        "acknowledged by {user} at {when}",
        "{user} đã xác nhận lúc {when}",
    ),
    "alerts.state.muted": (
        "🔕 muted by {user} until {until}",
        "🔕 {user} tắt tiếng đến {until}",
    ),
    "alerts.state.interrupted": (
        "the alert's post got no answer (a restart or a network cut) and is never posted "
        "twice: it may be missing from the channel",
        "việc đăng cảnh báo không nhận được trả lời (khởi động lại hoặc mất mạng) và không bao "
        "giờ đăng lần hai: có thể cảnh báo không có trong kênh",
    ),
    "alerts.state.post_failed": (
        "Slack refused the alert's post: it is tried again at the next check",
        "Slack từ chối đăng cảnh báo: sẽ thử lại ở lần kiểm tra sau",
    ),
    "alerts.state.down": (
        "⚠️ `{connection}` cannot be read since {since}: {reason}",
        "⚠️ không đọc được `{connection}` từ {since}: {reason}",
    ),
    "alerts.state.never": (
        "not checked yet (within 5 minutes)",
        "chưa kiểm tra (trong vòng 5 phút)",
    ),
    "alerts.state.last": (
        "last check {when}: {figure} of {calls} calls",
        "lần kiểm tra gần nhất {when}: {figure} trên {calls} cuộc gọi",
    ),
    # The alert and what follows it
    "alerts.alert.text": (
        "🔴 Alert #{id}: {metric} {figure} over the last {window} ({calls} calls), "
        "{op} {threshold}.",
        "🔴 Cảnh báo #{id}: {metric} {figure} trong {window} gần nhất ({calls} cuộc gọi), "
        "{op} {threshold}.",
    ),
    "alerts.alert.title": (
        "🔴 Alert #{id}: {metric} {op} {threshold}",
        "🔴 Cảnh báo #{id}: {metric} {op} {threshold}",
    ),
    "alerts.alert.body": (
        "*{metric}*: *{figure}* over the last {window} ({calls} calls{campaign}) on "
        "`{connection}`. The rule: {op} *{threshold}*; it held on two checks in a row, the "
        "second at {since}.",
        "*{metric}*: *{figure}* trong {window} gần nhất ({calls} cuộc gọi{campaign}) trên "
        "`{connection}`. Quy tắc: {op} *{threshold}*; điều kiện đúng ở hai lần kiểm tra liên "
        "tiếp, lần thứ hai lúc {since}.",
    ),
    "alerts.alert.context": (
        'Rule #{id} · checked every 5 minutes · one "recovered" in this thread once past {recover}',
        'Quy tắc #{id} · kiểm tra mỗi 5 phút · báo "đã hồi phục" một lần trong luồng này khi '
        "vượt {recover}",
    ),
    "alerts.alert.acked": (
        "✅ Acknowledged by {user} at {when}",
        "✅ {user} đã xác nhận lúc {when}",
    ),
    "alerts.alert.muted": (
        "🔕 Muted by {user} until {until}",
        "🔕 {user} đã tắt tiếng đến {until}",
    ),
    "alerts.alert.recovered": (
        "🟢 Recovered at {when}: {figure}",
        "🟢 Đã hồi phục lúc {when}: {figure}",
    ),
    "alerts.alert.removed": (
        "Rule removed by {user} at {when}: this alert is closed",
        "{user} đã xoá quy tắc lúc {when}: cảnh báo này đã đóng",
    ),
    "alerts.button.ack": ("Acknowledge", "Xác nhận"),
    "alerts.button.mute": ("Mute 1 h", "Tắt tiếng 1 giờ"),
    "alerts.recovered": (
        "🟢 Recovered: {metric} is {figure} over the last {window} ({calls} calls), back past "
        "{recover}. Rule #{id} keeps watching.",
        "🟢 Đã hồi phục: {metric} là {figure} trong {window} gần nhất ({calls} cuộc gọi), đã "
        "vượt lại {recover}. Quy tắc #{id} tiếp tục theo dõi.",
    ),
    "alerts.down": (
        "⚠️ Alert rule #{id} ({metric} {op} {threshold}) cannot be checked: {reason} It "
        "stays quiet meanwhile; one message here when it can be checked again.",
        "⚠️ Không kiểm tra được quy tắc cảnh báo #{id} ({metric} {op} {threshold}): {reason} "
        "Trong lúc đó quy tắc im lặng; sẽ có một tin tại đây khi kiểm tra lại được.",
    ),
    "alerts.back": (
        "Alert rule #{id} ({metric} {op} {threshold}) is checked again: `{connection}` answers.",
        "Quy tắc cảnh báo #{id} ({metric} {op} {threshold}) đã kiểm tra lại được: "
        "`{connection}` đã trả lời.",
    ),
    "alerts.ack.already": (
        "This alert was acknowledged already, by <@{user}> at {when}.",
        "Cảnh báo này đã được <@{user}> xác nhận lúc {when}.",
    ),
    "alerts.button.closed": (
        "This button does not match an open alert of this channel (it recovered, or its rule "
        "was removed); nothing was changed. `/calls alert` shows the rules.",
        "Nút này không ứng với cảnh báo nào đang mở của kênh này (đã hồi phục, hoặc quy tắc "
        "đã bị xoá); không có gì thay đổi. `/calls alert` hiện các quy tắc.",
    ),
    "alerts.mute.done": (
        "Rule #{id} is muted until {until}: its alerts are held back until then, and posted "
        "after if it still alerts.",
        "Quy tắc #{id} đã tắt tiếng đến {until}: cảnh báo của nó được giữ lại đến lúc đó, và "
        "đăng sau đó nếu vẫn còn cảnh báo.",
    ),
    # History
    "alerts.history.none": (
        "No alert events in this channel yet. `/calls alert` shows its rules.",
        "Kênh này chưa có sự kiện cảnh báo nào. `/calls alert` hiện các quy tắc.",
    ),
    "alerts.history.text": (
        "The last {count} alert events of this channel.",
        "{count} sự kiện cảnh báo gần nhất của kênh này.",
    ),
    "alerts.history.title": ("Alert history of this channel", "Lịch sử cảnh báo của kênh này"),
    "alerts.history.line": ("{when} · #{id} {rule} · {what}", "{when} · #{id} {rule} · {what}"),
    "alerts.event.created": ("set by {user}", "{user} đã đặt"),
    "alerts.event.fired": (
        "🔴 alerted: {figure} ({calls} calls)",
        "🔴 cảnh báo: {figure} ({calls} cuộc gọi)",
    ),
    "alerts.event.recovered": (
        "🟢 recovered: {figure} ({calls} calls)",
        "🟢 đã hồi phục: {figure} ({calls} cuộc gọi)",
    ),
    "alerts.event.acknowledged": ("✅ acknowledged by {user}", "✅ {user} đã xác nhận"),
    "alerts.event.muted": ("🔕 muted for 1 h by {user}", "🔕 {user} đã tắt tiếng 1 giờ"),
    "alerts.event.down": ("⚠️ cannot be checked: {reason}", "⚠️ không kiểm tra được: {reason}"),
    "alerts.event.back": ("checked again", "đã kiểm tra lại được"),
    "alerts.event.removed": ("removed by {user}", "{user} đã xoá"),
}
