defmodule KanbanWeb.PageControllerTest do
  use KanbanWeb.ConnCase, async: true

  test "GET / shows the landing page to visitors", %{conn: conn} do
    conn = get(conn, ~p"/")
    assert html_response(conn, 200) =~ "Boards your whole team sees change as it happens."
  end

  describe "logged in" do
    setup :register_and_log_in_user

    test "GET / goes straight to the boards", %{conn: conn} do
      conn = get(conn, ~p"/")
      assert redirected_to(conn) == ~p"/boards"
    end
  end

  test "GET /classic/boards requires a login", %{conn: conn} do
    conn = get(conn, ~p"/classic/boards")
    assert redirected_to(conn) == ~p"/login"
  end
end
