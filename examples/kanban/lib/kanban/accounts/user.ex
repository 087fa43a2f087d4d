defmodule Kanban.Accounts.User do
  use Ecto.Schema
  import Ecto.Changeset

  alias Kanban.Boards.{Board, Membership}

  @pbkdf2_rounds 210_000

  schema "users" do
    field :email, :string
    field :name, :string
    field :role, Ecto.Enum, values: [:member, :admin], default: :member
    field :password, :string, virtual: true, redact: true
    field :hashed_password, :string, redact: true
    field :api_token, :string, redact: true

    has_many :memberships, Membership
    many_to_many :boards, Board, join_through: Membership

    timestamps(type: :utc_datetime)
  end

  def registration_changeset(user, attrs) do
    user
    |> cast(attrs, [:email, :name, :password])
    |> validate_email()
    |> validate_required([:name])
    |> validate_length(:name, max: 60)
    |> validate_password()
  end

  def profile_changeset(user, attrs) do
    user
    |> cast(attrs, [:name, :email])
    |> validate_required([:name])
    |> validate_length(:name, max: 60)
    |> validate_email()
  end

  defp validate_email(changeset) do
    changeset
    |> validate_required([:email])
    |> validate_format(:email, ~r/^[^\s]+@[^\s]+$/, message: "must have the @ sign and no spaces")
    |> validate_length(:email, max: 160)
    |> update_change(:email, &String.downcase/1)
    |> unique_constraint(:email)
  end

  defp validate_password(changeset) do
    changeset
    |> validate_required([:password])
    |> validate_length(:password, min: 12, max: 72)
    |> hash_password()
  end

  defp hash_password(%Ecto.Changeset{valid?: true, changes: %{password: password}} = changeset) do
    changeset
    |> put_change(:hashed_password, hash(password))
    |> delete_change(:password)
  end

  defp hash_password(changeset), do: changeset

  @doc """
  Verifies the password. Runs a dummy hash when there is no user,
  so response times do not reveal which emails exist.
  """
  def valid_password?(%__MODULE__{hashed_password: "pbkdf2$" <> _ = stored}, password)
      when byte_size(password) > 0 do
    ["pbkdf2", salt, _digest] = String.split(stored, "$")
    Plug.Crypto.secure_compare(hash(password, Base.decode64!(salt)), stored)
  end

  def valid_password?(_user, _password) do
    hash("not a real password")
    false
  end

  defp hash(password, salt \\ :crypto.strong_rand_bytes(16)) do
    digest = :crypto.pbkdf2_hmac(:sha256, password, salt, @pbkdf2_rounds, 32)
    "pbkdf2$" <> Base.encode64(salt) <> "$" <> Base.encode64(digest)
  end
end
