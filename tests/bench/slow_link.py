"""A slow link for the benchmarks: bytes carried from a reader to a writer a fixed delay
later, paced to a bit rate, and a TCP forwarder that puts such a link in front of a server.

`carry` is the one piece both kinds of link use: link.py's pseudo-terminal (the program's
output on its way to the reader) and `DelayedForwarder` (both directions of each TCP
connection, as between an ssh client and sshd on another continent). A chunk that does not
fit in the link's rate waits for the ones before it, as on a real slow line.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from collections.abc import Callable


def carry(read: Callable[[], bytes], write: Callable[[bytes], None], close: Callable[[], None],
          delay: float, bytes_per_second: float | None) -> None:
    """Carry what `read` returns to `write`, each chunk `delay` seconds after it was read
    and after the chunks before it have gone through at `bytes_per_second` (None: no limit),
    until `read` returns b"" (then `close`). Runs in the calling thread, with one helper
    thread that writes."""
    carried: queue.Queue[tuple[float, bytes] | None] = queue.Queue()

    def deliver() -> None:
        while (item := carried.get()) is not None:
            due, chunk = item
            time.sleep(max(0.0, due - time.perf_counter()))
            try:
                write(chunk)
            except OSError:
                break
        close()

    threading.Thread(target=deliver, daemon=True).start()
    free_at = 0.0  # when the link has sent everything queued so far
    while True:
        try:
            chunk = read()
        except OSError:
            chunk = b""
        if not chunk:
            carried.put(None)
            return
        free_at = max(free_at, time.perf_counter())
        if bytes_per_second:
            free_at += len(chunk) / bytes_per_second
        carried.put((free_at + delay, chunk))


class DelayedForwarder:
    """A TCP forwarder on loopback: every connection to `port` is carried to `target_port`
    and back, each byte `delay_ms` late in each direction (a round trip of twice that),
    optionally paced to `kbit` kilobits a second each way."""

    def __init__(self, target_port: int, delay_ms: int, kbit: int | None = None) -> None:
        """Listen on a free loopback port (`port`) and forward from a thread."""
        self.target_port = target_port
        self.delay = delay_ms / 1000
        self.rate = kbit * 1000 / 8 if kbit else None
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        """Forward each connection until the listener is closed."""
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink in ((client, server), (server, client)):
                for end in (source, sink):
                    end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                threading.Thread(target=carry, daemon=True,
                                 args=(lambda source=source: source.recv(65536), sink.sendall,
                                       lambda sink=sink: _shut(sink), self.delay,
                                       self.rate)).start()

    def close(self) -> None:
        """Stop accepting connections (those open end with their programs)."""
        self.listener.close()


def _shut(end: socket.socket) -> None:
    """Pass an end of stream on: no more bytes will be sent to `end`."""
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_WR)
