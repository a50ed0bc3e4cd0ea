"""What the Python test clients (probe.py, stream.py) share: asking a test
server (sluice-whoami serve, tests/tools/sluice-whoami.c) who it is."""
import socket


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def tcp_who(s):
    """Send "who\\n" on the connected socket S, return the name answered."""
    s.sendall(b"who\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(64)
        if not chunk:
            raise OSError("closed")
        buf += chunk
    return buf.decode().strip()
