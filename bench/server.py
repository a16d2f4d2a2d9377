"""A WebSocket server for benchmarks: after a minimal correct handshake (RFC 6455 §4.2)
it writes PRECOMPUTED frames straight to the socket, so that the client under test is
the bottleneck, then closes with 1000 and waits for the client's close.

Paths (the query sets sizes):
  /firehose?n=200000&size=64   n text messages of `size` ASCII bytes
  /big?size=67108864           one binary message of `size` bytes
  /probe                       nothing: waits for the client's close and echoes it

Prints its port on the first line of stdout. Bounded: it exits by itself after
--idle seconds without a connection, or --lifetime seconds in all.
"""

import argparse
import base64
import hashlib
import socket
import struct
import sys
import threading
import time
import urllib.parse

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CLOSE_1000 = b"\x88\x02\x03\xe8"

_cache = {}
_cache_lock = threading.Lock()


def frame(opcode, payload):
    """One unmasked server frame (RFC 6455 §5.2)."""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return header + payload


def firehose_payload(index, size):
    """Message `index`: printable ASCII, distinct per message, exactly `size` bytes."""
    text = b"%09d " % index
    return (text + b"x" * size)[:size]


def precomputed(path, query):
    """The bytes to write after the handshake, built once per distinct request."""
    key = (path, tuple(sorted(query.items())))
    with _cache_lock:
        if key in _cache:
            return _cache[key]
        if path == "/firehose":
            n = int(query.get("n", "200000"))
            size = int(query.get("size", "64"))
            data = b"".join(frame(0x1, firehose_payload(i, size)) for i in range(n))
        elif path == "/big":
            size = int(query.get("size", str(64 << 20)))
            data = frame(0x2, bytes(range(256)) * (size // 256) + bytes(size % 256))
        else:
            data = b""
        _cache[key] = data
        return data


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
        if len(data) > 65536:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def wait_for_close(conn, pending, echo):
    """Reads the client's frames until its close frame (or EOF); echoes it if asked."""
    buffer = bytearray(pending)
    conn.settimeout(30)
    while True:
        while len(buffer) >= 2:
            opcode = buffer[0] & 0x0F
            length = buffer[1] & 0x7F
            offset = 2
            if length == 126:
                if len(buffer) < 4:
                    break
                length = struct.unpack_from("!H", buffer, 2)[0]
                offset = 4
            elif length == 127:
                if len(buffer) < 10:
                    break
                length = struct.unpack_from("!Q", buffer, 2)[0]
                offset = 10
            if buffer[1] & 0x80:
                offset += 4
            if len(buffer) < offset + length:
                break
            if opcode == 0x8:
                if echo:
                    mask = buffer[offset - 4:offset]
                    body = bytes(b ^ mask[i % 4] for i, b in enumerate(buffer[offset:offset + length]))
                    conn.sendall(frame(0x8, body[:2]))
                return
            del buffer[:offset + length]
        chunk = conn.recv(65536)
        if not chunk:
            return
        buffer += chunk


def serve_one(conn):
    try:
        conn.settimeout(60)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        got = read_head(conn)
        if got is None:
            return
        head, rest = got
        lines = head.split("\r\n")
        target = lines[0].split(" ")[1]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        key = headers.get("sec-websocket-key", "")
        accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
        url = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(url.query))
        data = precomputed(url.path, query)
        conn.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept.encode() + b"\r\n\r\n")
        if url.path == "/probe":
            wait_for_close(conn, rest, echo=True)
            return
        conn.sendall(data)
        conn.sendall(CLOSE_1000)
        wait_for_close(conn, rest, echo=False)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle", type=float, default=120)
    parser.add_argument("--lifetime", type=float, default=3600)
    parser.add_argument("--warm", action="append", default=[], help="path?query to precompute at start")
    args = parser.parse_args()
    for target in args.warm:
        url = urllib.parse.urlsplit(target)
        precomputed(url.path, dict(urllib.parse.parse_qsl(url.query)))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(1.0)
    print(listener.getsockname()[1], flush=True)
    started = last = time.monotonic()
    while True:
        now = time.monotonic()
        if now - last > args.idle or now - started > args.lifetime:
            return
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        last = time.monotonic()
        threading.Thread(target=serve_one, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
