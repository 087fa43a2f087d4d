defmodule Kanban.Accounts.UserNotifier do
  import Swoosh.Email

  alias Kanban.Mailer

  @from {"Kanban", "no-reply@kanban.example.com"}

  def deliver_due_date_reminder(user, card) do
    deliver(user.email, "Due tomorrow: #{card.title}", """
    Hi #{user.name},

    The card "#{card.title}" is due on #{Calendar.strftime(card.due_at, "%A %d %B at %H:%M")} UTC.
    """)
  end

  def deliver_board_invitation(user, board) do
    deliver(user.email, "You were added to #{board.name}", """
    Hi #{user.name},

    You can now see and edit the board "#{board.name}".
    """)
  end

  def deliver_weekly_report(user, lines) do
    deliver(user.email, "Your week on Kanban", """
    Hi #{user.name},

    #{Enum.join(lines, "\n")}
    """)
  end

  defp deliver(recipient, subject, body) do
    email =
      new()
      |> to(recipient)
      |> from(@from)
      |> subject(subject)
      |> text_body(body)

    with {:ok, _metadata} <- Mailer.deliver(email) do
      {:ok, email}
    end
  end
end
