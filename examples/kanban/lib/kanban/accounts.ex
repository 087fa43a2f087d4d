defmodule Kanban.Accounts do
  @moduledoc """
  Users, their passwords and their API tokens.
  """

  import Ecto.Query, warn: false

  alias Kanban.Accounts.User
  alias Kanban.Repo

  def list_users do
    Repo.all(from u in User, order_by: [asc: u.name])
  end

  def get_user!(id), do: Repo.get!(User, id)

  def get_user(id), do: Repo.get(User, id)

  def get_user_by_email(email) when is_binary(email) do
    Repo.get_by(User, email: String.downcase(email))
  end

  def get_user_by_api_token(token) when is_binary(token) do
    Repo.get_by(User, api_token: token)
  end

  @doc "Returns the user when the email and password match, `nil` otherwise."
  def authenticate(email, password) when is_binary(email) and is_binary(password) do
    user = get_user_by_email(email)
    if User.valid_password?(user, password), do: user
  end

  def register_user(attrs) do
    %User{}
    |> User.registration_changeset(attrs)
    |> Ecto.Changeset.put_change(:api_token, generate_api_token())
    |> Repo.insert()
  end

  def change_profile(%User{} = user, attrs \\ %{}), do: User.profile_changeset(user, attrs)

  def update_profile(%User{} = user, attrs) do
    user
    |> User.profile_changeset(attrs)
    |> Repo.update()
  end

  def delete_user(%User{} = user), do: Repo.delete(user)

  defp generate_api_token do
    32 |> :crypto.strong_rand_bytes() |> Base.url_encode64(padding: false)
  end
end
