defmodule KanbanWeb.BoardHTML do
  use KanbanWeb, :html

  embed_templates "board_html/*"
end
