"""Sentences of the imports feature (and ``/contact add``): key → (English, Vietnamese)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Usage
    "usage.import": ("`/import [campaign=<id>]`", "`/import [campaign=<mã>]`"),
    "usage.import.example": ("`/import campaign=101`", "`/import campaign=101`"),
    "usage.contact.add": (
        "`/contact add <phone> [name…] campaign=<id> [list=<listId>]`",
        "`/contact add <số điện thoại> [họ tên…] campaign=<mã> [list=<mã danh sách>]`",
    ),
    "usage.contact.add.example": (
        "`/contact add 0912345678 Nguyễn Văn An campaign=101`",
        "`/contact add 0912345678 Nguyễn Văn An campaign=101`",
    ),
    # The import modal
    "import.modal.title": ("Import contacts", "Nhập danh sách liên hệ"),
    "import.modal.submit": ("Read the list", "Đọc danh sách"),
    "import.field.connection": ("Connection", "Kết nối"),
    "import.field.campaign": ("Campaign id", "Mã chiến dịch"),
    "campaign.recent": ("Used here lately: {campaigns}.", "Kênh này dùng gần đây: {campaigns}."),
    "import.field.campaign_hint": (
        "Alohub and AICallCenter: a number. Vbee: the campaign id. Not needed for OMICall.",
        "Alohub và AICallCenter: một số. Vbee: mã chiến dịch. OMICall không cần.",
    ),
    "import.field.list_name": ("List name (Alohub only)", "Tên danh sách (chỉ Alohub)"),
    "import.field.file": (
        "File (.csv, .xlsx, .xls, .ods or .txt)",
        "Tệp (.csv, .xlsx, .xls, .ods hoặc .txt)",
    ),
    "import.field.file_hint": (
        "Up to {size} and {rows} rows. A phone column is required; a name and "
        "personalization columns (danh_xung, otp_code…) are optional.",
        "Tối đa {size} và {rows} dòng. Bắt buộc có cột số điện thoại; cột họ tên và các cột "
        "cá nhân hoá (danh_xung, otp_code…) là tuỳ chọn.",
    ),
    "import.field.paste": ("…or paste a list", "…hoặc dán danh sách"),
    "import.field.paste_placeholder": ("0912345678, Nguyễn Văn An", "0912345678, Nguyễn Văn An"),
    "import.field.paste_hint": (
        "One contact per line: phone, then the name.",
        "Mỗi dòng một liên hệ: số điện thoại, rồi họ tên.",
    ),
    "import.pasted_list": ("the pasted list", "danh sách đã dán"),
    "import.need_campaign": (
        "Enter the campaign id the contacts go to.",
        "Hãy nhập mã chiến dịch sẽ nhận các liên hệ.",
    ),
    "import.bad_campaign": (
        "`{value}` is not an Alohub campaign id: Alohub campaign ids are numbers, e.g. 1042.",
        "`{value}` không phải mã chiến dịch Alohub: mã chiến dịch Alohub là số, ví dụ 1042.",
    ),
    "import.need_file": (
        "Attach a file or paste a list of phone numbers.",
        "Hãy đính kèm một tệp hoặc dán danh sách số điện thoại.",
    ),
    "import.file_and_paste": (
        "Attach a file or paste a list, not both: empty this box or remove the file.",
        "Chỉ đính kèm tệp hoặc dán danh sách, không cả hai: hãy xoá ô này hoặc bỏ tệp.",
    ),
    "import.connection_refused": ("{sentence}", "{sentence}"),
    "import.reading": (
        "⏳ Reading {source}… the preview appears here in a few seconds.",
        "⏳ Đang đọc {source}… bản xem trước sẽ hiện ở đây sau vài giây.",
    ),
    # Refusals (parser reason codes, and the download's)
    "import.refused.nothing_staged": (
        "Nothing was imported. Close this window and run `/import` again with the corrected list.",
        "Chưa có gì được nhập. Hãy đóng cửa sổ này và chạy lại `/import` với danh sách đã sửa.",
    ),
    "import.too_large": (
        "This file is {size}, more than the {limit} an import may be. Split it into smaller "
        "files and import them one by one.",
        "Tệp này {size}, lớn hơn mức {limit} cho phép. Hãy chia thành các tệp nhỏ hơn và nhập "
        "lần lượt.",
    ),
    "import.too_many_rows": (
        "This list has more than {limit} rows, the most one import may have. Split it into "
        "smaller files and import them one by one.",
        "Danh sách này có hơn {limit} dòng, mức tối đa của một lượt nhập. Hãy chia thành các tệp "
        "nhỏ hơn và nhập lần lượt.",
    ),
    "import.empty": (
        "This file has no rows to import. Check that you attached the right file.",
        "Tệp này không có dòng nào để nhập. Hãy kiểm tra lại tệp đã đính kèm.",
    ),
    "import.empty_header_only": (
        "This file has a header row but no contacts under it. Fill in the rows and upload it "
        "again.",
        "Tệp này chỉ có dòng tiêu đề, không có liên hệ nào. Hãy điền các dòng rồi tải lên lại.",
    ),
    "import.not_a_table": (
        "This file is not a contact list (it looks like {kind}), whatever its name says. Save "
        "the list as .csv or .xlsx from Excel or Google Sheets and upload that.",
        "Tệp này không phải danh sách liên hệ (có vẻ là {kind}), dù tên tệp ghi gì. Hãy lưu danh "
        "sách thành .csv hoặc .xlsx từ Excel hoặc Google Sheets rồi tải lên.",
    ),
    "import.bad_xlsx": (
        "This spreadsheet cannot be opened; it may be damaged or protected with a password. "
        "Open it in Excel or LibreOffice, save it again as .xlsx (or .csv), and upload that.",
        "Không mở được tệp bảng tính này; có thể tệp bị hỏng hoặc có mật khẩu. Hãy mở bằng "
        "Excel hoặc LibreOffice, lưu lại thành .xlsx (hoặc .csv) rồi tải lên.",
    ),
    "import.bad_csv": (
        "This CSV file breaks off near line {line} (a quote is never closed). Fix that line, "
        "or save the list again from Excel, and upload it.",
        "Tệp CSV này bị lỗi gần dòng {line} (một dấu ngoặc kép không được đóng). Hãy sửa dòng "
        "đó, hoặc lưu lại danh sách từ Excel, rồi tải lên.",
    ),
    "import.no_phone_column": (
        "I found no phone column. The first row has {headers}; name the phone column `phone` or "
        "`số điện thoại`, or remove the header row so the first column is read as the phone.",
        "Không tìm thấy cột số điện thoại. Dòng đầu có {headers}; hãy đặt tên cột là `phone` "
        "hoặc `số điện thoại`, hoặc bỏ dòng tiêu đề để cột đầu được đọc là số điện thoại.",
    ),
    "import.download_refused": (
        "This file's address (`{where}`) is not Slack's secure file address, so I did not send "
        "the bot's Slack key there and nothing was read or imported. Attach the file from your "
        "computer in this window and submit again.",
        "Địa chỉ của tệp này (`{where}`) không phải địa chỉ tệp an toàn của Slack, nên bot không "
        "gửi khoá Slack của mình tới đó và chưa đọc hay nhập gì. Hãy đính kèm tệp từ máy tính "
        "trong cửa sổ này rồi gửi lại.",
    ),
    "import.download_redirected": (
        "Slack sent me on to another address (`{where}`) instead of the file; I do not follow "
        "such links, so nothing was read or imported. Attach the file again in this window; if "
        "this repeats, ask your Slack admin to check that the app still has the `files:read` "
        "permission.",
        "Slack chuyển sang một địa chỉ khác (`{where}`) thay vì trả tệp; bot không đi theo "
        "những liên kết như vậy nên chưa đọc hay nhập gì. Hãy đính kèm lại tệp trong cửa sổ "
        "này; nếu vẫn lặp lại, hãy nhờ quản trị viên Slack kiểm tra ứng dụng còn quyền "
        "`files:read`.",
    ),
    "import.download_denied": (
        "Slack refused to hand over this file (HTTP {status}), so nothing was read or imported. "
        "Attach the file again in this window; if this repeats, ask your Slack admin to check "
        "that the app has the `files:read` permission.",
        "Slack từ chối trả tệp này (HTTP {status}) nên chưa đọc hay nhập gì. Hãy đính kèm lại "
        "tệp trong cửa sổ này; nếu vẫn lặp lại, hãy nhờ quản trị viên Slack kiểm tra ứng dụng "
        "có quyền `files:read`.",
    ),
    "import.download_failed": (
        "The download of this file from Slack failed. Try again in a minute.",
        "Tải tệp này từ Slack bị lỗi. Hãy thử lại sau một phút.",
    ),
    "import.no_file": (
        "Slack sent no file with the form. Attach the file again.",
        "Slack không gửi kèm tệp trong biểu mẫu. Hãy đính kèm lại tệp.",
    ),
    "import.staged_gone": (
        "This preview has expired (previews are kept for an hour) or was already imported. "
        "Run `/import` again.",
        "Bản xem trước này đã hết hạn (giữ trong một giờ) hoặc đã được nhập. Hãy chạy lại "
        "`/import`.",
    ),
    # The preview
    "import.preview.intro": ("*{source}* → {target}", "*{source}* → {target}"),
    "import.preview.target": (
        "`{connection}` campaign *{campaign}*",
        "`{connection}` chiến dịch *{campaign}*",
    ),
    "import.preview.target_crm": (
        "the CRM contacts of `{connection}`",
        "danh bạ CRM của `{connection}`",
    ),
    "import.preview.list": ("(list “{list_name}”)", "(danh sách “{list_name}”)"),
    "import.preview.counts": (
        "{rows} rows read · ✅ {valid} valid · ❌ {invalid} invalid · ♻️ {duplicates} repeated "
        "in the file",
        "Đã đọc {rows} dòng · ✅ {valid} hợp lệ · ❌ {invalid} không hợp lệ · ♻️ {duplicates} "
        "trùng trong tệp",
    ),
    "import.preview.columns": (
        "Columns recognised: phone = *{phone}*, name = *{name}*, other fields: {fields}",
        "Các cột nhận ra: số điện thoại = *{phone}*, họ tên = *{name}*, trường khác: {fields}",
    ),
    "import.preview.no_header": (
        "No header row: the first column is read as the phone, the second as the name.",
        "Không có dòng tiêu đề: cột đầu được đọc là số điện thoại, cột thứ hai là họ tên.",
    ),
    "import.preview.fields_none": ("none", "không có"),
    "import.preview.invalid_title": (
        "*Rows that will not be imported*",
        "*Các dòng sẽ không được nhập*",
    ),
    "import.preview.invalid_row": (
        "Line {line}: `{value}` — {reason}",
        "Dòng {line}: `{value}` — {reason}",
    ),
    "import.preview.invalid_field_row": (
        "Line {line}: {phone}, `{value}` — {reason}",
        "Dòng {line}: {phone}, `{value}` — {reason}",
    ),
    "import.preview.more_invalid": (
        "…and {count} more. Every rejected row is listed, with its reason, in a CSV after the "
        "import.",
        "…và {count} dòng khác. Mọi dòng bị từ chối sẽ có trong tệp CSV kèm lý do sau khi nhập.",
    ),
    "import.preview.duplicate_title": (
        "*Repeated phones (sent once)*",
        "*Số điện thoại lặp lại (chỉ gửi một lần)*",
    ),
    "import.preview.duplicate_row": (
        "Line {line}: {phone}, already on line {first}",
        "Dòng {line}: {phone}, đã có ở dòng {first}",
    ),
    "import.preview.nothing_valid": (
        "No row of this list can be imported. Correct the rows listed above and upload it again.",
        "Không dòng nào trong danh sách này nhập được. Hãy sửa các dòng nêu trên rồi tải lên lại.",
    ),
    "import.preview.confirm_hint": (
        "Press *Import* to send the {valid} valid contacts to {target}. Invalid and repeated "
        "rows are not sent.",
        "Bấm *Nhập* để gửi {valid} liên hệ hợp lệ tới {target}. Các dòng không hợp lệ và lặp lại "
        "sẽ không được gửi.",
    ),
    "import.preview.submit": ("Import", "Nhập"),
    "import.kind.csv": ("CSV file", "Tệp CSV"),
    "import.kind.txt": ("Text file", "Tệp văn bản"),
    "import.kind.xlsx": ("Excel workbook (first sheet)", "Tệp Excel (trang tính đầu)"),
    "import.kind.xls": (
        "Excel 97-2003 workbook (first sheet)",
        "Tệp Excel 97-2003 (trang tính đầu)",
    ),
    "import.kind.ods": (
        "OpenDocument spreadsheet (first sheet)",
        "Bảng tính OpenDocument (trang tính đầu)",
    ),
    "import.kind.paste": ("Pasted list", "Danh sách dán"),
    "import.delimiter.comma": ("separated by commas", "phân tách bằng dấu phẩy"),
    "import.delimiter.semicolon": ("separated by semicolons", "phân tách bằng dấu chấm phẩy"),
    "import.delimiter.tab": ("separated by tabs", "phân tách bằng tab"),
    # Progress and results
    "import.progress.rate_limited": (
        "⏳ Waiting {seconds} s: `{connection}` asked us to slow down (its rate limit). Sending "
        "goes on by itself.",
        "⏳ Đang chờ {seconds} giây: `{connection}` yêu cầu gửi chậm lại (giới hạn tốc độ). "
        "Việc gửi sẽ tự tiếp tục.",
    ),
    "import.progress.processing": (
        "Alohub is adding the rows sent so far: {done} of {total}.",
        "Alohub đang thêm các dòng đã gửi: {done}/{total}.",
    ),
    "import.progress.alohub_counts": (
        "Alohub skipped {duplicates} phones already in the campaign and refused {failed}.",
        "Alohub bỏ qua {duplicates} số đã có trong chiến dịch và từ chối {failed} số.",
    ),
    "import.final.done": (
        "*{ref} finished*: ✅ {accepted} added · ❌ {rejected} rejected · ♻️ {duplicate} "
        "duplicates, of {total} rows.",
        "*{ref} đã xong*: ✅ {accepted} đã thêm · ❌ {rejected} bị từ chối · ♻️ {duplicate} trùng, "
        "trên tổng {total} dòng.",
    ),
    "import.final.done_rejected": (
        "*{ref}: ⚠️ done with rejections*: ✅ {accepted} added, ❌ {rejected} rejected — see "
        "the CSV in this thread for each row and its reason (♻️ {duplicate} duplicates, of "
        "{total} rows).",
        "*{ref}: ⚠️ xong nhưng có dòng bị từ chối*: ✅ {accepted} đã thêm, ❌ {rejected} bị từ "
        "chối — xem từng dòng và lý do trong tệp CSV ở luồng này (♻️ {duplicate} trùng, trên "
        "tổng {total} dòng).",
    ),
    "import.final.none_accepted": (
        "*{ref}: ❌ failed* — not one row was added to `{connection}`: ❌ {rejected} of {total} "
        "rows rejected. Main reasons: {reasons}. Correct the file and import it again; each "
        "rejected row and its reason is in the CSV in this thread.",
        "*{ref}: ❌ thất bại* — không dòng nào được thêm vào `{connection}`: ❌ {rejected}/{total} "
        "dòng bị từ chối. Lý do chính: {reasons}. Hãy sửa tệp rồi nhập lại; từng dòng bị từ chối "
        "kèm lý do có trong tệp CSV ở luồng này.",
    ),
    "import.final.failed": (
        "*{ref} stopped* with ✅ {accepted} of {total} rows added. Once the reason below is "
        "fixed, `/job retry {ref}` sends the rest.",
        "*{ref} đã dừng*, ✅ đã thêm {accepted}/{total} dòng. Khi đã khắc phục lý do bên dưới, "
        "`/job retry {ref}` sẽ gửi phần còn lại.",
    ),
    "import.final.cancelled": (
        "*{ref} cancelled*: ✅ {accepted} of {total} rows were added, counting what the "
        "provider already had at the cancel; {held} rows were held back and not sent.",
        "*Đã huỷ {ref}*: ✅ đã thêm {accepted}/{total} dòng, kể cả phần nhà cung cấp đã nhận "
        "trước khi huỷ; {held} dòng được giữ lại, không gửi.",
    ),
    "import.final.lost": (
        "*{ref}*: `{connection}` lost track of the import; ✅ {accepted} of {total} rows are "
        "confirmed. `/job retry {ref}` sends the rest again (Alohub skips phones it already has).",
        "*{ref}*: `{connection}` mất dấu lượt nhập; ✅ đã xác nhận {accepted}/{total} dòng. "
        "`/job retry {ref}` sẽ gửi lại phần còn lại (Alohub bỏ qua số đã có).",
    ),
    "import.final.running": ("*{ref}* is running.", "*{ref}* đang chạy."),
    "import.final.queued": ("*{ref}* is waiting to start.", "*{ref}* đang chờ bắt đầu."),
    "import.final.csv_note": (
        "The {count} rejected rows, each with its reason, are in the CSV in this thread.",
        "{count} dòng bị từ chối, kèm lý do từng dòng, có trong tệp CSV ở luồng này.",
    ),
    "import.csv.title": ("Rejected rows of {ref}", "Các dòng bị từ chối của {ref}"),
    "import.csv.line": ("line", "dòng"),
    "import.csv.phone": ("phone", "số điện thoại"),
    "import.csv.name": ("name", "họ tên"),
    "import.csv.reason": ("reason", "lý do"),
    "import.alohub_failed": (
        "`{connection}` stopped adding part of the list (the provider said: “{message}”). "
        "The rows it did not reach can be sent again safely.",
        "`{connection}` đã dừng thêm một phần danh sách (nhà cung cấp báo: “{message}”). "
        "Các dòng chưa được xử lý có thể gửi lại an toàn.",
    ),
    "import.retry_running": (
        "{ref} is still running. Wait until it ends, or cancel it first.",
        "{ref} vẫn đang chạy. Hãy chờ đến khi xong, hoặc huỷ trước.",
    ),
    # Why a row was not imported
    "phone.missing_phone": ("no phone number", "không có số điện thoại"),
    "phone.empty": ("no phone number", "không có số điện thoại"),
    "phone.not_a_number": ("not a phone number", "không phải số điện thoại"),
    "phone.too_short": ("too few digits for a phone number", "quá ít chữ số"),
    "phone.too_long": ("too many digits for a phone number", "quá nhiều chữ số"),
    "phone.invalid": (
        "not a valid Vietnamese phone number",
        "không phải số điện thoại Việt Nam hợp lệ",
    ),
    "phone.foreign": (
        "a foreign number (only Vietnamese numbers are imported)",
        "số nước ngoài (chỉ nhập số Việt Nam)",
    ),
    "import.reason.duplicate_in_file": (
        "the same phone as an earlier row of the file",
        "trùng số với một dòng trước trong tệp",
    ),
    "import.reason.invalid_phone": (
        "the provider refused this phone number",
        "nhà cung cấp từ chối số điện thoại này",
    ),
    "import.reason.all_invalid": (
        "the provider refused every phone number of this batch",
        "nhà cung cấp từ chối mọi số điện thoại của đợt gửi này",
    ),
    "import.reason.invalid_otp": (
        "otp_code must be 6 digits, from 000001 to 999999",
        "otp_code phải gồm 6 chữ số, từ 000001 đến 999999",
    ),
    # 200 is bot.hygiene.NAME_MAX (tests/test_hygiene.py checks they agree).
    "import.reason.name_too_long": (
        "the name is longer than 200 characters",
        "tên dài quá 200 ký tự",
    ),
    "import.reason.duplicate_in_request": (
        "the same phone as another row sent with it",
        "trùng số với một dòng gửi cùng đợt",
    ),
    "import.reason.rejected": (
        "the provider refused this row without saying why (on an OTP campaign: the otp_code "
        "is missing)",
        "nhà cung cấp từ chối dòng này mà không nêu lý do (với chiến dịch OTP: thiếu otp_code)",
    ),
    # /contact add
    "contact.add.title": ("Add contact", "Thêm liên hệ"),
    "contact.add.submit": ("Add", "Thêm"),
    "contact.field.phone": ("Phone number", "Số điện thoại"),
    "contact.field.phone_placeholder": ("0912345678", "0912345678"),
    "contact.field.name": ("Name", "Họ tên"),
    "contact.field.list": ("List id (Alohub only)", "Mã danh sách (chỉ Alohub)"),
    "contact.field.list_hint": (
        "Empty: the campaign's first list. See the lists with `/contact lists campaign=<id>`.",
        "Để trống: danh sách đầu tiên của chiến dịch. Xem các danh sách bằng "
        "`/contact lists campaign=<mã>`.",
    ),
    "contact.add.need_phone": (
        "Enter the phone number to add.",
        "Hãy nhập số điện thoại cần thêm.",
    ),
    "import.list_name_too_long": (
        "That list name has {length} characters; a list name can have at most {limit}. "
        "Type a shorter one.",
        "Tên danh sách dài {length} ký tự; tối đa {limit} ký tự. Hãy nhập tên ngắn hơn.",
    ),
    "contact.add.name_too_long": (
        "That name has {length} characters; a name can have at most {limit}. Nothing was "
        "added: type a shorter name.",
        "Tên này dài {length} ký tự; tên tối đa {limit} ký tự. Chưa thêm gì: hãy nhập tên "
        "ngắn hơn.",
    ),
    "contact.add.bad_phone": (
        "`{value}` cannot be added: {reason}.",
        "Không thêm được `{value}`: {reason}.",
    ),
    "contact.add.bad_list": (
        "`{value}` is not a list id: list ids are numbers (see `/contact lists campaign=<id>`).",
        "`{value}` không phải mã danh sách: mã danh sách là số "
        "(xem `/contact lists campaign=<mã>`).",
    ),
    "contact.add.list_alohub_only": (
        "Lists exist only on Alohub: leave the list empty for `{connection}`.",
        "Chỉ Alohub có danh sách: hãy để trống mục danh sách với `{connection}`.",
    ),
    "contact.add.added": (
        "✅ Added {who} to campaign *{campaign}* on `{connection}`{detail}.",
        "✅ Đã thêm {who} vào chiến dịch *{campaign}* trên `{connection}`{detail}.",
    ),
    "contact.add.detail_id": (" (id `{id}`)", " (mã `{id}`)"),
    "contact.add.detail_note": (" — the provider said: “{note}”", " — nhà cung cấp báo: “{note}”"),
    "contact.add.created_crm": (
        "✅ Created the contact {who} in the CRM of `{connection}` (id `{id}`).",
        "✅ Đã tạo liên hệ {who} trong CRM của `{connection}` (mã `{id}`).",
    ),
    "contact.add.rejected": (
        "❌ `{connection}` did not add {who}: {reason}.",
        "❌ `{connection}` không thêm {who}: {reason}.",
    ),
    # Cancel and retry of a job (``/job cancel``, ``/job retry``)
    "job.cancel.headline": (
        "⏹ *{ref} is cancelled*: {held} rows were held back; none of them will be sent.",
        "⏹ *Đã huỷ {ref}*: giữ lại {held} dòng chưa gửi; các dòng này sẽ không được gửi đi.",
    ),
    "job.cancel.chunk": ("#{number} ({rows} rows)", "#{number} ({rows} dòng)"),
    "job.cancel.at_alohub": (
        "{rows} rows were already handed to Alohub's bulk import and cannot be stopped there: "
        "chunk {chunks}. Alohub goes on adding them; this message's card shows them as they "
        "finish.",
        "{rows} dòng đã được giao cho chức năng nhập hàng loạt của Alohub và không dừng được: "
        "đợt {chunks}. Alohub vẫn tiếp tục thêm các dòng này; thẻ bên dưới cập nhật khi xong.",
    ),
    "job.cancel.in_flight": (
        "{rows} rows were already on their way to `{connection}` and cannot be called back: "
        "request {chunks}. What `{connection}` answers for them is recorded.",
        "{rows} dòng đã trên đường tới `{connection}` và không gọi lại được: yêu cầu {chunks}. "
        "Kết quả `{connection}` trả về cho các dòng này vẫn được ghi nhận.",
    ),
    "job.cancel.nothing_handed": (
        "Nothing was on its way to `{connection}` at that moment.",
        "Lúc huỷ không có dòng nào đang được gửi tới `{connection}`.",
    ),
    "job.cancel.retry": (
        "`/job retry {ref}` sends the held-back rows, if you want them after all.",
        "Nếu vẫn cần, `/job retry {ref}` sẽ gửi các dòng đã giữ lại.",
    ),
    "job.cancel.no_retry": (
        "Every row had already been handed over, so there is nothing left to send again.",
        "Mọi dòng đều đã được giao đi, nên không còn dòng nào để gửi lại.",
    ),
    "job.cancel.finished": (
        "{ref} has already ended ({state}); there is nothing to cancel. `/job {ref}` shows "
        "its card.",
        "{ref} đã kết thúc ({state}); không còn gì để huỷ. `/job {ref}` hiển thị thẻ của lượt "
        "nhập.",
    ),
    "import.csv.title_retry": (
        "Rows rejected by the retry of {ref}",
        "Các dòng bị từ chối trong lần gửi lại {ref}",
    ),
}
