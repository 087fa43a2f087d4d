defmodule Kanban.Boards.Card do
  use Ecto.Schema
  import Ecto.Changeset

  alias Kanban.Accounts.User
  alias Kanban.Boards.{Board, Column, Comment}

  schema "cards" do
    field :title, :string
    field :description, :string
    field :position, :integer, default: 0
    field :priority, Ecto.Enum, values: [:low, :normal, :high, :urgent], default: :normal
    field :due_at, :utc_datetime
    field :label_names, {:array, :string}, default: []

    belongs_to :board, Board, type: :binary_id
    belongs_to :column, Column
    belongs_to :assignee, User
    has_many :comments, Comment, preload_order: [asc: :inserted_at]

    timestamps(type: :utc_datetime)
  end

  @doc false
  def changeset(card, attrs) do
    card
    |> cast(attrs, [
      :title,
      :description,
      :position,
      :priority,
      :due_at,
      :label_names,
      :column_id,
      :assignee_id
    ])
    |> validate_required([:title, :column_id])
    |> validate_length(:title, min: 1, max: 140)
    |> validate_length(:description, max: 10_000)
    |> validate_due_at_in_future()
    |> foreign_key_constraint(:column_id)
    |> foreign_key_constraint(:assignee_id)
  end

  @doc "Only the column and position change when a card is dragged."
  def move_changeset(card, column_id, position) do
    card
    |> cast(%{column_id: column_id, position: position}, [:column_id, :position])
    |> validate_required([:column_id, :position])
    |> validate_number(:position, greater_than_or_equal_to: 0)
    |> foreign_key_constraint(:column_id)
  end

  # Only a newly set due date has to lie ahead; old overdue cards stay editable.
  defp validate_due_at_in_future(changeset) do
    validate_change(changeset, :due_at, fn :due_at, due_at ->
      if DateTime.compare(due_at, DateTime.utc_now()) == :gt do
        []
      else
        [due_at: "must be in the future"]
      end
    end)
  end
end
