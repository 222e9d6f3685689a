/**
 * Report documents built piece by piece: text goes in as it is produced, is encoded (Cp1252, as Amazon's flat
 * file reports are) in chunks and, when compressed, each chunk is deflated as it comes, so a 100,000-row
 * report never exists as one string or one buffer. The compressed form is a single-member gzip file: a gzip
 * header, the raw deflate segments (every segment but the last ends with a sync flush, so their concatenation is
 * one valid deflate stream) and the CRC-32 / size trailer.
 *
 * Compression follows the simulator's `compressReports` setting: "always", "never", or "auto" (gzip once the
 * text is larger than the threshold; smaller documents stay plain).
 */
import { constants, crc32, deflateRawSync } from "node:zlib"
import type { ReportCompression } from "./feed-service"

/** Characters per chunk before it is encoded (and deflated). */
const CHUNK_CHARS = 256 * 1024

/** Unicode → Cp1252 byte for the 0x80–0x9F range, where Cp1252 differs from ISO-8859-1. */
const CP1252_HIGH: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
])

/** Characters that are the same byte in ISO-8859-1 and Cp1252. */
const NOT_LATIN1_SAFE = /[^\x00-\x7f\xa0-\xff]/u
const NOT_LATIN1_SAFE_ALL = /[^\x00-\x7f\xa0-\xff]/gu

/**
 * Encode as Windows-1252 (what Amazon names `Cp1252` in the download's Content-Type). Characters Cp1252 cannot
 * hold become `?`, as in Amazon's GET_MERCHANT_LISTINGS_ALL_DATA (amzn/selling-partner-api-models#4888, #2748).
 */
export function encodeCp1252(text: string): Buffer {
  if (!NOT_LATIN1_SAFE.test(text)) return Buffer.from(text, "latin1")
  const mapped = text.replace(NOT_LATIN1_SAFE_ALL, (char) => String.fromCharCode(CP1252_HIGH.get(char.codePointAt(0) as number) ?? 0x3f))
  return Buffer.from(mapped, "latin1")
}

const CP1252_HIGH_CHARS: ReadonlyMap<number, string> = new Map([...CP1252_HIGH].map(([code, byte]) => [byte, String.fromCodePoint(code)]))

/**
 * Decode Windows-1252. Not `new TextDecoder("windows-1252")`: Node 20's decoder turns 0x80–0x9F (€, „, “, –, …)
 * into C1 control characters instead.
 */
export function decodeCp1252(bytes: Buffer): string {
  return bytes.toString("latin1").replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH_CHARS.get(c.charCodeAt(0)) ?? c)
}

export interface BuiltDocument {
  chunks: Buffer[]
  byteLength: number
  uncompressedBytes: number
  compressed: boolean
}

export class ReportDocumentBuilder {
  private pending: string[] = []
  private pendingChars = 0
  /** Encoded chunks kept plain (never, or auto below the threshold). */
  private plain: Buffer[] = []
  /** Deflated segments once compressing. */
  private deflated: Buffer[] = []
  private compressing: boolean
  private crc = 0
  private uncompressed = 0

  constructor(
    private readonly mode: ReportCompression,
    private readonly thresholdBytes: number,
  ) {
    this.compressing = mode === "always"
  }

  write(text: string): void {
    this.pending.push(text)
    this.pendingChars += text.length
    if (this.pendingChars >= CHUNK_CHARS) this.flush(false)
  }

  finish(): BuiltDocument {
    this.flush(true)
    if (!this.compressing) {
      return { chunks: this.plain, byteLength: this.uncompressed, uncompressedBytes: this.uncompressed, compressed: false }
    }
    const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])
    const trailer = Buffer.alloc(8)
    trailer.writeUInt32LE(this.crc >>> 0, 0)
    trailer.writeUInt32LE(this.uncompressed % 0x1_0000_0000, 4)
    const chunks = [header, ...this.deflated, trailer]
    return { chunks, byteLength: chunks.reduce((sum, c) => sum + c.length, 0), uncompressedBytes: this.uncompressed, compressed: true }
  }

  private flush(last: boolean): void {
    const bytes = encodeCp1252(this.pending.join(""))
    this.pending = []
    this.pendingChars = 0
    this.uncompressed += bytes.length
    if (!this.compressing && this.mode === "auto" && this.uncompressed > this.thresholdBytes) {
      // Crossed the threshold: deflate what was kept plain so far, then continue compressed.
      this.compressing = true
      const kept = this.plain
      this.plain = []
      for (const chunk of kept) this.deflate(chunk, false)
    }
    if (!this.compressing) {
      if (bytes.length > 0) this.plain.push(bytes)
      return
    }
    this.deflate(bytes, last)
  }

  private deflate(bytes: Buffer, last: boolean): void {
    if (bytes.length === 0 && !last) return
    this.crc = crc32(bytes, this.crc)
    this.deflated.push(deflateRawSync(bytes, last ? {} : { finishFlush: constants.Z_SYNC_FLUSH }))
  }
}
