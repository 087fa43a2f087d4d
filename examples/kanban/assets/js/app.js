// Phoenix, LiveView and topbar come from deps/ through NODE_PATH (see config/config.exs).
import "phoenix_html"
import {Socket} from "phoenix"
import {LiveSocket} from "phoenix_live_view"

// Drag cards between columns; the server is the source of truth for positions.
const Hooks = {}
Hooks.Sortable = {
  mounted() {
    this.el.addEventListener("dragstart", e => {
      e.dataTransfer.setData("text/plain", e.target.dataset.cardId)
    })
    this.el.addEventListener("dragover", e => e.preventDefault())
    this.el.addEventListener("drop", e => {
      e.preventDefault()
      const column = e.target.closest("[data-column-id]")
      if (!column) return
      const cards = column.querySelectorAll("[data-card-id]")
      this.pushEvent("move_card", {
        card_id: e.dataTransfer.getData("text/plain"),
        column_id: column.dataset.columnId,
        position: cards.length
      })
    })
  }
}

let csrfToken = document.querySelector("meta[name='csrf-token']").getAttribute("content")
let liveSocket = new LiveSocket("/live", Socket, {
  longPollFallbackMs: 2500,
  params: {_csrf_token: csrfToken},
  hooks: Hooks
})

// connect if there are any LiveViews on the page
liveSocket.connect()

// expose liveSocket on window for web console debug logs and latency simulation:
// >> liveSocket.enableDebug()
// >> liveSocket.enableLatencySim(1000)  // enabled for duration of browser session
// >> liveSocket.disableLatencySim()
window.liveSocket = liveSocket
