defmodule KanbanWeb.Resolvers.Boards do
  @moduledoc """
  GraphQL resolvers over `Kanban.Boards`. The current user comes from the
  Absinthe context, set by `KanbanWeb.UserAuth.fetch_api_user/2` or the socket.
  """

  import Ecto.Query, only: [from: 2]

  alias Kanban.{Boards, Repo}
  alias Kanban.Boards.Card

  def list_boards(_parent, args, %{context: %{current_user: user}}) do
    {:ok, Boards.list_boards_for_user(user, search: args[:search])}
  end

  def list_boards(_parent, _args, _resolution), do: {:error, "unauthorized"}

  def get_board(_parent, %{id: id}, %{context: %{current_user: user}}) do
    {:ok, Boards.get_board!(user, id)}
  rescue
    Ecto.NoResultsError -> {:error, "board not found"}
  end

  def get_board(_parent, _args, _resolution), do: {:error, "unauthorized"}

  def search(_parent, %{term: term}, %{context: %{current_user: user}}) do
    boards = Boards.list_boards_for_user(user, search: term)
    board_ids = Enum.map(boards, & &1.id)

    cards =
      Repo.all(
        from c in Card,
          where: c.board_id in ^board_ids and ilike(c.title, ^"%#{term}%"),
          limit: 20
      )

    {:ok, boards ++ cards}
  end

  def search(_parent, _args, _resolution), do: {:error, "unauthorized"}

  def board_columns(board, _args, _resolution) do
    {:ok, Repo.preload(board, columns: :cards).columns}
  end

  def card_comments(card, _args, _resolution) do
    {:ok, Repo.preload(card, :comments).comments}
  end

  def create_card(_parent, %{board_id: board_id, input: input}, %{context: %{current_user: user}}) do
    board = Boards.get_board!(user, board_id)

    case Boards.create_card(board, input) do
      {:ok, card} -> {:ok, card}
      {:error, changeset} -> {:error, errors(changeset)}
    end
  end

  def create_card(_parent, _args, _resolution), do: {:error, "unauthorized"}

  def move_card(_parent, args, %{context: %{current_user: user}}) do
    card = Boards.get_card!(args.card_id)

    if Boards.member?(card.board_id, user.id) do
      case Boards.move_card(card, args.column_id, args.position, user) do
        {:ok, card} -> {:ok, card}
        {:error, changeset} -> {:error, errors(changeset)}
      end
    else
      {:error, "unauthorized"}
    end
  end

  def move_card(_parent, _args, _resolution), do: {:error, "unauthorized"}

  def add_comment(_parent, %{card_id: card_id, body: body}, %{context: %{current_user: user}}) do
    card = Boards.get_card!(card_id)

    with true <- Boards.member?(card.board_id, user.id),
         {:ok, comment} <- Boards.add_comment(card, user, %{"body" => body}) do
      {:ok, comment}
    else
      false -> {:error, "unauthorized"}
      {:error, changeset} -> {:error, errors(changeset)}
    end
  end

  def add_comment(_parent, _args, _resolution), do: {:error, "unauthorized"}

  defp errors(changeset) do
    Ecto.Changeset.traverse_errors(changeset, fn {msg, _opts} -> msg end)
    |> Enum.map(fn {field, messages} -> "#{field} #{Enum.join(messages, ", ")}" end)
  end
end
