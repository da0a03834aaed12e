"""The product and service catalogue, and the typed data of a task of kind order."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    Check,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
)

from desk.models.base import BaseModel, one_of
from desk.models.checklists import ChecklistTemplate
from desk.models.tasks import Task
from desk.vocabulary import PRODUCT_KINDS


class Product(BaseModel):
    """An entry of the product and service catalogue."""

    name = CharField(unique=True, max_length=200)
    kind = CharField(max_length=8, default="service", constraints=[one_of("kind", PRODUCT_KINDS)])
    unit_price = DecimalField(max_digits=12, decimal_places=2, default=0)
    active = BooleanField(default=True)
    checklist_template = ForeignKeyField(ChecklistTemplate, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)


class OrderData(BaseModel):
    """The typed order data of a task of kind order: the total is quantity × unit price less
    the discount (a loyalty reward redeemed on it)."""

    task = ForeignKeyField(Task, primary_key=True, backref="order_data", on_delete="CASCADE")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    quantity = IntegerField(constraints=[Check("quantity > 0")])
    unit_price = DecimalField(max_digits=12, decimal_places=2)
    total = DecimalField(max_digits=14, decimal_places=2)
    discount = DecimalField(max_digits=14, decimal_places=2, default=0)
    fulfilled_at = DateTimeField(null=True)
    invoiced_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("product",), False),)
