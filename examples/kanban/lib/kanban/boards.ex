defmodule Kanban.Boards do
  @moduledoc """
  Boards, their columns and cards, and who may see them.

  Every change is broadcast on the board's PubSub topic, `"board:<id>"`, which
  `KanbanWeb.BoardLive.Show` and `KanbanWeb.BoardChannel` both listen to.
  """

  import Ecto.Query, warn: false

  alias Ecto.Multi
  alias Kanban.Accounts.{User, UserNotifier}
  alias Kanban.Activity
  alias Kanban.Boards.{Board, Card, Column, Comment, Membership}
  alias Kanban.Repo
  alias Kanban.Workers.{DueDateReminder, WebhookDelivery}

  @default_columns ["To do", "Doing", "Done"]

  def topic(board_id), do: "board:#{board_id}"
  def user_topic(user_id), do: "user:#{user_id}:boards"

  ## Boards

  def list_boards_for_user(%User{} = user, opts \\ []) do
    query =
      from b in Board,
        join: m in assoc(b, :memberships),
        where: m.user_id == ^user.id and is_nil(b.archived_at),
        order_by: [desc: b.updated_at]

    query
    |> maybe_search(opts[:search])
    |> Repo.all()
  end

  defp maybe_search(query, term) when term in [nil, ""], do: query

  defp maybe_search(query, term) do
    pattern = "%" <> String.replace(term, ~w(% _ \\), &("\\" <> &1)) <> "%"
    where(query, [b], ilike(b.name, ^pattern))
  end

  @doc "Fetches a board the user is a member of, with its columns and cards."
  def get_board!(%User{} = user, id) do
    cards = from c in Card, order_by: c.position

    Board
    |> join(:inner, [b], m in assoc(b, :memberships), on: m.user_id == ^user.id)
    |> Repo.get!(id)
    |> Repo.preload(columns: [cards: {cards, :assignee}])
  end

  def member?(board_id, user_id) do
    Repo.exists?(from m in Membership, where: m.board_id == ^board_id and m.user_id == ^user_id)
  end

  def change_board(%Board{} = board, attrs \\ %{}), do: Board.changeset(board, attrs)

  @doc "Creates a board owned by `user`, with the default columns."
  def create_board(%User{} = user, attrs) do
    Multi.new()
    |> Multi.insert(:board, Board.create_changeset(%Board{}, attrs, user))
    |> Multi.insert(:membership, fn %{board: board} ->
      Membership.changeset(%Membership{}, %{board_id: board.id, user_id: user.id, role: :owner})
    end)
    |> Multi.run(:columns, fn repo, %{board: board} ->
      @default_columns
      |> Enum.with_index()
      |> Enum.reduce_while({:ok, []}, fn {name, position}, {:ok, acc} ->
        attrs = %{name: name, position: position, board_id: board.id}

        case repo.insert(Column.changeset(%Column{}, attrs)) do
          {:ok, column} -> {:cont, {:ok, [column | acc]}}
          {:error, changeset} -> {:halt, {:error, changeset}}
        end
      end)
    end)
    |> Repo.transaction()
    |> case do
      {:ok, %{board: board}} ->
        Phoenix.PubSub.broadcast(Kanban.PubSub, user_topic(user.id), {:board_created, board})
        {:ok, board}

      {:error, _step, changeset, _changes} ->
        {:error, changeset}
    end
  end

  def update_board(%Board{} = board, attrs) do
    with {:ok, board} <- board |> Board.changeset(attrs) |> Repo.update() do
      broadcast(board.id, {:board_updated, board})
      {:ok, board}
    end
  end

  def archive_board(%Board{} = board) do
    with {:ok, board} <- board |> Board.archive_changeset() |> Repo.update() do
      broadcast(board.id, {:board_archived, board})
      {:ok, board}
    end
  end

  @doc "Adds `user` to the board and emails them about it without waiting for the mail server."
  def add_member(%Board{} = board, %User{} = user, role \\ :editor) do
    with {:ok, membership} <-
           %Membership{}
           |> Membership.changeset(%{board_id: board.id, user_id: user.id, role: role})
           |> Repo.insert() do
      Task.Supervisor.start_child(Kanban.TaskSupervisor, fn ->
        UserNotifier.deliver_board_invitation(user, board)
      end)

      Phoenix.PubSub.broadcast(Kanban.PubSub, user_topic(user.id), {:board_created, board})
      {:ok, membership}
    end
  end

  ## Cards

  def get_card!(id), do: Card |> Repo.get!(id) |> Repo.preload([:assignee, comments: :author])

  def get_card(id), do: Card |> Repo.get(id) |> Repo.preload([:assignee, comments: :author])

  def change_card(%Card{} = card, attrs \\ %{}), do: Card.changeset(card, attrs)

  def create_card(%Board{} = board, attrs) do
    changeset = Card.changeset(%Card{board_id: board.id}, attrs)

    with {:ok, card} <- Repo.insert(changeset) do
      maybe_schedule_reminder(card)
      broadcast(board.id, {:card_created, card})
      {:ok, card}
    end
  end

  def update_card(%Card{} = card, attrs) do
    with {:ok, updated} <- card |> Card.changeset(attrs) |> Repo.update() do
      if updated.due_at != card.due_at, do: maybe_schedule_reminder(updated)
      broadcast(updated.board_id, {:card_updated, updated})
      {:ok, updated}
    end
  end

  @doc """
  Moves a card to `column_id` at `position`. The caller already shows the move,
  so only the other subscribers are told.
  """
  def move_card(%Card{} = card, column_id, position, %User{} = mover) do
    with {:ok, moved} <- card |> Card.move_changeset(column_id, position) |> Repo.update() do
      Phoenix.PubSub.broadcast_from(
        Kanban.PubSub,
        self(),
        topic(moved.board_id),
        {:card_moved, moved}
      )

      Activity.record(moved.board_id, {:card_moved, moved.id, mover.id})

      %{
        board_id: moved.board_id,
        event: "card.moved",
        card_id: moved.id,
        column_id: moved.column_id
      }
      |> WebhookDelivery.new()
      |> Oban.insert()

      {:ok, moved}
    end
  end

  def delete_card(%Card{} = card) do
    with {:ok, card} <- Repo.delete(card) do
      broadcast(card.board_id, {:card_deleted, card})
      {:ok, card}
    end
  end

  @doc "Cards due in the window `[from, to)` that are not in a board's last column."
  def cards_due_between(%DateTime{} = from, %DateTime{} = to) do
    Repo.all(
      from c in Card,
        where: c.due_at >= ^from and c.due_at < ^to and not is_nil(c.assignee_id),
        preload: [:assignee]
    )
  end

  ## Comments

  def add_comment(%Card{} = card, %User{} = author, attrs) do
    attrs = Map.merge(attrs, %{"card_id" => card.id, "author_id" => author.id})

    with {:ok, comment} <- %Comment{} |> Comment.changeset(attrs) |> Repo.insert() do
      comment = Repo.preload(comment, :author)
      broadcast(card.board_id, {:comment_added, comment})
      {:ok, comment}
    end
  end

  defp maybe_schedule_reminder(%Card{due_at: nil}), do: :ok

  defp maybe_schedule_reminder(%Card{} = card) do
    remind_at = DateTime.add(card.due_at, -1, :day)

    %{card_id: card.id}
    |> DueDateReminder.new(scheduled_at: remind_at)
    |> Oban.insert!()

    :ok
  end

  defp broadcast(board_id, message) do
    Phoenix.PubSub.broadcast(Kanban.PubSub, topic(board_id), message)
  end
end
