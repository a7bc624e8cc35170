"""Sentences of the checks that keep a command from changing live calling by accident.

A repeated or ignored option, a queue change that moves real callers (confirmed first),
a contact already in the list or the CRM, a delete that cannot happen.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Options (every command)
    "usage.repeated_option": (
        "`{option}=` is given more than once ({values}); I will not guess which one you meant, "
        "so nothing was sent. Type it once.",
        "Tuỳ chọn `{option}=` được nhập nhiều lần ({values}); tôi không đoán bạn muốn giá trị "
        "nào nên chưa gửi gì. Hãy nhập một lần.",
    ),
    "usage.option_not_used": (
        "`{connection}` ({provider}) does not use `{option}=`, so it would be ignored; nothing "
        "was sent. Leave it out, or send to a connection that uses it: {able}.",
        "`{connection}` ({provider}) không dùng `{option}=`, tuỳ chọn này sẽ bị bỏ qua nên chưa "
        "gửi gì. Hãy bỏ tuỳ chọn đó, hoặc gửi tới kết nối có dùng nó: {able}.",
    ),
    "contact.add.campaign_not_used": (
        "`{connection}` ({provider}) adds CRM contacts, which belong to no campaign: leave the "
        "campaign empty, or pick a connection that calls campaigns.",
        "`{connection}` ({provider}) thêm liên hệ vào CRM, không thuộc chiến dịch nào: hãy để "
        "trống ô chiến dịch, hoặc chọn kết nối gọi theo chiến dịch.",
    ),
    # Queue changes that move real callers
    "queue.confirm.text": (
        "Apply this change to queue {name}? Nothing has changed yet.",
        "Áp dụng thay đổi này cho hàng chờ {name}? Chưa có gì thay đổi.",
    ),
    "queue.confirm.title": (
        "This change to queue *{name}* (`{id}`) on `{connection}` affects real callers. "
        "Nothing is changed until you press *Apply the change*:",
        "Thay đổi này cho hàng chờ *{name}* (`{id}`) trên `{connection}` ảnh hưởng tới khách "
        "đang gọi vào. Chưa có gì thay đổi cho tới khi bạn bấm *Áp dụng thay đổi*:",
    ),
    "queue.confirm.this_queue": ("this queue", "hàng chờ này"),
    "queue.confirm.apply": ("Apply the change", "Áp dụng thay đổi"),
    "queue.confirm.keep": ("Keep it as it is", "Giữ nguyên"),
    "queue.confirm.cancelled": (
        "Nothing was changed: queue {name} (`{id}`) stays as it was.",
        "Không có gì thay đổi: hàng chờ {name} (`{id}`) vẫn giữ nguyên.",
    ),
    "queue.meaning.strategy.3": (
        "Blacklist: Alohub applies its blacklist to calls into {number}, and callers on that "
        "list are refused. Check who is on the blacklist in the Alohub dashboard before applying.",
        "Danh sách chặn: Alohub áp dụng danh sách chặn cho cuộc gọi vào {number}, người gọi có "
        "trong danh sách sẽ bị từ chối. Hãy xem ai đang trong danh sách chặn trên trang quản trị "
        "Alohub trước khi áp dụng.",
    ),
    "queue.meaning.strategy.4": (
        "Divert: calls into {number} no longer reach the queue's agents; Alohub sends them to "
        "the divert destination set in its dashboard. Check that destination before applying.",
        "Chuyển hướng: cuộc gọi vào {number} không còn tới nhân viên của hàng chờ này; Alohub "
        "chuyển chúng tới đích chuyển hướng cài trên trang quản trị. Hãy kiểm tra đích đó trước "
        "khi áp dụng.",
    ),
    "queue.meaning.strategy.99": (
        "Suspended: the queue is locked, so customers calling {number} are not put through to "
        "its agents until an admin sets the queue back to normal or VIP.",
        "Tạm khoá: hàng chờ bị khoá, khách gọi vào {number} sẽ không được nối tới nhân viên cho "
        "tới khi quản trị viên đặt lại loại thường hoặc VIP.",
    ),
    "queue.meaning.wait": (
        "Callers to {number} may be kept waiting up to {wait} for an agent — more than 10 "
        "minutes. Alohub's documentation sets no limit, so check this is the number you meant.",
        "Khách gọi vào {number} có thể phải chờ nhân viên tới {wait} — hơn 10 phút. Tài liệu "
        "Alohub không đặt giới hạn, vì vậy hãy kiểm tra đây đúng là con số bạn muốn.",
    ),
    # Deleting a campaign contact
    "contact.delete.not_found": (
        "There is no contact `{id}` in campaign {campaign}; nothing was deleted. See the "
        "contacts and their ids with `/contact lists campaign={campaign}` and then "
        "`/contact list campaign={campaign} list=<listId>`.",
        "Không có liên hệ `{id}` trong chiến dịch {campaign}; chưa xoá gì. Xem các liên hệ và "
        "mã của chúng bằng `/contact lists campaign={campaign}` rồi "
        "`/contact list campaign={campaign} list=<mã danh sách>`.",
    ),
    "contact.delete.refused": (
        "Contact `{id}` ({phone} · {name}) cannot be deleted: its status is {status}. Alohub "
        "deletes only contacts still waiting to be called; nothing was changed.",
        "Không xoá được liên hệ `{id}` ({phone} · {name}): trạng thái là {status}. Alohub chỉ "
        "xoá liên hệ còn đang chờ gọi; chưa có gì thay đổi.",
    ),
    # Adding a phone that is already there
    "contact.add.already_in_list": (
        "{phone} is already in list “{list}” of campaign {campaign} on `{connection}` (contact "
        "`{id}` · {name} · {status}), so nothing was added and it will not be there twice. To "
        "put it in another list, add `list=<listId>`.",
        "{phone} đã có trong danh sách “{list}” của chiến dịch {campaign} trên `{connection}` "
        "(liên hệ `{id}` · {name} · {status}), nên chưa thêm gì và số này không bị trùng. Để "
        "đưa vào danh sách khác, thêm `list=<mã danh sách>`.",
    ),
    "contact.add.crm_exists.text": (
        "The CRM already has {phone}; nothing was added.",
        "CRM đã có số {phone}; chưa thêm gì.",
    ),
    "contact.add.crm_exists": (
        "The CRM of `{connection}` already has {phone}: *{existing}* (id `{id}`). Nothing was "
        "added, so there is still one contact for this phone.",
        "CRM của `{connection}` đã có số {phone}: *{existing}* (mã `{id}`). Chưa thêm gì, nên "
        "số này vẫn chỉ có một liên hệ.",
    ),
    "contact.add.crm_same": (
        "See it with `/contact show {id}`.",
        "Xem liên hệ bằng `/contact show {id}`.",
    ),
    "contact.add.crm_no_ref": (
        "It has no refId, which the CRM needs to update a contact: change it in OMICall, or see "
        "it with `/contact show {id}`.",
        "Liên hệ này chưa có refId, mà CRM cần refId để cập nhật: hãy sửa trên OMICall, hoặc "
        "xem bằng `/contact show {id}`.",
    ),
    "contact.add.crm_offer": (
        "Press *Update the existing contact* to change its name from *{existing}* to *{name}*.",
        "Bấm *Cập nhật liên hệ đã có* để đổi tên từ *{existing}* thành *{name}*.",
    ),
    "contact.add.crm_update_button": ("Update the existing contact", "Cập nhật liên hệ đã có"),
    "contact.add.crm_updated": (
        "✅ Updated the CRM contact {phone} (id `{id}`) on `{connection}`: its name is now "
        "*{name}*. No second contact was created.",
        "✅ Đã cập nhật liên hệ {phone} (mã `{id}`) trong CRM của `{connection}`: tên mới là "
        "*{name}*. Không tạo thêm liên hệ thứ hai.",
    ),
}
