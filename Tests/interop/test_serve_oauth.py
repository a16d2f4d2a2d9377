"""Issue 15: the OAuth 2.0 authorization server of `wsauth serve` — discovery, the
authorization endpoint with PKCE and loopback redirects, the device endpoints and the
interactive grants at the token endpoint — against wsauth's own interactive login
and against a plain HTTP client (`requests`) for the error paths.

The browser is played by the test, as in test_oauth.py: wsauth opens the URL with
$BROWSER (a script that writes it to a file); the test loads the consent page, posts
its form back with the demo user's login, and follows the redirect to the loopback.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets as random
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from support.background import Background, logged_user_code, wait_for
from support.serve import Serve
from wsauth_runner import WsauthRunner, check_result, stored_secrets

HTTP = 10
CLIENT = "wsauth-cli"
USER = {"username": "alice", "password": "wonderland"}
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def serve(wsauth_bin: Path) -> Iterator[Serve]:
    server = Serve(wsauth_bin)
    yield server
    server.stop()


@pytest.fixture
def browser(tmp_path: Path) -> tuple[dict[str, str | None], Path]:
    """$BROWSER for wsauth: a script that hands the URL to the test."""
    url_file = tmp_path / "opened-url"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{url_file}.part" && mv "{url_file}.part" "{url_file}"\n')
    script.chmod(0o755)
    return {"BROWSER": str(script), "DISPLAY": None, "WAYLAND_DISPLAY": None}, url_file


class FormReader(HTMLParser):
    """The fields a browser would post: every named input with its value."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self.action = named.get("action")
        if tag == "input" and named.get("name"):
            self.fields[named["name"]] = named.get("value") or ""


def submit(page: requests.Response, **answers: str) -> requests.Response:
    """The user fills in the page's form and presses a button; redirects are not followed."""
    form = FormReader()
    form.feed(page.text)
    assert form.action, page.text
    target = page.url.split("/", 3)[:3]
    return requests.post("/".join(target) + form.action, data={**form.fields, **answers},
                         allow_redirects=False, timeout=HTTP)


def consent(url: str, decision: str = "approve", **credentials: str) -> requests.Response:
    page = requests.get(url, timeout=HTTP)
    assert page.status_code == 200 and "<form" in page.text, page.text
    assert page.headers["X-Frame-Options"] == "DENY"
    return submit(page, **{**USER, **credentials}, decision=decision)


def stored(run: WsauthRunner) -> dict[str, Any] | None:
    path = run.home / "state" / "wsauth" / "default.json"
    return json.loads(path.read_text()) if path.exists() else None


def claims(jwt: str) -> dict[str, Any]:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def query_of(location: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(location).query))


def login_args(serve: Serve, grant: str, *extra: str) -> list[str]:
    return ["login", "--issuer", serve.base, "--grant", grant, "--client-id", CLIENT, *extra]


# -- discovery -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"])
def test_metadata_names_every_endpoint(serve, path):
    document = requests.get(serve.base + path, timeout=HTTP).json()
    assert document["issuer"] == serve.base
    assert document["authorization_endpoint"] == serve.base + "/authorize"
    assert document["token_endpoint"] == serve.base + "/oauth/token"
    assert document["device_authorization_endpoint"] == serve.base + "/device/code"
    assert document["revocation_endpoint"] == serve.base + "/oauth/revoke"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert {"authorization_code", DEVICE_GRANT, "refresh_token"} <= set(document["grant_types_supported"])
    assert serve.base in serve.banner and "--issuer" in serve.banner


# -- the authorization code grant through wsauth ---------------------------------


