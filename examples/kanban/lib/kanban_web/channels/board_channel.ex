defmodule KanbanWeb.BoardChannel do
  @moduledoc """
  One board's live updates for socket clients. Card changes made anywhere reach
  this process as `Kanban.Boards` PubSub messages on the same topic.
  """

  use KanbanWeb, :channel

  alias Kanban.Boards
  alias KanbanWeb.Presence

  intercept ["user_typing"]

  @impl true
  def join("board:" <> board_id, _payload, socket) do
    with {:ok, board_id} <- Ecto.UUID.cast(board_id),
         true <- Boards.member?(board_id, socket.assigns.current_user.id) do
      send(self(), :after_join)
      {:ok, assign(socket, :board_id, board_id)}
    else
      _ -> {:error, %{reason: "unauthorized"}}
    end
  end

  @impl true
  def handle_in(
        "card:move",
        %{"card_id" => card_id, "column_id" => column_id, "position" => position},
        socket
      ) do
    card = Boards.get_card!(card_id)

    if card.board_id == socket.assigns.board_id do
      case Boards.move_card(card, column_id, position, socket.assigns.current_user) do
        {:ok, _card} -> {:reply, :ok, socket}
        {:error, _changeset} -> {:reply, {:error, %{reason: "invalid move"}}, socket}
      end
    else
      {:reply, {:error, %{reason: "not found"}}, socket}
    end
  end

  def handle_in("card:typing", %{"card_id" => card_id}, socket) do
    broadcast!(socket, "user_typing", %{card_id: card_id, user_id: socket.assigns.current_user.id})

    {:noreply, socket}
  end

  def handle_in("activity:recent", _payload, socket) do
    events = Kanban.Activity.recent(socket.assigns.board_id)
    {:reply, {:ok, %{count: length(events)}}, socket}
  end

  def handle_in("ping", payload, socket) do
    {:reply, {:ok, payload}, socket}
  end

  # Typing indicators go to everyone but the typist.
  @impl true
  def handle_out("user_typing", payload, socket) do
    if payload.user_id != socket.assigns.current_user.id do
      push(socket, "user_typing", payload)
    end

    {:noreply, socket}
  end

  @impl true
  def handle_info(:after_join, socket) do
    user = socket.assigns.current_user

    {:ok, _ref} =
      Presence.track(socket, to_string(user.id), %{
        name: user.name,
        via: "socket",
        online_at: System.system_time(:second)
      })

    push(socket, "presence_state", Presence.list(socket))
    {:noreply, socket}
  end

  def handle_info({event, %Boards.Card{} = card}, socket)
      when event in [:card_created, :card_updated, :card_moved, :card_deleted] do
    push(socket, Atom.to_string(event), card_payload(card))
    {:noreply, socket}
  end

  def handle_info({:comment_added, comment}, socket) do
    push(socket, "comment_added", %{card_id: comment.card_id, body: comment.body})
    {:noreply, socket}
  end

  def handle_info({event, %Boards.Board{}}, socket)
      when event in [:board_updated, :board_archived] do
    push(socket, Atom.to_string(event), %{board_id: socket.assigns.board_id})
    {:noreply, socket}
  end

  defp card_payload(card) do
    Map.take(card, [:id, :title, :column_id, :position, :priority, :due_at, :assignee_id])
  end
end
