defmodule KanbanWeb.Router do
  use KanbanWeb, :router

  import KanbanWeb.UserAuth

  pipeline :browser do
    plug :accepts, ["html"]
    plug :fetch_session
    plug :fetch_live_flash
    plug :put_root_layout, html: {KanbanWeb.Layouts, :root}
    plug :protect_from_forgery
    plug :put_secure_browser_headers
    plug :fetch_current_user
  end

  pipeline :api do
    plug :accepts, ["json"]
    plug :fetch_api_user
  end

  pipeline :require_auth do
    plug :require_authenticated_user
  end

  scope "/", KanbanWeb do
    pipe_through :browser

    get "/", PageController, :home
    get "/login", UserSessionController, :new
    post "/login", UserSessionController, :create
    delete "/logout", UserSessionController, :delete
  end

  scope "/", KanbanWeb do
    pipe_through [:browser, :require_auth]

    resources "/profile", ProfileController, singleton: true, only: [:show, :edit, :update]

    scope "/boards" do
      live_session :authenticated, on_mount: [{KanbanWeb.UserAuth, :ensure_authenticated}] do
        live "/", BoardLive.Index, :index
        live "/new", BoardLive.Index, :new
        live "/:id", BoardLive.Show, :show
        live "/:id/edit", BoardLive.Show, :edit
        live "/:id/cards/:card_id", BoardLive.Show, :card
      end
    end

    # Server-rendered pages for browsers without JavaScript and for printing.
    scope "/classic" do
      resources "/boards", BoardController, only: [:index, :show] do
        resources "/cards", CardController, except: [:delete]
      end
    end
  end

  scope "/admin", KanbanWeb.Admin, as: :admin do
    pipe_through [:browser, :require_auth]

    resources "/users", UserController, only: [:index, :delete]
  end

  scope "/api" do
    pipe_through :api

    scope "/v1", KanbanWeb.Api, as: :api do
      get "/boards", BoardController, :index
      get "/boards/:id", BoardController, :show
    end

    forward "/graphql", Absinthe.Plug, schema: KanbanWeb.Schema
  end

  # Enable LiveDashboard and Swoosh mailbox preview in development
  if Application.compile_env(:kanban, :dev_routes) do
    # If you want to use the LiveDashboard in production, you should put
    # it behind authentication and allow only admins to access it.
    # If your application does not have an admins-only section yet,
    # you can use Plug.BasicAuth to set up some basic authentication
    # as long as you are also using SSL (which you should anyway).
    import Phoenix.LiveDashboard.Router

    scope "/dev" do
      pipe_through :browser

      live_dashboard "/dashboard", metrics: KanbanWeb.Telemetry
      forward "/mailbox", Plug.Swoosh.MailboxPreview

      forward "/graphiql", Absinthe.Plug.GraphiQL,
        schema: KanbanWeb.Schema,
        socket: KanbanWeb.UserSocket,
        interface: :playground
    end
  end
end
