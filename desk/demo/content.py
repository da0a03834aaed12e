"""What the demo is made of: the packaged data files of Brightline IT's workspace, read.

The content lives in desk/demo/data/*.yaml (agents, spaces and lists; clients; the catalogue;
the support desk; hand-written tasks and series; the words generated tasks are drawn from).
`load()` reads them once into frozen records (Structs); a file that does not fit its record
fails loudly (a TypeError naming the unknown or missing field), since the files ship with
desk and are not user input. `ADMIN` in them stands for the agent passed to
`desk.demo.build`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from msgspec import Struct

from desk.config import read_yaml

ADMIN = "@admin"  # stands for the agent passed to build() in the data files
CURRENCY = "GBP"
"""The currency the demo's prices and retainers are written in (its clients are British; the
shipped money.currency is the same)."""


class AgentSpec(Struct, frozen=True):
    """A demo agent: user name, full name, e-mail local part, role and teams."""

    username: str
    name: str
    email: str
    role: str
    teams: tuple[str, ...] = ()


class ListSpec(Struct, frozen=True):
    """A list: its name, its (status, category) pairs in order, the team that works it."""

    name: str
    statuses: tuple[tuple[str, str], ...]
    team: str | None = None


class SpaceSpec(Struct, frozen=True):
    """A space and its lists, in sidebar order."""

    name: str
    lists: tuple[ListSpec, ...]


class Workspace(Struct, frozen=True):
    """The company, its people and the shape of its workspace."""

    company: str
    domain: str
    agents: tuple[AgentSpec, ...]
    admin_teams: tuple[str, ...]
    support_agents: tuple[str, ...]
    fulfilment_agents: tuple[str, ...]
    managers: tuple[str, ...]
    flows: dict[str, tuple[tuple[str, str], ...]]  # named status flows the lists use
    spaces: tuple[SpaceSpec, ...]


class ClientSpec(Struct, frozen=True):
    """A hand-written client (kind client: retainer, manager, requirements) or customer."""

    kind: str
    name: str
    email: str
    phone: str
    stage: str
    contact: str = ""
    manager: str | None = None
    retainer: tuple[str, str] | None = None  # (amount, cycle)
    cadence: int | None = None
    tags: tuple[str, ...] = ()
    confidential: bool = False
    referrer: str | None = None
    birthday_in_days: int | None = None
    lapsed: bool = False
    quiet_days: int | None = None
    needs: tuple[str, ...] = ()
    note: str = ""


class Clientele(Struct, frozen=True):
    """The clients and customers, and what their year of interactions is drawn from."""

    clients: tuple[ClientSpec, ...]
    lead_scores: dict[str, tuple[int, int]]
    titles: tuple[str, ...]
    interaction_kinds: dict[str, int]
    summaries: dict[str, tuple[str, ...]]
    topics: tuple[str, ...]


class ProductSpec(Struct, frozen=True):
    """A product or service of the catalogue, with how the demo orders it."""

    name: str
    kind: str
    price: Decimal
    template: str | None
    weight: int
    note: str
    quantity: tuple[int, int] | None = None


class Catalogue(Struct, frozen=True):
    """Checklist templates, products, and the demo's orders by status."""

    templates: dict[str, list[Any]]  # nested items as checklists.create_template takes them
    products: tuple[ProductSpec, ...]
    order_statuses: dict[str, int]
    order_ages: dict[str, tuple[int, int]]
    vip_discount: Decimal


class QuerySpec(Struct, frozen=True):
    """A support query: subject, the requester's message, our first reply, tags, and the
    client it always comes from (else one is drawn)."""

    subject: str
    message: str
    reply: str
    tags: tuple[str, ...] = ()
    client: str | None = None


class Support(Struct, frozen=True):
    """The support desk's queries and what their conversations are made of."""

    queries: tuple[QuerySpec, ...]
    statuses: dict[str, int]
    ages: dict[str, tuple[int, int]]
    due_hours: dict[str, int]
    priorities: dict[str, int]
    channels: dict[str, int]
    csat_scores: dict[int, int]
    csat_comments: dict[int, tuple[str, ...]]
    requesters: tuple[tuple[str, str], ...]  # (name, e-mail)
    follow_ups: tuple[str, ...]
    chasers: tuple[str, ...]
    asks: tuple[str, ...]
    thanks: tuple[str, ...]
    closing: str
    notes: tuple[str, ...]


