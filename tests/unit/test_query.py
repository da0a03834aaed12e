"""Tests for the query language parser and its canonical formatting."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.errors import QueryError
from desk.query import Query, Term, format_query, parse

FIELDS = {
    "status": "status",
    "st": "status",
    "priority": "priority",
    "p": "priority",
    "assignee": "assignee",
    "tag": "tag",
    "client": "client",
    "kind": "kind",
    "due": "due",
    "text": "text",
}


def shapes(query: Query) -> list[tuple[str, str, tuple[str, ...], bool]]:
    """The terms of a query without their positions."""
    return [(term.field, term.op, term.values, term.negated) for term in query.terms]


def parse_error(text: str, fields: dict[str, str] = FIELDS) -> QueryError:
    """The QueryError that parsing `text` raises."""
    with pytest.raises(QueryError) as caught:
        parse(text, fields)
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status:open", [("status", ":", ("open",), False)]),
        ("ST:Open", [("status", ":", ("Open",), False)]),
        ("priority:urgent,high", [("priority", ":", ("urgent", "high"), False)]),
        ("p:high", [("priority", ":", ("high",), False)]),
        ('client:"acme corp"', [("client", ":", ("acme corp",), False)]),
        ('client:"a,b",c', [("client", ":", ("a,b", "c"), False)]),
        ('client:""', [("client", ":", ("",), False)]),
        ("due<today", [("due", "<", ("today",), False)]),
        ("due<=today", [("due", "<=", ("today",), False)]),
        ("due>+3d", [("due", ">", ("+3d",), False)]),
        ("due>=-3d", [("due", ">=", ("-3d",), False)]),
        ('due<"2026-12-01 14:00"', [("due", "<", ("2026-12-01 14:00",), False)]),
        ("client:a:b", [("client", ":", ("a:b",), False)]),
        ("@me", [("assignee", ":", ("me",), False)]),
        ("@ann,bob", [("assignee", ":", ("ann", "bob"), False)]),
        ('@"Ann Lee"', [("assignee", ":", ("Ann Lee",), False)]),
        ("#billing", [("tag", ":", ("billing",), False)]),
        ("-#spam", [("tag", ":", ("spam",), True)]),
        ("-@me", [("assignee", ":", ("me",), True)]),
        ("-status:done", [("status", ":", ("done",), True)]),
        ("printer", [("text", ":", ("printer",), False)]),
        ("a,b", [("text", ":", ("a,b",), False)]),
        ("-word", [("text", ":", ("word",), True)]),
        ('"printer jam"', [("text", ":", ("printer jam",), False)]),
        ('-"exact phrase"', [("text", ":", ("exact phrase",), True)]),
        ('"http://x"', [("text", ":", ("http://x",), False)]),
        (r'"say \"hi\" \\ C:\temp"', [("text", ":", ('say "hi" \\ C:\\temp',), False)]),
        ("  status:open \t #x  ", [("status", ":", ("open",), False), ("tag", ":", ("x",), False)]),
        ("", []),
    ],
)
def test_each_syntax_form(text: str, expected: list[tuple[str, str, tuple[str, ...], bool]]):
    assert shapes(parse(text, FIELDS)) == expected


def test_full_example():
    text = (
        "status:open priority:urgent,high @me #billing client:acme kind:query due<today "
        'due:week -#spam "printer jam"'
    )
    assert shapes(parse(text, FIELDS)) == [
        ("status", ":", ("open",), False),
        ("priority", ":", ("urgent", "high"), False),
        ("assignee", ":", ("me",), False),
        ("tag", ":", ("billing",), False),
        ("client", ":", ("acme",), False),
        ("kind", ":", ("query",), False),
        ("due", "<", ("today",), False),
        ("due", ":", ("week",), False),
        ("tag", ":", ("spam",), True),
        ("text", ":", ("printer jam",), False),
    ]


def test_positions_of_terms_and_values():
    query = parse('st:open -p:"high" -@me #x "a b" word due<=1', FIELDS)
    positions = [(term.start, term.value_start) for term in query.terms]
    assert positions == [(0, 3), (8, 11), (18, 20), (23, 24), (26, 26), (32, 32), (37, 42)]


def test_query_keeps_text_and_reports_canonical_fields():
    query = parse("st:open p:high @me #x -#y word", FIELDS)
    assert query.text == "st:open p:high @me #x -#y word"
    assert query.fields() == {"status", "priority", "assignee", "tag", "text"}


def test_unicode_values_and_words():
    query = parse('client:"Müller & Söhne" 打印机 client:東京 «ok»', FIELDS)
    assert shapes(query) == [
        ("client", ":", ("Müller & Söhne",), False),
        ("text", ":", ("打印机",), False),
        ("client", ":", ("東京",), False),
        ("text", ":", ("«ok»",), False),
    ]


def test_unicode_whitespace_separates_terms():
    assert shapes(parse("a\u3000b\u00a0c", FIELDS)) == [
        ("text", ":", ("a",), False),
        ("text", ":", ("b",), False),
        ("text", ":", ("c",), False),
    ]


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ('status:"open', 7, "unterminated quote"),
        ('"printer jam', 0, "unterminated quote"),
        ('a -"x\\"', 3, "unterminated quote"),
        ("status:", 7, "missing value after 'status:'"),
        ("x St: y", 5, "missing value after 'St:'"),
        ("due<", 4, "missing value after 'due<'"),
        ("due>= x", 5, "missing value after 'due>='"),
        (":x", 0, "missing field name before ':'"),
        ("a -<=x", 3, "missing field name before '<'"),
        ("-", 0, "'-' must be followed by a term to exclude"),
        ("a - b", 2, "'-' must be followed by a term to exclude"),
        ("@", 0, "missing assignee after '@'"),
        ("x -@ y", 3, "missing assignee after '@'"),
        ("#", 0, "missing tag after '#'"),
        ("priority:high,,low", 14, "empty item in list"),
        ("priority:high,", 14, "empty item in list"),
        ("priority:,high", 9, "empty item in list"),
        ("@a,,b", 3, "empty item in list"),
        ("#,x", 1, "empty item in list"),
        ('"abc"def', 5, "unexpected text after closing quote"),
        ('status:"a"b', 10, "unexpected text after closing quote"),
        ('"a","b"', 3, "unexpected text after closing quote"),
        ('abc"def"', 3, "a quote must start a value; quote the whole value"),
        ('status:ab"c"', 9, "a quote must start a value; quote the whole value"),
        ("due<a,b", 5, "'<' takes a single value, not a list"),
        ("due>=,a", 5, "'>=' takes a single value, not a list"),
        ('due<"a",b', 7, "'<' takes a single value, not a list"),
        ("x priorty:high", 2, "unknown field 'priorty' (did you mean 'priority'?)"),
        ("-Stauts:open", 1, "unknown field 'Stauts' (did you mean 'status'?)"),
        ("due<x klient>y", 6, "unknown field 'klient' (did you mean 'client'?)"),
    ],
)
def test_errors_point_at_the_offending_text(text: str, position: int, message: str):
    error = parse_error(text)
    assert (error.position, error.message) == (position, message)


def test_unknown_field_without_a_close_match_lists_the_fields():
    error = parse_error("http://example.com")
    assert error.position == 0
    assert error.message == (
        "unknown field 'http'; known fields: assignee, client, due, kind, priority, status, "
        "tag, text"
    )


def test_shorthands_need_their_canonical_fields():
    fields = {"status": "status"}
    assert (parse_error("x @me", fields).position, parse_error("x @me", fields).message) == (
        2,
        "unknown field 'assignee' (written '@')",
    )
    assert parse_error("-#a", fields).message == "unknown field 'tag' (written '#')"
    assert parse_error("-#a", fields).position == 1


def test_error_pointer_shows_a_caret_under_the_position():
    assert parse_error("st:open priorty:x").pointer() == "st:open priorty:x\n        ^"


@pytest.mark.parametrize(
    ("terms", "text"),
    [
        ([Term("status", ":", ("open", "new"), False, 0, 0)], "status:open,new"),
        ([Term("assignee", ":", ("me",), True, 0, 0)], "-@me"),
        ([Term("tag", ":", ("a b",), False, 0, 0)], '#"a b"'),
        ([Term("tag", "<", ("x",), False, 0, 0)], "tag<x"),
        ([Term("text", ":", ("printer jam",), False, 0, 0)], '"printer jam"'),
        ([Term("text", ":", ("-x",), True, 0, 0)], '-"-x"'),
        ([Term("text", ":", ("@x",), False, 0, 0)], '"@x"'),
        ([Term("text", ":", ("a:b",), False, 0, 0)], '"a:b"'),
        ([Term("text", ":", ("a,b",), False, 0, 0)], "a,b"),
        ([Term("text", ":", ("a", "b"), False, 0, 0)], "text:a,b"),
        ([Term("client", ":", ("a,b", ""), False, 0, 0)], 'client:"a,b",""'),
        ([Term("client", ":", ('say "hi" \\',), False, 0, 0)], r'client:"say \"hi\" \\"'),
        ([Term("due", "<", ("=x",), False, 0, 0)], 'due<"=x"'),
        ([Term("due", ">=", ("-3d",), False, 0, 0)], "due>=-3d"),
        (
            [Term("status", ":", ("open",), False, 0, 0), Term("text", ":", ("é",), True, 0, 0)],
            "status:open -é",
        ),
    ],
)
def test_format_query_writes_canonical_text(terms: list[Term], text: str):
    query = Query("", tuple(terms))
    assert format_query(query) == text
    assert shapes(parse(text, FIELDS)) == shapes(query)


def test_format_query_uses_canonical_names():
    query = parse('ST:open P:"a b" -#x "y z"', FIELDS)
    assert format_query(query) == 'status:open priority:"a b" -#x "y z"'


STORABLE = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)))
"""Any text desk stores: no NUL, no lone surrogate (desk.text refuses those by name)."""


@st.composite
def terms(draw: st.DrawFn) -> Term:
    """Any term the parser could produce, with positions left at zero."""
    field = draw(st.sampled_from(sorted(set(FIELDS.values()))))
    op = draw(st.sampled_from([":", "<", "<=", ">", ">="]))
    count = draw(st.integers(1, 3)) if op == ":" else 1
    values = tuple(draw(st.lists(STORABLE, min_size=count, max_size=count)))
    return Term(field, op, values, draw(st.booleans()), 0, 0)


# The first st.text() of a run builds Hypothesis's Unicode tables, which is slow on a cold cache.
COLD_CACHE = settings(suppress_health_check=[HealthCheck.too_slow])


@COLD_CACHE
@given(st.lists(terms(), max_size=5))
def test_format_then_parse_gives_the_same_terms(generated: list[Term]):
    query = Query("", tuple(generated))
    assert shapes(parse(format_query(query), FIELDS)) == shapes(query)


QUERYISH = st.lists(st.sampled_from([*'ab :<>=,"\\-@#\t\u3000é中', "st", "due"])).map("".join)


@COLD_CACHE
@given(st.one_of(st.text(), QUERYISH))
def test_parse_returns_a_query_or_raises_query_error(text: str):
    try:
        query = parse(text, FIELDS)
    except QueryError as error:
        assert 0 <= error.position <= len(text)
        assert error.query == text
    else:
        assert query.text == text
        assert all(0 <= term.start <= term.value_start < len(text) for term in query.terms)
        assert shapes(parse(format_query(query), FIELDS)) == shapes(query)
