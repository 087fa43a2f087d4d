defmodule Kanban.Activity.Tracker do
  @moduledoc """
  Holds the last events of one board. Registered under the board id in
  `Kanban.Activity.Registry`, so callers address it by board id alone.
  """

  use GenServer, restart: :transient

  @max_events 200
  @idle_timeout :timer.hours(1)
  @prune_interval :timer.minutes(10)
  @max_age_seconds 24 * 60 * 60

  def start_link(board_id) do
    GenServer.start_link(__MODULE__, board_id, name: via(board_id))
  end

  def record(board_id, event), do: GenServer.cast(via(board_id), {:record, event})

  def recent(board_id, limit), do: GenServer.call(via(board_id), {:recent, limit})

  defp via(board_id), do: {:via, Registry, {Kanban.Activity.Registry, board_id}}

  @impl true
  def init(board_id) do
    Process.send_after(self(), :prune, @prune_interval)
    {:ok, %{board_id: board_id, events: []}, @idle_timeout}
  end

  @impl true
  def handle_call({:recent, limit}, _from, state) do
    {:reply, Enum.take(state.events, limit), state, @idle_timeout}
  end

  @impl true
  def handle_cast({:record, event}, state) do
    events = Enum.take([{DateTime.utc_now(), event} | state.events], @max_events)
    {:noreply, %{state | events: events}, @idle_timeout}
  end

  @impl true
  def handle_info(:prune, state) do
    cutoff = DateTime.add(DateTime.utc_now(), -@max_age_seconds, :second)
    events = Enum.filter(state.events, fn {at, _event} -> DateTime.after?(at, cutoff) end)
    Process.send_after(self(), :prune, @prune_interval)
    {:noreply, %{state | events: events}, @idle_timeout}
  end

  def handle_info(:timeout, state) do
    {:stop, :normal, state}
  end
end
