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
}
