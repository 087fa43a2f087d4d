defmodule KanbanWeb.BoardLive.Show do
  use KanbanWeb, :live_view

  alias Kanban.Boards
  alias KanbanWeb.BoardLive.CardComponent
  alias KanbanWeb.Presence

  @impl true
  def mount(%{"id" => id}, _session, socket) do
    user = socket.assigns.current_user
    board = Boards.get_board!(user, id)

    if connected?(socket) do
      Phoenix.PubSub.subscribe(Kanban.PubSub, "board:#{id}")

      {:ok, _ref} =
        Presence.track(self(), "board:#{id}", to_string(user.id), %{
          name: user.name,
          via: "web",
          online_at: System.system_time(:second)
        })
    end

    {:ok,
     socket
     |> assign(:board, board)
     |> assign(:columns, board.columns)
     |> assign(:online_users, online_users(board.id))
     |> assign(:typing, %{})
     |> stream(:activity, [])}
  end

  @impl true
  def handle_params(params, _url, socket) do
    {:noreply, apply_action(socket, socket.assigns.live_action, params)}
  end

  defp apply_action(socket, :show, _params) do
    socket
    |> assign(:page_title, socket.assigns.board.name)
    |> assign(:board_form, nil)
    |> assign(:selected_card, nil)
  end

  defp apply_action(socket, :edit, _params) do
    socket
    |> assign(:page_title, "Edit #{socket.assigns.board.name}")
    |> assign(:board_form, to_form(Boards.change_board(socket.assigns.board)))
    |> assign(:selected_card, nil)
  end

  defp apply_action(socket, :card, %{"card_id" => card_id}) do
    card = Boards.get_card!(card_id)

    if card.board_id == socket.assigns.board.id do
      socket
      |> assign(:page_title, card.title)
      |> assign(:board_form, nil)
      |> assign(:selected_card, card)
    else
      socket
      |> put_flash(:error, "That card is on another board.")
      |> push_patch(to: ~p"/boards/#{socket.assigns.board}")
    end
  end

  @impl true
  def handle_event("add_card", %{"column_id" => column_id, "title" => title}, socket) do
    case Boards.create_card(socket.assigns.board, %{"column_id" => column_id, "title" => title}) do
      # The card arrives through PubSub like everyone else's.
      {:ok, _card} -> {:noreply, socket}
      {:error, _changeset} -> {:noreply, put_flash(socket, :error, "A card needs a title.")}
    end
  end

  def handle_event(
        "move_card",
        %{"card_id" => card_id, "column_id" => column_id, "position" => position},
        socket
      ) do
    card = Boards.get_card!(card_id)

    case Boards.move_card(card, column_id, position, socket.assigns.current_user) do
      {:ok, card} -> {:noreply, assign(socket, :columns, put_card(socket.assigns.columns, card))}
      {:error, _changeset} -> {:noreply, put_flash(socket, :error, "Could not move the card.")}
    end
  end

  def handle_event("delete_card", %{"id" => id}, socket) do
    {:ok, _card} = id |> Boards.get_card!() |> Boards.delete_card()
    {:noreply, socket}
  end

  def handle_event("validate_board", %{"board" => params}, socket) do
    changeset = Boards.change_board(socket.assigns.board, params)
    {:noreply, assign(socket, :board_form, to_form(changeset, action: :validate))}
  end

  def handle_event("save_board", %{"board" => params}, socket) do
    case Boards.update_board(socket.assigns.board, params) do
      {:ok, _board} ->
        {:noreply,
         socket
         |> put_flash(:info, "Board updated")
         |> push_patch(to: ~p"/boards/#{socket.assigns.board}")}

      {:error, changeset} ->
        {:noreply, assign(socket, :board_form, to_form(changeset))}
    end
  end

  @impl true
  def handle_info({event, %Boards.Card{} = card}, socket)
      when event in [:card_created, :card_updated, :card_moved] do
    {:noreply,
     socket
     |> assign(:columns, put_card(socket.assigns.columns, card))
     |> stream_insert(:activity, activity("#{card.title}: #{event_text(event)}"), at: 0, limit: 30)}
  end

  def handle_info({:card_deleted, card}, socket) do
    {:noreply,
     socket
     |> assign(:columns, drop_card(socket.assigns.columns, card))
     |> stream_insert(:activity, activity("#{card.title}: deleted"), at: 0, limit: 30)}
  end

  def handle_info({:comment_added, comment}, socket) do
    if socket.assigns.selected_card && socket.assigns.selected_card.id == comment.card_id do
      send_update(CardComponent, id: "card-detail", new_comment: comment)
    end

    {:noreply,
     stream_insert(socket, :activity, activity("#{comment.author.name} commented"), at: 0)}
  end

  def handle_info({:board_updated, board}, socket) do
    {:noreply, assign(socket, :board, %{board | columns: socket.assigns.columns})}
  end

  def handle_info({:board_archived, board}, socket) do
    {:noreply,
     socket
     |> put_flash(:info, "#{board.name} was archived.")
     |> push_navigate(to: ~p"/boards")}
  end

  def handle_info(%Phoenix.Socket.Broadcast{event: "presence_diff"}, socket) do
    {:noreply, assign(socket, :online_users, online_users(socket.assigns.board.id))}
  end

  # Sent by BoardChannel for socket clients; shown as "typing…" on the card.
  def handle_info(%Phoenix.Socket.Broadcast{event: "user_typing", payload: payload}, socket) do
    {:noreply,
     assign(socket, :typing, Map.put(socket.assigns.typing, payload.card_id, payload.user_id))}
  end

  @impl true
  def render(assigns) do
    ~H"""
    <.header>
      {@board.name}
      <:subtitle>{@board.description}</:subtitle>
      <:actions>
        <span :for={{_id, user} <- @online_users} class="mr-1 rounded-full bg-emerald-100 px-2 text-xs">
          {user.name}
        </span>
        <.link patch={~p"/boards/#{@board}/edit"} phx-click={JS.push_focus()}>
          <.button>Edit board</.button>
        </.link>
      </:actions>
    </.header>

    <div id="columns" class="mt-8 flex gap-4 overflow-x-auto" phx-hook="Sortable">
      <section
        :for={column <- @columns}
        id={"column-#{column.id}"}
        data-column-id={column.id}
        class="w-72 flex-none rounded-lg bg-zinc-100 p-3"
      >
        <h2 class="flex justify-between text-sm font-semibold text-zinc-700">
          {column.name}
          <span class={[column.wip_limit && length(column.cards) > column.wip_limit && "text-rose-600"]}>
            {length(column.cards)}<span :if={column.wip_limit}>/{column.wip_limit}</span>
          </span>
        </h2>
        <ul class="mt-3 space-y-2">
          <li
            :for={card <- column.cards}
            id={"card-#{card.id}"}
            data-card-id={card.id}
            draggable="true"
            phx-click={JS.patch(~p"/boards/#{@board}/cards/#{card}")}
            class="cursor-pointer rounded-md bg-white p-2 text-sm shadow-sm"
          >
            {card.title}
            <span :if={@typing[card.id]} class="ml-1 text-xs text-zinc-400">typing…</span>
          </li>
        </ul>
        <form phx-submit="add_card" class="mt-3">
          <input type="hidden" name="column_id" value={column.id} />
          <input name="title" placeholder="Add a card" class="w-full rounded-md border-zinc-300 text-sm" />
        </form>
      </section>
    </div>

    <aside class="mt-10">
      <h3 class="text-sm font-semibold text-zinc-700">Activity</h3>
      <ol id="activity" phx-update="stream" class="mt-2 space-y-1 text-xs text-zinc-500">
        <li :for={{dom_id, entry} <- @streams.activity} id={dom_id}>{entry.text}</li>
      </ol>
    </aside>

    <.modal :if={@live_action == :edit} id="board-modal" show on_cancel={JS.patch(~p"/boards/#{@board}")}>
      <.simple_form for={@board_form} id="board-form" phx-change="validate_board" phx-submit="save_board">
        <.input field={@board_form[:name]} type="text" label="Name" />
        <.input field={@board_form[:description]} type="textarea" label="Description" />
        <:actions>
          <.button phx-disable-with="Saving...">Save</.button>
        </:actions>
      </.simple_form>
    </.modal>

    <.modal :if={@live_action == :card} id="card-modal" show on_cancel={JS.patch(~p"/boards/#{@board}")}>
      <.live_component
        module={CardComponent}
        id="card-detail"
        card={@selected_card}
        current_user={@current_user}
      />
      <button
        phx-click="delete_card"
        phx-value-id={@selected_card.id}
        data-confirm="Delete this card?"
        class="mt-6 text-sm text-rose-600"
      >
        Delete card
      </button>
    </.modal>
    """
  end

  defp online_users(board_id) do
    for {id, %{metas: [meta | _]}} <- Presence.list("board:#{board_id}"), into: %{} do
      {id, %{name: meta.name}}
    end
  end

  defp put_card(columns, card) do
    Enum.map(columns, fn column ->
      cards = Enum.reject(column.cards, &(&1.id == card.id))

      cards =
        if column.id == card.column_id,
          do: Enum.sort_by([card | cards], & &1.position),
          else: cards

      %{column | cards: cards}
    end)
  end

  defp drop_card(columns, card) do
    Enum.map(columns, fn column ->
      %{column | cards: Enum.reject(column.cards, &(&1.id == card.id))}
    end)
  end

  defp activity(text), do: %{id: System.unique_integer([:positive]), text: text}

  defp event_text(:card_created), do: "added"
  defp event_text(:card_updated), do: "edited"
  defp event_text(:card_moved), do: "moved"
end
