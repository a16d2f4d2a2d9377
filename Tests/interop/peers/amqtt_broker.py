"""An amqtt broker (PyPI ``amqtt``, its own virtualenv ``.venv-amqtt``: amqtt pins
an older websockets than the test suite) that takes a JWT as the CONNECT password,
as EMQX, RabbitMQ and AWS IoT custom authorizers do. Run as a script by
``peers/amqtt_peer.py``:

    .venv-amqtt/bin/python amqtt_broker.py PORT KEY_HEX RECORDS_FILE SKEW_SECONDS

The auth plugin verifies the HS256 signature (``hmac`` with the shared key) and
``exp`` (by a clock SKEW_SECONDS ahead), and appends one JSON line per CONNECT to RECORDS_FILE: the client id,
user name, password and verdict. The topic plugin refuses ``secret/…``, so that
such a SUBSCRIBE gets SUBACK 0x80. MQTT 3.1.1 only (amqtt speaks no 5.0).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import sys
import time

from amqtt.broker import Broker
from amqtt.plugins.base import BaseAuthPlugin, BaseTopicPlugin

PORT, KEY, RECORDS, SKEW = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3], float(sys.argv[4])


def verdict(password: str | None) -> str:
    try:
        header, claims, signature = (password or "").split(".")
        expected = base64.urlsafe_b64encode(hmac.new(KEY, f"{header}.{claims}".encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected.rstrip(b"="), signature.encode()):
            return "bad signature"
        payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        return "accepted" if payload["exp"] > time.time() + SKEW else "token expired"
    except (ValueError, KeyError):
        return "not a JWT"


class JWTPasswordAuth(BaseAuthPlugin):
    async def authenticate(self, *, session) -> bool:
        result = verdict(session.password)
        with open(RECORDS, "a") as records:
            records.write(json.dumps({"client": session.client_id, "user": session.username,
                                      "password": session.password, "verdict": result}) + "\n")
        return result == "accepted"


class NoSecretTopics(BaseTopicPlugin):
    async def topic_filtering(self, *, session=None, topic=None, action=None) -> bool:
        return not (topic or "").startswith("secret/")


async def main() -> None:
    broker = Broker({
        "listeners": {"default": {"type": "ws", "bind": f"127.0.0.1:{PORT}", "max_connections": 20}},
        "plugins": {f"{__name__}.JWTPasswordAuth": {}, f"{__name__}.NoSecretTopics": {}},
    })
    await broker.start()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
