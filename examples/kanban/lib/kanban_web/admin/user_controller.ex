defmodule KanbanWeb.Admin.UserController do
  use KanbanWeb, :controller

  alias Kanban.Accounts

  plug :require_admin

  def index(conn, _params) do
    render(conn, :index, users: Accounts.list_users())
  end

  def delete(conn, %{"id" => id}) do
    user = Accounts.get_user!(id)
    {:ok, _user} = Accounts.delete_user(user)

    # Drop the user's open sockets; see KanbanWeb.UserSocket.id/1.
    KanbanWeb.Endpoint.broadcast("users_socket:#{user.id}", "disconnect", %{})
    KanbanWeb.Endpoint.broadcast("users_sessions:#{user.id}", "disconnect", %{})

    conn
    |> put_flash(:info, "#{user.email} was deleted.")
    |> redirect(to: ~p"/admin/users")
  end

  defp require_admin(conn, _opts) do
    if conn.assigns.current_user.role == :admin do
      conn
    else
      conn
      |> put_status(:forbidden)
      |> put_view(html: KanbanWeb.ErrorHTML)
      |> render(:"403")
      |> halt()
    end
  end
end
