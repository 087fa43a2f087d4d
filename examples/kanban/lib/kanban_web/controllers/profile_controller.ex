defmodule KanbanWeb.ProfileController do
  use KanbanWeb, :controller

  alias Kanban.Accounts

  def show(conn, _params) do
    render(conn, :show, user: conn.assigns.current_user)
  end

  def edit(conn, _params) do
    render(conn, :edit, changeset: Accounts.change_profile(conn.assigns.current_user))
  end

  def update(conn, %{"user" => user_params}) do
    case Accounts.update_profile(conn.assigns.current_user, user_params) do
      {:ok, _user} ->
        conn
        |> put_flash(:info, "Profile updated.")
        |> redirect(to: ~p"/profile")

      {:error, %Ecto.Changeset{} = changeset} ->
        render(conn, :edit, changeset: changeset)
    end
  end
end