class TaskSpec(Struct, frozen=True):
    """A hand-written task; `due` is in days from the demo's today, subtasks are (title,
    status) pairs."""

    title: str
    list: str
    status: str
    priority: str
    client: str | None = None
    assignee: str | None = None
    tags: tuple[str, ...] = ()
    due: int | None = None
    description: str = ""
    subtasks: tuple[tuple[str, str], ...] = ()


class SeriesSpec(Struct, frozen=True):
    """A recurring series: its task's title, list and description, the rule, who does it."""

    title: str
    list: str
    rule: str
    assignee: str
    description: str


class Generated(Struct, frozen=True):
    """What the top-up's generated tasks are drawn from."""

    span_days: int
    writers: tuple[str, ...]
    tags: tuple[str, ...]
    lists: dict[str, int]
    categories: dict[str, int]
    estimates: tuple[int, ...]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    suffixes: tuple[str, ...]
    descriptions: tuple[str, ...]


class Content(Struct, frozen=True):
    """Everything the demo is made of."""

    workspace: Workspace
    clientele: Clientele
    catalogue: Catalogue
    support: Support
    tasks: tuple[TaskSpec, ...]
    series: tuple[SeriesSpec, ...]
    generated: Generated


@cache
def load() -> Content:
    """The demo's content, read from the packaged data files (once per process)."""
    workspace, clients, catalogue = _read("workspace"), _read("clients"), _read("catalogue")
    support, work, generated = _read("support"), _read("tasks"), _read("generated")
    return Content(
        workspace=_workspace(workspace),
        clientele=_clientele(clients),
        catalogue=_catalogue(catalogue),
        support=_support(support),
        tasks=tuple(_task(entry) for entry in work["tasks"]),
        series=tuple(SeriesSpec(**entry) for entry in work["series"]),
        generated=Generated(**{name: _frozen(value) for name, value in generated.items()}),
    )


def _read(name: str) -> dict[str, Any]:
    """One data file as YAML data."""
    text = files("desk.demo").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")
    return read_yaml(text)[0]


def _frozen(value: Any) -> Any:
    """Lists as tuples, all the way down (mappings stay mappings)."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _workspace(data: dict[str, Any]) -> Workspace:
    """The workspace file: flows are named once and used by the lists."""
    flows = {name: _frozen(pairs) for name, pairs in data.pop("flows").items()}
    spaces = tuple(
        SpaceSpec(space["name"], tuple(
            ListSpec(entry["name"], flows[entry["flow"]], entry.get("team"))
            for entry in space["lists"]))
        for space in data.pop("spaces"))
    agents = tuple(AgentSpec(**_frozen(entry)) for entry in data.pop("agents"))
    return Workspace(agents=agents, flows=flows, spaces=spaces,
                     **{name: _frozen(value) for name, value in data.items()})


def _clientele(data: dict[str, Any]) -> Clientele:
    """The clients file."""
    clients = []
    for entry in data["clients"]:
        entry = _frozen(entry)
        retainer = entry.pop("retainer", None)
        if retainer is not None:
            entry["retainer"] = (retainer["amount"], retainer["cycle"])
        clients.append(ClientSpec(**entry))
    interactions = data["interactions"]
    return Clientele(
        clients=tuple(clients), lead_scores=_frozen(data["lead_scores"]),
        titles=_frozen(data["titles"]), interaction_kinds=interactions["kinds"],
        summaries=_frozen(interactions["summaries"]), topics=_frozen(interactions["topics"]))


def _catalogue(data: dict[str, Any]) -> Catalogue:
    """The catalogue file (prices as Decimal)."""
    products = []
    for entry in data["products"]:
        entry = _frozen(entry)
        entry["price"] = Decimal(entry["price"])
        products.append(ProductSpec(**entry))
    orders = data["orders"]
    return Catalogue(templates=data["templates"], products=tuple(products),
                     order_statuses=orders["statuses"], order_ages=_frozen(orders["ages"]),
                     vip_discount=Decimal(orders["vip_discount"]))


def _support(data: dict[str, Any]) -> Support:
    """The support file."""
    data = _frozen(data)
    data["queries"] = tuple(QuerySpec(**entry) for entry in data["queries"])
    data["requesters"] = tuple((entry["name"], entry["email"]) for entry in data["requesters"])
    return Support(**data)


def _task(entry: dict[str, Any]) -> TaskSpec:
    """One hand-written task."""
    entry = _frozen(entry)
    entry["subtasks"] = tuple((sub["title"], sub["status"]) for sub in entry.get("subtasks", ()))
    return TaskSpec(**entry)
