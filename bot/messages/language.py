"""Sentences of ``/callops language``: each person's language, and each channel's."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "usage.callops.language": (
        "`/callops language [vi|en|auto]`",
        "`/callops language [vi|en|auto]`",
    ),
    "usage.callops.language.example": (
        "`/callops language vi`",
        "`/callops language en`",
    ),
    "usage.callops.language_channel": (
        "`/callops language channel vi|en|default`",
        "`/callops language channel vi|en|default`",
    ),
    "usage.callops.language_channel.example": (
        "`/callops language channel vi`",
        "`/callops language channel vi`",
    ),
    # Each language by its own name: a reader finds theirs whatever they read now.
    "language.name.en": ("English", "English"),
    "language.name.vi": ("Tiếng Việt", "Tiếng Việt"),
    "language.bad_value": (
        "`{value}` is not a language I speak: choose `vi` (Tiếng Việt) or `en` (English).",
        "Tôi không dùng ngôn ngữ `{value}`: hãy chọn `vi` (Tiếng Việt) hoặc `en` (English).",
    ),
    "language.settings": (
        "*Your language:* {user} ({user_source}): my replies only you see, forms and "
        "your App Home.\n"
        "*This channel:* {channel} ({channel_source}): posts everyone here sees (job progress "
        "and results, summaries, alerts).\n"
        "Change yours with `/callops language vi|en` (`auto`: follow your Slack language); "
        "an admin sets the channel's with `/callops language channel vi|en`.",
        "*Ngôn ngữ của bạn:* {user} ({user_source}): các trả lời chỉ bạn thấy, biểu mẫu và "
        "App Home của bạn.\n"
        "*Kênh này:* {channel} ({channel_source}): các tin mọi người trong kênh đều thấy (tiến "
        "độ và kết quả job, tổng hợp, cảnh báo).\n"
        "Đổi ngôn ngữ của bạn bằng `/callops language vi|en` (`auto`: theo ngôn ngữ Slack của "
        "bạn); quản trị viên đặt ngôn ngữ của kênh bằng `/callops language channel vi|en`.",
    ),
    "language.source.chosen": ("you chose it", "bạn đã chọn"),
    "language.source.locale": (
        "your Slack language, `{locale}`",
        "theo ngôn ngữ Slack của bạn, `{locale}`",
    ),
    "language.source.default": (
        "the workspace default, `language:` in callops.yml",
        "mặc định của workspace, `language:` trong callops.yml",
    ),
    "language.source.channel_chosen": ("set by an admin", "do quản trị viên đặt"),
    "language.set.user": (
        "Done: I answer you in {language} from now on. To follow your "
        "Slack language again: `/callops language auto`.",
        "Xong: từ giờ tôi trả lời bạn bằng {language}. Để theo lại ngôn ngữ Slack của bạn: "
        "`/callops language auto`.",
    ),
    "language.set.user_auto": (
        "Done: I answer you in your Slack language again when it is Vietnamese or English, "
        "else in the workspace's ({language} for now).",
        "Xong: tôi lại trả lời bạn theo ngôn ngữ Slack của bạn khi đó là tiếng Việt hoặc "
        "tiếng Anh, nếu không thì theo mặc định của workspace ({language} lúc này).",
    ),
    "language.set.channel": (
        "Done: what everyone sees in {channel} (job progress and results, summaries, alerts) "
        "is in {language} from now on. Replies only one person sees follow that person's "
        "language (`/callops language`).",
        "Xong: từ giờ các tin mọi người trong {channel} đều thấy (tiến độ và kết quả job, tổng "
        "hợp, cảnh báo) dùng {language}. Các trả lời chỉ một người thấy theo ngôn ngữ của "
        "người đó (`/callops language`).",
    ),
    "language.set.channel_default": (
        "Done: what everyone sees in {channel} is in the workspace default again ({language}).",
        "Xong: các tin mọi người trong {channel} đều thấy lại dùng mặc định của workspace "
        "({language}).",
    ),
}
