"""Cross-sell: a product that clients of the same kind often buy with one this client bought.

The database counts, over every client's orders, how many clients of each kind bought each
product and each pair of products (a client counts once per product, however many orders).
A client who bought X but never Y is offered Y when at least `cross_sell_min_clients`
clients of its kind bought both, and they are at least `cross_sell_min_share` percent of
those of its kind who bought X: "3 of 5 clients who bought X also bought Y". Each client gets
one cross-sell: the pair with the highest share, then the most clients, then by product name.
Churned clients are left to the win-back rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from peewee import CTE, Expression, fn

from desk.automation.suggestions.base import Rule, Scope, Suggestion, clients, digest
from desk.models import Client, OrderData, Product, Task


def ordered() -> Expression:
    """The tasks with order data: walked from the order data, which is a small part of the
    tasks (SQLite would otherwise walk every task with a client)."""
    return Task.id.in_(OrderData.select(OrderData.task)) & (Task.kind == "order")


def bought(name: str) -> CTE:
    """A CTE `name` of (client, product, client kind): every product a client ordered, once."""
    return (Task.select(Task.client, OrderData.product, Client.kind)
            .join(OrderData, on=OrderData.task == Task.id)
            .switch(Task).join(Client, on=Task.client == Client.id)
            .where(ordered()).distinct().cte(name, columns=("client_id", "product_id", "kind")))


def counts() -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], list[tuple[int, int]]]]:
    """The clients of each kind who bought each product, and for each (kind, product X)
    the products Y bought by the same clients with how many of them bought both: one query,
    the rows joined to themselves (a product paired with itself counts its buyers)."""
    pairs, other = bought("bought"), bought("other")  # the same rows, joined to themselves
    query = (pairs.select_from(pairs.c.kind, pairs.c.product_id, other.c.product_id,
                               fn.COUNT(pairs.c.client_id))
             .join(other, on=other.c.client_id == pairs.c.client_id)
             .with_cte(pairs, other)
             .group_by(pairs.c.kind, pairs.c.product_id, other.c.product_id))
    buyers: dict[tuple[str, int], int] = {}
    both: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for kind, first, second, count in query.tuples():
        if first == second:
            buyers[kind, first] = count
        else:
            both[kind, first].append((second, count))
    return buyers, both


def find(scope: Scope) -> Iterator[Suggestion]:
    """One cross-sell per client who qualifies, from the counts and the clients' products."""
    settings = scope.settings
    buyers, both = counts()
    if not both:
        return
    owned: dict[int, set[int]] = defaultdict(set)
    query = (Task.select(Task.client, OrderData.product)
             .join(OrderData, on=OrderData.task == Task.id)
             .where(ordered(), Task.client.is_null(False)).distinct())
    if scope.client_id is not None:
        query = query.where(Task.client == scope.client_id)
    for client_id, product_id in query.tuples():
        owned[client_id].add(product_id)
    if not owned:
        return
    targets = {client_id: (name, manager, kind) for client_id, name, manager, kind in
               clients(scope, Client.kind).where(Client.lifecycle_stage != "churned",
                                                 Client.id.in_(list(owned))).tuples()}
    names = dict(Product.select(Product.id, Product.name).tuples())
    for client_id, products in owned.items():
        if client_id not in targets:  # archived or churned
            continue
        name, manager, kind = targets[client_id]
        offers = [(count / buyers[kind, first], count, names[second], first, second)
                  for first in products for second, count in both.get((kind, first), ())
                  if second not in products and count >= settings.cross_sell_min_clients
                  and count * 100 >= settings.cross_sell_min_share * buyers[kind, first]]
        if not offers:
            continue
        share, count, offer, first, second = min(
            offers, key=lambda o: (-o[0], -o[1], o[2], names[o[3]]))
        total = buyers[kind, first]
        plural = "clients" if kind == "client" else "customers"
        yield Suggestion(
            client_id=client_id, client=name, rule="cross_sell", subject=f"product-{second}",
            reason=f"{count} of {total} {plural} who bought {names[first]} also bought {offer}",
            facts=(("Bought", names[first]), ("Not yet bought", offer),
                   ("Of its kind", f"{count} of {total} {plural} who bought {names[first]} "
                                   f"also bought {offer} ({share:.0%})")),
            why_now=f"At least {settings.cross_sell_min_clients} {plural} and "
                    f"{settings.cross_sell_min_share}% of those who bought {names[first]} "
                    "also bought it (suggestions.cross_sell_min_clients, "
                    "cross_sell_min_share).",
            when=scope.today, title=f"Offer {offer} to {name}", due=scope.today,
            assignee=manager, fingerprint=digest(first, second))


RULE = Rule("cross_sell", "products clients of the same kind often buy together", find)
