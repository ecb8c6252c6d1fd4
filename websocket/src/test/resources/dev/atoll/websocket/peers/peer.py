"""A WebSocket peer on Python's websockets library: echoes, a ping, a close.

Usage: python3 peer.py URL CLOSING_URL [CA_PEM]

Sends a small and a large text and binary message and checks that each comes back unchanged,
pings and waits for the pong, then closes with 4000 "peer says bye"; then connects to
CLOSING_URL, where the server closes. Prints one line per step (the negotiated extensions
first, the server's close code and [reason], then the closing server's) and exits with 0;
on any failure it prints the reason to stderr and exits with 1.
"""
import asyncio
import ssl
import sys

import websockets

LARGE = 200 * 1024
CLOSE_CODE = 4000
CLOSE_REASON = "peer says bye"
PING = b"ping from the peer"


def large_text():
    parts, total, i = [], 0, 0
    while total < LARGE:
        line = f"line {i}: the quick brown fox jumps over the lazy dog \u00fc\n"
        parts.append(line)
        total += len(line)
        i += 1
    return "".join(parts)[:LARGE]


def large_binary():
    mask, x, out = 0xFFFFFFFF, 2463534242, bytearray(LARGE)
    for i in range(LARGE):
        x ^= (x << 13) & mask
        x ^= x >> 17
        x ^= (x << 5) & mask
        out[i] = x & 0xFF
    return bytes(out)


def payloads():
    return [("text", "h\u00e9llo, Atoll \u2713"), ("text", large_text()),
            ("binary", bytes(range(256))), ("binary", large_binary())]


async def run(url, closing_url, ca):
    context = ssl.create_default_context(cafile=ca) if url.startswith("wss:") else None
    async with websockets.connect(url, ssl=context, open_timeout=10, close_timeout=10, max_size=1 << 20) as ws:
        headers = ws.response_headers if hasattr(ws, "response_headers") else ws.response.headers
        print("extensions", headers.get("Sec-WebSocket-Extensions", ""), flush=True)
        for kind, data in payloads():
            await ws.send(data)
            echo = await asyncio.wait_for(ws.recv(), 10)
            if type(echo) is not type(data) or echo != data:
                raise AssertionError(f"the echo of a {kind} message of {len(data)} differs: "
                                     f"{type(echo).__name__} of {len(echo)}")
            print("echo", kind, len(data), flush=True)
        pong = await ws.ping(PING)
        await asyncio.wait_for(pong, 10)
        print("pong", len(PING), flush=True)
        await ws.close(code=CLOSE_CODE, reason=CLOSE_REASON)
        print(f"close {ws.close_code} [{ws.close_reason}]", flush=True)
    async with websockets.connect(closing_url, ssl=context, open_timeout=10, close_timeout=10) as ws:
        try:
            message = await asyncio.wait_for(ws.recv(), 10)
            raise AssertionError(f"a message instead of the server's close: {message!r}")
        except websockets.ConnectionClosed:
            pass
        await ws.wait_closed()
        print(f"closed by the server {ws.close_code} [{ws.close_reason}]", flush=True)


def main():
    url, closing_url, ca = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None
    try:
        asyncio.run(asyncio.wait_for(run(url, closing_url, ca), 60))
    except BaseException as e:
        print(f"python websockets {websockets.__version__} failed: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
