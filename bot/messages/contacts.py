"""Sentences of /contact (find, show, note, lists, list, delete) and phone reasons."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "usage.contact.find": (
        "`/contact find <phone|email|keyword>`",
        "`/contact find <số điện thoại|email|từ khoá>`",
    ),
    "usage.contact.find.example": ("`/contact find 0912345678`", "`/contact find 0912345678`"),
    "usage.contact.show": ("`/contact show <contactId>`", "`/contact show <mã khách hàng>`"),
    "usage.contact.show.example": ("`/contact show 6650f1c2`", "`/contact show 6650f1c2`"),
    "usage.contact.note": (
        "`/contact note <phone> <text…>`",
        "`/contact note <số điện thoại> <nội dung…>`",
    ),
    "usage.contact.note.example": (
        "`/contact note 0912345678 Customer asked to be called after 5pm`",
        "`/contact note 0912345678 Khách hẹn gọi lại sau 17h`",
    ),
    "usage.contact.lists": ("`/contact lists campaign=<id>`", "`/contact lists campaign=<mã>`"),
    "usage.contact.lists.example": (
        "`/contact lists campaign=101`",
        "`/contact lists campaign=101`",
    ),
    "usage.contact.list": (
        "`/contact list campaign=<id> list=<listId> [page=N|export]`",
        "`/contact list campaign=<mã> list=<mã danh sách> [page=N|export]`",
    ),
    "usage.contact.list.example": (
        "`/contact list campaign=101 list=501`",
        "`/contact list campaign=101 list=501`",
    ),
    "usage.contact.delete": (
        "`/contact delete <contactId> campaign=<id>`",
        "`/contact delete <mã liên hệ> campaign=<mã>`",
    ),
    "usage.contact.delete.example": (
        "`/contact delete 88001 campaign=101`",
        "`/contact delete 88001 campaign=101`",
    ),
    "contact.need_campaign": (
        "Tell me which campaign with `campaign=<id>`.",
        "Hãy cho biết chiến dịch bằng `campaign=<mã>`.",
    ),
    "contact.bad_campaign": (
        "`{value}` is not an Alohub campaign id: Alohub campaign ids are numbers, e.g. 1042.",
        "`{value}` không phải mã chiến dịch Alohub: mã chiến dịch Alohub là số, ví dụ 1042.",
    ),
    "contact.need_list": (
        "Tell me which list with `list=<listId>` (see `/contact lists campaign={campaign}`).",
        "Hãy cho biết danh sách bằng `list=<mã>` (xem `/contact lists campaign={campaign}`).",
    ),
    "contact.bad_contact_id": (
        "`{value}` is not a contact id; contact ids are numbers (see `/contact list`).",
        "`{value}` không phải mã liên hệ; mã liên hệ là số (xem `/contact list`).",
    ),
    "contact.bad_phone": (
        "`{value}` is not a phone number I can use: {reason}.",
        "`{value}` không phải số điện thoại dùng được: {reason}.",
    ),
    "contact.find.text": ("{count} contacts match “{query}”", "{count} khách hàng khớp “{query}”"),
    "contact.find.title": (
        "*Contacts matching “{query}”* on `{connection}`:",
        "*Khách hàng khớp “{query}”* trên `{connection}`:",
    ),
    "contact.find.row": (
        "*{name}* · #{id}\n📞 {phones} · ✉️ {emails}",
        "*{name}* · #{id}\n📞 {phones} · ✉️ {emails}",
    ),
    "contact.find.none": (
        "No contact on `{connection}` matches “{query}”. "
        "Try part of the name, the phone or the email.",
        "Không có khách hàng nào trên `{connection}` khớp “{query}”. "
        "Thử một phần tên, số điện thoại hoặc email.",
    ),
    "contact.find.hint": (
        "Open a card with `/contact show <id>`.",
        "Mở thẻ khách hàng bằng `/contact show <mã>`.",
    ),
    "contact.show.text": ("Contact {name}", "Khách hàng {name}"),
    "contact.show.id": ("Contact id `{id}`", "Mã khách hàng `{id}`"),
    "contact.show.hint": (
        "Add a note with `/contact note {phone} <text>`.",
        "Thêm ghi chú bằng `/contact note {phone} <nội dung>`.",
    ),
    "contact.no_name": ("(no name)", "(chưa có tên)"),
    "contact.field.phones": ("Phones", "Số điện thoại"),
    "contact.field.emails": ("Emails", "Email"),
    "contact.field.owner": ("Owner", "Người phụ trách"),
    "contact.field.ref": ("Customer ref", "Mã tham chiếu"),
    "contact.field.birthday": ("Birthday", "Ngày sinh"),
    "contact.field.gender": ("Gender", "Giới tính"),
    "contact.field.address": ("Address", "Địa chỉ"),
    "contact.field.tags": ("Tags", "Nhãn"),
    "contact.field.note": ("Note", "Ghi chú"),
    "contact.find.too_long": (
        "That search has {length} characters; search for at most {limit} (a phone, an email "
        "or part of a name).",
        "Nội dung tìm kiếm dài {length} ký tự; chỉ tìm tối đa {limit} ký tự (số điện thoại, "
        "email hoặc một phần tên).",
    ),
    "contact.note.too_long": (
        "That note has {length} characters; a note can have at most {limit}. Nothing was "
        "saved: shorten it, or split it into several `/contact note` commands.",
        "Ghi chú này dài {length} ký tự; mỗi ghi chú tối đa {limit} ký tự. Chưa lưu gì: hãy "
        "rút gọn, hoặc chia thành nhiều lệnh `/contact note`.",
    ),
    "contact.gender.male": ("male", "nam"),
    "contact.gender.female": ("female", "nữ"),
    "contact.gender.other": ("other", "khác"),
    "contact.note.done": (
        "📝 Note added to {phone} (by {by}).",
        "📝 Đã thêm ghi chú cho {phone} (bởi {by}).",
    ),
    "contact.note.by_unknown": (
        "the bot; your email is not shared",
        "bot; email của bạn không được chia sẻ",
    ),
    "contact.lists.text": (
        "{count} contact lists in campaign {campaign}",
        "{count} danh sách trong chiến dịch {campaign}",
    ),
    "contact.lists.title": (
        "*Contact lists of campaign {campaign}* on `{connection}`:",
        "*Danh sách liên hệ của chiến dịch {campaign}* trên `{connection}`:",
    ),
    "contact.lists.row": (
        "• *{name}* · #{id} — {count} contacts",
        "• *{name}* · #{id} — {count} liên hệ",
    ),
    "contact.lists.none": (
        "Campaign {campaign} on `{connection}` has no contact lists yet. "
        "Import one with `/import`.",
        "Chiến dịch {campaign} trên `{connection}` chưa có danh sách nào. Nhập bằng `/import`.",
    ),
    "contact.lists.more": (
        "…and {count} more lists not shown here; ask an admin to tidy the campaign.",
        "…và {count} danh sách khác không hiển thị ở đây; hãy nhờ quản trị viên dọn chiến dịch.",
    ),
    "contact.lists.hint": (
        "See a list's contacts with `/contact list campaign={campaign} list=<id>`.",
        "Xem liên hệ của một danh sách bằng `/contact list campaign={campaign} list=<mã>`.",
    ),
    "contact.list.text": (
        "{count} contacts in list {list}",
        "{count} liên hệ trong danh sách {list}",
    ),
    "contact.list.title": (
        "*List {list}* of campaign {campaign} on `{connection}`:",
        "*Danh sách {list}* của chiến dịch {campaign} trên `{connection}`:",
    ),
    "contact.list.row": (
        "`{id}` · {phone} · {name} · {status} · last call: {call}",
        "`{id}` · {phone} · {name} · {status} · cuộc gọi gần nhất: {call}",
    ),
    "contact.list.none": (
        "List {list} of campaign {campaign} has no contacts on this page.",
        "Danh sách {list} của chiến dịch {campaign} không có liên hệ ở trang này.",
    ),
    "contact.process.pending": ("⏳ waiting to be called", "⏳ chờ gọi"),
    "contact.process.in_call": ("📞 in a call", "📞 đang gọi"),
    "contact.process.processed": ("✅ called", "✅ đã gọi"),
    "contact.process.unknown": ("unknown status", "trạng thái không rõ"),
    "contact.delete.text": ("Delete contact {id}?", "Xoá liên hệ {id}?"),
    "contact.delete.question": (
        "Delete this contact from campaign {campaign} on `{connection}`?\n"
        "`{id}` · {phone} · {name} · {status} · list “{list}”",
        "Xoá liên hệ này khỏi chiến dịch {campaign} trên `{connection}`?\n"
        "`{id}` · {phone} · {name} · {status} · danh sách “{list}”",
    ),
    "contact.delete.button": ("Delete", "Xoá"),
    "contact.delete.confirm_title": ("Delete this contact?", "Xoá liên hệ này?"),
    "contact.delete.confirm_text": (
        "{phone} ({name}, contact {id}, {status}) will be removed from campaign {campaign} "
        "and will not be called.",
        "{phone} ({name}, liên hệ {id}, {status}) sẽ bị xoá khỏi chiến dịch {campaign} và sẽ "
        "không được gọi.",
    ),
    "contact.delete.done": (
        "🗑 Contact {id} was deleted from campaign {campaign}.",
        "🗑 Đã xoá liên hệ {id} khỏi chiến dịch {campaign}.",
    ),
    "contact.delete.not_pending": (
        "Contact {id} cannot be deleted: it is already being called or was called. Only contacts "
        "waiting to be called can be deleted.",
        "Không xoá được liên hệ {id}: liên hệ đang được gọi hoặc đã gọi xong. Chỉ xoá được liên hệ "
        "đang chờ gọi.",
    ),
}
