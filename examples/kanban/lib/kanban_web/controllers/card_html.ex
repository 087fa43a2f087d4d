defmodule KanbanWeb.CardHTML do
  use KanbanWeb, :html

  embed_templates "card_html/*"

  @doc """
  Renders a card form, shared by the new and edit pages.
  """
  attr :changeset, Ecto.Changeset, required: true
  attr :action, :string, required: true
  attr :columns, :list, required: true

  def card_form(assigns) do
    ~H"""
    <.simple_form :let={f} for={@changeset} action={@action}>
      <.error :if={@changeset.action}>
        Oops, something went wrong! Please check the errors below.
      </.error>
      <.input field={f[:title]} type="text" label="Title" />
      <.input field={f[:description]} type="textarea" label="Description" />
      <.input field={f[:column_id]} type="select" label="Column" options={Enum.map(@columns, &{&1.name, &1.id})} />
      <.input field={f[:priority]} type="select" label="Priority" options={Ecto.Enum.values(Kanban.Boards.Card, :priority)} />
      <.input field={f[:due_at]} type="datetime-local" label="Due" />
      <:actions>
        <.button>Save card</.button>
      </:actions>
    </.simple_form>
    """
  end
end
