defmodule KanbanWeb.ProfileHTML do
  use KanbanWeb, :html

  embed_templates "profile_html/*"
end
