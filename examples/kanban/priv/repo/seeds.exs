# Script for populating the database. You can run it as:
#
#     mix run priv/repo/seeds.exs
#
# The users below are for local development only.

alias Kanban.{Accounts, Boards}

{:ok, ada} =
  Accounts.register_user(%{
    name: "Ada",
    email: "ada@example.com",
    password: "correct horse battery"
  })

{:ok, grace} =
  Accounts.register_user(%{
    name: "Grace",
    email: "grace@example.com",
    password: "correct horse battery"
  })

{:ok, board} =
  Boards.create_board(ada, %{name: "Launch", description: "Everything for v1", color: "sky"})

{:ok, _membership} = Boards.add_member(board, grace, :editor)

board = Boards.get_board!(ada, board.id)
[todo, doing | _] = board.columns

for {title, column, position} <- [
      {"Write the landing page", todo, 0},
      {"Pick a pricing model", todo, 1},
      {"Set up the mail domain", doing, 0}
    ] do
  {:ok, _card} =
    Boards.create_card(board, %{title: title, column_id: column.id, position: position})
end
