#!/usr/bin/env python3
"""Test peers for the data-path tests (each run bounded in count and time).

  whoami.py serve NAME ADDR PORT      TCP and UDP: answer every connection or
                                      datagram with NAME (UDP: per datagram)
  whoami.py udp ADDR PORT N           N datagrams, each from a new source port;
                                      print "NAME COUNT" per answering server
                                      (one unanswered in 2 s is sent again once:
                                      "(resent) COUNT"; "(none) COUNT" if still
                                      unanswered)
  whoami.py tcp ADDR PORT N           N TCP connections, the same count
  whoami.py hold ADDR PORT N SECONDS  open N TCP connections, keep them SECONDS,
                                      then check each still answers; print the
                                      count that completed
  whoami.py mtu ADDR PORT SIZE        send a UDP datagram of SIZE bytes with DF
                                      set, print the path MTU the kernel learnt
  whoami.py refused ADDR PORT         succeed if a TCP connection gets no answer
                                      at all (neither SYN-ACK nor RST) in 3 s
  whoami.py synflood SRC ADDR PORT N  send N TCP SYNs from SRC (IPv4), each from
                                      another source port, and nothing else
  whoami.py flow ADDR PORT SECONDS    one TCP connection: print "LOCALPORT NAME",
                                      keep it open SECONDS
  whoami.py answers NAME PORT ADDR... succeed if the servers on every ADDR:PORT
                                      answer NAME over TCP and over UDP (1 s each)
  whoami.py ports ADDR PORT FIRST N [server-reset]
                                      N TCP connections from source ports
                                      FIRST..FIRST+N-1, each closed with a reset
                                      (no TIME_WAIT: the port is free again at
                                      once), from the server with server-reset;
                                      print "LOCALPORT NAME" per connection
  whoami.py icmperr VIP CLIENT CPORT PORT MTU
                                      send VIP an ICMP "fragmentation needed"
                                      quoting a reply VIP:PORT -> CLIENT:CPORT
"""
import struct
import collections
import faulthandler
import os
import signal
import socket
import sys
import threading
import time

# Every run is bounded: 240 s (the soak, tests/vm/soak/soak.sh, sets
# WHOAMI_SECONDS for its servers).
DEADLINE = time.monotonic() + float(os.environ.get("WHOAMI_SECONDS", "240"))


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(name, addr, port):
    data = name.encode()
    tcp = socket.socket(family(addr), socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((addr, port))
    tcp.listen(512)
    udp = socket.socket(family(addr), socket.SOCK_DGRAM)
    udp.bind((addr, port))

    def udp_loop():
        while True:
            msg, peer = udp.recvfrom(2048)
            udp.sendto(data, peer)

    def conn_loop(c):
        with c:
            c.settimeout(60)
            try:
                while True:
                    msg = c.recv(65536)
                    if not msg:
                        return
                    if msg == b"reset\n":
                        # Closed by a reset from here (the real): in
                        # direct server return the LB never sees it.
                        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        return
                    c.sendall(data + b"\n" if msg == b"who\n" else msg)
            except OSError:
                return  # the client reset it, or went quiet

    # With WHOAMI_LOG set (the cluster tests keep each server's output in
    # a file), a server says when it starts and why it stops: a signal, a
    # crash, or the end of its time. os.write, not print: a second signal
    # (timeout forwards the one pkill sent it too) may come while the first
    # one's handler writes.
    def log(what):
        if os.environ.get("WHOAMI_LOG"):
            os.write(2, f"{name} {addr}:{port}: {what}\n".encode())

    def stopped(signum, _frame):
        log(f"stopped by signal {signum}")
        os._exit(128 + signum)

    for signum in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, stopped)
    faulthandler.enable()
    log(f"serving (pid {os.getpid()})")
    threading.Thread(target=udp_loop, daemon=True).start()
    while time.monotonic() < DEADLINE + 60:
        c, _ = tcp.accept()
        threading.Thread(target=conn_loop, args=(c,), daemon=True).start()
    log("time is up")


def udp(addr, port, n):
    counts = collections.Counter()
    for _ in range(n):
        if time.monotonic() > DEADLINE:
            break
        s = socket.socket(family(addr), socket.SOCK_DGRAM)
        s.settimeout(2)
        try:
            s.sendto(b"who", (addr, port))
            try:
                answer = s.recvfrom(64)[0]
            except socket.timeout:
                # Datagrams may be lost on the way; a client asks again,
                # in the same flow. (forward.sh checks that none of the
                # LB's drop counters moved.)
                counts["(resent)"] += 1
                s.sendto(b"who", (addr, port))
                answer = s.recvfrom(64)[0]
            counts[answer.decode()] += 1
        except OSError:
            counts["(none)"] += 1
        s.close()
    return counts


