defmodule KanbanWeb.Api.FallbackController do
  @moduledoc """
  Turns `{:error, reason}` from the API controllers into JSON responses.
  """
  use KanbanWeb, :controller

  def call(conn, {:error, :unauthorized}) do
    conn
    |> put_status(:unauthorized)
    |> put_view(json: KanbanWeb.ErrorJSON)
    |> render(:"401")
  end

  def call(conn, {:error, :not_found}) do
    conn
    |> put_status(:not_found)
    |> put_view(json: KanbanWeb.ErrorJSON)
    |> render(:"404")
  end
end
