"""Multi-row INSERTs of imports (desk.db.insert_tuples through desk.dialect's rows_statement
and run_rows), on SQLite and PostgreSQL: rows split over several statements all arrive with
the columns they return, and a statement the database refuses raises peewee's error and
leaves nothing behind."""

from __future__ import annotations

import peewee
import pytest

from desk import db as desk_db
from desk.models import Tag, database


def test_rows_over_several_statements_arrive_and_return_their_columns(db, monkeypatch):
    monkeypatch.setattr(desk_db, "BULK_PARAMETERS", 4)  # two rows of two columns a statement
    names = [f"bulk{n}" for n in range(7)]
    returned = desk_db.insert_tuples(Tag, ("name",), [(name,) for name in names],
                                     ("id", "name"))
    stored = dict(Tag.select(Tag.name, Tag.id).where(Tag.name.startswith("bulk")).tuples())
    assert sorted(returned) == sorted((tag_id, name) for name, tag_id in stored.items())
    assert sorted(stored) == names


def test_a_refused_row_raises_peewees_error_and_leaves_nothing(db):
    with pytest.raises(peewee.IntegrityError), database.atomic():
        desk_db.insert_tuples(Tag, ("name",), [("twice",), ("once",), ("twice",)])
    assert not Tag.select().where(Tag.name.in_(["twice", "once"])).exists()
