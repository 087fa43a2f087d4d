defmodule Kanban.Repo.Migrations.CreateColumnsAndCards do
  use Ecto.Migration

  def change do
    create table(:columns) do
      add :name, :string, null: false
      add :position, :integer, null: false, default: 0
      add :board_id, references(:boards, type: :binary_id, on_delete: :delete_all), null: false

      timestamps(type: :utc_datetime)
    end

    create unique_index(:columns, [:board_id, :position])

    create table(:cards) do
      add :title, :string, null: false
      add :description, :text
      add :position, :integer, null: false, default: 0
      add :priority, :string, null: false, default: "normal"
      add :due_at, :utc_datetime
      add :label_names, {:array, :string}, null: false, default: []
      add :board_id, references(:boards, type: :binary_id, on_delete: :delete_all), null: false
      add :column_id, references(:columns, on_delete: :delete_all), null: false
      add :assignee_id, references(:users, on_delete: :nilify_all)

      timestamps(type: :utc_datetime)
    end

    create index(:cards, [:column_id, :position])
    create index(:cards, [:board_id])
    create index(:cards, [:assignee_id])
  end
end
