defmodule Kanban.Boards.Membership do
  use Ecto.Schema
  import Ecto.Changeset

  alias Kanban.Accounts.User
  alias Kanban.Boards.Board

  schema "memberships" do
    field :role, Ecto.Enum, values: [:owner, :editor, :viewer], default: :editor

    belongs_to :board, Board, type: :binary_id
    belongs_to :user, User

    timestamps(type: :utc_datetime)
  end

  @doc false
  def changeset(membership, attrs) do
    membership
    |> cast(attrs, [:role, :board_id, :user_id])
    |> validate_required([:role, :board_id, :user_id])
    |> foreign_key_constraint(:board_id)
    |> foreign_key_constraint(:user_id)
    |> unique_constraint([:board_id, :user_id],
      name: :memberships_board_id_user_id_index,
      message: "is already a member of this board"
    )
  end
end
