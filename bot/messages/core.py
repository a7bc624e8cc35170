"""Core sentences: usage, errors, access, help, queues, jobs — key → (English, Vietnamese).

Both texts of an entry use the same ``{placeholders}`` (a test checks). Sentences say what
happened and what to do next, in words a call-center operator uses.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Usage and input mistakes
    "usage.line": ("Usage: {usage}", "Cách dùng: {usage}"),
    "usage.example": ("Example: {example}", "Ví dụ: {example}"),
    "usage.unknown_command": (
        "I don't know that {command} command. Type `/callops help` to see what I can do.",
        "Tôi không hiểu lệnh {command} này. Gõ `/callops help` để xem các lệnh.",
    ),
    "usage.choose_subcommand": (
        "What should {command} do? Type one of these:",
        "Bạn muốn {command} làm gì? Hãy gõ một trong các lệnh sau:",
    ),
    "usage.unknown_subcommand": (
        "I don't know `{command} {word}`. Type one of these:",
        "Tôi không hiểu `{command} {word}`. Hãy gõ một trong các lệnh sau:",
    ),
    "usage.unknown_option": (
        "The option `{option}=` is not used by this command.",
        "Lệnh này không dùng tuỳ chọn `{option}=`.",
    ),
    "usage.missing_argument": (
        "Something is missing from this command.",
        "Lệnh này còn thiếu thông tin.",
    ),
    "usage.unexpected": (
        "I did not expect `{word}` here.",
        "Tôi không hiểu `{word}` ở đây.",
    ),
    "usage.bad_page": (
        "`page={value}` is not a page number; pages start at 1.",
        "`page={value}` không phải số trang; trang bắt đầu từ 1.",
    ),
    "usage.callops.help": ("`/callops help`", "`/callops help`"),
    "usage.callops.help.example": ("`/callops`", "`/callops`"),
    "usage.callops.connections": ("`/callops connections`", "`/callops connections`"),
    "usage.queue.list": ("`/queue [list] [page=N]`", "`/queue [list] [page=N]`"),
    "usage.queue.list.example": ("`/queue list page=2`", "`/queue list page=2`"),
    "usage.queue.show": ("`/queue show <callinId>`", "`/queue show <callinId>`"),
    "usage.queue.show.example": ("`/queue show 1001226`", "`/queue show 1001226`"),
    "usage.queue.set": (
        "`/queue set <callinId> [strategy={queue_strategies}] "
        "[wait=<sec>] [moh=<file>] [announce=on|off]`",
        "`/queue set <callinId> [strategy={queue_strategies}] "
        "[wait=<giây>] [moh=<tệp>] [announce=on|off]`",
    ),
    "usage.queue.set.example": (
        "`/queue set 1001226 strategy=vip wait=90 announce=on`",
        "`/queue set 1001226 strategy=vip wait=90 announce=on`",
    ),
    "usage.queue.edit": ("`/queue edit <callinId>`", "`/queue edit <callinId>`"),
    "usage.queue.edit.example": ("`/queue edit 1001226`", "`/queue edit 1001226`"),
    "usage.job.show": ("`/job [J<n>]`", "`/job [J<n>]`"),
    "usage.job.show.example": ("`/job J12`", "`/job J12`"),
    "usage.job.cancel": ("`/job cancel J<n>`", "`/job cancel J<n>`"),
    "usage.job.cancel.example": ("`/job cancel J12`", "`/job cancel J12`"),
    "usage.job.retry": ("`/job retry J<n> [unconfirmed]`", "`/job retry J<n> [unconfirmed]`"),
    "usage.job.retry.example": ("`/job retry J12`", "`/job retry J12`"),
    # Errors
    "error.internal": (
        "Something went wrong on our side (reference {ref}); nothing was lost. "
        "Please try again; if it happens again, give the reference to an admin.",
        "Có lỗi ở phía hệ thống (mã tham chiếu {ref}); không mất dữ liệu. "
        "Vui lòng thử lại; nếu vẫn lỗi, hãy gửi mã tham chiếu cho quản trị viên.",
    ),
    "error.unknown_action": (
        "This button is no longer active. Run the command again.",
        "Nút này không còn hiệu lực. Hãy chạy lại lệnh.",
    ),
    "error.unsupported": (
        "`{connection}` ({provider}) cannot {operation}. Providers that can: {providers} — "
        "add `via=<connection>` with one of them.",
        "`{connection}` ({provider}) không thể {operation}. Nhà cung cấp làm được: {providers} — "
        "thêm `via=<kết nối>` với một trong số đó.",
    ),
    "capability.add_campaign_contact": (
        "add a contact to a campaign",
        "thêm liên hệ vào chiến dịch",
    ),
    "capability.crm_contacts": ("manage CRM contacts", "quản lý khách hàng CRM"),
    "capability.bulk_import": ("import a contact list", "nhập danh sách liên hệ"),
    "capability.contact_lists": ("show contact lists", "xem danh sách liên hệ"),
    "capability.delete_campaign_contact": (
        "delete a campaign contact",
        "xoá liên hệ khỏi chiến dịch",
    ),
    "capability.queues": ("manage inbound queues", "quản lý hàng chờ gọi vào"),
    "capability.call_records": ("show call statistics", "xem thống kê cuộc gọi"),
    "capability.campaign_progress": ("show campaign progress", "xem tiến độ chiến dịch"),
    # Provider faults
    "provider.said": (" The provider said: “{message}”.", " Nhà cung cấp báo: “{message}”."),
    "provider.ProviderError": (
        "`{connection}` answered with an error.{said} Please try again later.",
        "`{connection}` trả về lỗi.{said} Vui lòng thử lại sau.",
    ),
    "provider.AuthError": (
        "`{connection}` rejected our credentials.{said} An admin should check the key in "
        "callops.yml, run `callops check`, then restart callops (it reads callops.yml when it "
        "starts).",
        "`{connection}` từ chối thông tin xác thực.{said} Quản trị viên cần kiểm tra khoá trong "
        "callops.yml, chạy `callops check`, rồi khởi động lại callops (callops đọc callops.yml "
        "khi khởi động).",
    ),
    "provider.ScopeError": (
        "The key of `{connection}` is not allowed to do this.{said} Ask the provider for a key "
        "with the missing permission, then an admin updates callops.yml and restarts callops.",
        "Khoá của `{connection}` không có quyền làm việc này.{said} Hãy xin nhà cung cấp khoá có "
        "quyền còn thiếu, rồi quản trị viên cập nhật callops.yml và khởi động lại callops.",
    ),
    "provider.NotFoundError": (
        "`{connection}` could not find that.{said} Check the id and try again.",
        "`{connection}` không tìm thấy mục này.{said} Hãy kiểm tra lại mã rồi thử lại.",
    ),
    "provider.NotFoundError.campaign_id": (
        "`{connection}` has no campaign with that id.{said} Check the campaign id: `/callops` "
        "lists the campaigns used here lately, the others are in the provider's dashboard.",
        "`{connection}` không có chiến dịch nào mang mã này.{said} Hãy kiểm tra mã chiến dịch: "
        "`/callops` liệt kê các chiến dịch kênh này dùng gần đây, mã khác xem trên trang quản "
        "trị của nhà cung cấp.",
    ),
    "provider.NotFoundError.phone": (
        "`{connection}` has no contact with that phone number.{said} Check the number, or "
        "create the contact first with `/contact add <phone> <name> via={connection}`.",
        "`{connection}` không có khách hàng nào có số điện thoại này.{said} Hãy kiểm tra lại "
        "số, hoặc tạo khách hàng trước bằng `/contact add <số> <tên> via={connection}`.",
    ),
    "provider.JobLostError": (
        "`{connection}` lost track of the import (the provider restarted).{said} "
        "Use `/job retry` to send the unconfirmed rows again; duplicates are skipped.",
        "`{connection}` đã mất dấu lượt nhập (nhà cung cấp khởi động lại).{said} "
        "Dùng `/job retry` để gửi lại các dòng chưa xác nhận; số trùng sẽ được bỏ qua.",
    ),
    "provider.InvalidInputError": (
        "`{connection}` refused the request.{said} Correct it and try again.",
        "`{connection}` từ chối yêu cầu.{said} Hãy sửa lại rồi thử lại.",
    ),
    "provider.InvalidStateError": (
        "`{connection}` refused: the item is not in a state that allows this.{said} Waiting "
        "will not change that by itself; check the item in the provider's dashboard.",
        "`{connection}` từ chối: mục này đang ở trạng thái không cho phép việc này.{said} Chờ "
        "cũng không tự hết; hãy xem lại mục này trên trang quản trị của nhà cung cấp.",
    ),
    # Permanent refusals named by the provider's own code: say what someone can do about it.
    # aicallcenter-api.txt "Mã 01 - campaign_id không tồn tại hoặc không có quyền truy cập"
    "provider.code.aicallcenter.1": (
        "`{connection}` has no campaign with that id in this account (it does not exist or "
        "belongs to another account).{said} Copy the id from the AICallCenter dashboard; "
        "`/callops` lists the campaigns this channel used recently.",
        "`{connection}` không có chiến dịch nào mang mã này trong tài khoản (không tồn tại hoặc "
        "thuộc tài khoản khác).{said} Hãy chép mã từ trang quản trị AICallCenter; `/callops` "
        "liệt kê các chiến dịch kênh này dùng gần đây.",
    ),
    # aicallcenter-api.txt "Mã 03 - Chiến dịch đang bị tạm dừng, không thể thêm dữ liệu."
    "provider.code.aicallcenter.3": (
        "`{connection}` refused: the campaign is stopped, and a stopped campaign takes no "
        "contacts.{said} Nothing was added. Start the campaign again in the AICallCenter "
        "dashboard (or ask whoever runs it), then send the contacts again.",
        "`{connection}` từ chối: chiến dịch đang dừng, mà chiến dịch đang dừng thì không nhận "
        "liên hệ.{said} Chưa thêm gì. Hãy bật lại chiến dịch trên trang quản trị AICallCenter "
        "(hoặc nhờ người phụ trách), rồi gửi lại các liên hệ.",
    ),
    # vbee-aicall-campaign.txt "1402 Import contacts failed"; the account must have balance
    # ("Số dư khả dụng còn đủ để thực hiện cuộc gọi") and the campaign must exist.
    "provider.code.vbee.1402": (
        "`{connection}` refused to add the contacts (Vbee code 1402, import failed).{said} "
        "Waiting will not fix it. Vbee answers this when the prepaid balance is too low or "
        "the campaign id is not one of this application's campaigns: an admin can check the "
        "balance and top it up in the Vbee dashboard, and check the campaign id there.",
        "`{connection}` từ chối thêm liên hệ (mã Vbee 1402, thêm khách hàng thất bại).{said} "
        "Chờ cũng không hết. Vbee trả lỗi này khi số dư trả trước không đủ hoặc mã chiến dịch "
        "không thuộc ứng dụng này: quản trị viên hãy kiểm tra và nạp thêm số dư trên trang "
        "quản trị Vbee, và kiểm tra lại mã chiến dịch ở đó.",
    ),
    # vbee-aicall-campaign.txt "1403 All contacts is invalid (Kiểm tra lại trường phone_number)"
    "provider.code.vbee.1403": (
        "`{connection}` found every phone number invalid (Vbee code 1403).{said} Nothing was "
        "added; check the phone numbers and send them again.",
        "`{connection}` thấy mọi số điện thoại đều không hợp lệ (mã Vbee 1403).{said} Chưa thêm "
        "gì; hãy kiểm tra lại các số điện thoại rồi gửi lại.",
    ),
    "provider.RateLimitedError": (
        "`{connection}` is receiving too many requests{tried}. Please wait a minute and try again.",
        "`{connection}` đang nhận quá nhiều yêu cầu{tried}. Vui lòng đợi một phút rồi thử lại.",
    ),
    "provider.ProviderFault": (
        "`{connection}` had a failure on its side{tried}.{said} Nothing was lost; try again in "
        "a few minutes. If it lasts, check the provider's status page or call its support.",
        "`{connection}` gặp lỗi phía nhà cung cấp{tried}.{said} Không mất dữ liệu; hãy thử lại "
        "sau vài phút. Nếu kéo dài, hãy xem trang trạng thái hoặc gọi hỗ trợ của nhà cung cấp.",
    ),
    # A request that creates something (``ProviderError.creates``): after a 5xx, a timeout or
    # an unreadable answer the provider may have added it, so "try again" could add it twice.
    "provider.ProviderFault.creating": (
        "`{connection}` had a failure on its side{tried}.{said} It may have added it all the "
        "same: {check} before sending it again. If it lasts, check the provider's status page "
        "or call its support.",
        "`{connection}` gặp lỗi phía nhà cung cấp{tried}.{said} Có thể nhà cung cấp vẫn đã "
        "thêm: {check} trước khi gửi lại. Nếu kéo dài, hãy xem trang trạng thái hoặc gọi hỗ "
        "trợ của nhà cung cấp.",
    ),
    "provider.ProviderTimeout.creating": (
        "`{connection}` did not answer in time{tried}. The request may have reached it and "
        "added it all the same: {check} before sending the same thing again. If it keeps "
        "happening, the provider may be down (an admin can run `callops check`).",
        "`{connection}` không phản hồi kịp{tried}. Yêu cầu có thể đã tới nơi và nhà cung cấp "
        "có thể đã thêm: {check} trước khi gửi lại. Nếu vẫn vậy, có thể nhà cung cấp đang gặp "
        "sự cố (quản trị viên có thể chạy `callops check`).",
    ),
    "provider.UnexpectedResponse.creating": (
        "`{connection}` answered something I do not understand.{said} It may have added it "
        "all the same: {check} before sending it again; if it persists, tell an admin.",
        "`{connection}` trả lời theo cách tôi không hiểu.{said} Có thể nhà cung cấp vẫn đã "
        "thêm: {check} trước khi gửi lại; nếu vẫn vậy, báo quản trị viên.",
    ),
    # How to see whether it did: the provider's lookup where callops has one (PRODUCT.md:
    # `/contact find` is OMICall's, Alohub's lists are read with `/contact list`), else
    # its dashboard (Vbee and AICallCenter offer no lookup of a campaign's contacts).
    "provider.check": ("check in its dashboard", "hãy xem trên trang quản trị của nhà cung cấp"),
    "provider.check.omicall": (
        "look it up with `/contact find <phone> via={connection}`",
        "hãy tra bằng `/contact find <số> via={connection}`",
    ),
    "provider.check.alohub": (
        "look in the list with `/contact list campaign=<id> list=<listId> via={connection}`",
        "hãy xem danh sách bằng `/contact list campaign=<mã> list=<mãDS> via={connection}`",
    ),
    "provider.check.job": ("check the campaign", "hãy kiểm tra chiến dịch"),
    "provider.ProviderTimeout": (
        "`{connection}` did not answer in time{tried}. The request may have reached it: check "
        "in its dashboard before sending the same thing again. If it keeps happening, the "
        "provider may be down (an admin can run `callops check`).",
        "`{connection}` không phản hồi kịp{tried}. Yêu cầu có thể đã tới nơi: hãy xem trên "
        "trang quản trị của nhà cung cấp trước khi gửi lại. Nếu vẫn vậy, có thể nhà cung cấp "
        "đang gặp sự cố (quản trị viên có thể chạy `callops check`).",
    ),
    "provider.ProviderConnectionError": (
        "I could not reach `{connection}`{tried}; nothing was sent. Check that the provider is "
        "up (its status page) and that this server can reach it; an admin can check the "
        "connection's `base_url` in callops.yml and run `callops check` (a changed callops.yml "
        "is read when callops restarts).",
        "Không kết nối được tới `{connection}`{tried}; chưa gửi gì. Hãy kiểm tra nhà cung cấp "
        "có đang hoạt động (trang trạng thái) và máy chủ này có kết nối được tới đó; quản trị "
        "viên có thể kiểm tra `base_url` của kết nối trong callops.yml và chạy `callops check` "
        "(callops.yml đã sửa được đọc lại khi khởi động lại callops).",
    ),
    "provider.tried.once": (" (I waited {seconds} s)", " (đã chờ {seconds} giây)"),
    "provider.tried": (
        " (I tried {attempts} times over {seconds} s)",
        " (đã thử {attempts} lần trong {seconds} giây)",
    ),
    "provider.tried.timeout": (
        " (I tried {attempts} times over {seconds} s, waiting up to {timeout} s each time)",
        " (đã thử {attempts} lần trong {seconds} giây, mỗi lần chờ tối đa {timeout} giây)",
    ),
    "provider.UnexpectedResponse": (
        "`{connection}` answered something I do not understand.{said} Try again later; if it "
        "persists, tell an admin.",
        "`{connection}` trả lời theo cách tôi không hiểu.{said} Hãy thử lại sau; nếu vẫn vậy, "
        "báo quản trị viên.",
    ),
    # Access
    "access.admin_only": (
        "Only admins can do this. Ask one of them: {admins}.",
        "Chỉ quản trị viên mới làm được việc này. Hãy nhờ: {admins}.",
    ),
    "access.operator_only": (
        "You are not on the operators list, so you cannot run this. Ask an admin ({admins}) "
        "to add you.",
        "Bạn chưa có trong danh sách điều hành viên nên không chạy được lệnh này. Hãy nhờ quản "
        "trị viên ({admins}) thêm bạn.",
    ),
    "access.channel_unbound": (
        "This channel is not connected to any provider. An admin can add it under `channels:` "
        "in callops.yml.",
        "Kênh này chưa được gắn với nhà cung cấp nào. Quản trị viên có thể thêm kênh vào "
        "`channels:` trong callops.yml.",
    ),
    "access.unknown_connection": (
        "There is no connection named `{connection}`. This channel may use: {allowed}.",
        "Không có kết nối tên `{connection}`. Kênh này được dùng: {allowed}.",
    ),
    "access.connection_not_bound": (
        "This channel may not use `{connection}`. It may use: {allowed}. An admin can change "
        "that in callops.yml.",
        "Kênh này không được dùng `{connection}`. Kênh được dùng: {allowed}. Quản trị viên có "
        "thể đổi trong callops.yml.",
    ),
    "role.admin": ("admin", "quản trị viên"),
    "role.operator": ("operator", "điều hành viên"),
    "role.stranger": ("not an operator", "không phải điều hành viên"),
    # Audit
    "audit.admin_action": (
        "{user} ran {command} in {channel}: {outcome}.",
        "{user} đã chạy {command} trong {channel}: {outcome}.",
    ),
    "audit.forged": (
        "{user} sent back the form `{form}` altered outside Slack (its hidden data is not what "
        "callops put in it); callops refused it and nothing was done.",
        "{user} đã gửi lại biểu mẫu `{form}` bị sửa bên ngoài Slack (dữ liệu ẩn không phải do "
        "callops tạo); callops đã từ chối và chưa có gì được thực hiện.",
    ),
    "audit.outcome.ok": ("done", "xong"),
    "audit.outcome.invalid": ("invalid input", "nhập sai"),
    "audit.outcome.refused": ("refused", "bị từ chối"),
    "audit.outcome.unsupported": ("not supported", "không hỗ trợ"),
    "audit.outcome.provider_error": ("provider error", "lỗi nhà cung cấp"),
    "audit.outcome.crash": ("internal error", "lỗi hệ thống"),
    "audit.outcome.error": ("error", "lỗi"),
    # Help and connections
    "help.text": ("What callops can do here", "Những việc callops làm được ở đây"),
    "help.title": (
        "callops — your calling providers in Slack",
        "callops — nhà cung cấp cuộc gọi trên Slack",
    ),
    "help.role.admin": ("You are an *admin* here.", "Bạn là *quản trị viên* ở đây."),
    "help.role.operator": ("You are an *operator* here.", "Bạn là *điều hành viên* ở đây."),
    "help.role.stranger": (
        "You are not on the operators list, so the commands below are not open to you yet. "
        "Ask an admin ({admins}) to add you.",
        "Bạn chưa có trong danh sách điều hành viên nên chưa dùng được các lệnh dưới đây. Hãy "
        "nhờ quản trị viên ({admins}) thêm bạn.",
    ),
    "help.campaigns": (
        "Campaign ids used here lately: {campaigns}. No provider lists its campaigns: find "
        "others in the provider's dashboard.",
        "Mã chiến dịch kênh này dùng gần đây: {campaigns}. Nhà cung cấp không có danh sách "
        "chiến dịch qua API: mã khác xem trên trang quản trị của nhà cung cấp.",
    ),
    "help.campaigns_none": (
        "No campaign used here yet. No provider lists its campaigns: copy the campaign id from "
        "the provider's dashboard.",
        "Kênh này chưa dùng chiến dịch nào. Nhà cung cấp không có danh sách chiến dịch qua API: "
        "hãy chép mã chiến dịch từ trang quản trị của nhà cung cấp.",
    ),
    "help.connections": (
        "This channel uses: {names}. Default: `{default}` (pick another with `via=`).",
        "Kênh này dùng: {names}. Mặc định: `{default}` (chọn kết nối khác bằng `via=`).",
    ),
    "help.commands": ("*Commands you can use*", "*Các lệnh bạn dùng được*"),
    "help.operators_only": ("*For operators*", "*Dành cho điều hành viên*"),
    "help.admin_only": ("*Admins only*", "*Chỉ dành cho quản trị viên*"),
    "help.footer": (
        "Options are written `key=value`. Every command answers only you unless it posts a job "
        "or a summary.",
        "Tuỳ chọn viết dạng `key=value`. Mọi câu trả lời chỉ mình bạn thấy, trừ tiến độ nhập "
        "và báo cáo hằng ngày.",
    ),
    "connections.text": ("Connections", "Các kết nối"),
    "connections.title": ("Connections", "Các kết nối"),
    "connections.row": (
        "*`{name}`* — {provider} · channels: {channels}",
        "*`{name}`* — {provider} · kênh: {channels}",
    ),
    "connections.can": ("Can", "Làm được"),
    "connections.last_check": ("Last check", "Kiểm tra gần nhất"),
    "connections.never_checked": ("not checked yet", "chưa kiểm tra"),
    "connections.check_ok": ("✅ ok ({at})", "✅ tốt ({at})"),
    "connections.check_failed": ("❌ {reason} ({at})", "❌ {reason} ({at})"),
    "connections.hint": (
        "Run `callops check` on the server to test every connection's credentials.",
        "Chạy `callops check` trên máy chủ để kiểm tra thông tin xác thực của mọi kết nối.",
    ),
    # Pagers and modals
    "page.next": ("Next ▶", "Trang sau ▶"),
    "page.prev": ("◀ Previous", "◀ Trang trước"),
    "page.past_end": (
        "There is no page {page}: {total} in all, on {pages} pages.",
        "Không có trang {page}: tổng cộng {total}, trên {pages} trang.",
    ),
    "page.past_end_unknown": (
        "There is nothing on page {page}. Go back to the first page.",
        "Trang {page} không có gì. Hãy quay lại trang đầu.",
    ),
    "page.last": ("Last page", "Trang cuối"),
    "page.first": ("First page", "Trang đầu"),
    "page.position": (
        "Page {page} of {pages} · {total} in all",
        "Trang {page}/{pages} · tổng {total}",
    ),
    "modal.save": ("Save", "Lưu"),
    "modal.cancel": ("Cancel", "Huỷ"),
    "modal.submit": ("Submit", "Gửi"),
    "modal.close": ("Close", "Đóng"),
    # Queues
    "queue.bad_id": (
        "`{value}` is not a queue id; queue ids are numbers (see `/queue list`).",
        "`{value}` không phải mã hàng chờ; mã hàng chờ là số (xem `/queue list`).",
    ),
    "queue.bad_strategy": (
        "`{value}` is not a queue type. Use one of {names} (or their numbers {codes}).",
        "`{value}` không phải loại hàng chờ. Dùng một trong {names} (hoặc số tương ứng {codes}).",
    ),
    "queue.bad_wait": (
        "`{value}` is not a number of seconds. Write the maximum wait as digits, e.g. 90.",
        "`{value}` không phải số giây. Hãy ghi thời gian chờ tối đa bằng số, ví dụ 90.",
    ),
    "queue.bad_announce": (
        "`{value}` is not on or off. Write `announce=on` or `announce=off`.",
        "`{value}` không phải on hay off. Ghi `announce=on` hoặc `announce=off`.",
    ),
    "queue.nothing_to_set": (
        "Nothing to change: give at least one of strategy, wait, moh or announce.",
        "Không có gì để đổi: hãy nhập ít nhất một trong strategy, wait, moh hoặc announce.",
    ),
    "queue.not_set": ("not set", "chưa đặt"),
    "queue.none": ("none", "không có"),
    "queue.on": ("on", "bật"),
    "queue.off": ("off", "tắt"),
    "queue.strategy.1": ("normal", "thường"),
    "queue.strategy.2": ("VIP", "VIP"),
    "queue.strategy.3": ("blacklist", "danh sách chặn"),
    "queue.strategy.4": ("divert", "chuyển hướng"),
    "queue.strategy.99": ("suspended", "tạm khoá"),
    "queue.strategy.unknown": ("unknown type ({code})", "loại không rõ ({code})"),
    "queue.wait_seconds": ("{seconds} seconds", "{seconds} giây"),
    "queue.wait_minutes": (
        "{seconds} seconds ({minutes} min {rest} s)",
        "{seconds} giây ({minutes} phút {rest} giây)",
    ),
    "queue.field.strategy": ("Queue type", "Loại hàng chờ"),
    "queue.field.wait": ("Maximum wait", "Thời gian chờ tối đa"),
    "queue.field.moh": ("Music on hold", "Nhạc chờ"),
    "queue.field.announce": ("Announce position to callers", "Báo vị trí cho người gọi"),
    "queue.field.agent_selector": ("Agent selection", "Cách chọn nhân viên"),
    # agentSelector values are the names of the queue's switch (Asterisk queue strategies);
    # the seed lists none, so these only explain the ones commonly seen, raw name kept.
    "queue.selector.ringall": (
        "ring every free agent at once (`ringall`)",
        "đổ chuông đồng thời mọi nhân viên rảnh (`ringall`)",
    ),
    "queue.selector.roundrobin": (
        "agents in turn, one after another (`roundrobin`)",
        "lần lượt từng nhân viên, hết vòng quay lại (`roundrobin`)",
    ),
    "queue.selector.rrmemory": (
        "agents in turn, starting after the last one called (`rrmemory`)",
        "lần lượt từng nhân viên, tiếp từ người sau người vừa nhận (`rrmemory`)",
    ),
    "queue.selector.leastrecent": (
        "the agent idle the longest (`leastrecent`)",
        "nhân viên rảnh lâu nhất (`leastrecent`)",
    ),
    "queue.selector.fewestcalls": (
        "the agent who took the fewest calls (`fewestcalls`)",
        "nhân viên nhận ít cuộc gọi nhất (`fewestcalls`)",
    ),
    "queue.selector.random": (
        "a random free agent (`random`)",
        "ngẫu nhiên một nhân viên rảnh (`random`)",
    ),
    "queue.selector.linear": (
        "agents always in the same order (`linear`)",
        "nhân viên theo thứ tự cố định (`linear`)",
    ),
    "queue.selector.unknown": (
        "`{value}` (a setting of the Alohub dashboard, not explained by its API)",
        "`{value}` (thiết lập trên trang quản trị Alohub, tài liệu API không giải thích)",
    ),
    "queue.field.number": ("Queue phone number", "Số điện thoại của hàng chờ"),
    "queue.list.text": ("{count} inbound queues", "{count} hàng chờ gọi vào"),
    "queue.list.title": ("Inbound queues — {connection}", "Hàng chờ gọi vào — {connection}"),
    "queue.list.row": (
        "*{name}* · #{id} · {strategy} · wait {wait} · number {number}",
        "*{name}* · #{id} · {strategy} · chờ {wait} · số {number}",
    ),
    "queue.list.empty": ("There are no inbound queues.", "Không có hàng chờ gọi vào nào."),
    "queue.list.hint": (
        "See one queue with `/queue show <id>`.",
        "Xem một hàng chờ bằng `/queue show <mã>`.",
    ),
    "queue.show.text": ("Queue {name}", "Hàng chờ {name}"),
    "queue.show.title": ("Queue {name}", "Hàng chờ {name}"),
    "queue.show.intro": ("Queue `{id}` on `{connection}`:", "Hàng chờ `{id}` trên `{connection}`:"),
    "queue.show.hint": (
        "Admins can change it with `/queue set {id} …` or `/queue edit {id}`.",
        "Quản trị viên có thể đổi bằng `/queue set {id} …` hoặc `/queue edit {id}`.",
    ),
    "queue.set.text": ("Queue {name} updated", "Đã cập nhật hàng chờ {name}"),
    "queue.set.done": ("✅ Queue *{name}* updated:", "✅ Đã cập nhật hàng chờ *{name}*:"),
    "queue.set.unchanged": (
        "The values were already like this; nothing changed.",
        "Các giá trị đã như vậy từ trước; không có gì thay đổi.",
    ),
    "queue.edit.title": ("Edit queue", "Sửa hàng chờ"),
    "queue.edit.intro": ("Queue *{name}* · #{id}", "Hàng chờ *{name}* · #{id}"),
    "queue.edit.wait_label": ("Maximum wait (seconds)", "Thời gian chờ tối đa (giây)"),
    "queue.edit.wait_hint": ("Digits only, e.g. 90.", "Chỉ nhập số, ví dụ 90."),
    # Jobs
    "job.bad_id": (
        "`{value}` is not a job id. Job ids look like J12 (see `/job`).",
        "`{value}` không phải mã lượt nhập. Mã có dạng J12 (xem `/job`).",
    ),
    "job.not_found": (
        "There is no job {ref}. See this channel's jobs with `/job`.",
        "Không có lượt nhập {ref}. Xem các lượt nhập của kênh bằng `/job`.",
    ),
    "job.other_connection": (
        "{ref} sends to `{connection}`, which this channel may not use. Look at it in a "
        "channel that uses `{connection}`, or ask an admin to add this channel to it in "
        "callops.yml.",
        "{ref} gửi tới `{connection}`, kênh này không được dùng kết nối đó. Hãy xem trong kênh "
        "có dùng `{connection}`, hoặc nhờ quản trị viên gắn kênh này trong callops.yml.",
    ),
    "job.not_yours": (
        "{ref} was started by {creator}; only they or an admin can change it.",
        "{ref} do {creator} tạo; chỉ người đó hoặc quản trị viên mới đổi được.",
    ),
    "job.state.queued": ("⏳ queued", "⏳ đang chờ"),
    "job.state.running": ("🔄 running", "🔄 đang chạy"),
    "job.state.done": ("✅ done", "✅ xong"),
    "job.state.failed": ("❌ failed", "❌ thất bại"),
    "job.state.cancelled": ("⏹ cancelled", "⏹ đã huỷ"),
    "job.state.lost": ("⚠️ lost by the provider", "⚠️ nhà cung cấp làm mất"),
    "job.state.done_rejected": ("⚠️ done with rejections", "⚠️ xong, có dòng bị từ chối"),
    "job.line": (
        "*{ref}* · {state} · `{connection}` campaign {campaign} · {total} rows · {source} · "
        "started {started} by {creator}, {ended}",
        "*{ref}* · {state} · `{connection}` chiến dịch {campaign} · {total} dòng · {source} · "
        "{creator} bắt đầu lúc {started}, {ended}",
    ),
    "job.card.meta": (
        "Started {started} by {creator} · {ended} · {source}",
        "{creator} bắt đầu lúc {started} · {ended} · {source}",
    ),
    "job.source": ("file *{source}*", "tệp *{source}*"),
    "job.source_unknown": ("unknown", "không rõ"),
    "job.list_name": (" → Alohub list “{list_name}”", " → danh sách Alohub “{list_name}”"),
    "job.ended": ("ended {time}", "kết thúc lúc {time}"),
    "job.not_ended": ("not ended yet", "chưa kết thúc"),
    "job.date": ("{day} {month} {year}", "{day}/{month}/{year}"),
    "job.datetime": ("{date}, {time}", "{time} {date}"),
    "job.month.1": ("Jan", "01"),
    "job.month.2": ("Feb", "02"),
    "job.month.3": ("Mar", "03"),
    "job.month.4": ("Apr", "04"),
    "job.month.5": ("May", "05"),
    "job.month.6": ("Jun", "06"),
    "job.month.7": ("Jul", "07"),
    "job.month.8": ("Aug", "08"),
    "job.month.9": ("Sep", "09"),
    "job.month.10": ("Oct", "10"),
    "job.month.11": ("Nov", "11"),
    "job.month.12": ("Dec", "12"),
    "job.reasons.item": ("{reason} × {count}", "{reason} × {count}"),
    "job.reasons.separator": ("; ", "; "),
    "job.reasons.unknown": ("no reason given", "không rõ lý do"),
    "job.card.main_reasons": (
        "Main reasons rows were rejected: {reasons}",
        "Lý do chính khiến các dòng bị từ chối: {reasons}",
    ),
    "job.card.text": ("Import {ref}: {state}", "Lượt nhập {ref}: {state}"),
    "job.card.title": (
        "*Import {ref}* · {state} · `{connection}` campaign {campaign}",
        "*Lượt nhập {ref}* · {state} · `{connection}` chiến dịch {campaign}",
    ),
    "job.card.counts": (
        "{total} rows · ✅ {accepted} accepted · ❌ {rejected} rejected · ♻️ {duplicate} "
        "duplicates · ⏳ {pending} waiting",
        "{total} dòng · ✅ {accepted} đã nhận · ❌ {rejected} bị từ chối · ♻️ {duplicate} trùng "
        "· ⏳ {pending} đang chờ",
    ),
    "job.card.unconfirmed": (
        "⚠️ {count} rows got no clear answer (the provider failed or did not answer in time "
        "while they were being sent, or the bot stopped then), so we cannot tell whether it got "
        "them. Check the campaign, then send them again only if needed: "
        "`/job retry {ref} unconfirmed`.",
        "⚠️ {count} dòng không nhận được câu trả lời rõ ràng (nhà cung cấp lỗi hoặc không phản "
        "hồi kịp khi đang gửi, hoặc bot dừng lúc đó), nên không biết nhà cung cấp đã nhận hay "
        "chưa. Hãy kiểm tra chiến dịch, chỉ gửi lại khi cần: `/job retry {ref} unconfirmed`.",
    ),
    "job.card.reason": ("Reason: {reason}", "Lý do: {reason}"),
    "job.card.retry_hint": (
        "Send the rows that were not accepted again with `/job retry {ref}`.",
        "Gửi lại các dòng chưa được nhận bằng `/job retry {ref}`.",
    ),
    "job.button.refresh": ("Refresh", "Làm mới"),
    "job.button.cancel": ("Cancel import", "Huỷ lượt nhập"),
    "job.list.text": ("{count} recent imports", "{count} lượt nhập gần đây"),
    "job.list.title": ("*Recent imports in this channel*", "*Các lượt nhập gần đây trong kênh*"),
    "job.list.empty": (
        "No imports in this channel yet. Start one with `/import`.",
        "Kênh này chưa có lượt nhập nào. Bắt đầu bằng `/import`.",
    ),
    "job.list.hint": ("Open one with `/job J<n>`.", "Mở một lượt nhập bằng `/job J<n>`."),
    "job.retry.started": (
        "Sending {count} rows of {ref} again.",
        "Đang gửi lại {count} dòng của {ref}.",
    ),
    "job.retry.nothing": (
        "{ref} has no rows left to send.",
        "{ref} không còn dòng nào cần gửi.",
    ),
}
