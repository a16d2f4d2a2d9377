# Action Cable 6.1 (Debian's ruby-actioncable) without the rest of Rails, for
# doctor's test of an Origin answered with 404 (Tests/interop/test_doctor.py).
# Rails checks the Origin before the upgrade (ActionCable::Connection::Base#
# allow_request_origin?): with no allowed_request_origins configured, only the
# server's own origin passes (allow_same_origin_as_host), and anything else,
# a missing Origin included, gets "404 Page not found".
require "action_cable"
require "logger"

module ApplicationCable
  class Connection < ActionCable::Connection::Base
    identified_by :user

    def connect
      reject_unauthorized_connection unless request.authorization.to_s == "Bearer #{ENV.fetch("CABLE_TOKEN")}"
      self.user = "alice"
    end
  end
end

ActionCable.server.config.connection_class = -> { ApplicationCable::Connection }
ActionCable.server.config.cable = { "adapter" => "async" }
ActionCable.server.config.logger = Logger.new($stderr, level: Logger::WARN)

map "/cable" do
  run ActionCable.server
end
