/**
 * The demo's admin, built once and served as static files.
 *
 * In development mode Medusa serves its admin through Vite's dev server inside the app's own process: the
 * first page load transforms a few thousand modules on the event loop the plugin's jobs share, and the
 * demo's sync stood still for about 45 s while it did. The demo instead builds the admin ahead of time
 * (`medusa build --admin-only`, the dashboard plus this plugin's extensions, written to `.medusa/admin`)
 * before Medusa starts, reuses that build while nothing it depends on has changed, and serves it the way
 * `medusa start` does (`serve` from @medusajs/admin-bundler). Opening the admin then costs the app a few
 * static file reads.
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import path from "node:path"

const ROOT = path.resolve(__dirname, "..")
/** Where `medusa build --admin-only` writes (Medusa's ADMIN_ONLY_OUTPUT_DIR). */
export const DEMO_ADMIN_DIR = path.join(ROOT, ".medusa/admin")
const STAMP = ".demo-build-stamp"

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

/** What the build depends on: the plugin's admin sources, the store config and the dashboard's version. */
export function adminBuildKey(): string {
  const hash = createHash("sha256")
  const inputs = [...filesUnder(path.join(ROOT, "src/admin")), path.join(ROOT, "medusa-config.ts")].sort()
  for (const file of inputs) {
    hash.update(path.relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0")
  }
  for (const pkg of ["@medusajs/dashboard", "@medusajs/admin-bundler"]) {
    hash.update(`${pkg}@${require(`${pkg}/package.json`).version}\0`)
  }
  return hash.digest("hex")
}

/**
 * Makes sure `.medusa/admin` holds a build of the current sources and returns its folder. Builds in a
 * child process (about a minute on two cores), before the app and its jobs start.
 */
export function ensureDemoAdminBuild(log: (line: string) => void, env: Record<string, string | undefined>): string {
  const key = adminBuildKey()
  const stampFile = path.join(DEMO_ADMIN_DIR, STAMP)
  if (existsSync(path.join(DEMO_ADMIN_DIR, "index.html")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === key) {
    log("admin: reusing the build in .medusa/admin (sources unchanged)")
    return DEMO_ADMIN_DIR
  }
  log("admin: building the dashboard with this plugin's pages once (medusa build --admin-only, about a minute) …")
  const started = Date.now()
  const build = spawnSync(process.execPath, [require.resolve("@medusajs/cli/cli.js"), "build", "--admin-only"], {
    cwd: ROOT,
    // Admin disabled in the config only silences the "--admin-only with admin enabled" warning.
    env: { ...process.env, ...env, MEDUSA_ADMIN_DISABLE: "true" },
    encoding: "utf8",
  })
  if (build.status !== 0 || !existsSync(path.join(DEMO_ADMIN_DIR, "index.html"))) {
    throw new Error(`medusa build --admin-only failed:\n${build.stdout}\n${build.stderr}`)
  }
  writeFileSync(stampFile, key)
  log(`admin: built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return DEMO_ADMIN_DIR
}

/** Express middleware serving a built admin at /app, as `medusa start` does. */
export async function serveDemoAdmin(outDir: string): Promise<unknown> {
  // CommonJS build of the bundler; `serve` only reads index.html and static files.
  const { serve } = require("@medusajs/admin-bundler") as {
    serve: (options: { outDir: string; path: string; disable: boolean; sources: string[]; plugins: string[] }) => Promise<unknown>
  }
  return serve({ outDir, path: "/app", disable: false, sources: [], plugins: [] })
}
