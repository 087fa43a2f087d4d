defmodule KanbanWeb.Presence do
  @moduledoc """
  Who is looking at which board. Tracked on the board topic, `"board:<id>"`,
  by both `KanbanWeb.BoardChannel` and `KanbanWeb.BoardLive.Show`.
  """

  use Phoenix.Presence,
    otp_app: :kanban,
    pubsub_server: Kanban.PubSub
end
