"""An OAuth 2.0 authorization server on Authlib (someone else's reading of the
RFCs), for issue 15's interactive logins. Flask, in a thread, on 127.0.0.1 with
a free port.

Authlib decides everything the RFCs say: the authorization request and its
redirect (RFC 6749 §4.1), PKCE required and checked (RFC 7636,
``CodeChallenge(required=True)``), the device authorization endpoint and the
device code grant with its ``authorization_pending``/``slow_down``/
``access_denied`` answers (RFC 8628), refresh (§6) and revocation (RFC 7009).
Ours are only the storage hooks Authlib leaves to its user and these test
controls:

- ``metadata``: ``"oidc"`` serves ``/.well-known/openid-configuration``,
  ``"rfc8414"`` only ``/.well-known/oauth-authorization-server``;
- ``tamper_verifier``: the token request's ``code_verifier`` is changed on its
  way in (a WSGI middleware), to show that Authlib really checks it;
- ``slow_down_polls``: how many pending device polls are answered ``slow_down``
  (Authlib's ``should_slow_down`` hook);
- ``/device`` (POST ``user_code``, ``decision=approve|deny``): the user's
  decision on a device code, as the verification page would record it.

When the scope holds ``openid`` the token answer carries an ``id_token`` (an
HS256 JWT signed with joserfc, Authlib's JOSE library), as an OpenID provider's does.
Every code, token, device code and verifier the server sees is appended to
``secrets`` (the leak registry of the runner); token requests are recorded
with their time, grant and answer.
"""

from __future__ import annotations

import dataclasses
import io
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8628 import DeviceAuthorizationEndpoint, DeviceCodeGrant, DeviceCredentialDict
from flask import Flask, request
from joserfc import jwt
from joserfc.jwk import OctKey
from werkzeug.serving import make_server

CLIENT_ID = "wsauth-cli"
USER = "ada"
ID_TOKEN_KEY = b"id-token-signing-key-for-the-test-only"


class Client:
    """A public native client (RFC 8252): no secret, any loopback port (§7.3)."""

    def get_client_id(self): return CLIENT_ID
    def get_default_redirect_uri(self): return None
    def get_allowed_scope(self, scope): return scope or ""
    def check_redirect_uri(self, uri): return uri.startswith("http://127.0.0.1:") and uri.endswith("/callback")
    def check_client_secret(self, secret): return False
    def check_endpoint_auth_method(self, method, endpoint): return method == "none"
    def check_response_type(self, response_type): return response_type == "code"
    def check_grant_type(self, grant_type):
        return grant_type in ("authorization_code", "refresh_token", DeviceCodeGrant.GRANT_TYPE)


@dataclasses.dataclass
class AuthorizationCode:
    code: str
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    def get_redirect_uri(self): return self.redirect_uri
    def get_scope(self): return self.scope
    def get_nonce(self): return None
    def get_auth_time(self): return None


@dataclasses.dataclass
class Token:
    access_token: str
    refresh_token: str | None
    scope: str
    revoked: bool = False
    def check_client(self, client): return client.get_client_id() == CLIENT_ID
    def get_scope(self): return self.scope
    def get_expires_in(self): return 3600
    def is_expired(self): return False
    def is_revoked(self): return self.revoked
    def get_user(self): return USER
    def get_client(self): return Client()


@dataclasses.dataclass
class TokenRequest:
    time: float
    grant_type: str
    status: int
    error: str | None


