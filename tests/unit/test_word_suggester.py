"""The completion of the last word typed, as the tag prompts offer it."""

from __future__ import annotations

import asyncio

import pytest

from desk.screens.widgets.word_suggester import WordSuggester

TAGS = ("billing", "bills", "printer", "vip", "VPN")


@pytest.mark.parametrize(("value", "expected"), [
    ("bil", "billing"),
    ("vip bil", "vip billing"),
    ("vip, pri", "vip, printer"),
    ("-pri", "-printer"),
    ("#Bi", "#Billing"),  # the typed part keeps its spelling
    ("vp", "vpN"),
    ("billing bil", "billing bills"),  # a word already typed is not offered again
    ("billing", None),  # complete already
    ("vip ", None),  # nothing typed of the next word
    ("zzz", None),
    ("", None),
    ("-", None),
])
def test_the_last_word_completes_to_the_first_known_word_it_starts(value, expected):
    assert asyncio.run(WordSuggester(TAGS).get_suggestion(value)) == expected
