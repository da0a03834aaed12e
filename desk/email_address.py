"""Checking an e-mail address: one plain address, nothing around it (no name, no second
address, no line break), so that no text can add a header to a message."""

from __future__ import annotations

import email.errors
from email.headerregistry import Address


def check_address(text: str) -> str:
    """The address `text` names (one plain address like ada@example.com, nothing around it),
    or ValueError saying why it is not one."""
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, email.errors.HeaderParseError):
        address = None
    if address is None or not address.domain or address.addr_spec != text:
        raise ValueError(f"not an e-mail address like ada@example.com: {text!r}")
    return address.addr_spec
