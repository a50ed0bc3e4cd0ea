#!/usr/bin/env python3
"""Long-lived flows through a VIP, for the cluster tests (bounded in count
and time). The servers are sluice-whoami's: "who\\n" is answered with the
server's name, anything else is echoed (TCP); a UDP datagram is answered
with the server's name.

  stream.py tcp ADDR PORT N SECONDS [INTERVAL]
      open N TCP connections, learn each one's real ("who"), print
      "start realX N" per real and "open N", then for SECONDS each connection sends a 512-byte chunk
      every INTERVAL seconds (default 0.25) once its previous chunk has
      come back, and checks every echoed byte. Then each asks "who" again.
      Prints:
        connections N / completed N / reset N / stalled N / corrupt N /
        moved N / max-gap SECONDS / bytes N (each way) / realX N ...
      completed: every byte came back intact and the real at the end is
      the one at the start. stalled: a chunk's echo took longer than
      STALL (15 s, or $STREAM_STALL) or never came. max-gap: the longest a chunk waited
      for its echo (what a failover costs a connection).
  stream.py udp ADDR PORT N SECONDS [INTERVAL]
      N UDP flows (one socket and source port each): print "open N", then
      for SECONDS every flow sends a datagram every INTERVAL (default
      0.25); after that, each flow asks until answered (10 s at most).
      Prints: flows N / kept N (every answer from one real) / moved N /
      silent N (no answer at the end) / lost N (datagrams unanswered)
      / realX N.
  SIGUSR1 ends a tcp or udp stream's SECONDS early (what follows them, the
  last echoes, the "who" and the final answers, as usual).
  stream.py flows ADDR PORT FIRST N
      one UDP datagram from each source port FIRST..FIRST+N-1 (new flows
      for the nodes' connection tables; answers are not awaited).
"""
import collections
import os
import selectors
import signal
import socket
import sys
import time

CHUNK = 512
STALL = float(os.environ.get("STREAM_STALL", "15"))
STOP_EARLY = []
signal.signal(signal.SIGUSR1, lambda *_: STOP_EARLY.append(True))
PATTERN = 1 << 16

# The servers are sluice-whoami's: ask them the way the other clients do.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "datapath"))
from who import tcp_who as who  # noqa: E402


class Conn:
    def __init__(self, sock, name, pattern):
        self.sock = sock
        self.name = name
        self.pattern = pattern
        self.sent = 0
        self.acked = 0
        self.out = b""
        self.sent_at = None
        self.next_send = 0.0
        self.max_gap = 0.0
        self.state = "ok"

    def expect(self, off, n):
        p, i = self.pattern, off % PATTERN
        data = p[i:i + n]
        while len(data) < n:
            data += p[:n - len(data)]
        return data


