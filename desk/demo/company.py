"""The first stages of the demo: the agents and their teams, the spaces with their lists and
statuses, and the catalogue of checklist templates and products, through the services an
admin would use (`desk agents add`, new spaces and lists, `desk products add`...)."""

from __future__ import annotations

from datetime import timedelta

from desk.demo.context import Demo
from desk.errors import NotFound
from desk.kernel import agents
from desk.work import checklists, orders, workspace


def agents_and_teams(demo: Demo) -> None:
    """The admin plus six demo agents (one viewer), in four teams; each joined the desk
    between 200 and 1000 days ago. An agent of the same name that exists already (the admin
    itself, say) keeps its role and joins the teams."""
    people = demo.content.workspace
    admin = demo.admin
    demo.agents[admin.username] = admin
    for spec in people.agents:
        joined = demo.now - timedelta(days=demo.rng.randint(200, 1000))
        try:
            demo.agents[spec.username] = agents.ref(agents.find(spec.username))
            agents.join_teams(admin, spec.username, spec.teams, now=joined)
        except NotFound:
            demo.agents[spec.username] = agents.add(
                admin, spec.username, spec.role, spec.name, f"{spec.email}@{people.domain}",
                spec.teams, now=joined)
    agents.join_teams(admin, admin.username, people.admin_teams, now=demo.now)


def spaces_and_lists(demo: Demo) -> None:
    """Support, Sales, Finance and Internal with their lists and statuses."""
    for space in demo.content.workspace.spaces:
        workspace.create_space(demo.admin, space.name)
        for spec in space.lists:
            created = workspace.create_list(demo.admin, space.name, spec.name, spec.statuses)
            demo.add_list(spec.name, created.id, spec.team)


def catalogue(demo: Demo) -> None:
    """Checklist templates with nested items, and the products that use them (a template is
    not tied to a list: every task of the Orders list would get it)."""
    content = demo.content.catalogue
    for name, items in content.templates.items():
        checklists.create_template(demo.admin, name, items)
    for product in content.products:
        orders.create_product(demo.admin, product.name, product.kind, product.price,
                              product.template)
