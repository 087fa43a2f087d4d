defmodule KanbanWeb.Resolvers.Accounts do
  alias Kanban.Accounts

  def me(_parent, _args, %{context: %{current_user: user}}), do: {:ok, user}
  def me(_parent, _args, _resolution), do: {:ok, nil}

  def update_profile(_parent, args, %{context: %{current_user: user}}) do
    case Accounts.update_profile(user, args) do
      {:ok, user} -> {:ok, user}
      {:error, _changeset} -> {:error, "invalid profile"}
    end
  end

  def update_profile(_parent, _args, _resolution), do: {:error, "unauthorized"}
end
