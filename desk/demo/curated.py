"""The curated demo workspace: its hand-written content turned into rows, stage by stage.

The content is seed data, not user input: it is inserted with the models directly
(insert_many with explicit ids) while keeping the invariants the services keep (a task's
category is its status's, closed_at is set exactly while done or closed, version 1, positions
increase per list, order and query data only on tasks of that kind). Every date is relative
to `now` and every choice comes from one `random.Random(seed)`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.rrule import rrulestr
from peewee import Model, fn

from desk import sla
from desk.demo.content import (
    ADMIN,
    ADMIN_TEAMS,
    AGENTS,
    ASKS,
    BIRTHDAYS_SOON,
    CHASERS,
    CLIENT_TAGS,
    CLIENTS,
    CLOSING,
    CSAT_COMMENTS,
    DOMAIN,
    FOLLOW_UPS,
    FULFILMENT_AGENTS,
    INTERACTION_KINDS,
    INTERACTION_SUMMARIES,
    LEAD_SCORES,
    MANAGERS,
    NOTES,
    ORDER_STATUSES,
    PAST_CADENCE,
    PRIORITY_WEIGHTS,
    PRODUCTS,
    QUERIES,
    QUERY_AGES,
    QUERY_STATUSES,
    REQUESTERS,
    SERIES,
    SLA_HOURS,
    SPACES,
    SUPPORT_AGENTS,
    TASK_TAGS,
    TASKS,
    TEAMS,
    TEMPLATES,
    THANKS,
    TITLES,
    TOPICS,
    ClientSpec,
)
from desk.kernel.agents import AgentRef
from desk.models import (
    Activity,
    Agent,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Client,
    ClientTag,
    Comment,
    Interaction,
    OrderData,
    Product,
    QueryData,
    RecurringSeries,
    Space,
    Status,
    Tag,
    Task,
    TaskAssignee,
    TaskList,
    TaskTag,
    Team,
    TeamMember,
)
from desk.vocabulary import DONE_CATEGORIES

Progress = Callable[[str, int, int], None]  # progress(stage, done, total)

INSERT_CHUNK = 200  # rows per insert_many statement of the curated part


@dataclass
class _ClientInfo:
    """A client as built: its id, spec and the facts other stages use."""

    id: int
    spec: ClientSpec
    created_at: datetime
    acquired: date | None


class CuratedBuilder:
    """Builds the demo stage by stage; every random choice comes from one seeded generator."""

    def __init__(self, admin: AgentRef, seed: int, now: datetime, sla_rules: sla.Book,
                 progress: Progress | None) -> None:
        self.admin = admin
        self.rng = random.Random(seed)
        self.now = now
        self.sla_rules = sla_rules
        self.today = now.date()
        self.report: Progress = progress or (lambda stage, done, total: None)
        self.ids: dict[type[Model], int] = {}
        self.agent_ids: dict[str, int] = {}
        self.usernames: dict[int, str] = {}
        self.agent_names: dict[int, str] = {}
        self.team_ids: dict[str, int] = {}
        self.list_ids: dict[str, int] = {}
        self.list_teams: dict[str, str | None] = {}
        self.statuses: dict[str, dict[str, tuple[int, str]]] = {}
        self.positions: dict[int, int] = {}
        self.tag_ids: dict[str, int] = {}
        self.client_infos: list[_ClientInfo] = []
        self.by_name: dict[str, _ClientInfo] = {}
        self.products: dict[str, dict] = {}
        self.template_items: dict[str, list[tuple[int, int | None, str]]] = {}
        self.created: list[tuple[str, int, str, datetime, int | None]] = []
        self.interaction_rows: list[dict] = []
        self._reset_task_rows()

    # -- helpers --

    def next_id(self, model: type[Model]) -> int:
        """The next free id of a table (explicit ids let rows refer to each other up front)."""
        if model not in self.ids:
            self.ids[model] = (model.select(fn.MAX(model.id)).scalar() or 0) + 1
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def agent(self, username: str) -> int:
        """The id of a demo agent ("@admin" is the agent passed to build)."""
        return self.agent_ids[self.admin.username if username == ADMIN else username]

    def weighted(self, pairs: Sequence[tuple[object, int]]):
        """One value of (value, weight) pairs."""
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights)[0]

    def at(self, day: date, earliest: int = 8, latest: int = 17) -> datetime:
        """A working-hours moment on `day`, never later than a few minutes before now."""
        moment = datetime.combine(day, time(self.rng.randint(earliest, latest),
                                            self.rng.randrange(0, 60, 5)))
        latest_moment = self.now - timedelta(minutes=10)
        return min(moment, latest_moment)

    def days_ago(self, low: int, high: int) -> datetime:
        """A working-hours moment between `high` and `low` days ago."""
        return self.at(self.today - timedelta(days=self.rng.randint(low, high)))

    def after(self, moment: datetime, low_minutes: int, high_minutes: int, *,
              office_hours: bool = True) -> datetime:
        """A moment some minutes after `moment`, capped a minute before now.

        With `office_hours` (agents at work) a moment outside 8:00-18:00 moves on to the next
        morning; requesters write at any hour.
        """
        later = moment + timedelta(minutes=self.rng.randint(low_minutes, high_minutes))
        if office_hours and not 8 <= later.hour < 18:
            morning = later.date() + timedelta(days=1 if later.hour >= 18 else 0)
            later = datetime.combine(morning, time(8, self.rng.randrange(0, 60, 5)))
        return min(later, self.now - timedelta(minutes=1))

    def _reset_task_rows(self) -> None:
        """Start collecting a new group of tasks and their links."""
        self.task_rows: list[dict] = []
        self.assignee_rows: list[dict] = []
        self.task_tag_rows: list[dict] = []

    def task(self, *, list_name: str, status: str, title: str, created_at: datetime,
             created_by: int, kind: str = "task", description: str = "", priority: int = 3,
             client: int | None = None, due_at: datetime | None = None,
             closed_at: datetime | None = None, updated_at: datetime | None = None,
             parent: int | None = None, estimate: int | None = None,
             assignees: Iterable[int] = (), tags: Iterable[str] = ()) -> int:
        """Collect one task at the end of its list, keeping the services' invariants."""
        status_id, category = self.statuses[list_name][status]
        list_id = self.list_ids[list_name]
        done = category in DONE_CATEGORIES
        if done and closed_at is None:
            closed_at = min(created_at + timedelta(days=1), self.now - timedelta(minutes=1))
        task_id = self.next_id(Task)
        self.positions[list_id] = position = self.positions.get(list_id, 0) + 1
        team = self.list_teams[list_name]
        self.task_rows.append({
            "id": task_id, "task_list": list_id, "status": status_id, "category": category,
            "parent": parent, "kind": kind, "title": title, "description": description,
            "priority": priority, "team": self.team_ids[team] if team else None,
            "client": client, "start_at": None, "due_at": due_at,
            "estimate_minutes": estimate, "position": position, "created_by": created_by,
            "created_at": created_at, "updated_at": updated_at or closed_at or created_at,
            "closed_at": closed_at if done else None, "snoozed_until": None, "version": 1,
        })
        for agent_id in dict.fromkeys(assignees):
            self.assignee_rows.append({"task": task_id, "agent": agent_id})
        for name in dict.fromkeys(tags):
            self.task_tag_rows.append({"task": task_id, "tag": self.tag_ids[name]})
        self.created.append(("task", task_id, title, created_at, created_by))
        return task_id

    def flush_tasks(self) -> None:
        """Insert the collected tasks, then their assignees and tags."""
        _insert(Task, self.task_rows)
        _insert(TaskAssignee, self.assignee_rows)
        _insert(TaskTag, self.task_tag_rows)
        self._reset_task_rows()

    # -- stages --

    def agents_and_teams(self) -> None:
        """The admin plus six demo agents (one viewer), in four teams."""
        rng = self.rng
        self.agent_ids[self.admin.username] = self.admin.id
        self.usernames[self.admin.id] = self.admin.username
        self.agent_names[self.admin.id] = self.admin.name
        for username, name, local, role, _teams in AGENTS:
            joined = self.now - timedelta(days=rng.randint(200, 1000))
            agent = Agent.get_or_none(Agent.username == username)
            if agent is None:
                agent = Agent.create(username=username, name=name, email=f"{local}@{DOMAIN}",
                                     role=role, created_at=joined)
            self.agent_ids[username] = agent.id
            self.usernames[agent.id] = username
            self.agent_names[agent.id] = agent.name
        for team in TEAMS:
            self.team_ids[team] = Team.get_or_create(name=team)[0].id
        members = [(team, self.admin.username) for team in ADMIN_TEAMS]
        members += [(team, username) for username, *_, teams in AGENTS for team in teams]
        for team, username in members:
            TeamMember.get_or_create(team=self.team_ids[team], agent=self.agent_ids[username])

    def spaces_and_lists(self) -> None:
        """Support, Sales, Finance and Internal with their lists and statuses; the tags."""
        spaces, lists, statuses = [], [], []
        for space_position, (space, space_lists) in enumerate(SPACES, start=1):
            space_id = self.next_id(Space)
            spaces.append({"id": space_id, "name": space, "position": space_position})
            for list_position, (name, flow, team) in enumerate(space_lists, start=1):
                list_id = self.next_id(TaskList)
                lists.append({"id": list_id, "space": space_id, "name": name,
                              "position": list_position})
                self.list_ids[name] = list_id
                self.list_teams[name] = team
                self.statuses[name] = {}
                for position, (status, category) in enumerate(flow):
                    status_id = self.next_id(Status)
                    statuses.append({"id": status_id, "task_list": list_id, "name": status,
                                     "category": category, "position": position})
                    self.statuses[name][status] = (status_id, category)
        _insert(Space, spaces)
        _insert(TaskList, lists)
        _insert(Status, statuses)
        tags = []
        for name in dict.fromkeys(CLIENT_TAGS + TASK_TAGS):
            self.tag_ids[name] = self.next_id(Tag)
            tags.append({"id": self.tag_ids[name], "name": name})
        _insert(Tag, tags)

    def catalogue(self) -> None:
        """Checklist templates with nested items, and the products that use them (a template
        is not tied to a list: tasks of every kind on Orders would all get it)."""
        templates, items = [], []
        template_ids: dict[str, int] = {}
        for name, tree in TEMPLATES.items():
            template_id = self.next_id(ChecklistTemplate)
            template_ids[name] = template_id
            templates.append({"id": template_id, "name": name, "task_list": None})
            flat: list[tuple[int, int | None, str]] = []
            position = 0
            for text, children in tree:
                parent_id = self.next_id(ChecklistTemplateItem)
                flat.append((parent_id, None, text))
                items.append({"id": parent_id, "template": template_id, "parent": None,
                              "text": text, "position": position})
                position += 1
                for child_text, _ in children:
                    child_id = self.next_id(ChecklistTemplateItem)
                    flat.append((child_id, parent_id, child_text))
                    items.append({"id": child_id, "template": template_id,
                                  "parent": parent_id, "text": child_text,
                                  "position": position})
                    position += 1
            self.template_items[name] = flat
        _insert(ChecklistTemplate, templates)
        _insert(ChecklistTemplateItem, items)
        products = []
        for name, kind, price, template, weight, note in PRODUCTS:
            product_id = self.next_id(Product)
            products.append({"id": product_id, "name": name, "kind": kind,
                             "unit_price": Decimal(price), "active": True,
                             "checklist_template": template_ids.get(template), "version": 1})
            self.products[name] = {"id": product_id, "kind": kind, "price": Decimal(price),
                                   "template": template, "weight": weight, "note": note}
        _insert(Product, products)

    def clients(self) -> None:
        """About forty clients and customers, their tags, and a year of interactions."""
        rng = self.rng
        rows, tag_rows = [], []
        for spec in CLIENTS:
            client_id = self.next_id(Client)
            if spec.stage in ("lead", "prospect"):
                acquired = None
                created_at = self.days_ago(5, 120)
            else:
                low, high = {"onboarding": (10, 45), "churned": (400, 1095)}.get(
                    spec.stage, (60, 1095))
                days = rng.randint(low, high)
                acquired = self.today - timedelta(days=days)
                created_at = self.at(acquired - timedelta(days=rng.randint(7, 60)))
            info = _ClientInfo(client_id, spec, created_at, acquired)
            self.client_infos.append(info)
            self.by_name[spec.name] = info
            low, high = LEAD_SCORES[spec.stage]
            amount, cycle = spec.retainer or (None, None)
            row = {
                "id": client_id, "kind": spec.kind, "name": spec.name,
                "contact_person": spec.contact, "email": spec.email, "phone": spec.phone,
                "acquisition_date": acquired, "last_contact_at": None,
                "lifecycle_stage": spec.stage, "lead_score": rng.randint(low, high),
                "account_manager": self.agent(spec.manager) if spec.manager else None,
                "retainer_amount": Decimal(amount) if amount else None,
                "retainer_cycle": cycle, "birthday": self.birthday(spec),
                "referred_by": self.by_name[spec.referrer].id if spec.referrer else None,
                "contact_cadence_days": spec.cadence, "confidential": spec.confidential,
                "notes": _client_notes(spec), "created_at": created_at,
                "updated_at": created_at, "version": 1,
            }
            last = self.client_interactions(info)
            row["last_contact_at"] = last
            row["updated_at"] = max(created_at, last or created_at)
            rows.append(row)
            tag_rows += [{"client": client_id, "tag": self.tag_ids[tag]} for tag in spec.tags]
            manager = row["account_manager"] or self.admin.id
            self.created.append(("client", client_id, spec.name, created_at, manager))
        _insert(Client, rows)
        _insert(ClientTag, tag_rows)

    def birthday(self, spec: ClientSpec) -> date | None:
        """The contact's birthday: a few within the next two weeks, most some time in the year."""
        rng = self.rng
        year = rng.choice((1968, 1972, 1976, 1980, 1984, 1988, 1992))  # leap years: 29 Feb fits
        if spec.name in BIRTHDAYS_SOON:
            soon = self.today + timedelta(days=BIRTHDAYS_SOON[spec.name])
            return date(year, soon.month, soon.day)
        if rng.random() < 0.3:
            return None
        return date(year, rng.randint(1, 12), rng.randint(1, 28))

    def client_interactions(self, info: _ClientInfo) -> datetime | None:
        """Collect a year of calls, e-mails and meetings with a client; returns the latest."""
        rng, spec, today = self.rng, info.spec, self.today
        start = max(info.created_at.date() + timedelta(days=1), today - timedelta(days=365))
        days: list[date] = []
        if spec.kind == "client":
            cadence = spec.cadence or 30
            if spec.stage == "churned":
                end = today - timedelta(days=rng.randint(100, 200))
            elif spec.name in PAST_CADENCE:
                end = today - timedelta(days=cadence + rng.randint(4, 15))
            else:
                end = today - timedelta(days=rng.randint(0, max(1, cadence - 4)))
            day = max(end, start)
            while day >= start:
                days.append(day)
                day -= timedelta(days=max(3, round(cadence * rng.uniform(0.5, 1.0))))
        else:
            count, window = {"lead": (rng.randint(1, 2), 45), "prospect": (rng.randint(2, 3), 90),
                             "churned": (rng.randint(1, 3), 365)}.get(
                                 spec.stage, (rng.randint(2, 6), 365))
            first = max(start, today - timedelta(days=window))
            last = today - timedelta(days=150) if spec.stage == "churned" else today
            span = max(0, (last - first).days)
            days = [first + timedelta(days=rng.randint(0, span)) for _ in range(count)]
        contact = _first_name(spec.contact or spec.name)
        manager = self.agent(spec.manager) if spec.manager else None
        moments = sorted(self.at(day) for day in days)
        for moment in moments:
            kind = self.weighted(INTERACTION_KINDS)
            summary = rng.choice(INTERACTION_SUMMARIES[kind]).format(
                contact=contact, topic=rng.choice(TOPICS))
            agent = manager or self.agent(rng.choice(SUPPORT_AGENTS))
            self.interaction_rows.append({"client": info.id, "agent": agent, "kind": kind,
                                          "summary": summary, "task": None,
                                          "occurred_at": moment})
        return moments[-1] if moments else None

    def orders(self) -> None:
        """About thirty orders with order data and checklists copied from the templates."""
        rng = self.rng
        buyers = [c for c in self.client_infos
                  if c.spec.stage in ("onboarding", "active", "at_risk")]
        products = list(self.products.items())
        statuses = list(ORDER_STATUSES)
        rng.shuffle(statuses)
        ages = {"Received": (0, 5), "In progress": (3, 20), "Fulfilled": (10, 40),
                "Invoiced": (30, 90)}
        specs = []
        for status in statuses:
            name, product = self.weighted([(item, item[1]["weight"]) for item in products])
            buyer = rng.choice(buyers)
            created_at = self.days_ago(*ages[status])
            specs.append((created_at, status, name, product, buyer))
        specs.sort(key=lambda spec: spec[0])
        order_rows, checklists, items = [], [], []
        for created_at, status, name, product, buyer in specs:
            quantity = {"Laptop setup": rng.randint(1, 4), "Support hours (10h)":
                        rng.randint(1, 3), "Security awareness workshop":
                        rng.randint(1, 2)}.get(name, 1)
            unit_price = product["price"]
            if "vip" in buyer.spec.tags:
                unit_price = (unit_price * Decimal("0.90")).quantize(Decimal("0.01"))
            total = (unit_price * quantity).quantize(Decimal("0.01"))
            assignee = self.agent(rng.choice(FULFILMENT_AGENTS))
            creator = self.agent(buyer.spec.manager) if buyer.spec.manager else self.agent(
                rng.choice(MANAGERS))
            fulfilled = invoiced = None
            if status in ("Fulfilled", "Invoiced"):
                fulfilled = self.after(created_at, 3 * 1440, 12 * 1440)
            if status == "Invoiced":
                invoiced = self.after(fulfilled, 1440, 5 * 1440)
            description = (f"{product['note']}\n\n{quantity} × {name} at {unit_price:,.2f} = "
                           f"{total:,.2f}")
            task_id = self.task(
                list_name="Orders", status=status, kind="order", title=f"{name} for "
                f"{buyer.spec.name}", description=description,
                priority=2 if rng.random() < 0.2 else 3, client=buyer.id,
                created_at=created_at, created_by=creator,
                due_at=datetime.combine(created_at.date() + timedelta(days=rng.randint(10, 21)),
                                        time(17)),
                closed_at=fulfilled, updated_at=invoiced or fulfilled, assignees=[assignee],
                tags=("hardware",) if product["kind"] == "product" else (),
            )
            order_rows.append({"task": task_id, "product": product["id"], "quantity": quantity,
                               "unit_price": unit_price, "total": total,
                               "fulfilled_at": fulfilled, "invoiced_at": invoiced})
            if product["template"]:
                self.copy_checklist(task_id, product["template"], status, created_at,
                                    fulfilled, assignee, checklists, items)
        self.flush_tasks()
        _insert(OrderData, order_rows)
        _insert(Checklist, checklists)
        _insert(ChecklistItem, items)

    def copy_checklist(self, task_id: int, template: str, status: str, created_at: datetime,
                       fulfilled: datetime | None, assignee: int, checklists: list[dict],
                       items: list[dict]) -> None:
        """Give an order its product's checklist, with progress that fits its status."""
        checklist_id = self.next_id(Checklist)
        checklists.append({"id": checklist_id, "task": task_id, "name": template,
                           "position": 0})
        flat = self.template_items[template]
        parents = {parent for _, parent, _ in flat if parent is not None}
        leaves = [item_id for item_id, _, _ in flat if item_id not in parents]
        if status in ("Fulfilled", "Invoiced"):
            done_leaves = len(leaves)
        elif status == "In progress":
            done_leaves = self.rng.randint(1, len(leaves) - 1)
        else:
            done_leaves = 0
        done = set(leaves[:done_leaves])
        for item_id, _, _ in flat:
            children = [i for i, p, _ in flat if p == item_id]
            if children and all(child in done for child in children):
                done.add(item_id)
        moment = created_at
        new_ids = {item_id: self.next_id(ChecklistItem) for item_id, _, _ in flat}
        for position, (item_id, parent, text) in enumerate(flat):
            is_done = item_id in done
            if is_done:
                moment = self.after(moment, 30, 1440)
                if fulfilled is not None:
                    moment = min(moment, fulfilled)
            items.append({"id": new_ids[item_id], "checklist": checklist_id,
                          "parent": new_ids[parent] if parent else None, "text": text,
                          "done": is_done, "position": position,
                          "done_at": moment if is_done else None,
                          "done_by": assignee if is_done else None})

    def queries(self) -> None:
        """Sixty support queries with requesters, conversations, SLA times and CSAT."""
        rng = self.rng
        statuses = list(QUERY_STATUSES)
        rng.shuffle(statuses)
        askers = [c for c in self.client_infos if c.spec.stage != "churned"]
        specs = []
        for (subject, message, reply, tags, fixed), status in zip(QUERIES, statuses,
                                                                   strict=True):
            created_at = self.days_ago(*QUERY_AGES[status])
            if fixed:
                client: _ClientInfo | None = self.by_name[fixed]
            else:
                client = rng.choice(askers) if rng.random() < 0.75 else None
            specs.append((created_at, status, subject, message, reply, tags, client))
        specs.sort(key=lambda spec: spec[0])
        query_rows, comments = [], []
        for created_at, status, subject, message, reply, tags, client in specs:
            if client is not None:
                requester = client.spec.contact or client.spec.name
                email = client.spec.email
            else:
                requester, email = rng.choice(REQUESTERS)
            channel = self.weighted((("email", 55), ("form", 30), ("phone", 15)))
            priority = self.weighted(PRIORITY_WEIGHTS)
            hours = SLA_HOURS.get(priority)
            due_at = created_at + timedelta(hours=hours) if hours else None
            first_due, resolution_due = self.sla_rules.dues(
                created_at, priority, client.spec.kind if client else None)
            unassigned = status == "New" and rng.random() < 0.5
            agent = self.agent(rng.choice(SUPPORT_AGENTS))
            thread, first_response, resolved = self.conversation(
                status, created_at, requester, reply, agent)
            message_id = (f"<{rng.getrandbits(64):016x}@{email.split('@')[1]}>"
                          if channel == "email" else None)
            updated_at = thread[-1]["created_at"] if thread else created_at
            task_id = self.task(
                list_name="Support inbox", status=status, kind="query", title=subject,
                description=message, priority=priority,
                client=client.id if client else None, created_at=created_at,
                created_by=self.agent(rng.choice(SUPPORT_AGENTS)), due_at=due_at,
                closed_at=resolved, updated_at=updated_at,
                assignees=() if unassigned else [agent], tags=tags)
            for comment in thread:
                comment["id"] = self.next_id(Comment)
                comment["task"] = task_id
                comments.append(comment)
            score = None
            remark = ""
            if resolved is not None and rng.random() < 0.65:
                score = self.weighted(((5, 50), (4, 30), (3, 12), (2, 6), (1, 2)))
                remark = rng.choice(CSAT_COMMENTS[score])
            query_rows.append({
                "task": task_id, "requester_name": requester, "requester_email": email,
                "channel": channel, "message_id": message_id,
                "waiting_on": "them" if status == "Waiting on customer" else "us",
                "first_response_at": first_response, "resolved_at": resolved,
                "first_response_due": first_due, "resolution_due": resolution_due,
                "csat_score": score, "csat_comment": remark,
            })
        self.flush_tasks()
        _insert(QueryData, query_rows)
        _insert(Comment, sorted(comments, key=lambda row: row["id"]))

    def conversation(self, status: str, created_at: datetime, requester: str, reply: str,
                     agent: int) -> tuple[list[dict], datetime | None, datetime | None]:
        """The comments of a query after the requester's first message, in time order.

        Returns them with the first response and resolution times.
        """
        rng = self.rng
        name = self.agent_names[agent]
        first = _first_name(requester)
        thread: list[dict] = []
        moment = created_at

        def add(kind: str, body: str, low: int, high: int) -> datetime:
            nonlocal moment
            by_agent = kind != "message"
            moment = self.after(moment, low, high, office_hours=by_agent)
            thread.append({"kind": kind, "author": agent if by_agent else None,
                           "author_name": name if by_agent else requester, "body": body,
                           "message_id": None, "created_at": moment})
            return moment

        def answer(body: str, low: int, high: int) -> datetime:
            return add("reply", f"Hi {first},\n\n{body}\n\nBest regards,\n{name}", low, high)

        if status == "New":
            if rng.random() < 0.25:
                add("message", rng.choice(CHASERS), 60, 600)
            return thread, None, None
        first_response = answer(reply, 10, 360)
        if rng.random() < 0.4:
            add("note", rng.choice(NOTES), 5, 240)
        resolved = None
        if status == "Open" and rng.random() < 0.5:
            add("message", rng.choice(FOLLOW_UPS), 30, 1440)
        elif status == "Waiting on customer":
            answer(rng.choice(ASKS), 30, 720)
        elif status in ("Resolved", "Closed"):
            if rng.random() < 0.6:
                add("message", rng.choice(THANKS), 30, 1440)
            resolved = answer(CLOSING, 10, 240)
        return thread, first_response, resolved

    def tasks_and_series(self) -> None:
        """Hand-written account, billing and internal tasks, and four recurring series."""
        rng = self.rng
        for (title, list_name, status, priority, client, assignee, tags, due, description,
             subtasks) in TASKS:
            created_at = self.days_ago(2, 40)
            category = self.statuses[list_name][status][1]
            closed_at = (self.after(created_at, 1440, 10 * 1440)
                         if category in DONE_CATEGORIES else None)
            people = [self.agent(assignee)] if assignee else []
            creator = self.agent(rng.choice(MANAGERS))
            due_at = (datetime.combine(self.today + timedelta(days=due), time(17))
                      if due is not None else None)
            parent = self.task(
                list_name=list_name, status=status, title=title, description=description,
                priority=priority, client=self.by_name[client].id if client else None,
                created_at=created_at, created_by=creator, due_at=due_at, closed_at=closed_at,
                assignees=people, tags=tags, estimate=rng.choice((None, 30, 60, 120, 240)))
            for sub_title, sub_status in subtasks:
                sub_category = self.statuses[list_name][sub_status][1]
                self.task(
                    list_name=list_name, status=sub_status, title=sub_title,
                    client=self.by_name[client].id if client else None,
                    created_at=self.after(created_at, 5, 60), created_by=creator,
                    due_at=due_at, parent=parent, assignees=people,
                    closed_at=(self.after(created_at, 120, 3 * 1440)
                               if sub_category in DONE_CATEGORIES else None))
        series_rows = []
        base = datetime.combine(self.today - timedelta(days=182), time(9))
        for title, list_name, rule, assignee, description in SERIES:
            starts_at = rrulestr(rule, dtstart=base).after(base, inc=True)
            next_at = rrulestr(rule, dtstart=starts_at).after(self.now)
            creator = self.agent(assignee)
            created_at = starts_at - timedelta(days=rng.randint(1, 14))
            task_id = self.task(
                list_name=list_name, status=next(iter(self.statuses[list_name])), title=title,
                description=description, created_at=created_at, created_by=creator,
                due_at=next_at, assignees=[creator],
                tags=("invoice",) if "invoice" in title else ())
            series_rows.append({
                "id": self.next_id(RecurringSeries), "task": task_id, "rule": rule,
                "anchor": "schedule", "mode": "new", "skip_weekends": False,
                "skip_if_open": False, "catch_up": "latest", "starts_at": starts_at,
                "until": None, "count": None, "next_at": next_at, "active": True,
                "created_by": creator, "created_at": created_at, "version": 1,
            })
        self.flush_tasks()
        _insert(RecurringSeries, series_rows)

    def interactions(self) -> None:
        """Insert the interactions collected with the clients, oldest first."""
        rows = sorted(self.interaction_rows, key=lambda row: (row["occurred_at"], row["client"]))
        _insert(Interaction, rows)

    def activity(self) -> None:
        """One "created" row in the history of every curated task and client."""
        rows = []
        for entity, entity_id, title, at, agent in self.created:
            rows.append({"at": at, "agent": agent, "actor": self.usernames.get(agent, "system"),
                         "entity": entity, "entity_id": entity_id,
                         "field": "title" if entity == "task" else "name", "old": None,
                         "new": title, "version": 1})
        _insert(Activity, rows)


def _insert(model: type[Model], rows: list[dict]) -> None:
    """Insert seed rows in chunks that stay below every driver's parameter limit."""
    for start in range(0, len(rows), INSERT_CHUNK):
        model.insert_many(rows[start:start + INSERT_CHUNK]).execute()


def _first_name(person: str) -> str:
    """How a reply greets someone: 'Dr Hannah Moss' -> 'Hannah', 'Blue Door Café' -> 'Blue'."""
    words = [word for word in person.split() if word.rstrip(".") not in TITLES]
    return words[0] if words else person


def _client_notes(spec: ClientSpec) -> str:
    """A client's notes: a short Markdown requirements document (a line for customers)."""
    if spec.kind != "client":
        return spec.note
    lines = [f"# {spec.name}: requirements", "",
             f"**Decision maker:** {spec.contact}  "]
    if spec.retainer:
        amount, cycle = spec.retainer
        lines.append(f"**Retainer:** {Decimal(amount):,.2f} {cycle}, reviewed every January  ")
    if spec.cadence:
        lines.append(f"**Contact:** at least every {spec.cadence} days")
    lines += ["", "## What they need", *(f"- {need}" for need in spec.needs), "",
              "## Working with them", spec.note, ""]
    return "\n".join(lines)
