defmodule KanbanWeb.BoardLive.Index do
  use KanbanWeb, :live_view

  alias Kanban.Boards
  alias Kanban.Boards.Board

  @impl true
  def mount(_params, _session, socket) do
    user = socket.assigns.current_user

    if connected?(socket) do
      Phoenix.PubSub.subscribe(Kanban.PubSub, Boards.user_topic(user.id))
    end

    {:ok,
     socket
     |> assign(:query, "")
     |> stream(:boards, Boards.list_boards_for_user(user))}
  end

  @impl true
  def handle_params(params, _url, socket) do
    {:noreply, apply_action(socket, socket.assigns.live_action, params)}
  end

  defp apply_action(socket, :new, _params) do
    socket
    |> assign(:page_title, "New board")
    |> assign(:form, to_form(Boards.change_board(%Board{})))
  end

  defp apply_action(socket, :index, _params) do
    socket
    |> assign(:page_title, "Your boards")
    |> assign(:form, nil)
  end

  @impl true
  def handle_event("validate", %{"board" => board_params}, socket) do
    changeset = Boards.change_board(%Board{}, board_params)
    {:noreply, assign(socket, :form, to_form(changeset, action: :validate))}
  end

  def handle_event("save", %{"board" => board_params}, socket) do
    case Boards.create_board(socket.assigns.current_user, board_params) do
      {:ok, board} ->
        {:noreply,
         socket
         |> put_flash(:info, "Board created")
         |> push_navigate(to: ~p"/boards/#{board}")}

      {:error, %Ecto.Changeset{} = changeset} ->
        {:noreply, assign(socket, :form, to_form(changeset))}
    end
  end

  def handle_event("search", %{"query" => query}, socket) do
    boards = Boards.list_boards_for_user(socket.assigns.current_user, search: query)

    {:noreply,
     socket
     |> assign(:query, query)
     |> stream(:boards, boards, reset: true)}
  end

  def handle_event("archive", %{"id" => id}, socket) do
    board = Boards.get_board!(socket.assigns.current_user, id)
    {:ok, board} = Boards.archive_board(board)

    {:noreply, stream_delete(socket, :boards, board)}
  end

  @impl true
  def handle_info({:board_created, board}, socket) do
    {:noreply, stream_insert(socket, :boards, board, at: 0)}
  end

  def handle_info({:board_updated, board}, socket) do
    {:noreply, stream_insert(socket, :boards, board)}
  end

  def handle_info({:board_archived, board}, socket) do
    {:noreply, stream_delete(socket, :boards, board)}
  end
end
