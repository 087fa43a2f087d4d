defmodule Kanban.RateLimiter do
  @moduledoc """
  Fixed-window rate limiting on an ETS table (per node). The server only owns
  the table and clears expired windows; checks run in the caller's process.
  """

  use GenServer

  @table __MODULE__
  @sweep_interval :timer.minutes(1)

  def start_link(opts) do
    GenServer.start_link(__MODULE__, opts, name: __MODULE__)
  end

  @doc "Returns `:ok` while `key` has made fewer than `limit` calls in the current window."
  def check(key, limit, window_ms) do
    window = div(System.system_time(:millisecond), window_ms)
    count = :ets.update_counter(@table, {key, window}, 1, {{key, window}, 0, window_ms})

    if count <= limit, do: :ok, else: {:error, :rate_limited}
  end

  @impl true
  def init(_opts) do
    :ets.new(@table, [:named_table, :public, :set, write_concurrency: true])
    schedule_sweep()
    {:ok, %{}}
  end

  @impl true
  def handle_info(:sweep, state) do
    now = System.system_time(:millisecond)

    # Delete rows whose window ended: (window + 1) * window_ms <= now.
    :ets.select_delete(@table, [
      {{{:_, :"$1"}, :_, :"$2"}, [{:"=<", {:*, {:+, :"$1", 1}, :"$2"}, now}], [true]}
    ])

    schedule_sweep()
    {:noreply, state}
  end

  defp schedule_sweep, do: Process.send_after(self(), :sweep, @sweep_interval)
end
