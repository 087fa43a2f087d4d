defmodule Kanban.Repo.Migrations.CreateUsers do
  use Ecto.Migration

  def change do
    execute "CREATE EXTENSION IF NOT EXISTS citext", ""

    create table(:users) do
      add :email, :citext, null: false
      add :name, :string, null: false
      add :role, :string, null: false, default: "member"
      add :hashed_password, :string, null: false
      add :api_token, :string

      timestamps(type: :utc_datetime)
    end

    create unique_index(:users, [:email])
    create unique_index(:users, [:api_token])
  end
end
