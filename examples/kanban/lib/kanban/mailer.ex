defmodule Kanban.Mailer do
  use Swoosh.Mailer, otp_app: :kanban
end
