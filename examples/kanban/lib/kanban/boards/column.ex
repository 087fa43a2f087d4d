defmodule Kanban.Boards.Column do
  use Ecto.Schema
  import Ecto.Changeset

  alias Kanban.Boards.{Board, Card}

  schema "columns" do
    field :name, :string
    field :position, :integer, default: 0
    field :wip_limit, :integer

    belongs_to :board, Board, type: :binary_id
    has_many :cards, Card, preload_order: [asc: :position]

    timestamps(type: :utc_datetime)
  end

  @doc false
  def changeset(column, attrs) do
    column
    |> cast(attrs, [:name, :position, :wip_limit, :board_id])
    |> validate_required([:name, :position, :board_id])
    |> validate_length(:name, min: 1, max: 40)
    |> validate_number(:wip_limit, greater_than: 0)
    |> foreign_key_constraint(:board_id)
    |> unique_constraint([:board_id, :position])
  end
end
