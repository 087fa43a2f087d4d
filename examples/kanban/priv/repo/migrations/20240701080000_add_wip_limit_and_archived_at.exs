defmodule Kanban.Repo.Migrations.AddWipLimitAndArchivedAt do
  use Ecto.Migration

  def change do
    alter table(:columns) do
      add :wip_limit, :integer
    end

    alter table(:boards) do
      add :archived_at, :utc_datetime
    end

    # DueDateReminder scans cards by due date every hour.
    create index(:cards, [:due_at], where: "due_at IS NOT NULL")
  end
end
