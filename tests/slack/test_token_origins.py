"""The bot token goes to Slack's file host over https, or exactly to SLACK_API_URL's origin."""

from __future__ import annotations

import pytest

from bot.chat import DownloadRefused
from bot.slack.origins import allowed_origins, token_url

PRODUCTION = allowed_origins("https://slack.com/api/")
FAKE = allowed_origins("http://127.0.0.1:8123/api/")


@pytest.mark.parametrize(
    ("url", "sent_to"),
    [
        ("https://files.slack.com/files-pri/T1-F1/download/a.csv", "files.slack.com"),
        ("https://FILES.SLACK.COM./files-pri/T1-F1/a.csv", "files.slack.com"),
        ("https://Files.Slack.Com:443/files-pri/T1-F1/a.csv", "files.slack.com"),
        ("https://slack.com/files-pri/T1-F1/download/a.csv", "slack.com"),
    ],
)
def test_slack_file_urls_may_carry_the_token_with_the_host_normalized(url: str, sent_to: str):
    target = token_url(url, PRODUCTION)
    assert target.scheme == "https" and target.host == sent_to
    assert target.port is None and target.userinfo == b""


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("http://files.slack.com/files-pri/T1-F1/a.csv", "http://files.slack.com"),
        ("https://files.slack.com:8443/files-pri/T1-F1/a.csv", "https://files.slack.com:8443"),
        ("https://files.slack.com@evil.example/x", "https://evil.example"),
        ("https://files.slack.com\\@evil.example/x", "https://evil.example"),
        ("https://user:pw@files.slack.com/files-pri/T1-F1/a.csv", "https://files.slack.com"),
        ("https://files.slack.com.evil.example/x", "https://files.slack.com.evil.example"),
        ("https://files.slack.com../x", "https://files.slack.com.."),
        ("https://files.slаck.com/x", "https://files.xn--slck-63d.com"),  # Cyrillic "а"
        ("https://files.xn--slck-63d.com/x", "https://files.xn--slck-63d.com"),
        ("https://ﬁles.slack.com/x", "https://ﬁles.slack.com/x"),  # "ﬁ" ligature: not a host
        ("https://slack-files.com/files-tmb/T1-F1/a.png", "https://slack-files.com"),
        ("https://evil.example/files-pri/T1-F1/a.csv", "https://evil.example"),
        ("file:///etc/passwd", "file://"),
        ("https:///x", "https://"),
    ],
)
def test_anything_else_is_refused_and_says_where_it_pointed(url: str, where: str):
    with pytest.raises(DownloadRefused) as refused:
        token_url(url, PRODUCTION)
    assert refused.value.args == (where,)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8123/files-pri/T1-F1/a.csv", True),
        ("http://127.0.0.1:8124/files-pri/T1-F1/a.csv", False),  # same host, other port
        ("https://127.0.0.1:8123/files-pri/T1-F1/a.csv", False),  # same host and port, other scheme
        ("http://localhost:8123/files-pri/T1-F1/a.csv", False),  # another name is another origin
        ("https://files.slack.com/files-pri/T1-F1/a.csv", True),
        ("http://files.slack.com/files-pri/T1-F1/a.csv", False),
    ],
)
def test_the_api_origin_is_matched_on_scheme_host_and_port(url: str, allowed: bool):
    try:
        token_url(url, FAKE)
    except DownloadRefused:
        assert not allowed
    else:
        assert allowed
