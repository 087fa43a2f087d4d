defmodule Kanban.Activity do
  @moduledoc """
  Recent activity per board, kept in memory by one `Kanban.Activity.Tracker`
  per board. Trackers start on first use and stop after an idle hour.
  """

  alias Kanban.Activity.Tracker

  def record(board_id, event) do
    board_id |> ensure_tracker() |> Tracker.record(event)
  end

  def recent(board_id, limit \\ 20) do
    board_id |> ensure_tracker() |> Tracker.recent(limit)
  end

  defp ensure_tracker(board_id) do
    case DynamicSupervisor.start_child(Kanban.Activity.TrackerSupervisor, {Tracker, board_id}) do
      {:ok, _pid} -> board_id
      {:error, {:already_started, _pid}} -> board_id
    end
  end
end
