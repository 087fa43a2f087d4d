defmodule KanbanWeb.UserSocket do
  use Phoenix.Socket
  use Absinthe.Phoenix.Socket, schema: KanbanWeb.Schema

  alias Kanban.Accounts

  # Board updates for the mobile and desktop clients.
  channel "board:*", KanbanWeb.BoardChannel

  # Tokens are issued by KanbanWeb.UserAuth and live for two weeks.
  @token_max_age 14 * 24 * 60 * 60

  @impl true
  def connect(%{"token" => token}, socket, _connect_info) do
    with {:ok, user_id} <-
           Phoenix.Token.verify(socket, "user socket", token, max_age: @token_max_age),
         %Accounts.User{} = user <- Accounts.get_user(user_id) do
      socket =
        socket
        |> assign(:current_user, user)
        |> Absinthe.Phoenix.Socket.put_options(context: %{current_user: user})

      {:ok, socket}
    else
      _ -> :error
    end
  end

  def connect(_params, _socket, _connect_info), do: :error

  # Lets KanbanWeb.Admin.UserController disconnect every socket of a deleted user.
  @impl true
  def id(socket), do: "users_socket:#{socket.assigns.current_user.id}"
end
