defmodule Kanban.Boards.Comment do
  use Ecto.Schema
  import Ecto.Changeset

  alias Kanban.Accounts.User
  alias Kanban.Boards.Card

  schema "comments" do
    field :body, :string

    belongs_to :card, Card
    belongs_to :author, User

    timestamps(type: :utc_datetime)
  end

  @doc false
  def changeset(comment, attrs) do
    comment
    |> cast(attrs, [:body, :card_id, :author_id])
    |> validate_required([:body, :card_id, :author_id])
    |> validate_length(:body, min: 1, max: 5_000)
    |> foreign_key_constraint(:card_id)
    |> foreign_key_constraint(:author_id)
  end
end