def test_wsauth_logs_in_with_a_code_then_probes_refreshes_and_revokes(run_wsauth, serve, browser):
    env, url_file = browser
    job = Background(run_wsauth, login_args(serve, "authorization_code", "--scope", "openid", "--ws-url", serve.ws), env)
    url = wait_for(lambda: url_file.exists() and url_file.read_text(), "wsauth to open the browser")
    sent = query_of(url)
    assert url.startswith(serve.base + "/authorize?") and sent["code_challenge_method"] == "S256"
    answer = consent(url)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    returned = query_of(location)
    assert location.startswith(sent["redirect_uri"] + "?") and returned["state"] == sent["state"]
    landing = requests.get(location, timeout=HTTP)
    result = job.finish()
    assert result.code == 0, result.describe()
    assert landing.status_code == 200 and "logged in" in landing.text

    saved = stored(run_wsauth)
    check_result(result, [returned["code"], *stored_secrets(run_wsauth.home / "state" / "wsauth"), saved["id_token"]])
    assert claims(saved["access_token"])["sub"] == "alice"
    assert claims(saved["id_token"]).items() >= {"sub": "alice", "aud": CLIENT, "iss": serve.base}.items()
    assert saved["refresh"]["url"] == serve.base + "/oauth/token"
    assert saved["revocation_url"] == serve.base + "/oauth/revoke"

    probe = run_wsauth("probe")
    assert probe.code == 0, probe.describe()
    refreshed = run_wsauth("refresh")
    assert refreshed.code == 0, refreshed.describe()
    after = stored(run_wsauth)
    assert after["access_token"] != saved["access_token"] and after["refresh_token"] != saved["refresh_token"]

    logout = run_wsauth("logout")
    assert logout.code == 0, logout.describe()
    with pytest.raises(InvalidStatus) as refused:
        connect(serve.ws, additional_headers={"Authorization": f"Bearer {after['access_token']}"}, open_timeout=HTTP)
    assert refused.value.response.status_code == 401, "revocation at logout ended the session"
    assert returned["code"] not in serve.logged() and after["access_token"] not in serve.logged()


def test_wsauth_answers_a_redirect_with_another_state_400_and_waits_on(run_wsauth, serve, browser):
    env, url_file = browser
    job = Background(run_wsauth, login_args(serve, "authorization_code"), env)
    url = wait_for(lambda: url_file.exists() and url_file.read_text(), "wsauth to open the browser")
    location = consent(url).headers["Location"]
    code = query_of(location)["code"]
    forged = location.split("?")[0] + "?" + urlencode({"code": code, "state": "forged"})
    landing = requests.get(forged, timeout=HTTP)
    assert landing.status_code == 400
    assert "authorization_code grant" not in serve.logged(), "the code of a forged redirect is not redeemed"
    assert requests.get(location, timeout=HTTP).status_code == 200, "the real redirect still ends the login"
    result = job.finish()
    check_result(result, [code])
    assert result.code == 0, result.describe()
    assert stored(run_wsauth) is not None


def test_a_denied_consent_exits_2(run_wsauth, serve, browser):
    env, url_file = browser
    job = Background(run_wsauth, login_args(serve, "authorization_code"), env)
    url = wait_for(lambda: url_file.exists() and url_file.read_text(), "wsauth to open the browser")
    location = consent(url, decision="deny").headers["Location"]
    assert query_of(location)["error"] == "access_denied"
    requests.get(location, timeout=HTTP)
    result = job.finish()
    assert result.code == 2, result.describe()
    assert "access_denied" in result.last_line
    assert stored(run_wsauth) is None


# -- the authorization endpoint and the code grant, from a plain HTTP client ------


def pkce() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(random.token_bytes(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


REDIRECT = "http://127.0.0.1:45678/callback"


def authorize_url(serve: Serve, **changes: str | None) -> str:
    params = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "s-1",
              "scope": "openid", "code_challenge": pkce()[1], "code_challenge_method": "S256", **changes}
    return serve.base + "/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def code_for(serve: Serve, challenge: str, redirect: str = REDIRECT) -> str:
    answer = consent(authorize_url(serve, code_challenge=challenge, redirect_uri=redirect))
    assert answer.status_code == 302, answer.text
    return query_of(answer.headers["Location"])["code"]


def redeem(serve: Serve, code: str, verifier: str, **changes: str) -> requests.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": CLIENT,
            "code_verifier": verifier, **changes}
    return requests.post(serve.base + "/oauth/token", data=form, timeout=HTTP)


def test_the_server_checks_the_pkce_verifier_and_burns_the_code(serve):
    verifier, challenge = pkce()
    code = code_for(serve, challenge)
    tampered = redeem(serve, code, pkce()[0])
    assert tampered.status_code == 400 and tampered.json()["error"] == "invalid_grant"
    assert "code_verifier" in tampered.json()["error_description"]
    assert redeem(serve, code, verifier).json()["error"] == "invalid_grant", "a code is tried once"


