ExUnit.start()
Ecto.Adapters.SQL.Sandbox.mode(Kanban.Repo, :manual)
