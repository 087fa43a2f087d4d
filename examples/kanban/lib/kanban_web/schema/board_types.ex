defmodule KanbanWeb.Schema.BoardTypes do
  use Absinthe.Schema.Notation

  alias KanbanWeb.Resolvers

  enum :card_priority do
    value :low
    value :normal
    value :high
    value :urgent
  end

  enum :member_role do
    value :owner
    value :editor
    value :viewer
  end

  object :label do
    field :name, non_null(:string)
    field :color, non_null(:string)
  end

  object :board do
    field :id, non_null(:id)
    field :name, non_null(:string)
    field :description, :string
    field :color, non_null(:string)
    field :labels, non_null(list_of(non_null(:label)))
    field :updated_at, non_null(:datetime)

    field :columns, non_null(list_of(non_null(:column))) do
      resolve &Resolvers.Boards.board_columns/3
    end
  end

  object :column do
    field :id, non_null(:id)
    field :name, non_null(:string)
    field :position, non_null(:integer)
    field :wip_limit, :integer
    field :cards, non_null(list_of(non_null(:card)))
  end

  object :card do
    field :id, non_null(:id)
    field :title, non_null(:string)
    field :description, :string
    field :position, non_null(:integer)
    field :priority, non_null(:card_priority)
    field :due_at, :datetime
    field :board_id, non_null(:id)
    field :column_id, non_null(:id)

    field :comments, non_null(list_of(non_null(:comment))) do
      resolve &Resolvers.Boards.card_comments/3
    end
  end

  object :comment do
    field :id, non_null(:id)
    field :body, non_null(:string)
    field :card_id, non_null(:id)
    field :inserted_at, non_null(:datetime)
  end

  input_object :card_input do
    field :title, non_null(:string)
    field :column_id, non_null(:id)
    field :description, :string
    field :priority, :card_priority, default_value: :normal
    field :due_at, :datetime
  end

  union :search_result do
    types [:board, :card]

    resolve_type fn
      %Kanban.Boards.Board{}, _ -> :board
      %Kanban.Boards.Card{}, _ -> :card
      _, _ -> nil
    end
  end
end
