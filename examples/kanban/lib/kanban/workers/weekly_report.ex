defmodule Kanban.Workers.WeeklyReport do
  @moduledoc """
  Emails each board owner a summary of the past week.

  Runs in the `:reports` queue.
  """

  use Oban.Worker, queue: :reports, max_attempts: 3

  import Ecto.Query

  alias Kanban.Accounts.UserNotifier
  alias Kanban.Boards.{Board, Card}
  alias Kanban.Repo

  @impl Oban.Worker
  def perform(%Oban.Job{args: %{"owner_id" => owner_id}}) do
    since = DateTime.add(DateTime.utc_now(), -7, :day)

    boards =
      Repo.all(
        from b in Board,
          where: b.owner_id == ^owner_id and is_nil(b.archived_at),
          preload: [:owner]
      )

    lines = Enum.map(boards, &summary_line(&1, since))

    case boards do
      [] ->
        {:cancel, :no_boards}

      [board | _] ->
        with {:ok, _} <- UserNotifier.deliver_weekly_report(board.owner, lines), do: :ok
    end
  end

  # The cron entry fans out one job per owner so one failure does not redo everyone.
  def perform(%Oban.Job{args: %{"period" => "week"}}) do
    jobs =
      from(b in Board,
        where: is_nil(b.archived_at) and not is_nil(b.owner_id),
        distinct: true,
        select: b.owner_id
      )
      |> Repo.all()
      |> Enum.map(&new(%{owner_id: &1}))

    Oban.insert_all(jobs)
    :ok
  end

  defp summary_line(board, since) do
    created =
      Repo.aggregate(
        from(c in Card, where: c.board_id == ^board.id and c.inserted_at >= ^since),
        :count
      )

    "#{board.name}: #{created} new cards"
  end
end
