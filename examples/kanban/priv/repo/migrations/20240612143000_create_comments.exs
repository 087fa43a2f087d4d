defmodule Kanban.Repo.Migrations.CreateComments do
  use Ecto.Migration

  def change do
    create table(:comments) do
      add :body, :text, null: false
      add :card_id, references(:cards, on_delete: :delete_all), null: false
      add :author_id, references(:users, on_delete: :nilify_all)

      timestamps(type: :utc_datetime)
    end

    create index(:comments, [:card_id])
  end
end