def test_a_good_code_gives_tokens_once_and_a_replay_revokes_them(serve):
    verifier, challenge = pkce()
    code = code_for(serve, challenge)
    first = redeem(serve, code, verifier)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["token_type"] == "Bearer" and body["refresh_token"] and body["scope"] == "openid"
    assert claims(body["id_token"])["aud"] == CLIENT and "sid" not in claims(body["id_token"])
    with connect(serve.ws, additional_headers={"Authorization": f"Bearer {body['access_token']}"}, open_timeout=HTTP):
        pass
    replay = redeem(serve, code, verifier)
    assert replay.json()["error"] == "invalid_grant" and "already used" in replay.json()["error_description"]
    refresh = requests.post(serve.base + "/oauth/token", timeout=HTTP,
                            data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"]})
    assert refresh.json()["error"] == "invalid_grant", "the replay revoked the tokens issued for the code"


@pytest.mark.parametrize("changes, fragment", [
    ({"redirect_uri": "http://127.0.0.1:45679/callback"}, "redirect_uri"),
    ({"client_id": "another"}, "client_id"),
])
def test_the_code_is_bound_to_its_redirect_and_client(serve, changes, fragment):
    verifier, challenge = pkce()
    answer = redeem(serve, code_for(serve, challenge), verifier, **changes)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert fragment in answer.json()["error_description"]


@pytest.mark.parametrize("changes, error", [
    ({"code_challenge": None}, "invalid_request"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge_method": None}, "invalid_request"),
    ({"response_type": "token"}, "unsupported_response_type"),
])
def test_errors_after_a_valid_redirect_go_back_to_the_client(serve, changes, error):
    answer = requests.get(authorize_url(serve, **changes), allow_redirects=False, timeout=HTTP)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    assert query_of(location)["error"] == error and query_of(location)["state"] == "s-1"
    assert "code" not in query_of(location)


@pytest.mark.parametrize("changes", [
    {"redirect_uri": "http://localhost:45678/callback"},
    {"redirect_uri": "https://attacker.example/callback"},
    {"redirect_uri": "http://127.0.0.1.attacker.example:80/cb"},
    {"redirect_uri": "http://127.0.0.1:45678/cb#fragment"},
    {"redirect_uri": None},
    {"client_id": None},
])
def test_without_a_valid_client_and_loopback_redirect_the_user_gets_a_400_page(serve, changes):
    answer = requests.get(authorize_url(serve, **changes), allow_redirects=False, timeout=HTTP)
    assert answer.status_code == 400 and "Location" not in answer.headers
    assert answer.headers["Content-Type"].startswith("text/html")


def test_a_wrong_password_shows_the_page_again_without_a_code(serve):
    answer = consent(authorize_url(serve), password="wrong")
    assert answer.status_code == 401 and "Location" not in answer.headers
    assert "Wrong username or password" in answer.text and "<form" in answer.text


# -- the device grant ------------------------------------------------------------


def device_code(serve: Serve, client: str = CLIENT) -> dict[str, Any]:
    answer = requests.post(serve.base + "/device/code", data={"client_id": client, "scope": "openid"}, timeout=HTTP)
    assert answer.status_code == 200, answer.text
    return answer.json()


def poll(serve: Serve, code: str, client: str = CLIENT) -> requests.Response:
    return requests.post(serve.base + "/oauth/token", timeout=HTTP,
                         data={"grant_type": DEVICE_GRANT, "device_code": code, "client_id": client})


def consent_page(serve: Serve, user_code: str, **credentials: str) -> requests.Response:
    """The verification page filled in with the user's login and sent: the page that
    names the client, or the refusal."""
    page = requests.get(serve.base + "/device", params={"user_code": user_code}, timeout=HTTP)
    assert page.status_code == 200 and 'name="decision"' not in page.text, "no decision before the client is named"
    return submit(page, **{**USER, **credentials})


def decide(serve: Serve, user_code: str, decision: str, **credentials: str) -> requests.Response:
    page = consent_page(serve, user_code, **credentials)
    if page.status_code != 200:
        return page
    assert 'type="password"' not in page.text, "the consent page carries a ticket, not the password"
    return submit(page, decision=decision)


def test_wsauth_device_login_waits_while_pending_then_stores_tokens(run_wsauth, serve):
    job = Background(run_wsauth, login_args(serve, "device_code", "--scope", "openid"), {})
    user_code = wait_for(lambda: logged_user_code(serve), "a device code")
    wait_for(lambda: "authorization_pending" in serve.logged(), "a pending poll")
    assert decide(serve, user_code, "approve").status_code == 200
    result = job.finish()
    assert result.code == 0, result.describe()
    check_result(result, stored_secrets(run_wsauth.home / "state" / "wsauth"))
    assert serve.base + "/device" in result.stderr and user_code in result.stderr
    assert "waiting for the code to be approved" in result.stderr
    saved = stored(run_wsauth)
    assert claims(saved["access_token"])["sub"] == "alice" and claims(saved["id_token"])["aud"] == CLIENT
    assert run_wsauth("probe", serve.ws).code == 0


def test_wsauth_device_login_denied_exits_2(run_wsauth, serve):
    job = Background(run_wsauth, login_args(serve, "device_code"), {})
    user_code = wait_for(lambda: logged_user_code(serve), "a device code")
    assert decide(serve, user_code, "deny").status_code == 200
    result = job.finish()
    assert result.code == 2, result.describe()
    assert "denied" in result.last_line
    assert stored(run_wsauth) is None


def test_polling_faster_than_the_interval_slows_down_for_good(serve):
    grant = device_code(serve)
    assert grant["verification_uri"] == serve.base + "/device"
    assert grant["verification_uri_complete"] == serve.base + "/device?user_code=" + grant["user_code"]
    assert grant["interval"] >= 1 and grant["expires_in"] > 0
    assert poll(serve, grant["device_code"]).json()["error"] == "authorization_pending"
    assert poll(serve, grant["device_code"]).json()["error"] == "slow_down"
    time.sleep(grant["interval"] + 0.5)
    assert poll(serve, grant["device_code"]).json()["error"] == "slow_down", "the interval grew by 5 s"


def test_device_codes_are_bound_to_their_client_and_used_once(serve):
    grant = device_code(serve)
    assert decide(serve, grant["user_code"].lower().replace("-", ""), "approve").status_code == 200
    assert poll(serve, grant["device_code"], client="another").json()["error"] == "invalid_grant"
    answer = poll(serve, grant["device_code"])
    assert answer.status_code == 200 and answer.json()["access_token"], answer.text
    assert poll(serve, grant["device_code"]).json()["error"] == "invalid_grant"
    assert decide(serve, grant["user_code"], "approve").status_code == 400, "a used user code is refused"


def test_the_device_page_wants_a_known_code_and_the_users_password(serve):
    grant = device_code(serve)
    assert decide(serve, "BCDF-GHJK", "approve").status_code == 400
    wrong = decide(serve, grant["user_code"], "approve", password="wrong")
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    assert poll(serve, grant["device_code"]).json()["error"] == "authorization_pending"


def test_the_device_page_checks_the_password_before_the_code(serve):
    grant = device_code(serve)
    wrong_pending = consent_page(serve, grant["user_code"], password="wrong")
    wrong_unknown = consent_page(serve, "BCDF-GHJK", password="wrong")
    assert wrong_pending.status_code == wrong_unknown.status_code == 401
    assert wrong_pending.text.replace(grant["user_code"], "BCDF-GHJK") == wrong_unknown.text, \
        "a wrong password says nothing about whether a code is pending"
    assert CLIENT not in wrong_pending.text
    assert consent_page(serve, "BCDF-GHJK").status_code == 400


def test_the_device_page_names_the_client_and_scope_before_the_user_decides(serve):
    answer = requests.post(serve.base + "/device/code", data={"client_id": "living-room-tv", "scope": "openid profile"},
                           timeout=HTTP)
    grant = answer.json()
    page = consent_page(serve, grant["user_code"])
    assert page.status_code == 200
    assert "living-room-tv" in page.text and "scope openid profile" in page.text and "alice" in page.text
    assert 'value="approve"' in page.text and 'value="deny"' in page.text
    forged = submit(page, decision="approve", consent="forged-ticket")
    assert forged.status_code == 400
    assert poll(serve, grant["device_code"], client="living-room-tv").json()["error"] == "authorization_pending"
    time.sleep(grant["interval"])
    done = submit(page, decision="approve")
    assert done.status_code == 200 and "living-room-tv" in done.text and "logged in as alice" in done.text
    assert submit(page, decision="deny").status_code == 400, "the ticket is used once"
    tokens = poll(serve, grant["device_code"], client="living-room-tv")
    assert tokens.status_code == 200 and claims(tokens.json()["access_token"])["sub"] == "alice"
    assert "device code " + grant["user_code"] + " of client living-room-tv approved by alice" in serve.logged()


def test_pending_device_codes_are_capped_with_an_oauth_error(serve):
    grants = [device_code(serve) for _ in range(100)]
    over = requests.post(serve.base + "/device/code", data={"client_id": CLIENT}, timeout=HTTP)
    assert over.status_code == 429 and over.headers["Retry-After"].isdigit()
    assert over.json()["error"] == "temporarily_unavailable" and "100 device codes" in over.json()["error_description"]
    # A decision frees a place.
    denied = requests.post(serve.base + "/device", timeout=HTTP,
                           data={**USER, "user_code": grants[0]["user_code"], "decision": "deny"})
    assert denied.status_code == 200 and "was not let in" in denied.text
    assert device_code(serve)["user_code"]


def test_device_codes_need_a_client_id(serve):
    answer = requests.post(serve.base + "/device/code", data={"scope": "openid"}, timeout=HTTP)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
