defmodule KanbanWeb.BoardLive.CardComponent do
  @moduledoc """
  The card detail panel: edit the card and read or add comments.
  """

  use KanbanWeb, :live_component

  alias Kanban.Boards

  @impl true
  def update(%{new_comment: comment}, socket) do
    {:ok, update(socket, :comments, &(&1 ++ [comment]))}
  end

  def update(%{card: card} = assigns, socket) do
    {:ok,
     socket
     |> assign(assigns)
     |> assign(:comments, card.comments)
     |> assign(:form, to_form(Boards.change_card(card)))
     |> assign(:comment_form, to_form(%{"body" => ""}, as: :comment))}
  end

  @impl true
  def handle_event("validate", %{"card" => params}, socket) do
    changeset = Boards.change_card(socket.assigns.card, params)
    {:noreply, assign(socket, :form, to_form(changeset, action: :validate))}
  end

  def handle_event("save", %{"card" => params}, socket) do
    case Boards.update_card(socket.assigns.card, params) do
      {:ok, card} ->
        {:noreply,
         socket
         |> assign(:card, card)
         |> put_flash(:info, "Card saved")
         |> push_patch(to: ~p"/boards/#{card.board_id}")}

      {:error, changeset} ->
        {:noreply, assign(socket, :form, to_form(changeset))}
    end
  end

  def handle_event("comment", %{"comment" => params}, socket) do
    case Boards.add_comment(socket.assigns.card, socket.assigns.current_user, params) do
      # The comment comes back through PubSub and send_update/3.
      {:ok, _comment} ->
        {:noreply, assign(socket, :comment_form, to_form(%{"body" => ""}, as: :comment))}

      {:error, changeset} ->
        {:noreply, assign(socket, :comment_form, to_form(changeset, as: :comment))}
    end
  end

  @impl true
  def render(assigns) do
    ~H"""
    <div id={@id}>
      <.simple_form for={@form} id="card-form" phx-target={@myself} phx-change="validate" phx-submit="save">
        <.input field={@form[:title]} type="text" label="Title" />
        <.input field={@form[:description]} type="textarea" label="Description" />
        <.input
          field={@form[:priority]}
          type="select"
          label="Priority"
          options={Ecto.Enum.values(Boards.Card, :priority)}
        />
        <.input field={@form[:due_at]} type="datetime-local" label="Due" />
        <:actions>
          <.button phx-disable-with="Saving...">Save card</.button>
        </:actions>
      </.simple_form>

      <h3 class="mt-8 text-sm font-semibold text-zinc-700">Comments</h3>
      <ul id="comments" class="mt-2 space-y-2 text-sm">
        <li :for={comment <- @comments} id={"comment-#{comment.id}"}>
          <span class="font-semibold">{comment.author.name}</span> {comment.body}
        </li>
      </ul>
      <.form for={@comment_form} id="comment-form" phx-target={@myself} phx-submit="comment" class="mt-3">
        <.input field={@comment_form[:body]} type="textarea" placeholder="Write a comment" />
        <.button class="mt-2">Comment</.button>
      </.form>
    </div>
    """
  end
end
