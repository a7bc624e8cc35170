"""Test harness: a fake Slack Web API server and a client that sends signed Slack requests."""

from .fake_slack import DEFAULT_SCOPES, Call, Download, FakeSlack, SlackError, UploadedFile
from .signing import (
    AckResponse,
    SlackClient,
    files_state,
    new_trigger_id,
    number_state,
    radio_state,
    select_state,
    sign,
    text_state,
)

__all__ = [
    "DEFAULT_SCOPES",
    "AckResponse",
    "Call",
    "Download",
    "FakeSlack",
    "SlackClient",
    "SlackError",
    "UploadedFile",
    "files_state",
    "new_trigger_id",
    "number_state",
    "radio_state",
    "select_state",
    "sign",
    "text_state",
]
