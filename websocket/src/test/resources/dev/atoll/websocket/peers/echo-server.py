"""A WebSocket echo server on Python's websockets library, for the conformance suite.

Usage: python3 echo-server.py

Listens on 127.0.0.1 on a free port with its defaults (permessage-deflate accepted), messages up
to 16 MiB, echoes every text and binary message, prints the port on one line, and runs until
stopped.
"""
import asyncio

import websockets


async def echo(ws, *path):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=16 * 2**20) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main())
