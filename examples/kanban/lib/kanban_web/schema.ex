defmodule KanbanWeb.Schema do
  @moduledoc """
  The GraphQL API, served at `/api/graphql`; subscriptions run over
  `KanbanWeb.UserSocket`.
  """

  use Absinthe.Schema

  alias KanbanWeb.Resolvers

  import_types Absinthe.Type.Custom
  import_types KanbanWeb.Schema.AccountTypes
  import_types KanbanWeb.Schema.BoardTypes

  query do
    @desc "The user making the request"
    field :me, :user do
      resolve &Resolvers.Accounts.me/3
    end

    field :boards, non_null(list_of(non_null(:board))) do
      arg :search, :string
      resolve &Resolvers.Boards.list_boards/3
    end

    field :board, :board do
      arg :id, non_null(:id)
      resolve &Resolvers.Boards.get_board/3
    end

    @desc "Boards and cards whose name or title matches"
    field :search, non_null(list_of(non_null(:search_result))) do
      arg :term, non_null(:string)
      resolve &Resolvers.Boards.search/3
    end
  end

  mutation do
    field :create_card, :card do
      arg :board_id, non_null(:id)
      arg :input, non_null(:card_input)
      resolve &Resolvers.Boards.create_card/3
    end

    field :move_card, :card do
      arg :card_id, non_null(:id)
      arg :column_id, non_null(:id)
      arg :position, non_null(:integer)
      resolve &Resolvers.Boards.move_card/3
    end

    field :add_comment, :comment do
      arg :card_id, non_null(:id)
      arg :body, non_null(:string)
      resolve &Resolvers.Boards.add_comment/3
    end

    field :update_profile, :user do
      arg :name, :string
      arg :email, :string
      resolve &Resolvers.Accounts.update_profile/3
    end
  end

  subscription do
    field :card_moved, :card do
      arg :board_id, non_null(:id)

      config fn args, %{context: context} ->
        with %{current_user: user} <- context,
             true <- Kanban.Boards.member?(args.board_id, user.id) do
          {:ok, topic: "board:#{args.board_id}"}
        else
          _ -> {:error, "unauthorized"}
        end
      end

      trigger :move_card, topic: fn card -> "board:#{card.board_id}" end
    end

    field :comment_added, :comment do
      arg :card_id, non_null(:id)

      config fn args, _resolution ->
        {:ok, topic: "card:#{args.card_id}"}
      end

      trigger :add_comment, topic: fn comment -> "card:#{comment.card_id}" end
    end
  end
end
