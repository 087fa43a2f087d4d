defmodule KanbanWeb.BoardLiveTest do
  use KanbanWeb.ConnCase, async: true

  import Phoenix.LiveViewTest
  import Kanban.BoardsFixtures

  alias Kanban.Boards

  setup :register_and_log_in_user

  describe "Index" do
    test "lists the user's boards and creates one", %{conn: conn, user: user} do
      board = board_fixture(user, %{name: "Roadmap"})
      {:ok, index_live, html} = live(conn, ~p"/boards")
      assert html =~ board.name

      assert index_live |> element("a", "New board") |> render_click() =~ "New board"
      assert_patch(index_live, ~p"/boards/new")

      assert index_live
             |> form("#board-form", board: %{name: "x"})
             |> render_change() =~ "should be at least 2 character(s)"

      {:error, {:live_redirect, %{to: "/boards/" <> _id}}} =
        index_live
        |> form("#board-form", board: %{name: "Hiring"})
        |> render_submit()
    end
  end

  describe "Show" do
    setup %{user: user} do
      %{board: board_fixture(user)}
    end

    test "shows a card created elsewhere", %{conn: conn, board: board} do
      {:ok, show_live, _html} = live(conn, ~p"/boards/#{board}")
      card = card_fixture(board, %{title: "Ship the beta"})

      assert render(show_live) =~ "Ship the beta"
      assert has_element?(show_live, "#card-#{card.id}")
    end

    test "adds a card from the column form", %{conn: conn, board: board, user: user} do
      {:ok, show_live, _html} = live(conn, ~p"/boards/#{board}")
      [column | _] = board.columns

      show_live
      |> form("#column-#{column.id} form", %{title: "Write tests"})
      |> render_submit()

      assert render(show_live) =~ "Write tests"
      [todo | _] = Boards.get_board!(user, board.id).columns
      assert [%{title: "Write tests"}] = todo.cards
    end

    test "is not found for non-members", %{board: board} do
      stranger = Kanban.AccountsFixtures.user_fixture()
      conn = log_in_user(build_conn(), stranger)

      assert_raise Ecto.NoResultsError, fn -> live(conn, ~p"/boards/#{board}") end
    end
  end
end
