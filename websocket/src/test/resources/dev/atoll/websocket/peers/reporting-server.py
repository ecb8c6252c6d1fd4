"""A WebSocket echo server on Python's websockets library that reports what its client did, for
the tests of Atoll's client.

Usage: python3 reporting-server.py on|off [CERT_PEM KEY_PEM]

Listens on 127.0.0.1 on a free port, with permessage-deflate accepted (on: the library's
default) or not (off: compression=None), over TLS with that certificate chain and key when
given. Prints the port on one line, then for each connection one line per step: the
Sec-WebSocket-Extensions its response named ("extensions ..."), "echo text|binary LENGTH" for
each message it echoes (a text's length in characters), and the client's close as
"close CODE [REASON]" (or "close none" when the connection ended without one). Runs until stopped.
"""
import asyncio
import ssl
import sys

import websockets


async def report(ws, *path):
    print("extensions", ws.response_headers.get("Sec-WebSocket-Extensions", ""), flush=True)
    while True:
        try:
            message = await ws.recv()
        except websockets.ConnectionClosed as closed:
            if closed.rcvd is None:
                print("close none", flush=True)
            else:
                print(f"close {closed.rcvd.code} [{closed.rcvd.reason}]", flush=True)
            return
        await ws.send(message)
        kind = "text" if isinstance(message, str) else "binary"
        print("echo", kind, len(message), flush=True)


async def main(deflate, cert, key):
    context = None
    if cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    options = {} if deflate else {"compression": None}
    async with websockets.serve(report, "127.0.0.1", 0, ssl=context, max_size=16 * 2**20, **options) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4) or sys.argv[1] not in ("on", "off"):
        sys.exit("usage: reporting-server.py on|off [CERT_PEM KEY_PEM]")
    asyncio.run(main(sys.argv[1] == "on", *(sys.argv[2:4] if len(sys.argv) == 4 else (None, None))))
