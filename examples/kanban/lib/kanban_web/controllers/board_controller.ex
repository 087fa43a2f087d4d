defmodule KanbanWeb.BoardController do
  @moduledoc """
  Read-only, server-rendered boards for browsers without JavaScript and for printing.
  """

  use KanbanWeb, :controller

  alias Kanban.Boards

  def index(conn, _params) do
    boards = Boards.list_boards_for_user(conn.assigns.current_user)
    render(conn, :index, boards: boards, page_title: "Boards")
  end

  def show(conn, %{"id" => id}) do
    board = Boards.get_board!(conn.assigns.current_user, id)
    render(conn, :show, board: board, page_title: board.name)
  end
end
