"""desk loyalty: the clients' loyalty standings, one client's points history, and redeeming
a reward on an order (`desk loyalty redeem CLIENT REWARD --order N`)."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import positive
from desk.cli.session import Session, in_session
from desk.errors import DeskError
from desk.money import money_text
from desk.text import visible

STANDING_COLUMNS = ("id", "client", "tier", "points", "expiring", "next_tier", "missing")
HISTORY_COLUMNS = ("at", "points", "reason", "note", "order", "agent")


def register(commands: OnlyCommand) -> None:
    """Add desk loyalty [CLIENT | redeem CLIENT REWARD --order N]."""
    loyalty = commands.add_parser(
        "loyalty", help="loyalty standings, a client's points, or redeem a reward",
        description="desk loyalty: every client's tier and points; desk loyalty CLIENT: the "
                    "client's standing and points history; desk loyalty redeem CLIENT REWARD "
                    "--order N: spend points on a reward, a discount on an open order; desk "
                    "loyalty adjust CLIENT POINTS --note WHY: add or take away points by hand "
                    "(admins).")
    loyalty.add_argument("words", nargs="*",
                         metavar="CLIENT | redeem CLIENT REWARD | adjust CLIENT POINTS",
                         help="a client (id or name); redeem with a client and a reward; "
                              "adjust with a client and points (+ or -)")
    loyalty.add_argument("--order", type=positive, metavar="N",
                         help="the order (task number) a reward is redeemed on")
    loyalty.add_argument("--note", help="why points are adjusted by hand")
    loyalty.add_argument("--format", choices=output.FORMATS, default="table")
    loyalty.set_defaults(handler=in_session(run, at_least="viewer"))


def run(session: Session, args: argparse.Namespace) -> int:
    """Dispatch desk loyalty by its words: none, a client, or redeem CLIENT REWARD."""
    words = list(args.words)
    if words[:1] == ["redeem"]:
        if len(words) != 3 or args.order is None:
            raise DeskError("usage: desk loyalty redeem CLIENT REWARD --order N")
        return redeem(session, words[1], words[2], args.order, args.format)
    if words[:1] == ["adjust"]:
        if len(words) != 3 or args.note is None:
            raise DeskError("usage: desk loyalty adjust CLIENT POINTS --note WHY")
        return adjust(session, words[1], words[2], args.note)
    if args.order is not None:
        raise DeskError("--order goes with desk loyalty redeem CLIENT REWARD --order N")
    if len(words) > 1:
        raise DeskError("name one client (quote a name with spaces), or use "
                        "desk loyalty redeem CLIENT REWARD --order N")
    if words:
        return client_history(session, words[0], args.format)
    return standings(session, args.format)


def standings(session: Session, fmt: str) -> int:
    """desk loyalty: every client's tier, points and the points expiring soon."""
    from desk.crm import loyalty

    rows = [{"id": row.client_id, "client": row.client, "tier": row.tier, "points": row.points,
             "expiring": row.expiring, "next_tier": row.next_tier, "missing": row.missing,
             "measure": row.measure}
            for row in loyalty.standings(session.settings.loyalty, session.context.now)]
    settings = session.settings
    revenue = output.Money(("measure", "missing"), settings.money.currency)
    print(output.render(rows, STANDING_COLUMNS, fmt, settings.tz, flexible=("client",),
                        width=output.terminal_width(sys.stdout),
                        money=revenue if settings.loyalty.tiers.basis == "revenue" else None))
    return 0


def client_history(session: Session, text: str, fmt: str) -> int:
    """desk loyalty CLIENT: the client's standing, then its points history, newest first."""
    from desk.crm import clients, loyalty

    client = clients.find(text, session.agent)
    settings = session.settings.loyalty
    standing = loyalty.standing(settings, client.id, session.context.now)
    entries = [{"at": entry.at, "points": entry.points, "reason": entry.reason,
                "note": entry.note, "order": entry.task_id, "agent": entry.agent}
               for entry in loyalty.history(client.id)]
    zone, currency = session.settings.tz, session.settings.money.currency
    revenue = settings.tiers.basis == "revenue"
    if fmt == "json":
        record = {"id": client.id, "client": client.name, "tier": standing.tier,
                  "points": standing.points, "basis": settings.tiers.basis,
                  "measure": standing.measure, "next_tier": standing.next_tier,
                  "missing": standing.missing, "expiring": standing.expiring,
                  "history": entries}
        print(output.render([record], (), "json", zone, money=output.Money(
            ("measure", "missing"), currency) if revenue else None))
        return 0
    if fmt == "table":
        measure, missing = ((money_text(standing.measure, currency),
                             money_text(standing.missing, currency)) if revenue
                            else (standing.measure, standing.missing))
        print(output.fields([
            ("client", visible(client.name)), ("tier", standing.tier or "none"),
            ("points", standing.points),
            (settings.tiers.basis, measure),
            ("next tier", f"{standing.next_tier} ({missing} more)"
             if standing.next_tier else "none: the highest"),
            ("expiring", f"{standing.expiring} within {settings.expiring_days} days"),
        ]))
        print()
    print(output.render(entries, HISTORY_COLUMNS, fmt, zone, flexible=("note",),
                        width=output.terminal_width(sys.stdout)))
    return 0


def adjust(session: Session, client_text: str, points: str, note: str) -> int:
    """desk loyalty adjust CLIENT POINTS --note WHY."""
    from desk.crm import clients, loyalty_points

    try:
        amount = int(points)
    except ValueError:
        raise DeskError(f"POINTS must be a whole number like 100 or -50, not "
                        f"{visible(points)!r}") from None
    client = clients.find(client_text, session.agent)
    held = loyalty_points.adjust(session.agent, client.id, amount, note)
    print(f"{visible(client.name)}: {amount:+} points; {held} points now")
    return 0


def redeem(session: Session, client_text: str, reward: str, order: int, fmt: str) -> int:
    """desk loyalty redeem CLIENT REWARD --order N."""
    from desk.crm import clients
    from desk.work import loyalty_rewards

    client = clients.find(client_text, session.agent)
    done = loyalty_rewards.redeem(session.agent, session.settings.loyalty, client.id, reward,
                                  order)
    currency = session.settings.money.currency
    if fmt == "json":
        print(output.render(output.records([done]), (), "json", session.settings.tz,
                            money=output.Money(("discount", "total"), currency)))
        return 0
    print(f"redeemed {visible(done.reward)} on order {done.task_id}: "
          f"{money_text(done.discount, currency)} off, total now "
          f"{money_text(done.total, currency)}; {done.points_left} points left")
    return 0
