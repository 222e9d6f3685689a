const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * `count` ids shaped like generateEntityId's (`<prefix>_` + a 26-character ULID: 48-bit time, 80 random
 * bits, Crockford base32). generateEntityId draws a separate crypto buffer per character (26 per id):
 * over 3 s of CPU, and millions of small buffers, for the 100,000 ids of a reconcile. Here one buffer
 * serves the whole batch (256 is a multiple of 32, so `byte & 31` stays uniform).
 */
export function bulkEntityIds(prefix: string, count: number): string[] {
  let now = Date.now()
  let time = ""
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[now % 32] + time
    now = Math.floor(now / 32)
  }
  const head = `${prefix}_${time}`
  // Web Crypto (a global in Node ≥ 19) fills at most 65,536 bytes per call.
  const random = new Uint8Array(count * 16)
  for (let at = 0; at < random.length; at += 65_536) {
    globalThis.crypto.getRandomValues(random.subarray(at, Math.min(random.length, at + 65_536)))
  }
  const ids = new Array<string>(count)
  for (let i = 0; i < count; i++) {
    let tail = ""
    for (let j = i * 16, end = j + 16; j < end; j++) {
      tail += CROCKFORD[random[j] & 31]
    }
    ids[i] = head + tail
  }
  return ids
}
