defmodule KanbanWeb.Api.BoardController do
  use KanbanWeb, :controller

  alias Kanban.Boards

  action_fallback KanbanWeb.Api.FallbackController

  def index(conn, _params) do
    with {:ok, user} <- current_user(conn) do
      render(conn, :index, boards: Boards.list_boards_for_user(user))
    end
  end

  def show(conn, %{"id" => id}) do
    with {:ok, user} <- current_user(conn) do
      render(conn, :show, board: Boards.get_board!(user, id))
    end
  end

  defp current_user(%{assigns: %{current_user: nil}}), do: {:error, :unauthorized}
  defp current_user(%{assigns: %{current_user: user}}), do: {:ok, user}
end