class AuthlibServer:
    def __init__(self, secrets: list[str], metadata: str = "oidc") -> None:
        self.secrets = secrets
        self.metadata = metadata
        self.tamper_verifier = False
        self.slow_down_polls = 0
        # The device answer's expires_in; the server's own record lives 120 s whatever
        # it says, so that a shorter one runs out on the client's clock only.
        self.device_expires_in = 120
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: list[Token] = []
        self.revoked: list[str] = []
        self.devices: dict[str, DeviceCredentialDict] = {}
        self.decisions: dict[str, bool] = {}
        self.token_requests: list[TokenRequest] = []
        self.app = self._app()
        self._server = make_server("127.0.0.1", 0, self._middleware, threaded=True)
        self.port = self._server.server_port
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "AuthlibServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._thread.join(10)

    def keep(self, *values: str | None) -> None:
        self.secrets.extend(v for v in values if v)

    # -- Authlib's storage hooks ---------------------------------------------

    def _save_token(self, token: dict, req: Any) -> None:
        self.keep(token.get("access_token"), token.get("refresh_token"))
        if "openid" in (token.get("scope") or "").split():
            claims = {"iss": self.base, "sub": USER, "aud": CLIENT_ID, "email": "ada@example.com",
                      "iat": int(time.time()), "exp": int(time.time()) + 3600}
            # The dict is the answer Authlib is about to send: the ID token joins it.
            token["id_token"] = jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(ID_TOKEN_KEY))
            self.keep(token["id_token"])
        self.tokens.append(Token(token["access_token"], token.get("refresh_token"), token.get("scope") or ""))

    def _grants(self) -> tuple[type, type, type]:
        outer = self

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

            def save_authorization_code(self, code, req):
                outer.keep(code)
                outer.codes[code] = AuthorizationCode(
                    code, req.payload.redirect_uri, req.payload.scope or "",
                    req.payload.data.get("code_challenge"), req.payload.data.get("code_challenge_method"))

            def query_authorization_code(self, code, client):
                return outer.codes.get(code)

            def delete_authorization_code(self, authorization_code):
                outer.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return USER

        class RefreshGrant(grants.RefreshTokenGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
            INCLUDE_NEW_REFRESH_TOKEN = True

            def authenticate_refresh_token(self, refresh_token):
                return next((t for t in outer.tokens if t.refresh_token == refresh_token and not t.revoked), None)

            def authenticate_user(self, credential):
                return USER

            def revoke_old_credential(self, credential):
                credential.revoked = True

        class DeviceGrant(DeviceCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

            def query_device_credential(self, device_code):
                return outer.devices.get(device_code)

            def query_user_grant(self, user_code):
                if user_code not in outer.decisions:
                    return None
                return USER, outer.decisions[user_code]

            def should_slow_down(self, credential):
                if outer.slow_down_polls > 0:
                    outer.slow_down_polls -= 1
                    return True
                return False

        return CodeGrant, RefreshGrant, DeviceGrant

    def _endpoints(self) -> tuple[type, type]:
        outer = self

        class DeviceEndpoint(DeviceAuthorizationEndpoint):
            INTERVAL = 1
            RECORD_LIFETIME = 120

            @property
            def EXPIRES_IN(self) -> int:  # noqa: N802 (authlib's name)
                return outer.device_expires_in

            def get_verification_uri(self):
                return outer.base + "/device"

            def save_device_credential(self, client_id, scope, data):
                outer.keep(data["device_code"])
                outer.devices[data["device_code"]] = DeviceCredentialDict(
                    client_id=client_id, scope=scope, **data, expires_at=time.time() + self.RECORD_LIFETIME)

        class Revocation(RevocationEndpoint):
            CLIENT_AUTH_METHODS = ["none"]

            def query_token(self, token_string, token_type_hint):
                return next((t for t in outer.tokens
                             if token_string in (t.access_token, t.refresh_token)), None)

            def revoke_token(self, token, req):
                token.revoked = True
                outer.revoked.append(token.refresh_token or token.access_token)

        return DeviceEndpoint, Revocation

    # -- the web application -------------------------------------------------

    def _app(self) -> Flask:
        app = Flask("authlib_peer")
        # Authlib issues refresh tokens only when told to.
        app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = True
        server = AuthorizationServer(app, query_client=lambda cid: Client() if cid == CLIENT_ID else None,
                                     save_token=self._save_token)
        code_grant, refresh_grant, device_grant = self._grants()
        server.register_grant(code_grant, [CodeChallenge(required=True)])
        server.register_grant(refresh_grant)
        server.register_grant(device_grant)
        device_endpoint, revocation = self._endpoints()
        server.register_endpoint(device_endpoint)
        server.register_endpoint(revocation)

        @app.get("/.well-known/<name>")
        def metadata(name: str):
            wanted = {"oidc": "openid-configuration", "rfc8414": "oauth-authorization-server"}[self.metadata]
            if name != wanted:
                return {"error": "not_found"}, 404
            return {
                "issuer": self.base,
                "authorization_endpoint": self.base + "/authorize",
                "token_endpoint": self.base + "/token",
                "device_authorization_endpoint": self.base + "/device_authorization",
                "revocation_endpoint": self.base + "/revoke",
                "code_challenge_methods_supported": ["S256"],
            }

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():
            grant = server.get_consent_grant(end_user=USER)
            if request.method == "GET":
                return '<form method="post"><button name="confirm" value="yes">Allow</button>' \
                       '<button name="confirm" value="no">Deny</button></form>'
            user = USER if request.form.get("confirm") == "yes" else None
            return server.create_authorization_response(grant=grant, grant_user=user)

        @app.post("/token")
        def token():
            response = server.create_token_response()
            body = response.get_json(silent=True) or {}
            self.token_requests.append(TokenRequest(
                time.monotonic(), request.form.get("grant_type", ""), response.status_code, body.get("error")))
            return response

        @app.post("/device_authorization")
        def device_authorization():
            return server.create_endpoint_response("device_authorization")

        @app.post("/device")
        def device():
            self.decisions[request.form["user_code"]] = request.form.get("decision") == "approve"
            return "recorded"

        @app.post("/revoke")
        def revoke():
            return server.create_endpoint_response("revocation")

        return app

    def _middleware(self, environ: dict, start_response: Any):
        """Records the verifier wsauth sent (a secret) and, when asked, changes it."""
        if environ.get("PATH_INFO") == "/token":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            pairs = parse_qsl(environ["wsgi.input"].read(length).decode(), keep_blank_values=True)
            self.keep(*(v for k, v in pairs if k in ("code_verifier", "code", "device_code", "refresh_token")))
            if self.tamper_verifier:
                pairs = [(k, v[::-1] if k == "code_verifier" else v) for k, v in pairs]
            body = urlencode(pairs).encode()
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)