def tcp_who(s):
    s.sendall(b"who\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(64)
        if not chunk:
            raise OSError("closed")
        buf += chunk
    return buf.decode().strip()


def tcp(addr, port, n):
    counts = collections.Counter()
    for _ in range(n):
        if time.monotonic() > DEADLINE:
            break
        try:
            with socket.create_connection((addr, port), timeout=5) as s:
                counts[tcp_who(s)] += 1
        except OSError:
            counts["(none)"] += 1
    return counts


def hold(addr, port, n, seconds):
    socks = []
    for _ in range(n):
        # Generous: the debug (KASAN) kernel under TCG answers slowly while
        # a test loads it; a broken connection fails fast (RST) anyway.
        socks.append(socket.create_connection((addr, port), timeout=30))
    first = [tcp_who(s) for s in socks]
    print("open", n, flush=True)
    time.sleep(seconds)
    done = 0
    for s, name in zip(socks, first):
        try:
            if tcp_who(s) == name:
                done += 1
        except OSError:
            pass
        s.close()
    return collections.Counter({"completed": done})


# <linux/in.h>, <linux/in6.h>: not all in Python's socket module.
IP_MTU_DISCOVER, IP_MTU, IPV6_MTU_DISCOVER, IPV6_MTU, PMTUDISC_DO = 10, 14, 23, 24, 2


def mtu(addr, port, size):
    fam = family(addr)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_DO)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, PMTUDISC_DO)
    s.connect((addr, port))
    try:
        s.send(b"x" * size)
    except OSError:
        pass
    time.sleep(1)
    if fam == socket.AF_INET:
        print(s.getsockopt(socket.IPPROTO_IP, IP_MTU))
    else:
        print(s.getsockopt(socket.IPPROTO_IPV6, IPV6_MTU))


def refused(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect((addr, port))
    except socket.timeout:
        print("no answer")
        return
    except OSError as e:
        sys.exit(f"answered: {e}")
    sys.exit("connected")


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def synflood(src, dst, port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    saddr, daddr = socket.inet_aton(src), socket.inet_aton(dst)
    for i in range(n):
        sport = 1024 + i % 64000
        tcp = struct.pack("!HHIIBBHHH", sport, port, i, 0, 5 << 4, 0x02, 65535, 0, 0)
        pseudo = saddr + daddr + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i & 0xFFFF, 0x4000, 64,
                         socket.IPPROTO_TCP, 0, saddr, daddr)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        s.sendto(ip + tcp, (dst, 0))
    print("sent", n)


def flow(addr, port, seconds):
    with socket.create_connection((addr, port), timeout=5) as s:
        print(s.getsockname()[1], tcp_who(s), flush=True)
        time.sleep(seconds)


def answers(name, port, addrs):
    for addr in addrs:
        try:
            with socket.create_connection((addr, port), timeout=1) as s:
                if tcp_who(s) != name:
                    return False
            with socket.socket(family(addr), socket.SOCK_DGRAM) as s:
                s.settimeout(1)
                s.sendto(b"who", (addr, port))
                if s.recvfrom(64)[0].decode() != name:
                    return False
        except OSError:
            return False
    return True


def ports(addr, port, first, n, by_server=False):
    for local in range(first, first + n):
        s = socket.socket(family(addr), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.settimeout(5)
        try:
            s.bind(("", local))
            s.connect((addr, port))
            print(local, tcp_who(s), flush=True)
            if by_server:
                # The server resets it; nothing more leaves this side.
                s.sendall(b"reset\n")
                try:
                    while s.recv(64):
                        pass
                except ConnectionResetError:
                    pass
        except OSError:
            print(local, "(none)", flush=True)
        s.close()


def icmperr(vip, client, cport, port, mtu):
    tcp = struct.pack("!HHI", port, cport, 1)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, 0, 0x4000, 64, socket.IPPROTO_TCP, 0,
                     socket.inet_aton(vip), socket.inet_aton(client))
    icmp = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + ip + tcp
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.sendto(icmp, (vip, 0))


def main():
    cmd = sys.argv[1]
    if cmd == "answers":
        sys.exit(0 if answers(sys.argv[2], int(sys.argv[3]), sys.argv[4:]) else 1)
    if cmd == "ports":
        ports(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
              sys.argv[6:] == ["server-reset"])
        return
    if cmd == "flow":
        flow(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
        return
    if cmd == "icmperr":
        icmperr(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
        return
    if cmd == "synflood":
        synflood(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        return
    if cmd == "mtu":
        mtu(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    if cmd == "refused":
        refused(sys.argv[2], int(sys.argv[3]))
        return
    if cmd == "serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    addr, port, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if cmd == "hold":
        counts = hold(addr, port, n, float(sys.argv[5]))
    else:
        counts = (udp if cmd == "udp" else tcp)(addr, port, n)
    for name, count in sorted(counts.items()):
        print(name, count)


if __name__ == "__main__":
    main()
