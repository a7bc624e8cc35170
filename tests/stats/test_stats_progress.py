"""Alohub campaign progress counted over contact lists."""

from __future__ import annotations

from dataclasses import dataclass

from bot.stats import CampaignProgress, ListProgress


@dataclass
class Contact:
    """Shaped like a client model that renamed the fields to snake_case."""

    process_status: int | None
    call_status: str | None = None


def test_counts_per_list_and_in_total_from_provider_dicts() -> None:
    progress = CampaignProgress()
    progress.add_all(
        [
            {"contactId": 1, "processStatus": 0, "callStatus": None},
            {"contactId": 2, "processStatus": 1, "callStatus": None},
            {"contactId": 3, "processStatus": 2, "callStatus": "ANSWERED"},
            {"contactId": 4, "processStatus": 2, "callStatus": "BUSY"},
        ],
        list_id=501,
        list_name="Khách hàng tháng 11",
    )
    progress.add({"processStatus": 2, "callStatus": "ANSWERED"}, list_id=502)
    first, second = progress.lists
    assert (first.list_id, first.name) == (501, "Khách hàng tháng 11")
    assert (first.pending, first.in_call, first.processed, first.total) == (1, 1, 2, 4)
    assert first.call_statuses == {"ANSWERED": 1, "BUSY": 1}
    assert first.processed_ratio == 0.5
    assert (second.list_id, second.name, second.processed) == (502, None, 1)
    total = progress.total
    assert (total.pending, total.in_call, total.processed, total.total) == (1, 1, 3, 5)
    assert total.call_statuses == {"ANSWERED": 2, "BUSY": 1}


def test_snake_case_models_and_unknown_status_are_counted() -> None:
    progress = CampaignProgress().add_all(
        [Contact(0), Contact(2, "NO_ANSWER"), Contact(7), Contact(None)], list_id="L"
    )
    (only,) = progress.lists
    assert (only.pending, only.processed, only.unknown, only.total) == (1, 1, 2, 4)
    assert only.call_statuses == {"NO_ANSWER": 1}


def test_empty_list_still_shows_with_no_ratio() -> None:
    progress = CampaignProgress()
    progress.for_list(9, "Rỗng")
    assert progress.lists == [ListProgress(9, "Rỗng")]
    assert progress.lists[0].processed_ratio is None
    assert progress.total.total == 0


def test_merge_adds_lists_without_changing_inputs() -> None:
    left = CampaignProgress().add_all([Contact(0), Contact(2, "ANSWERED")], list_id=1)
    right = CampaignProgress().add_all([Contact(2, "ANSWERED")], list_id=1)
    right.add(Contact(1), list_id=2)
    merged = left.merge(right)
    assert [(item.list_id, item.total) for item in merged.lists] == [(1, 3), (2, 1)]
    assert merged.lists[0].call_statuses == {"ANSWERED": 2}
    assert left.lists[0].total == 2
