/**
 * Runs tasks with bounded concurrency, never two tasks that share a key at the same time, and tasks that
 * share a key in the order given. The order import uses it to apply a page of orders in parallel while
 * orders touching the same inventory item (or the same buyer) are applied one after the other: Medusa's
 * stock levels are read-modify-write, so two reservations of one item at once could lose one.
 */
export interface KeyedTask<T> {
  keys: readonly string[]
  run: () => Promise<T>
}

export async function runKeyed<T>(tasks: readonly KeyedTask<T>[], concurrency: number): Promise<T[]> {
  const limit = Math.max(1, Math.floor(concurrency))
  const results = new Array<T>(tasks.length)
  const held = new Set<string>()
  const waiting = tasks.map((_, i) => i)
  const running = new Map<number, Promise<void>>()

  const startable = (): number | undefined => {
    // A task may start when none of its keys is held and no earlier waiting task shares one of them
    // (so tasks with a common key keep their order).
    const blocked = new Set(held)
    for (const i of waiting) {
      const keys = tasks[i].keys
      if (keys.every((k) => !blocked.has(k))) {
        return i
      }
      keys.forEach((k) => blocked.add(k))
    }
    return undefined
  }

  let failure: { error: unknown } | undefined
  while ((waiting.length || running.size) && !failure) {
    let next = running.size < limit ? startable() : undefined
    while (next !== undefined) {
      const i = next
      waiting.splice(waiting.indexOf(i), 1)
      tasks[i].keys.forEach((k) => held.add(k))
      running.set(
        i,
        tasks[i]
          .run()
          .then(
            (value) => {
              results[i] = value
            },
            (error) => {
              failure ??= { error }
            }
          )
          .finally(() => {
            tasks[i].keys.forEach((k) => held.delete(k))
            running.delete(i)
          })
      )
      next = running.size < limit ? startable() : undefined
    }
    if (running.size) {
      await Promise.race(running.values())
    }
  }
  await Promise.all(running.values())
  if (failure) {
    throw failure.error
  }
  return results
}
