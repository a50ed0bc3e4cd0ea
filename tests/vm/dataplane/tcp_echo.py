#!/usr/bin/env python3
"""Bounded TCP echo for the VM data-plane tests.

  tcp_echo.py server ADDR PORT            echo one connection back, then exit (60 s limit)
  tcp_echo.py client ADDR PORT BYTES      send BYTES of random data, read the echo,
                                          exit 0 iff it came back byte for byte
"""
import hashlib
import os
import socket
import sys
import threading

LIMIT = 60


def server(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(1)
    s.settimeout(LIMIT)
    c, _ = s.accept()
    c.settimeout(LIMIT)
    while True:
        data = c.recv(1 << 16)
        if not data:
            break
        c.sendall(data)
    c.close()


def client(addr, port, nbytes):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    data = os.urandom(int(nbytes))
    s = socket.create_connection((addr, int(port)), timeout=LIMIT)
    got = []

    def reader():
        while True:
            b = s.recv(1 << 16)
            if not b:
                break
            got.append(b)

    t = threading.Thread(target=reader)
    t.start()
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    t.join(LIMIT)
    back = b"".join(got)
    ok = back == data
    print("sent %d bytes, got %d back, %s (sha256 %s)" % (
        len(data), len(back), "identical" if ok else "DIFFERENT",
        hashlib.sha256(data).hexdigest()[:16]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    {"server": server, "client": client}[sys.argv[1]](*sys.argv[2:])
