"""Options typed twice, or given to a provider that does not use them, are refused in words."""

from __future__ import annotations

from tests.harness.signing import select_state, text_state
from tests.jobs.providers import at_provider
from tests.slack.conftest import ADMIN, Harness


def _sent(harness: Harness) -> int:
    return sum(len(harness.sandbox.requests(p)) for p in ("alohub", "vbee", "omicall"))


async def test_a_campaign_given_twice_is_refused_instead_of_the_last_one_winning(
    harness: Harness,
):
    before = _sent(harness)
    reply = await harness.reply("/contact", "add 0912345678 An campaign=101 campaign=102")
    text = reply["text"]
    assert "`campaign=` is given more than once (`campaign=101`, `campaign=102`)" in text, text
    assert "nothing was sent" in text and "Usage: `/contact add " in text
    assert _sent(harness) == before
    assert at_provider(harness.sandbox, "alohub-main", "102")["0912345678"] == 0


async def test_a_repeated_option_is_refused_on_every_command(harness: Harness):
    queue = next(iter(harness.sandbox.alohub.queues.values()))
    strategy = queue.strategy
    before = _sent(harness)
    reply = await harness.reply("/queue", f"set {queue.callinId} wait=60 wait=90", user=ADMIN)
    assert "`wait=` is given more than once (`wait=60`, `wait=90`)" in reply["text"]
    reply = await harness.reply("/contact", "find An via=crm via=crm")
    assert "`via=` is given more than once" in reply["text"]
    assert _sent(harness) == before and queue.strategy == strategy


async def test_a_campaign_given_to_omicall_is_refused_not_dropped(harness: Harness):
    before = _sent(harness)
    reply = await harness.reply("/contact", "add 0912345677 Trần Bình campaign=101 via=crm")
    text = reply["text"]
    assert "`crm` (omicall) does not use `campaign=`, so it would be ignored" in text, text
    assert "`via=alohub-main`" in text and "`via=vbee`" in text and "`via=aicc`" in text
    assert _sent(harness) == before
    assert at_provider(harness.sandbox, "crm")["0912345677"] == 0


async def test_a_list_given_to_vbee_is_refused_naming_the_connection_that_has_lists(
    harness: Harness,
):
    reply = await harness.reply("/contact", "add 0912345676 campaign=vbee-cmp-1 list=5 via=vbee")
    assert "`vbee` (vbee) does not use `list=`" in reply["text"]
    assert "`via=alohub-main`" in reply["text"]
    assert at_provider(harness.sandbox, "vbee", "vbee-cmp-1")["0912345676"] == 0


async def test_a_campaign_in_the_add_modal_for_omicall_is_shown_on_the_campaign_field(
    harness: Harness,
):
    before = _sent(harness)
    ack = await harness.slack.view_submission(
        "contact_add",
        {
            "connection": {"value": select_state("crm")},
            "campaign": {"value": text_state("101")},
            "phone": {"value": text_state("0912345675")},
            "name": {"value": text_state("Lê Chi")},
            "list": {"value": text_state(None)},
        },
        private_metadata=harness.sealed("contact_add", '{"channel": "C0OPS"}'),
    )
    assert ack.json_body["response_action"] == "errors"
    assert "belong to no campaign" in ack.json_body["errors"]["campaign"]
    assert _sent(harness) == before


async def test_a_campaign_given_to_an_omicall_import_is_refused(harness: Harness):
    reply = await harness.reply("/import", "campaign=101 via=crm")
    assert "`crm` (omicall) does not use `campaign=`" in reply["text"]
    assert not harness.fake.calls_to("views.open")
