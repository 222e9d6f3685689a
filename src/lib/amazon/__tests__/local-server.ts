import http from "node:http"
import type { AddressInfo } from "node:net"

/** A scripted HTTP server on 127.0.0.1 for SP-API client tests: each test decides every answer. */
export type Handler = (req: http.IncomingMessage, body: string) => {
  status: number
  body?: unknown
  headers?: Record<string, string>
  raw?: string
  delayMs?: number
}

export async function startLocalServer(handler: Handler) {
  const requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = []
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body })
      const out = handler(req, body)
      const send = () => {
        res.writeHead(out.status, { "content-type": "application/json", ...(out.headers ?? {}) })
        res.end(out.raw ?? (out.body === undefined ? "" : JSON.stringify(out.body)))
      }
      if (out.delayMs) {
        setTimeout(send, out.delayMs)
      } else {
        send()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
