"""Serving the portal with waitress (`desk portal`)."""

from __future__ import annotations

from flask import Flask

TRUSTED_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}
"""What a reverse proxy on this machine tells the portal: the client's address (for the
rate limits), the scheme and the host it was reached at."""


def serve(app: Flask, host: str, port: int, *, behind_proxy: bool = False) -> None:
    """Serve `app` at host:port until interrupted; `behind_proxy` trusts the forwarding
    headers of a reverse proxy on this machine (127.0.0.1)."""
    from waitress import serve as waitress_serve

    proxy = {"trusted_proxy": "127.0.0.1", "trusted_proxy_headers": TRUSTED_HEADERS,
             "clear_untrusted_proxy_headers": True} if behind_proxy else {}
    waitress_serve(app, host=host, port=port, threads=4, ident="desk portal", **proxy)
