"""``/job undo``: taking back the contacts an Alohub import added that nobody has called yet."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "usage.job.undo": ("`/job undo J<n>`", "`/job undo J<n>`"),
    "usage.job.undo.example": ("`/job undo J12`", "`/job undo J12`"),
    # Asking
    "job.undo.confirm.text": ("Undo {ref}?", "Hoàn tác {ref}?"),
    "job.undo.confirm.body": (
        "↩️ *Undo {ref}* (`{connection}`, campaign {campaign}): the bot will try to take back "
        "*{count}* rows. It looks for {ref}'s contacts in the lists {ref} created and deletes "
        "those still waiting to be called. Contacts already called or in a call stay in the "
        "campaign: you get them as a CSV. Nothing is deleted until you press *Undo {ref}*.",
        "↩️ *Hoàn tác {ref}* (`{connection}`, chiến dịch {campaign}): bot sẽ thử rút lại "
        "*{count}* dòng. Bot tìm các liên hệ của {ref} trong những danh sách {ref} đã tạo và xoá "
        "những liên hệ còn chờ gọi. Liên hệ đã được gọi hoặc đang gọi vẫn ở lại chiến dịch: bạn "
        "nhận danh sách các liên hệ đó dạng CSV. Chưa có gì bị xoá cho tới khi bạn bấm "
        "*Hoàn tác {ref}*.",
    ),
    "job.undo.confirm.earlier": (
        "Earlier undos of {ref} already removed {removed} of its contacts; this one looks "
        "again for what is left.",
        "Các lần hoàn tác trước của {ref} đã xoá {removed} liên hệ; lần này tìm lại phần còn lại.",
    ),
    "job.undo.button.confirm": ("Undo {ref}", "Hoàn tác {ref}"),
    "job.undo.button.keep": ("Keep {ref}", "Giữ {ref}"),
    "job.button.cancel_undo": ("Cancel undo", "Huỷ hoàn tác"),
    "job.undo.kept_as_is": (
        "{ref} is left as it is: nothing was deleted.",
        "Giữ nguyên {ref}: không có gì bị xoá.",
    ),
    "job.undo.started": (
        "↩️ {undo} is undoing {ref}: its progress is posted in this channel.",
        "↩️ {undo} đang hoàn tác {ref}: tiến độ được đăng trong kênh này.",
    ),
    # Refusals
    "job.undo.nothing": (
        "Nothing to take back from {ref}: none of its rows reached `{connection}`.",
        "Không có gì để rút lại từ {ref}: chưa dòng nào của lượt nhập tới `{connection}`.",
    ),
    "job.undo.nothing_left": (
        "Nothing left to take back from {ref}: earlier undos already removed all {removed} of "
        "its contacts. Nothing was deleted now.",
        "Không còn gì để rút lại từ {ref}: các lần hoàn tác trước đã xoá cả {removed} liên hệ "
        "của nó. Lần này không xoá gì.",
    ),
    "job.undo.not_finished": (
        "{ref} is still {state}. Cancel it first with `/job cancel {ref}`, then undo it.",
        "{ref} vẫn {state}. Hãy huỷ trước bằng `/job cancel {ref}`, rồi hoàn tác.",
    ),
    "job.undo.of_undo": (
        "{ref} is itself an undo: the bot cannot put deleted contacts back. Import the file "
        "again if you need them.",
        "{ref} chính là một lần hoàn tác: bot không khôi phục được liên hệ đã xoá. Hãy nhập lại "
        "tệp nếu cần.",
    ),
    "job.undo.running": (
        "{undo} is already undoing {ref}. Follow it with `/job {undo}`.",
        "{undo} đang hoàn tác {ref}. Theo dõi bằng `/job {undo}`.",
    ),
    "job.undo.not_your_button": (
        "This button was shown to someone else or in another channel. To undo {ref}, run "
        "`/job undo {ref}` yourself.",
        "Nút này dành cho người khác hoặc kênh khác. Để hoàn tác {ref}, hãy tự chạy "
        "`/job undo {ref}`.",
    ),
    "job.undo.no_retry": (
        "{ref} is an undo; it cannot be retried. Run `/job undo {original}` again to take back "
        "what is left.",
        "{ref} là một lần hoàn tác, không thử lại được. Chạy lại `/job undo {original}` để rút "
        "lại phần còn lại.",
    ),
    "job.undo.no_delete.vbee": (
        "{ref} went to `{connection}` (Vbee AICall), whose API can only add contacts to a "
        "campaign, not remove them, so the bot cannot undo it. To keep these numbers from "
        "being called, pause campaign {campaign} in the Vbee AICall portal and remove the "
        "contacts there.",
        "{ref} đã gửi tới `{connection}` (Vbee AICall); API của Vbee chỉ thêm được liên hệ vào "
        "chiến dịch, không xoá được, nên bot không hoàn tác được. Để các số này không bị gọi, "
        "hãy tạm dừng chiến dịch {campaign} trên cổng Vbee AICall và xoá liên hệ ở đó.",
    ),
    "job.undo.no_delete.aicallcenter": (
        "{ref} went to `{connection}` (AICallCenter), whose API can import contacts and export "
        "calls but not remove contacts, so the bot cannot undo it. To keep these numbers from "
        "being called, stop campaign {campaign} in AICallCenter (a stopped campaign takes no "
        "new data) and remove the contacts there.",
        "{ref} đã gửi tới `{connection}` (AICallCenter); API này nhập được liên hệ và xuất được "
        "cuộc gọi nhưng không xoá được liên hệ, nên bot không hoàn tác được. Để các số này không "
        "bị gọi, hãy dừng chiến dịch {campaign} trên AICallCenter và xoá liên hệ ở đó.",
    ),
    "job.undo.no_delete.omicall": (
        "{ref} went to `{connection}` (OMICall CRM). OMICall's add-more does not say which "
        "contacts it created, so the bot cannot tell {ref}'s contacts from customers you "
        "already had, and deletes none. Find a contact with `/contact find <phone>` and delete "
        "it in OMICall if it should go.",
        "{ref} đã gửi tới `{connection}` (CRM OMICall). API add-more của OMICall không cho biết "
        "đã tạo những liên hệ nào, nên bot không phân biệt được liên hệ của {ref} với khách hàng "
        "sẵn có và không xoá liên hệ nào. Tìm liên hệ bằng `/contact find <số điện thoại>` rồi "
        "xoá trên OMICall nếu cần.",
    ),
    "job.undo.cancelled": (
        "⏹ *{ref} is cancelled*: {left} contacts of {original} it had not deleted yet stay in "
        "the campaign; those already removed stay removed. `/job undo {original}` takes back "
        "the rest later.",
        "⏹ *Đã huỷ {ref}*: {left} liên hệ của {original} chưa bị xoá vẫn ở trong chiến dịch; "
        "những liên hệ đã xoá thì không khôi phục. `/job undo {original}` sẽ rút lại phần còn "
        "lại sau.",
    ),
    # Why a contact stays (alohub-campaign-contacts.txt:127, :390)
    "job.undo.kept.in_call": ("in a call", "đang gọi"),
    "job.undo.kept.processed": ("already called", "đã gọi xong"),
    "job.undo.kept.other": ("not waiting to be called", "không còn chờ gọi"),
    "job.undo.kept.not_pending": (
        "called while the undo ran",
        "được gọi trong lúc hoàn tác",
    ),
    # Card and progress
    "job.undo.card.text": (
        "Undo {ref} of {original}: {state}",
        "Hoàn tác {ref} của {original}: {state}",
    ),
    "job.undo.card.title": (
        "↩️ *Undo {ref}* of {original} · {state} · `{connection}` campaign {campaign}",
        "↩️ *Hoàn tác {ref}* của {original} · {state} · `{connection}` chiến dịch {campaign}",
    ),
    "job.undo.card.meta": (
        "Started {started} by {creator} · {ended}",
        "{creator} bắt đầu lúc {started} · {ended}",
    ),
    "job.undo.card.looking": (
        "Looking for {original}'s contacts in its lists…",
        "Đang tìm các liên hệ của {original} trong các danh sách của nó…",
    ),
    "job.undo.card.counts": (
        "{total} contacts found · 🗑 {removed} removed · ⏳ {pending} to remove · 📞 {kept} kept "
        "(already called or in a call) · {gone} already gone",
        "Tìm thấy {total} liên hệ · 🗑 đã xoá {removed} · ⏳ còn {pending} chờ xoá · 📞 giữ lại "
        "{kept} (đã gọi hoặc đang gọi) · {gone} đã bị xoá trước",
    ),
    "job.line.undo": (
        "*{ref}* · ↩️ undo of {original} · {state} · `{connection}` campaign {campaign} · "
        "{removed} removed, {kept} kept · started {started} by {creator}, {ended}",
        "*{ref}* · ↩️ hoàn tác {original} · {state} · `{connection}` chiến dịch {campaign} · "
        "đã xoá {removed}, giữ lại {kept} · {creator} bắt đầu lúc {started}, {ended}",
    ),
    # The end
    "job.undo.final.done": (
        "↩️ *Undo {ref} of {original} is done*: {removed} contacts removed from campaign "
        "{campaign}. {kept} could not be removed because they were already called or in a call.",
        "↩️ *Hoàn tác {ref} của {original} đã xong*: đã xoá {removed} liên hệ khỏi chiến dịch "
        "{campaign}. {kept} liên hệ không xoá được vì đã được gọi hoặc đang gọi.",
    ),
    "job.undo.final.done_all": (
        "↩️ *Undo {ref} of {original} is done*: {removed} contacts removed from campaign "
        "{campaign}; none of them had been called yet.",
        "↩️ *Hoàn tác {ref} của {original} đã xong*: đã xoá {removed} liên hệ khỏi chiến dịch "
        "{campaign}; chưa liên hệ nào được gọi.",
    ),
    "job.undo.final.nothing_removed": (
        "↩️ *Undo {ref} of {original} removed nothing*: none of {original}'s contacts in campaign "
        "{campaign} is still waiting to be called. {kept} were already called or in a call.",
        "↩️ *Hoàn tác {ref} của {original} không xoá gì*: không liên hệ nào của {original} trong "
        "chiến dịch {campaign} còn chờ gọi. {kept} liên hệ đã được gọi hoặc đang gọi.",
    ),
    "job.undo.final.failed": (
        "❌ *Undo {ref} of {original} stopped*: {reason} {removed} contacts were removed; {left} "
        "still wait to be removed: run `/job undo {original}` again to take them back.",
        "❌ *Hoàn tác {ref} của {original} bị dừng*: {reason} Đã xoá {removed} liên hệ; còn {left} "
        "liên hệ chưa xoá: chạy lại `/job undo {original}` để rút lại.",
    ),
    "job.undo.final.cancelled": (
        "⏹ *Undo {ref} of {original} is cancelled*: {removed} contacts were removed; {left} stay "
        "in campaign {campaign}.",
        "⏹ *Đã huỷ hoàn tác {ref} của {original}*: đã xoá {removed} liên hệ; {left} liên hệ vẫn "
        "ở trong chiến dịch {campaign}.",
    ),
    "job.undo.final.csv": (
        "The {kept} contacts left in the campaign are in the CSV in this thread.",
        "{kept} liên hệ còn lại trong chiến dịch có trong tệp CSV ở luồng này.",
    ),
    "job.undo.final.gone": (
        "{count} had already been deleted by someone else.",
        "{count} liên hệ đã bị người khác xoá trước.",
    ),
    "job.undo.final.not_found": (
        "{count} of {original}'s phones are not in its lists (they were in the campaign before "
        "{original}, or were deleted since): left alone.",
        "{count} số điện thoại của {original} không có trong các danh sách của nó (đã có trong "
        "chiến dịch từ trước {original}, hoặc đã bị xoá): bot không động tới.",
    ),
    "job.undo.final.unlisted": (
        "⚠️ Alohub did not say which list {count} chunks of {original} made, so their {rows} "
        "rows were not looked for. Find their lists with `/contact lists campaign={campaign}`.",
        "⚠️ Alohub không cho biết {count} đợt của {original} đã tạo danh sách nào, nên bot không "
        "tìm {rows} dòng của các đợt đó. Hãy tìm danh sách bằng "
        "`/contact lists campaign={campaign}`.",
    ),
    "job.undo.final.unknown": (
        "⚠️ {count} deletes got no answer and could not be checked yet: see `/job {ref}` later.",
        "⚠️ {count} lệnh xoá chưa có phản hồi và chưa kiểm tra được: xem lại `/job {ref}` sau.",
    ),
    # The CSV of the contacts left in place
    "job.undo.csv.title": (
        "{original}: contacts kept in campaign {campaign}",
        "{original}: liên hệ giữ lại trong chiến dịch {campaign}",
    ),
    "job.undo.csv.contact": ("contact id", "mã liên hệ"),
    "job.undo.csv.why": ("why it stays", "lý do giữ lại"),
}
