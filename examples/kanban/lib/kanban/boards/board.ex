defmodule Kanban.Boards.Board do
  use Ecto.Schema
  import Ecto.Changeset

  alias Kanban.Accounts.User
  alias Kanban.Boards.{Column, Membership}

  @primary_key {:id, :binary_id, autogenerate: true}

  @colors ~w(slate sky emerald amber rose violet)

  schema "boards" do
    field :name, :string
    field :description, :string
    field :color, :string, default: "slate"
    field :archived_at, :utc_datetime

    belongs_to :owner, User
    has_many :columns, Column, preload_order: [asc: :position]
    has_many :memberships, Membership
    many_to_many :members, User, join_through: Membership

    embeds_many :labels, Label, on_replace: :delete do
      field :name, :string
      field :color, :string
    end

    timestamps(type: :utc_datetime)
  end

  def colors, do: @colors

  @doc false
  def changeset(board, attrs) do
    board
    |> cast(attrs, [:name, :description, :color])
    |> cast_embed(:labels, with: &label_changeset/2)
    |> validate_required([:name])
    |> validate_length(:name, min: 2, max: 80)
    |> validate_length(:description, max: 2_000)
    |> validate_inclusion(:color, @colors)
    |> validate_unique_label_names()
  end

  @doc "Changeset used once, when a user creates a board they will own."
  def create_changeset(board, attrs, %User{} = owner) do
    board
    |> changeset(attrs)
    |> put_assoc(:owner, owner)
    |> foreign_key_constraint(:owner_id)
  end

  def archive_changeset(board) do
    change(board, archived_at: DateTime.utc_now(:second))
  end

  defp label_changeset(label, attrs) do
    label
    |> cast(attrs, [:name, :color])
    |> validate_required([:name, :color])
    |> validate_length(:name, max: 24)
    |> validate_format(:color, ~r/^#[0-9a-fA-F]{6}$/, message: "must be a hex color like #a1b2c3")
  end

  defp validate_unique_label_names(changeset) do
    names =
      changeset
      |> get_field(:labels, [])
      |> Enum.map(&String.downcase(&1.name || ""))

    if Enum.uniq(names) == names do
      changeset
    else
      add_error(changeset, :labels, "must have unique names")
    end
  end
end
