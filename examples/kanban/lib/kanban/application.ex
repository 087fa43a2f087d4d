defmodule Kanban.Application do
  # See https://hexdocs.pm/elixir/Application.html
  # for more information on OTP Applications
  @moduledoc false

  use Application

  @impl true
  def start(_type, _args) do
    topologies = Application.get_env(:libcluster, :topologies, [])

    children = [
      KanbanWeb.Telemetry,
      Kanban.Repo,
      {DNSCluster, query: Application.get_env(:kanban, :dns_cluster_query) || :ignore},
      {Cluster.Supervisor, [topologies, [name: Kanban.ClusterSupervisor]]},
      {Phoenix.PubSub, name: Kanban.PubSub},
      KanbanWeb.Presence,
      # Start the Finch HTTP client for sending emails
      {Finch, name: Kanban.Finch},
      {Oban, Application.fetch_env!(:kanban, Oban)},
      {Registry, keys: :unique, name: Kanban.Activity.Registry},
      {DynamicSupervisor, name: Kanban.Activity.TrackerSupervisor, strategy: :one_for_one},
      {Task.Supervisor, name: Kanban.TaskSupervisor},
      Kanban.RateLimiter,
      # Start to serve requests, typically the last entry
      KanbanWeb.Endpoint,
      {Absinthe.Subscription, KanbanWeb.Endpoint}
    ]

    # See https://hexdocs.pm/elixir/Supervisor.html
    # for other strategies and supported options
    opts = [strategy: :one_for_one, name: Kanban.Supervisor]
    Supervisor.start_link(children, opts)
  end

  # Tell Phoenix to update the endpoint configuration
  # whenever the application is updated.
  @impl true
  def config_change(changed, _new, removed) do
    KanbanWeb.Endpoint.config_change(changed, removed)
    :ok
  end
end
