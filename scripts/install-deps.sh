#!/usr/bin/env bash
# Installs what building and testing wsauth needs on Debian 12, and only what is
# missing: system packages through apt, Python test peers in a venv under .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/apt-ensure.sh libcurl4-openssl-dev libssl-dev zlib1g-dev libedit-dev redis-server openssl tmux pkg-config nginx-light
# The STOMP interop tests start a RabbitMQ node of their own (Tests/interop/peers/rabbitmq.py).
./scripts/apt-ensure.sh rabbitmq-server
# doctor's interop test of an Origin answered with 404: Rails' Action Cable on puma
# (Tests/interop/peers/actioncable/config.ru).
./scripts/apt-ensure.sh ruby-actioncable puma
# The MQTT interop tests start a Mosquitto broker of their own (Tests/interop/peers/mosquitto.py).
./scripts/apt-ensure.sh mosquitto

# swift-argument-parser without Foundation, where Package.swift expects it.
./scripts/argument-parser.sh

requirements=Tests/interop/requirements.txt
stamp=.venv/.requirements.stamp
if [ ! -x .venv/bin/python ] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi

# The MQTT tests' JWT-as-password broker (Tests/interop/peers/amqtt_broker.py): amqtt
# pins an older websockets than the suite, so it gets a virtualenv of its own.
amqtt_requirement="amqtt>=0.11,<0.12"
if [ ! -x .venv-amqtt/bin/python ] || ! .venv-amqtt/bin/python -c 'import amqtt' 2>/dev/null; then
    python3 -m venv .venv-amqtt
    .venv-amqtt/bin/pip install -q --disable-pip-version-check "$amqtt_requirement"
fi
