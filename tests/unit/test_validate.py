"""The one validator behind the config, the automation rules and the themes: YAML data read into
msgspec Structs, with mistakes named by dotted key and said in desk's words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import pytest
from msgspec import Meta, field

from desk.config import (
    Check,
    Invalid,
    MissingKey,
    Section,
    SettingProblem,
    UnknownKey,
    convert,
    line_of,
    read_yaml,
)
from desk.config.validate import refuse_unknown


def _even(value: int) -> None:
    """A check of the tests' own: an even number."""
    if value % 2:
        raise ValueError(f"expected an even number, got {value}")


def _no_blank_tags(tags: list[str]) -> None:
    """A check that points inside its value: the first blank tag."""
    for index, tag in enumerate(tags):
        if not tag.strip():
            raise SettingProblem((index,), f"tag {index + 1} is blank")


class _Inner(Section):
    """A nested section."""

    level: Literal["low", "high"] = "low"
    pairs: Annotated[int, Check(_even)] = 2


class _Extra(Section):
    """A section with every kind of field."""

    ratio: float = 1.0
    enabled: bool = False
    tags: Annotated[list[str], Check(_no_blank_tags)] = field(default_factory=list)
    count: Annotated[int, Meta(ge=0)] = 0
    share: Annotated[float, Meta(ge=0, le=1)] | None = None
    day: date | None = None
    inner: _Inner = field(default_factory=_Inner)
    named: dict[str, _Inner] = field(default_factory=dict)


class _Required(Section):
    """A section with a key that must be there."""

    name: str
    note: str = ""


def mistake(data: object, schema: object = _Extra, path: tuple = ()) -> Invalid:
    """The Invalid `convert` raises for `data`."""
    with pytest.raises(Invalid) as caught:
        convert(data, schema, path)
    return caught.value


def test_values_are_read_into_the_section() -> None:
    data = {"ratio": 2, "enabled": True, "tags": ["a", "b"], "day": date(2026, 12, 25),
            "inner": {"level": "high", "pairs": 4}, "named": {"x.y": {"level": "high"}}}
    assert convert(data, _Extra) == _Extra(
        ratio=2.0, enabled=True, tags=["a", "b"], day=date(2026, 12, 25),
        inner=_Inner("high", 4), named={"x.y": _Inner("high")})


def test_empty_values_are_empty_sections_lists_and_mappings() -> None:
    assert convert(None, _Extra) == _Extra()
    assert convert({"tags": None, "inner": None, "named": None, "share": None}, _Extra) == _Extra()


@pytest.mark.parametrize(("data", "text"), [
    ({"tags": ["a", 3]}, "extra.tags[1]: expected text, got 3"),
    ({"enabled": 1}, "extra.enabled: expected true or false, got 1"),
    ({"count": True}, "extra.count: expected a whole number, got true"),
    ({"count": -1}, "extra.count: expected a whole number of at least 0, got -1"),
    ({"share": 2}, "extra.share: expected a number from 0 to 1, got 2"),
    ({"share": "half"}, "extra.share: expected a number, got 'half'"),
    ({"day": "2026-12-25"}, "extra.day: expected a date written 2026-12-25 (not in quotes), "
                            "got '2026-12-25'"),
    ({"day": datetime(2026, 12, 25, 9)}, "extra.day: expected a date written 2026-12-25 "
                                         "(not in quotes), got 2026-12-25 09:00:00"),
    ({"inner": {"level": "mid"}}, "extra.inner.level: expected one of low, high; got 'mid'"),
    ({"inner": "high"}, "extra.inner: expected a mapping of settings (key: value), got 'high'"),
    ({"named": {"a.b": {"level": 3}}}, "extra.named.a.b.level: expected one of low, high; "
                                       "got 3"),
    ({"named": {1: {}}}, "extra.named: expected text keys, got 1"),
    ({"named": ["a"]}, "extra.named: expected a mapping (key: value), got a list"),
])
def test_a_wrong_value_is_named_by_its_dotted_key(data: dict, text: str) -> None:
    assert mistake(data, path=("extra",)).text == text


def test_the_first_mistake_in_the_order_of_the_file_is_reported() -> None:
    invalid = mistake({"ratio": "x", "enabled": "y"})
    assert (invalid.path, invalid.text) == (("ratio",), "ratio: expected a number, got 'x'")


def test_an_unknown_key_suggests_the_closest_dotted_from_where_reading_began() -> None:
    invalid = mistake({"inner": {"levle": "low"}}, path=("extra",))
    assert isinstance(invalid, UnknownKey)
    assert invalid.text == "unknown key 'inner.levle' (did you mean 'inner.level'?)"
    assert (invalid.path, invalid.at_key, invalid.name) == (("extra", "inner", "levle"), True,
                                                           "levle")
    assert invalid.hint == "did you mean 'inner.level'?"


def test_an_unknown_key_without_a_close_match_lists_the_keys() -> None:
    assert mistake({"inner": {"colour": 1}}).text == (
        "unknown key 'inner.colour' (expected one of level, pairs)")


def test_a_missing_key_names_its_section() -> None:
    invalid = mistake([{"name": "a"}, {"note": "b"}], list[_Required], ("people",))
    assert isinstance(invalid, MissingKey)
    assert (invalid.path, invalid.name) == (("people", 1), "name")
    assert invalid.text == "people[1]: missing the key 'name'"


def test_checks_run_on_values_that_fit_the_type() -> None:
    assert mistake({"inner": {"pairs": 3}}).text == (
        "inner.pairs: expected an even number, got 3")


def test_a_check_can_point_inside_its_value_and_still_name_the_setting() -> None:
    invalid = mistake({"tags": ["a", " "]})
    assert (invalid.path, invalid.text) == (("tags", 1), "tags: tag 2 is blank")


def test_refuse_unknown_names_the_key_on_its_own() -> None:
    with pytest.raises(UnknownKey) as caught:
        refuse_unknown({"title": "x", "titel": "y"}, ("title", "list"),
                       ("do", 0, "create_task"))
    assert caught.value.path == ("do", 0, "create_task", "titel")
    assert caught.value.message == "unknown key 'titel' (did you mean 'title'?)"


def test_the_line_of_a_mistake_is_found_in_the_yaml() -> None:
    text = "# extra\nratio: 2\ninner:\n  level: low\n\n  pairs: 5\n"
    data, root = read_yaml(text)
    invalid = mistake(data)
    assert line_of(root, invalid.path, at_key=invalid.at_key) == 6
    data, root = read_yaml("ratio: 2\ninner:\n  lvl: low\n")
    invalid = mistake(data)
    assert line_of(root, invalid.path, at_key=invalid.at_key) == 3
