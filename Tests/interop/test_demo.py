"""`wsauth demo`: the README's first command tells the whole story and exits 0."""
import re


def test_demo_walks_through_the_lifecycle(run_wsauth, secret_registry):
    # The demo user's password must never be printed either.
    secret_registry.append("wonderland")
    r = run_wsauth("demo", "--token-ttl", "2s", timeout=120)
    out = r.text
    assert r.code == 0, r.describe()
    for step in range(1, 11):
        assert f"Step {step} —" in out
    assert "upgrade accepted: HTTP 101" in out
    assert "token: sent in the header" in out
    assert "closed by server: 4001" in out
    assert "refresh token rotated" in out
    assert "HTTP 401" in out and "logged out or revoked" in out
    # The Socket.IO story: CONNECT with the token, an event echoed, DISCONNECT at expiry,
    # refresh, CONNECT again with the new token (welcomed twice, two Socket.IO sids).
    socketio = out[out.index("Step 7 —"):out.index("Step 9 —")]
    assert socketio.count("socketio session open") == 2, socketio
    assert socketio.count('["welcome",{"user":"alice"}]') == 2, socketio
    assert '["echo","hello","socket.io"]' in socketio
    assert "(Socket.IO DISCONNECT)" in socketio
    assert socketio.index("(Socket.IO DISCONNECT)") < socketio.index("refresh token rotated")
    # The device flow against the demo's own server: discovery, a user code, the demo
    # approving it on /device, the tokens it got accepted at the handshake.
    device = out[out.index("Step 10 —"):]
    assert "discovered the endpoints" in device
    assert re.search(r"enter the code [B-Z]{4}-[B-Z]{4}", device), device
    assert "/device: HTTP/1.1 200" in device and "Logged in as alice" in device
    assert device.count("upgrade accepted: HTTP 101") == 1, device
    # Tokens the test cannot know in advance: no whole JWT anywhere.
    assert not re.search(r"eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}", out), out
    assert "(redacted," in out


def test_demo_refuses_a_bad_ttl(run_wsauth):
    r = run_wsauth("demo", "--token-ttl", "soon")
    assert r.code == 64, r.describe()
