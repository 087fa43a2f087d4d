defmodule Kanban.Repo.Migrations.CreateBoards do
  use Ecto.Migration

  def change do
    create table(:boards, primary_key: false) do
      add :id, :binary_id, primary_key: true
      add :name, :string, null: false
      add :description, :text
      add :color, :string, null: false, default: "slate"
      add :labels, {:array, :map}, null: false, default: []
      add :owner_id, references(:users, on_delete: :nilify_all)

      timestamps(type: :utc_datetime)
    end

    create index(:boards, [:owner_id])

    create table(:memberships) do
      add :role, :string, null: false, default: "editor"
      add :board_id, references(:boards, type: :binary_id, on_delete: :delete_all), null: false
      add :user_id, references(:users, on_delete: :delete_all), null: false

      timestamps(type: :utc_datetime)
    end

    create unique_index(:memberships, [:board_id, :user_id])
    create index(:memberships, [:user_id])
  end
end
