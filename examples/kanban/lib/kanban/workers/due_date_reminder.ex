defmodule Kanban.Workers.DueDateReminder do
  @moduledoc """
  Emails the assignee a day before a card is due.

  Enqueued per card by `Kanban.Boards` when a due date is set, and run hourly
  by the cron plugin without args to catch cards whose job was lost.
  """

  use Oban.Worker,
    queue: :mailers,
    max_attempts: 5,
    unique: [period: 60 * 60, keys: [:card_id]]

  alias Kanban.Accounts.UserNotifier
  alias Kanban.Boards

  @impl Oban.Worker
  def perform(%Oban.Job{args: %{"card_id" => card_id}}) do
    case Boards.get_card(card_id) do
      nil ->
        {:cancel, :card_deleted}

      %{assignee: nil} ->
        :ok

      card ->
        with {:ok, _email} <- UserNotifier.deliver_due_date_reminder(card.assignee, card), do: :ok
    end
  end

  def perform(%Oban.Job{args: %{}}) do
    from = DateTime.add(DateTime.utc_now(), 23, :hour)
    to = DateTime.add(from, 1, :hour)

    for card <- Boards.cards_due_between(from, to) do
      %{card_id: card.id} |> new() |> Oban.insert!()
    end

    :ok
  end
end
