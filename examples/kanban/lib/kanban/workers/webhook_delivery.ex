defmodule Kanban.Workers.WebhookDelivery do
  @moduledoc """
  Posts a board event to the configured webhook URL (`WEBHOOK_URL`),
  signed with HMAC-SHA256.
  """

  use Oban.Worker,
    queue: :events,
    max_attempts: 10,
    priority: 1,
    tags: ["webhooks", "boards"]

  require Logger

  @impl Oban.Worker
  def perform(%Oban.Job{args: %{"board_id" => _board_id} = args, attempt: attempt}) do
    case webhook_config()[:url] do
      nil ->
        {:cancel, :no_webhook_configured}

      url ->
        body = Jason.encode!(args)

        case Req.post(url, body: body, headers: headers(body), receive_timeout: timeout()) do
          {:ok, %Req.Response{status: status}} when status in 200..299 ->
            :ok

          {:ok, %Req.Response{status: status}} ->
            Logger.warning("webhook #{url} answered #{status} (attempt #{attempt})")
            {:error, {:http_status, status}}

          {:error, exception} ->
            {:error, exception}
        end
    end
  end

  # Back off exponentially, capped at one hour.
  @impl Oban.Worker
  def backoff(%Oban.Job{attempt: attempt}), do: min(trunc(:math.pow(2, attempt)) * 15, 3_600)

  defp webhook_config, do: Application.get_env(:kanban, :webhooks, [])

  defp headers(body) do
    secret = webhook_config()[:signing_secret] || ""
    signature = :crypto.mac(:hmac, :sha256, secret, body) |> Base.encode16(case: :lower)
    [{"content-type", "application/json"}, {"x-kanban-signature", "sha256=" <> signature}]
  end

  defp timeout, do: webhook_config()[:timeout] || 5_000
end
