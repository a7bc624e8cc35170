"""Pages past the end: a sentence with where the pages end, and a button back."""

from __future__ import annotations

import json

from bot.messages import Messages
from bot.providers.pagination import Page
from bot.render.pager import past_the_end

MSG = Messages("en")


def test_the_first_page_or_a_page_with_items_is_not_past_the_end():
    assert past_the_end(MSG, "/queue", "list", Page([], 0, 10, total=0), None) is None
    assert past_the_end(MSG, "/queue", "list", Page([1], 3, 10), None) is None


def test_past_the_end_with_a_known_total_offers_the_last_page():
    section, pager = past_the_end(MSG, "/queue", "list", Page([], 8, 10, total=25), "a")
    assert section["text"]["text"] == "There is no page 9: 25 in all, on 3 pages."
    (button,) = pager["elements"]
    assert button["text"]["text"] == "Last page" and json.loads(button["value"])["page"] == 2


def test_past_the_end_without_a_total_offers_the_first_page():
    section, pager = past_the_end(MSG, "/contact", "find x", Page([], 4, 10), "crm")
    assert section["text"]["text"] == "There is nothing on page 5. Go back to the first page."
    (button,) = pager["elements"]
    assert button["text"]["text"] == "First page" and json.loads(button["value"])["page"] == 0
