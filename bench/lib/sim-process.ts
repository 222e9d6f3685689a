/**
 * Starts the SP-API simulator in another process (sim-process-main.ts) and talks to its control API over
 * HTTP (`/_sim/*`, the same methods as SimControl). Used where the benchmark measures the memory of the
 * plugin's process: an in-process simulator would add its own state and documents to the figure.
 */
import { spawn } from "node:child_process"
import path from "node:path"
import type { SimulatorOptions } from "../../simulator"

export interface SimProcess {
  url: string
  pid: number
  /** POST/PUT/GET a control route; throws on a non-2xx answer. */
  control<T = unknown>(method: "GET" | "POST" | "PUT" | "DELETE", route: string, body?: unknown): Promise<T>
  close(): Promise<void>
}

export async function startSimProcess(options: Omit<SimulatorOptions, "port" | "onError">): Promise<SimProcess> {
  const child = spawn(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(__dirname, "sim-process-main.ts"), JSON.stringify(options)], {
    cwd: path.resolve(__dirname, "../.."),
    env: process.env,
    stdio: ["pipe", "pipe", "pipe"],
  })
  let stderr = ""
  child.stderr!.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-5000)
  })
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ""
    const onData = (c: Buffer) => {
      out += c.toString()
      const m = /SIM_URL (\S+)/.exec(out)
      if (m) {
        child.stdout!.off("data", onData)
        resolve(m[1])
      }
    }
    child.stdout!.on("data", onData)
    child.on("exit", (code) => reject(new Error(`simulator process exited (${code}) before listening: ${stderr}`)))
  })
  child.stdout!.resume()
  const control = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_sim/${route.replace(/^\//, "")}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`simulator ${method} ${route}: ${res.status} ${text.slice(0, 300)}`)
    return (text ? JSON.parse(text) : undefined) as T
  }
  return {
    url,
    pid: child.pid!,
    control,
    close: async () => {
      child.stdin!.end()
      const t = setTimeout(() => child.kill("SIGKILL"), 5000)
      await exited
      clearTimeout(t)
    },
  }
}
