defmodule KanbanWeb.BoardChannelTest do
  use KanbanWeb.ChannelCase

  import Kanban.AccountsFixtures
  import Kanban.BoardsFixtures

  setup do
    user = user_fixture()
    board = board_fixture(user)

    {:ok, _reply, socket} =
      KanbanWeb.UserSocket
      |> socket("users_socket:#{user.id}", %{current_user: user})
      |> subscribe_and_join(KanbanWeb.BoardChannel, "board:#{board.id}")

    %{socket: socket, board: board, user: user}
  end

  test "ping replies with the payload", %{socket: socket} do
    ref = push(socket, "ping", %{"hello" => "there"})
    assert_reply ref, :ok, %{"hello" => "there"}
  end

  test "pushes presence state after join" do
    assert_push "presence_state", %{}
  end

  test "card:move moves the card", %{socket: socket, board: board} do
    card = card_fixture(board)
    [_, doing | _] = board.columns

    ref =
      push(socket, "card:move", %{"card_id" => card.id, "column_id" => doing.id, "position" => 0})

    assert_reply ref, :ok
    assert Kanban.Boards.get_card!(card.id).column_id == doing.id
  end

  test "cards created elsewhere are pushed to the client", %{board: board} do
    card = card_fixture(board, %{title: "From the web"})
    assert_push "card_created", %{id: id, title: "From the web"}
    assert id == card.id
  end

  test "non-members cannot join", %{board: board} do
    stranger = user_fixture()

    assert {:error, %{reason: "unauthorized"}} =
             KanbanWeb.UserSocket
             |> socket("users_socket:#{stranger.id}", %{current_user: stranger})
             |> subscribe_and_join(KanbanWeb.BoardChannel, "board:#{board.id}")
  end
end
