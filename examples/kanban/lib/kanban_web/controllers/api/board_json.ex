defmodule KanbanWeb.Api.BoardJSON do
  alias Kanban.Boards.{Board, Card, Column}

  def index(%{boards: boards}) do
    %{data: for(board <- boards, do: summary(board))}
  end

  def show(%{board: board}) do
    %{data: Map.put(summary(board), :columns, Enum.map(board.columns, &column/1))}
  end

  defp summary(%Board{} = board) do
    %{id: board.id, name: board.name, color: board.color, updated_at: board.updated_at}
  end

  defp column(%Column{} = column) do
    %{
      id: column.id,
      name: column.name,
      wip_limit: column.wip_limit,
      cards: Enum.map(column.cards, &card/1)
    }
  end

  defp card(%Card{} = card) do
    %{
      id: card.id,
      title: card.title,
      priority: card.priority,
      due_at: card.due_at,
      position: card.position
    }
  end
end
