defmodule KanbanWeb.Admin.UserHTML do
  use KanbanWeb, :html

  embed_templates "user_html/*"
end
