"""Third-party peers that the wsauth binary is tested against.

Each peer runs on its own asyncio loop in a background thread (see
``loop_thread``), binds 127.0.0.1 port 0 only, and records what it saw so
that tests can assert from the server side.
"""
