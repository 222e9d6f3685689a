import { runKeyed } from "../orders/keyed-pool"

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

describe("runKeyed", () => {
  it("runs tasks with distinct keys in parallel, up to the limit", async () => {
    let active = 0
    let peak = 0
    const tasks = Array.from({ length: 10 }, (_, i) => ({
      keys: [`k${i}`],
      run: async () => {
        active += 1
        peak = Math.max(peak, active)
        await tick()
        active -= 1
        return i
      },
    }))
    expect(await runKeyed(tasks, 3)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(peak).toBe(3)
  })

  it("never runs two tasks sharing a key at once, and keeps their order", async () => {
    const log: string[] = []
    const active = new Set<string>()
    const task = (name: string, keys: string[]) => ({
      keys,
      run: async () => {
        for (const k of keys) {
          expect(active.has(k)).toBe(false)
          active.add(k)
        }
        log.push(`start ${name}`)
        await tick()
        keys.forEach((k) => active.delete(k))
        log.push(`end ${name}`)
        return name
      },
    })
    const result = await runKeyed([task("a", ["x"]), task("b", ["y"]), task("c", ["x", "y"]), task("d", ["z"]), task("e", ["x"])], 4)
    expect(result).toEqual(["a", "b", "c", "d", "e"])
    // c waits for a and b; e waits for c (it shares x with c, which came first).
    expect(log.indexOf("start c")).toBeGreaterThan(log.indexOf("end a"))
    expect(log.indexOf("start c")).toBeGreaterThan(log.indexOf("end b"))
    expect(log.indexOf("start e")).toBeGreaterThan(log.indexOf("end c"))
    expect(log.indexOf("start d")).toBeLessThan(log.indexOf("end a"))
  })

  it("lets running tasks finish, then rejects with the first failure", async () => {
    let finished = 0
    const tasks = [
      { keys: ["a"], run: async () => Promise.reject(new Error("boom")) },
      {
        keys: ["b"],
        run: async () => {
          await tick()
          finished += 1
          return 1
        },
      },
    ]
    await expect(runKeyed(tasks, 2)).rejects.toThrow("boom")
    expect(finished).toBe(1)
  })
})
