#!/usr/bin/env python3
"""UDP helpers for tests/bpf/veth.sh (run inside a namespace with nsenter).

  udp.py recv ADDR PORT SECONDS        print how many datagrams arrived
  udp.py send ADDR PORT COUNT [MARK]   send COUNT datagrams (SO_MARK if given)
  udp.py capture IFACE SECONDS         print every IPv4-in-IPv4 packet seen on
                                       IFACE as "outer_src outer_dst inner_dport payload"
"""
import socket
import struct
import sys
import time

SO_MARK = 36
PAYLOAD = b"sluice-veth-test"


def recv(addr, port, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.settimeout(0.2)
    n, end = 0, time.time() + float(seconds)
    while time.time() < end:
        try:
            if s.recv(2048) == PAYLOAD:
                n += 1
        except socket.timeout:
            pass
    print(n)


def send(addr, port, count, mark=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if mark:
        s.setsockopt(socket.SOL_SOCKET, SO_MARK, int(mark, 0))
    for _ in range(int(count)):
        s.sendto(PAYLOAD, (addr, int(port)))
        time.sleep(0.01)


def capture(iface, seconds):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind((iface, 0))
    s.settimeout(0.2)
    end = time.time() + float(seconds)
    while time.time() < end:
        try:
            frame = s.recv(65535)
        except socket.timeout:
            continue
        ip = frame[14:]
        if len(ip) < 20 or ip[9] != 4:
            continue
        inner = ip[20:]
        ihl = (inner[0] & 0xF) * 4
        dport = struct.unpack("!H", inner[ihl + 2:ihl + 4])[0]
        payload = inner[ihl + 8:]
        print(socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20]), dport,
              payload.decode(errors="replace"), flush=True)


if __name__ == "__main__":
    {"recv": recv, "send": send, "capture": capture}[sys.argv[1]](*sys.argv[2:])
