defmodule KanbanWeb.Schema.AccountTypes do
  use Absinthe.Schema.Notation

  enum :user_role do
    value :member
    value :admin
  end

  object :user do
    field :id, non_null(:id)
    field :name, non_null(:string)
    field :email, non_null(:string)
    field :role, non_null(:user_role)
  end
end
