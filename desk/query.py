"""The query language shared by the CLI and the TUI.

    status:open priority:urgent,high @me #billing client:acme due<today -#spam "printer jam"

Terms are separated by whitespace and all must hold; a leading `-` negates a term. A term is
`field:v1,v2` (any of the values), `field<v`, `field<=v`, `field>v` or `field>=v` (one value),
`@name` (assignee), `#tag` (tag), or a bare word or "quoted phrase" (free text). Values may be
double-quoted; inside quotes a backslash escapes `"` and `\\`. This module only reads syntax and
field names; a compiler elsewhere decides what the values mean.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from msgspec import Struct

from desk.errors import QueryError
from desk.text import unstorable, unstorable_message

MAX_LENGTH = 1000
"""The most characters a query may have: longer text is no query a person types."""
MAX_TERMS = 50
"""The most terms a query may have; each becomes a condition of one SQL statement."""
TEXT = "text"
ASSIGNEE = "assignee"
TAG = "tag"
_SIGILS = {"@": ASSIGNEE, "#": TAG}
_SIGIL_OF_FIELD = {field: sigil for sigil, field in _SIGILS.items()}
_QUOTE = '"'
_ESCAPE = "\\"
_NAME_ENDS = ':<>"'
_VALUE_ENDS = '",'
_TERM_STARTS = "-@#"
_STRAY_TEXT = "unexpected text after closing quote"
_INNER_QUOTE = "a quote must start a value; quote the whole value"


class Term(Struct, frozen=True):
    """One condition: `field op values`, excluded instead when `negated`.

    `start` is the offset of the whole term (its `-` included) in the query text and
    `value_start` the offset of its first value (an opening quote when quoted).
    """

    field: str
    op: str
    values: tuple[str, ...]
    negated: bool
    start: int
    value_start: int


class Query(Struct, frozen=True):
    """A parsed query: the text as typed and its terms in order."""

    text: str
    terms: tuple[Term, ...]

    def fields(self) -> set[str]:
        """The canonical field names the terms use."""
        return {term.field for term in self.terms}


def parse(text: str, fields: Mapping[str, str]) -> Query:
    """Parse `text` into a Query; raise QueryError pointing at the first mistake.

    `fields` maps every accepted spelling (lower case) to its canonical field name; `@` and `#`
    need the canonical names "assignee" and "tag". Free text always gets the field "text".
    """
    at = unstorable(text)
    if at >= 0:
        raise QueryError(unstorable_message(text[at], "a query"), text, at)
    if len(text) > MAX_LENGTH:
        raise QueryError(f"a query can have at most {MAX_LENGTH} characters", text, MAX_LENGTH)
    return Query(text, _Parser(text, fields).terms())


def format_query(query: Query) -> str:
    """Write `query` back as canonical text that parses to the same terms.

    Field terms are written with their canonical names, which must also be accepted spellings.
    """
    return " ".join(_format_term(term) for term in query.terms)


def _format_term(term: Term) -> str:
    """One term as canonical text."""
    sign = "-" if term.negated else ""
    if term.field == TEXT and term.op == ":" and len(term.values) == 1:
        return sign + _format_word(term.values[0])
    values = ",".join(format_value(value) for value in term.values)
    if term.op == ":" and term.field in _SIGIL_OF_FIELD:
        return f"{sign}{_SIGIL_OF_FIELD[term.field]}{values}"
    return f"{sign}{term.field}{term.op}{values}"


def _format_word(value: str) -> str:
    """Free text: bare when it reads back as one plain word, quoted otherwise."""
    if _has_special(value, _NAME_ENDS) or value[0] in _TERM_STARTS:
        return _quote(value)
    return value


def format_value(value: str) -> str:
    """A field value: bare when it reads back unchanged, quoted otherwise.

    A leading `=` is quoted so that `due<` followed by `=x` does not read back as `due<=x`.
    """
    if _has_special(value, _VALUE_ENDS) or value[0] == "=":
        return _quote(value)
    return value


def _has_special(value: str, specials: str) -> bool:
    """True when `value` is empty or holds whitespace or one of `specials`."""
    return not value or any(char.isspace() or char in specials for char in value)


def _quote(value: str) -> str:
    """`value` in double quotes, with backslashes and quotes escaped."""
    escaped = value.replace(_ESCAPE, _ESCAPE * 2).replace(_QUOTE, _ESCAPE + _QUOTE)
    return f"{_QUOTE}{escaped}{_QUOTE}"


def _unknown_field(name: str, fields: Mapping[str, str]) -> str:
    """The message for a field name that is not an accepted spelling."""
    close = difflib.get_close_matches(name.lower(), list(fields), n=1)
    if close:
        return f"unknown field {name!r} (did you mean {close[0]!r}?)"
    known = ", ".join(sorted(set(fields.values())))
    return f"unknown field {name!r}; known fields: {known}"


class _Parser:
    """Reads the terms of one query left to right; `pos` is the next unread offset."""

    def __init__(self, text: str, fields: Mapping[str, str]) -> None:
        self.text = text
        self.fields = fields
        self.pos = 0

    def terms(self) -> tuple[Term, ...]:
        """Every term of the text, in order."""
        terms = []
        while self._skip_space():
            if len(terms) == MAX_TERMS:
                raise self._error(f"a query can have at most {MAX_TERMS} terms", self.pos)
            terms.append(self._term())
        return tuple(terms)

    def _skip_space(self) -> bool:
        """Move past whitespace; True when another term follows."""
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        return self.pos < len(self.text)

    def _peek(self) -> str:
        """The next unread character, or "" at the end."""
        return self.text[self.pos : self.pos + 1]

    def _at_term_end(self) -> bool:
        """True at whitespace or the end of the text."""
        return self.pos >= len(self.text) or self.text[self.pos].isspace()

    def _error(self, message: str, position: int) -> QueryError:
        """A QueryError about this text at `position`."""
        return QueryError(message, self.text, position)

    def _term(self) -> Term:
        """One term, starting at a non-space character."""
        start = self.pos
        negated = self._peek() == "-"
        if negated:
            self.pos += 1
            if self._at_term_end():
                raise self._error("'-' must be followed by a term to exclude", start)
        if self._peek() == _QUOTE:
            return self._phrase(start, negated)
        if self._peek() in _SIGILS:
            return self._shorthand(start, negated)
        return self._word_or_field(start, negated)

    def _phrase(self, start: int, negated: bool) -> Term:
        """A quoted phrase of free text."""
        value_start = self.pos
        value = self._quoted()
        if not self._at_term_end():
            raise self._error(_STRAY_TEXT, self.pos)
        return Term(TEXT, ":", (value,), negated, start, value_start)

    def _shorthand(self, start: int, negated: bool) -> Term:
        """`@name,...` for the assignee or `#tag,...` for tags."""
        sigil = self._peek()
        field = self.fields.get(_SIGILS[sigil])
        if field is None:
            raise self._error(f"unknown field {_SIGILS[sigil]!r} (written {sigil!r})", self.pos)
        self.pos += 1
        if self._at_term_end():
            raise self._error(f"missing {field} after {sigil!r}", self.pos - 1)
        value_start = self.pos
        return Term(field, ":", self._values(), negated, start, value_start)

    def _word_or_field(self, start: int, negated: bool) -> Term:
        """A bare word of free text, or `field` followed by an operator and values."""
        name_start = self.pos
        while not self._at_term_end() and self._peek() not in _NAME_ENDS:
            self.pos += 1
        name = self.text[name_start : self.pos]
        if self._at_term_end():
            return Term(TEXT, ":", (name,), negated, start, name_start)
        if self._peek() == _QUOTE:
            raise self._error(_INNER_QUOTE, self.pos)
        return self._field_term(start, negated, name_start)

    def _field_term(self, start: int, negated: bool, name_start: int) -> Term:
        """The operator and values after the field name from `name_start` to `pos`."""
        name = self.text[name_start : self.pos]
        if not name:
            raise self._error(f"missing field name before {self._peek()!r}", name_start)
        field = self.fields.get(name.lower())
        if field is None:
            raise self._error(_unknown_field(name, self.fields), name_start)
        op = self._operator()
        if self._at_term_end():
            raise self._error(f"missing value after {name + op!r}", self.pos)
        value_start = self.pos
        values = self._values() if op == ":" else self._single_value(op)
        return Term(field, op, values, negated, start, value_start)

    def _operator(self) -> str:
        """One of `:`, `<`, `<=`, `>`, `>=`, read at `pos`."""
        op = self._peek()
        self.pos += 1
        if op != ":" and self._peek() == "=":
            op += "="
            self.pos += 1
        return op

    def _values(self) -> tuple[str, ...]:
        """A comma-separated list of one or more values."""
        values = [self._value()]
        while self._peek() == ",":
            self.pos += 1
            values.append(self._value())
        return tuple(values)

    def _single_value(self, op: str) -> tuple[str]:
        """The one value a comparison takes."""
        self._refuse_comma(op)
        value = self._value()
        self._refuse_comma(op)
        return (value,)

    def _refuse_comma(self, op: str) -> None:
        """Raise when a comma starts or continues a list after the comparison `op`."""
        if self._peek() == ",":
            raise self._error(f"{op!r} takes a single value, not a list", self.pos)

    def _value(self) -> str:
        """One value, quoted or bare, followed by a comma or the end of the term."""
        start = self.pos
        quoted = self._peek() == _QUOTE
        value = self._quoted() if quoted else self._bare()
        if self.pos == start:
            raise self._error("empty item in list", start)
        if quoted and not (self._at_term_end() or self._peek() == ","):
            raise self._error(_STRAY_TEXT, self.pos)
        return value

    def _bare(self) -> str:
        """An unquoted value: everything up to whitespace, a comma or the end of the text."""
        start = self.pos
        while not self._at_term_end() and self._peek() != ",":
            if self._peek() == _QUOTE:
                raise self._error(_INNER_QUOTE, self.pos)
            self.pos += 1
        return self.text[start : self.pos]

    def _quoted(self) -> str:
        """A double-quoted value starting at `pos`, with its escapes resolved."""
        opening = self.pos
        self.pos += 1
        chars = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == _QUOTE:
                return "".join(chars)
            if char == _ESCAPE and self._peek() in (_QUOTE, _ESCAPE):
                char = self._peek()
                self.pos += 1
            chars.append(char)
        raise self._error("unterminated quote", opening)
