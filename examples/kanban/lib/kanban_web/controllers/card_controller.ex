defmodule KanbanWeb.CardController do
  use KanbanWeb, :controller

  alias Kanban.Boards
  alias Kanban.Boards.Card

  plug :load_board

  def index(conn, _params) do
    cards = Enum.flat_map(conn.assigns.board.columns, & &1.cards)
    render(conn, :index, cards: cards)
  end

  def new(conn, _params) do
    render(conn, :new, changeset: Boards.change_card(%Card{}))
  end

  def create(conn, %{"card" => card_params}) do
    board = conn.assigns.board

    case Boards.create_card(board, card_params) do
      {:ok, card} ->
        conn
        |> put_flash(:info, "Card created.")
        |> redirect(to: ~p"/classic/boards/#{board}/cards/#{card}")

      {:error, %Ecto.Changeset{} = changeset} ->
        render(conn, :new, changeset: changeset)
    end
  end

  def show(conn, %{"id" => id}) do
    render(conn, :show, card: fetch_card!(conn, id))
  end

  def edit(conn, %{"id" => id}) do
    card = fetch_card!(conn, id)
    render(conn, :edit, card: card, changeset: Boards.change_card(card))
  end

  def update(conn, %{"id" => id, "card" => card_params}) do
    card = fetch_card!(conn, id)

    case Boards.update_card(card, card_params) do
      {:ok, card} ->
        conn
        |> put_flash(:info, "Card updated.")
        |> redirect(to: ~p"/classic/boards/#{conn.assigns.board}/cards/#{card}")

      {:error, %Ecto.Changeset{} = changeset} ->
        render(conn, :edit, card: card, changeset: changeset)
    end
  end

  defp load_board(conn, _opts) do
    board = Boards.get_board!(conn.assigns.current_user, conn.params["board_id"])
    assign(conn, :board, board)
  end

  # A card id from another board is treated as missing.
  defp fetch_card!(conn, id) do
    card = Boards.get_card!(id)
    if card.board_id != conn.assigns.board.id, do: raise(Ecto.NoResultsError, queryable: Card)
    card
  end
end
