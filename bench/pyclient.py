"""The Python `websockets` client of the benchmark: received messages to stdout, as
wsauth's pipe mode does (text + newline, binary as raw bytes), until the server closes."""

import asyncio
import sys

from websockets.asyncio.client import connect


async def main(url):
    out = sys.stdout.buffer
    async with connect(url, max_size=None, compression=None) as ws:
        async for message in ws:
            if isinstance(message, str):
                out.write(message.encode() + b"\n")
            else:
                out.write(message)
    out.flush()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
