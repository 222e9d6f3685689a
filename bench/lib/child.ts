/**
 * Runs a scenario in a process of its own (ts-node, like P2's child): the child writes its result as JSON
 * to the file given with --result and its progress lines, prefixed with `<prefix>: `, to stdout. The
 * parent relays the progress, stops the child at the deadline and returns what it wrote.
 */
import { spawn } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"

export interface ChildOutcome<R> {
  ok: boolean
  result?: R
  /** "finished", "stopped at the deadline after N s", "failed (exit N)". */
  status: string
  progress: string[]
  stderr: string
  process_s: number
}

export async function runBenchChild<R>(opts: {
  /** Path of the child script (.ts). */
  script: string
  args?: string[]
  /** The child's environment: process.env with these set (undefined = removed). */
  env?: Record<string, string | undefined>
  /** Node flags for the child (e.g. --expose-gc). */
  nodeArgs?: string[]
  prefix: string
  say: (l: string) => void
  deadline: number
}): Promise<ChildOutcome<R>> {
  const resultFile = path.join(os.tmpdir(), `bench-${opts.prefix.toLowerCase()}-${process.pid}-${Date.now()}.json`)
  rmSync(resultFile, { force: true })
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), require.resolve("ts-node/dist/bin.js"), "--transpile-only", opts.script, ...(opts.args ?? []), "--result", resultFile], {
    cwd: path.resolve(__dirname, "../.."),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  })
  const started = Date.now()
  const progress: string[] = []
  let stderr = ""
  let buffered = ""
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split("\n")
    buffered = lines.pop() ?? ""
    for (const line of lines) {
      if (!line.startsWith(`${opts.prefix}: `)) continue // Medusa's own boot chatter is left out
      progress.push(line.slice(opts.prefix.length + 2))
      opts.say(line)
    }
  })
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString()
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000)
  })
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), Math.max(0, opts.deadline - Date.now())).unref()),
  ])
  if (timedOut) {
    opts.say(`${opts.prefix}: not finished by the deadline; stopping it`)
    child.kill("SIGKILL")
  }
  const code = await exited
  const processS = Math.round((Date.now() - started) / 1000)
  const tail = stderr
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("npm warn"))
    .slice(-20)
    .join("\n")
  if (!timedOut && code === 0 && existsSync(resultFile)) {
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as R
    rmSync(resultFile, { force: true })
    return { ok: true, result, status: "finished", progress, stderr: tail, process_s: processS }
  }
  return {
    ok: false,
    status: timedOut ? `stopped at the deadline after ${processS} s` : `failed (exit ${code})`,
    progress,
    stderr: tail,
    process_s: processS,
  }
}
