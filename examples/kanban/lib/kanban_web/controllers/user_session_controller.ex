defmodule KanbanWeb.UserSessionController do
  use KanbanWeb, :controller

  alias Kanban.Accounts
  alias KanbanWeb.UserAuth

  def new(conn, _params) do
    render(conn, :new, form: Phoenix.Component.to_form(%{}, as: "user"), error_message: nil)
  end

  def create(conn, %{"user" => %{"email" => email, "password" => password}}) do
    with :ok <- Kanban.RateLimiter.check({:login, conn.remote_ip}, 10, :timer.minutes(1)),
         %Accounts.User{} = user <- Accounts.authenticate(email, password) do
      conn
      |> put_flash(:info, "Welcome back!")
      |> UserAuth.log_in_user(user)
    else
      {:error, :rate_limited} ->
        conn
        |> put_status(:too_many_requests)
        |> render(:new,
          form: Phoenix.Component.to_form(%{"email" => email}, as: "user"),
          error_message: "Too many attempts, try again in a minute."
        )

      nil ->
        render(conn, :new,
          form: Phoenix.Component.to_form(%{"email" => email}, as: "user"),
          error_message: "Invalid email or password"
        )
    end
  end

  def delete(conn, _params) do
    conn
    |> put_flash(:info, "Logged out successfully.")
    |> UserAuth.log_out_user()
  end
end
