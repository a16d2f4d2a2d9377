# Action Cable 6.1 (Debian's ruby-actioncable) for the `--app actioncable` tests
# (Tests/interop/test_actioncable.py), started by peers/actioncable_peer.py.
#
# ApplicationCable::Connection authenticates as a Rails app does, at the upgrade:
# the session cookie `_app_session` ("USER--HMAC", a signed cookie) or a bearer
# JWT (HS256 with CABLE_KEY, `exp` checked) in Authorization, else
# reject_unauthorized_connection. A token's connection is closed when the token
# expires, with `disconnect` reason "token_expired" (reconnect: true). Every
# connection's credentials and verdict are appended to CABLE_RECORDS (JSON lines).
# CABLE_LAX=1 accepts anyone (audit's FAIL case). Origin: none (a non-browser
# client) or the server's own.
require "action_cable"
require "base64"
require "json"
require "logger"
require "openssl"

# Top-level methods of a rackup file belong to Rack::Builder: the helpers live here.
module CableAuth
  module_function

  KEY = [ENV.fetch("CABLE_KEY")].pack("H*")
  RECORDS = ENV.fetch("CABLE_RECORDS")
  LAX = ENV["CABLE_LAX"] == "1"
  WRITE = Mutex.new

  def record(entry)
    WRITE.synchronize { File.open(RECORDS, "a") { |f| f.puts(JSON.generate(entry)) } }
  end

  def b64url_decode(text)
    Base64.urlsafe_decode64(text + "=" * ((4 - text.length % 4) % 4))
  end

  # [user, exp] for a valid HS256 JWT, else nil.
  def verify_jwt(token)
    header, claims, signature = token.split(".")
    return nil unless header && claims && signature
    return nil unless JSON.parse(b64url_decode(header))["alg"] == "HS256"
    expected = OpenSSL::HMAC.digest("SHA256", KEY, "#{header}.#{claims}")
    return nil unless Rack::Utils.secure_compare(expected, b64url_decode(signature))
    payload = JSON.parse(b64url_decode(claims))
    return nil unless payload["exp"].is_a?(Numeric) && payload["exp"] > Time.now.to_f
    [payload["sub"], payload["exp"]]
  rescue ArgumentError, JSON::ParserError
    nil
  end

  def verify_session(value)
    user, mac = value.to_s.split("--", 2)
    return nil unless user && mac
    Rack::Utils.secure_compare(OpenSSL::HMAC.hexdigest("SHA256", KEY, user), mac) ? user : nil
  end
end

module ApplicationCable
  class Connection < ActionCable::Connection::Base
    identified_by :user

    def connect
      authorization = request.authorization.to_s
      token = authorization.start_with?("Bearer ") ? authorization.delete_prefix("Bearer ") : nil
      # Without the rest of Rails there is no cookie_jar: the Rack request parses Cookie.
      session = request.cookies["_app_session"]
      entry = { "authorization" => token, "cookie" => session, "protocol" => request.headers["Sec-WebSocket-Protocol"] }
      if (user = CableAuth.verify_session(session))
        entry["via"] = "cookie"
      elsif token && (verified = CableAuth.verify_jwt(token))
        user, exp = verified
        entry["via"] = "token"
        expire_at(exp)
      elsif CableAuth::LAX
        user = "anyone"
        entry["via"] = "lax"
      else
        CableAuth.record(entry.merge("verdict" => "rejected"))
        reject_unauthorized_connection
      end
      CableAuth.record(entry.merge("verdict" => "accepted", "user" => user))
      self.user = user
    end

    private

    # What an app that checks its token's expiry does: `disconnect`, then the close.
    def expire_at(exp)
      Thread.new do
        sleep [exp - Time.now.to_f, 0].max
        close(reason: "token_expired", reconnect: true) if websocket.alive?
      end
    end
  end

  class Channel < ActionCable::Channel::Base
  end
end

# Everyone may join; `speak` is echoed to the room's stream. `kick` drops the
# user's connections the way a Rails app does it (RemoteConnections#disconnect:
# the internal channel closes the socket without a `disconnect` message), once
# per user, so that the reconnect stays.
class ChatChannel < ApplicationCable::Channel
  KICKED = Concurrent::Set.new

  def subscribed
    stream_from "chat_#{params[:room] || "lobby"}"
  end

  def kick
    ActionCable.server.remote_connections.where(user: user).disconnect if KICKED.add?(user)
  end

  def speak(data)
    ActionCable.server.broadcast("chat_#{params[:room] || "lobby"}", { "from" => user, "text" => data["text"] })
  end
end

# Only alice is an admin: anyone else is rejected with reject_subscription.
class AdminChannel < ApplicationCable::Channel
  def subscribed
    reject unless user == "alice"
  end
end

ActionCable.server.config.connection_class = -> { ApplicationCable::Connection }
ActionCable.server.config.cable = { "adapter" => "async" }
ActionCable.server.config.logger = Logger.new($stderr, level: Logger::WARN)
ActionCable.server.config.allowed_request_origins = [->(origin) { origin.nil? }]

map "/cable" do
  run ActionCable.server
end
