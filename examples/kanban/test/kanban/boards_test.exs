defmodule Kanban.BoardsTest do
  use Kanban.DataCase, async: true
  use Oban.Testing, repo: Kanban.Repo

  import Kanban.AccountsFixtures
  import Kanban.BoardsFixtures

  alias Kanban.Boards
  alias Kanban.Workers.{DueDateReminder, WebhookDelivery}

  setup do
    owner = user_fixture()
    %{owner: owner, board: board_fixture(owner)}
  end

  describe "create_board/2" do
    test "creates the owner membership and the default columns", %{owner: owner, board: board} do
      assert Boards.member?(board.id, owner.id)
      assert Enum.map(board.columns, & &1.name) == ["To do", "Doing", "Done"]
    end

    test "rejects a one-letter name", %{owner: owner} do
      assert {:error, changeset} = Boards.create_board(owner, %{name: "x"})
      assert "should be at least 2 character(s)" in errors_on(changeset).name
    end

    test "rejects labels with duplicate names", %{owner: owner} do
      labels = [%{name: "Bug", color: "#ff0000"}, %{name: "bug", color: "#00ff00"}]
      assert {:error, changeset} = Boards.create_board(owner, %{name: "QA", labels: labels})
      assert "must have unique names" in errors_on(changeset).labels
    end
  end

  describe "cards" do
    test "create_card/2 broadcasts on the board topic", %{board: board} do
      Phoenix.PubSub.subscribe(Kanban.PubSub, "board:#{board.id}")
      card = card_fixture(board)
      assert_receive {:card_created, ^card}
    end

    test "a due date in the past is rejected", %{board: board} do
      [column | _] = board.columns
      yesterday = DateTime.add(DateTime.utc_now(), -1, :day)

      assert {:error, changeset} =
               Boards.create_card(board, %{title: "Late", column_id: column.id, due_at: yesterday})

      assert "must be in the future" in errors_on(changeset).due_at
    end

    test "a due date schedules a reminder the day before", %{board: board} do
      due_at = DateTime.utc_now() |> DateTime.add(3, :day) |> DateTime.truncate(:second)
      card = card_fixture(board, %{due_at: due_at})

      assert_enqueued worker: DueDateReminder,
                      args: %{card_id: card.id},
                      scheduled_at: DateTime.add(due_at, -1, :day)
    end

    test "move_card/4 tells the others and enqueues a webhook", %{owner: owner, board: board} do
      card = card_fixture(board)
      [_, doing | _] = board.columns
      parent = self()

      # Subscribe from another process: broadcast_from/4 skips the mover.
      spawn_link(fn ->
        Phoenix.PubSub.subscribe(Kanban.PubSub, "board:#{board.id}")
        send(parent, :subscribed)
        receive do: (msg -> send(parent, {:other, msg}))
      end)

      assert_receive :subscribed
      assert {:ok, moved} = Boards.move_card(card, doing.id, 0, owner)
      assert moved.column_id == doing.id
      assert_receive {:other, {:card_moved, ^moved}}
      assert_enqueued worker: WebhookDelivery, args: %{event: "card.moved", card_id: card.id}
    end
  end
end
