#!/usr/bin/env python3
"""A health check through the VIP, as sluiced makes it: a socket of the LB
node marked SO_MARK = SLUICE_MARK_VALUE | slot (the real's slot), bound to
an address of the node, to VIP:PORT; the module sends it to that real
encapsulated, as it sends a client's packets. The servers are sluice-whoami's.

  probe.py tcp MARK SRC ADDR PORT [BYTES]  connect, ask "who" and print the
                                           answer; with BYTES, then echo
                                           that many bytes, check them and
                                           print the MSS the socket ended with
  probe.py udp MARK SRC ADDR PORT          send "who" (asking twice at
                                           most), print the answer

MARK: a number (0x... allowed), or "none" for an unmarked socket. SRC: the
address to bind to. Exit 0 with the answer printed; 1 (printing
"(none) REASON") when there is no answer within a few seconds.
"""
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from who import family, tcp_who  # noqa: E402

SO_MARK = 36  # <asm-generic/socket.h>; Python 3.11's socket module lacks it
TIMEOUT = 3


def sock(kind, mark, src, addr):
    s = socket.socket(family(addr), kind)
    if mark != "none":
        s.setsockopt(socket.SOL_SOCKET, SO_MARK, int(mark, 0))
    s.bind((src, 0))
    s.settimeout(TIMEOUT)
    return s


def tcp(mark, src, addr, port, nbytes):
    with sock(socket.SOCK_STREAM, mark, src, addr) as s:
        s.connect((addr, port))
        name = tcp_who(s)
        if nbytes:
            # Far more than a segment: the local socket builds GSO packets
            # and learns the tunnel's path MTU on the way.
            data = bytes(i % 251 for i in range(nbytes))
            s.settimeout(30)
            s.sendall(data)
            got = b""
            while len(got) < nbytes:
                chunk = s.recv(65536)
                if not chunk:
                    raise OSError("closed after %d bytes" % len(got))
                got += chunk
            if got != data:
                raise OSError("echo differs")
            # The MSS the socket ended with: under the tunnel's path MTU.
            mss = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
            name += " echoed %d mss %d" % (nbytes, mss)
        return name


def udp(mark, src, addr, port):
    with sock(socket.SOCK_DGRAM, mark, src, addr) as s:
        for attempt in (1, 2):
            s.sendto(b"who", (addr, port))
            try:
                return s.recvfrom(64)[0].decode()
            except socket.timeout:
                if attempt == 2:
                    raise


def main():
    cmd, mark, src, addr, port = sys.argv[1:6]
    try:
        if cmd == "tcp":
            nbytes = int(sys.argv[6]) if len(sys.argv) > 6 else 0
            print(tcp(mark, src, addr, int(port), nbytes))
        else:
            print(udp(mark, src, addr, int(port)))
    except OSError as e:
        print("(none)", e or type(e).__name__)
        sys.exit(1)


if __name__ == "__main__":
    main()
