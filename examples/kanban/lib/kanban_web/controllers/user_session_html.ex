defmodule KanbanWeb.UserSessionHTML do
  use KanbanWeb, :html

  embed_templates "user_session_html/*"
end
