"""Benchmark of the client portal: time to first byte of a contact's request list, through
`desk portal` (waitress) over a real socket. Prints figures; asserts nothing.

    python tests/bench/bench_portal.py [--db sqlite:///PATH] [--tasks N] [--address A]

Without --db it builds the demo workspace (`desk demo --no-tui`, or `--tasks N` of it) in a
temporary folder. It signs in as the contact (Copperleaf Bakery's own address by default)
through the e-mailed link, then times the first byte of GET /requests (median and slowest
of 20, after one warm-up) and of the sign-in page for comparison.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).parents[1]))
from portal_server import portal_server, sign_in_link

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
RUNS = 20


class Visitor:
    """A browser without a browser: one cookie, plain HTTP/1.1 requests."""

    def __init__(self, base: str) -> None:
        """A visitor of the portal at `base`."""
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None
                ) -> tuple[int, str, float]:
        """(status, body, seconds to the first byte of the answer)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        first_byte = time.perf_counter() - start
        text = answer.read().decode("utf-8")
        if (set_cookie := answer.getheader("Set-Cookie")) is not None:
            morsel = next(iter(SimpleCookie(set_cookie).values()))
            self.cookie = f"{morsel.key}={morsel.value}"
        connection.close()
        return answer.status, text, first_byte

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on `path`."""
        return CSRF.search(self.request("GET", path)[1]).group(1)


def ttfb(visitor: Visitor, path: str) -> tuple[float, float]:
    """Median and slowest milliseconds to the first byte of GET `path`."""
    visitor.request("GET", path)
    samples = [visitor.request("GET", path)[2] * 1000 for _ in range(RUNS)]
    return statistics.median(samples), max(samples)


def main() -> None:
    """Build or open the workspace, serve it, sign in and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--tasks", type=int)
    parser.add_argument("--address", default="marco@copperleaf-bakery.example")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="desk-bench-portal-"))
    url = args.db or f"sqlite:///{folder / 'demo.db'}"
    if args.db is None:
        sizes = ["--tasks", str(args.tasks)] if args.tasks else []
        subprocess.run([sys.executable, "-m", "desk", "--db", url, "demo", "--no-tui", *sizes],
                       check=True, capture_output=True)
    with portal_server(url, folder) as portal:
        visitor = Visitor(portal.base)
        visitor.request("POST", "/sign-in", {"address": args.address,
                                             "csrf": visitor.csrf("/sign-in")})
        link = sign_in_link(url, args.address)
        status, _, _ = visitor.request("POST", link, {"csrf": visitor.csrf(link)})
        if status != 302:
            raise SystemExit(f"signing in failed with status {status}")
        count = visitor.request("GET", "/requests")[1].count('class="card')
        print(f"portal over {url}: {count} requests and orders on {args.address}'s list")
        for path in ("/requests", "/sign-in"):
            median, slowest = ttfb(visitor, path)
            print(f"GET {path}: time to first byte median {median:.1f} ms, slowest "
                  f"{slowest:.1f} ms ({RUNS} runs)")


if __name__ == "__main__":
    main()