def tcp(addr, port, n, seconds, interval):
    conns = []
    for _ in range(n):
        s = socket.create_connection((addr, port), timeout=30)
        conns.append(Conn(s, who(s), os.urandom(PATTERN)))
    for name, count in sorted(collections.Counter(c.name for c in conns).items()):
        print("start", name, count)
    print("open", n, flush=True)
    sel = selectors.DefaultSelector()
    for c in conns:
        c.sock.setblocking(False)
        sel.register(c.sock, selectors.EVENT_READ, c)
    start = time.monotonic()
    stop = start + seconds
    end = stop + STALL + 5
    while True:
        now = time.monotonic()
        if STOP_EARLY and now < stop:
            stop, end = now, now + STALL + 5
        live = [c for c in conns if c.state == "ok"]
        if now >= end or not live or (now >= stop and all(c.acked == c.sent for c in live)):
            break
        for c in live:
            if c.acked == c.sent and not c.out and now < stop and now >= c.next_send:
                c.out = c.expect(c.sent, CHUNK)
                c.sent += CHUNK
                c.sent_at = now
                c.next_send = now + interval
            if c.out:
                try:
                    c.out = c.out[c.sock.send(c.out):]
                except BlockingIOError:
                    pass
                except OSError:
                    c.state = "reset"
            if c.state == "ok" and c.acked < c.sent and now - c.sent_at > STALL:
                c.state = "stalled"
        for key, _ in sel.select(timeout=0.02):
            c = key.data
            if c.state != "ok":
                continue
            try:
                data = c.sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                c.state = "reset"
                continue
            if not data:
                c.state = "reset"
                continue
            if len(data) > c.sent - c.acked or data != c.expect(c.acked, len(data)):
                c.state = "corrupt"
                continue
            c.acked += len(data)
            if c.acked == c.sent:
                c.max_gap = max(c.max_gap, time.monotonic() - c.sent_at)
    counts = collections.Counter()
    for c in conns:
        if c.state == "ok" and c.acked < c.sent:
            c.state = "stalled"
        if c.state == "ok":
            try:
                c.sock.setblocking(True)
                c.sock.settimeout(STALL)
                if who(c.sock) != c.name:
                    c.state = "moved"
            except OSError:
                c.state = "reset"
        counts[c.state] += 1
        c.sock.close()
    print("connections", n)
    print("completed", counts["ok"])
    for k in ("reset", "stalled", "corrupt", "moved"):
        print(k, counts[k])
    print("max-gap %.2f" % max(c.max_gap for c in conns))
    print("bytes", sum(c.acked for c in conns))
    for name, count in sorted(collections.Counter(c.name for c in conns).items()):
        print(name, count)


def udp(addr, port, n, seconds, interval):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    socks, names = [], {}
    sel = selectors.DefaultSelector()
    for i in range(n):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.connect((addr, port))
        s.setblocking(False)
        socks.append(s)
        names[s] = collections.Counter()
        sel.register(s, selectors.EVENT_READ)
    print("open", n, flush=True)
    sent = 0
    answered = 0
    stop = time.monotonic() + seconds
    final = {}
    while True:
        now = time.monotonic()
        if now >= stop or STOP_EARLY:
            break
        for s in socks:
            try:
                s.send(b"ping")
                sent += 1
            except OSError:
                pass
        until = now + interval
        while time.monotonic() < until:
            for key, _ in sel.select(timeout=max(0, until - time.monotonic())):
                try:
                    names[key.fileobj][key.fileobj.recv(64).decode()] += 1
                    answered += 1
                except OSError:
                    pass
    # Every flow must still be answered at the end.
    deadline = time.monotonic() + 10
    pending = set(socks)
    while pending and time.monotonic() < deadline:
        for s in pending:
            try:
                s.send(b"ping")
                sent += 1
            except OSError:
                pass
        until = time.monotonic() + 1
        while pending and time.monotonic() < until:
            for key, _ in sel.select(timeout=max(0, until - time.monotonic())):
                s = key.fileobj
                try:
                    name = s.recv(64).decode()
                except OSError:
                    continue
                names[s][name] += 1
                answered += 1
                final[s] = name
                pending.discard(s)
    kept = sum(1 for s in socks if len(names[s]) == 1 and s in final)
    moved = sum(1 for s in socks if len(names[s]) > 1)
    print("flows", n)
    print("kept", kept)
    print("moved", moved)
    print("silent", len(pending))
    print("lost", sent - answered)
    for name, count in sorted(collections.Counter(final.values()).items()):
        print(name, count)


def flows(addr, port, first, n):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    for p in range(first, first + n):
        with socket.socket(fam, socket.SOCK_DGRAM) as s:
            s.bind(("", p))
            s.sendto(b"ping", (addr, port))
    print("sent", n)


def main():
    cmd, addr, port, n, seconds = sys.argv[1:6]
    if cmd == "flows":
        flows(addr, int(port), int(n), int(seconds))
        return
    interval = float(sys.argv[6]) if len(sys.argv) > 6 else 0.25
    (tcp if cmd == "tcp" else udp)(addr, int(port), int(n), float(seconds), interval)


main()
