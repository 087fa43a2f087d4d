defmodule KanbanWeb.UserAuth do
  @moduledoc """
  Session login for the browser, bearer tokens for the API, and the
  `on_mount` hooks for LiveViews.
  """

  use KanbanWeb, :verified_routes

  import Plug.Conn
  import Phoenix.Controller

  alias Kanban.Accounts

  @session_salt "user session"
  @session_max_age 60 * 60 * 24 * 30

  def log_in_user(conn, user) do
    token = Phoenix.Token.sign(KanbanWeb.Endpoint, @session_salt, user.id)
    return_to = get_session(conn, :user_return_to)

    conn
    |> renew_session()
    |> put_session(:user_token, token)
    |> put_session(:live_socket_id, "users_sessions:#{user.id}")
    |> redirect(to: return_to || ~p"/boards")
  end

  def log_out_user(conn) do
    if live_socket_id = get_session(conn, :live_socket_id) do
      KanbanWeb.Endpoint.broadcast(live_socket_id, "disconnect", %{})
    end

    conn
    |> renew_session()
    |> redirect(to: ~p"/")
  end

  # Prevents session fixation attacks.
  defp renew_session(conn) do
    delete_csrf_token()

    conn
    |> configure_session(renew: true)
    |> clear_session()
  end

  @doc "Signed token for `KanbanWeb.UserSocket`, rendered into the root layout."
  def socket_token(user), do: Phoenix.Token.sign(KanbanWeb.Endpoint, "user socket", user.id)

  ## Plugs

  def fetch_current_user(conn, _opts) do
    user = conn |> get_session(:user_token) |> user_from_session_token()
    assign(conn, :current_user, user)
  end

  def require_authenticated_user(conn, _opts) do
    if conn.assigns[:current_user] do
      conn
    else
      conn
      |> put_flash(:error, "You must log in to access this page.")
      |> maybe_store_return_to()
      |> redirect(to: ~p"/login")
      |> halt()
    end
  end

  @doc "Reads `Authorization: Bearer <api token>` and hands the user to Absinthe too."
  def fetch_api_user(conn, _opts) do
    with ["Bearer " <> token] <- get_req_header(conn, "authorization"),
         %Accounts.User{} = user <- Accounts.get_user_by_api_token(token) do
      conn
      |> assign(:current_user, user)
      |> Absinthe.Plug.put_options(context: %{current_user: user})
    else
      _ -> assign(conn, :current_user, nil)
    end
  end

  defp maybe_store_return_to(%{method: "GET"} = conn) do
    put_session(conn, :user_return_to, current_path(conn))
  end

  defp maybe_store_return_to(conn), do: conn

  defp user_from_session_token(nil), do: nil

  defp user_from_session_token(token) do
    case Phoenix.Token.verify(KanbanWeb.Endpoint, @session_salt, token, max_age: @session_max_age) do
      {:ok, user_id} -> Accounts.get_user(user_id)
      {:error, _reason} -> nil
    end
  end

  ## LiveView hooks

  def on_mount(:mount_current_user, _params, session, socket) do
    {:cont, mount_current_user(socket, session)}
  end

  def on_mount(:ensure_authenticated, _params, session, socket) do
    socket = mount_current_user(socket, session)

    if socket.assigns.current_user do
      {:cont, socket}
    else
      socket =
        socket
        |> Phoenix.LiveView.put_flash(:error, "You must log in to access this page.")
        |> Phoenix.LiveView.redirect(to: ~p"/login")

      {:halt, socket}
    end
  end

  defp mount_current_user(socket, session) do
    Phoenix.Component.assign_new(socket, :current_user, fn ->
      user_from_session_token(session["user_token"])
    end)
  end
end
