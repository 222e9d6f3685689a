/**
 * Amazon SQS standard queues, as far as an SP-API notification consumer needs them: at-least-once delivery, a
 * visibility timeout after each receive, per-receive receipt handles, message delays and long polling.
 *
 * Every duration (visibility timeout, delay, long-poll wait) runs on the simulator's clock, like the rest of the
 * simulator: at time scale 60 a 30 s visibility timeout lasts half a real second, and `advanceClock(30_000)` makes
 * in-flight messages visible again at once. Long polls wake as soon as a message becomes visible.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto"
import { type SimClock, toAmazonIso } from "../clock"

export const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000

export interface SqsMessage {
  messageId: string
  body: string
  md5OfBody: string
  sentAt: number
  /** Simulated epoch ms from which the message can be received (delay or visibility timeout). */
  visibleAt: number
  receiveCount: number
  firstReceivedAt?: number
  /** The handle of the latest receive: only it deletes the message or changes its visibility. */
  receiptHandle?: string
}

export interface SqsQueue {
  name: string
  region: string
  awsAccountId: string
  arn: string
  accessKeyId: string
  secretAccessKey: string
  fifo: boolean
  createdAt: number
  visibilityTimeoutMs: number
  messages: SqsMessage[]
  /** Every receipt handle ever issued for this queue → its message id (stale handles stay known). */
  handles: Map<string, string>
  stats: { sent: number; received: number; deleted: number }
}

export interface SqsQueueState {
  visible: number
  inFlight: number
  delayed: number
  sent: number
  deleted: number
  received: number
}

export interface SqsMessageView {
  messageId: string
  body: string
  state: "visible" | "inFlight" | "delayed"
  receiveCount: number
  sentTimestamp: string
  visibleAt: string
}

export interface CreateQueueInput {
  name: string
  region?: string
  awsAccountId?: string
  accessKeyId?: string
  secretAccessKey?: string
}

export class QueueExistsError extends RangeError {}

/** What a delete or visibility change finds when the handle is unusable. */
export type HandleProblem = "invalid" | "stale" | "gone"

/** `http://127.0.0.1:<port>/<awsAccountId>/<name>`, as SQS builds queue URLs. */
export function queueUrlOf(origin: string, queue: SqsQueue): string {
  return `${origin}/${queue.awsAccountId}/${queue.name}`
}

export function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex")
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/

export class SqsBroker {
  private readonly queues = new Map<string, SqsQueue>()
  /** Long polls waiting for a queue (keyed by ARN); each is woken when a message may have become visible. */
  private readonly waiters = new Map<string, Set<() => void>>()

  constructor(private readonly clock: SimClock) {}

  createQueue(input: CreateQueueInput): SqsQueue {
    const region = input.region ?? "eu-west-1"
    const awsAccountId = input.awsAccountId ?? "123456789012"
    const fifo = input.name.endsWith(".fifo")
    const base = fifo ? input.name.slice(0, -".fifo".length) : input.name
    if (!QUEUE_NAME.test(base) || input.name.length > 80) {
      throw new RangeError("queue names have 1-80 characters: letters, digits, - and _ (plus .fifo for FIFO queues)")
    }
    if (!/^\d{12}$/.test(awsAccountId)) throw new RangeError("awsAccountId must be 12 digits")
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new RangeError(`not an AWS region: ${region}`)
    const arn = `arn:aws:sqs:${region}:${awsAccountId}:${input.name}`
    if (this.queues.has(arn)) throw new QueueExistsError(`queue ${arn} already exists`)
    const queue: SqsQueue = {
      name: input.name,
      region,
      awsAccountId,
      arn,
      accessKeyId: input.accessKeyId ?? `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: input.secretAccessKey ?? randomBytes(30).toString("base64"),
      fifo,
      createdAt: this.clock.now(),
      visibilityTimeoutMs: DEFAULT_VISIBILITY_TIMEOUT_MS,
      messages: [],
      handles: new Map(),
      stats: { sent: 0, received: 0, deleted: 0 },
    }
    this.queues.set(arn, queue)
    return queue
  }

  byArn(arn: string): SqsQueue | undefined {
    return this.queues.get(arn)
  }

  /** By queue URL (only its `/<account>/<name>` path counts: clients may reach the simulator under another host) or by name. */
  find(nameOrUrl: string): SqsQueue | undefined {
    let account: string | undefined
    let name = nameOrUrl
    if (/^https?:\/\//.test(nameOrUrl)) {
      const parts = new URL(nameOrUrl).pathname.split("/").filter(Boolean)
      if (parts.length !== 2) return undefined
      ;[account, name] = parts
    }
    return [...this.queues.values()].find((q) => q.name === name && (account === undefined || q.awsAccountId === account))
  }

  all(): SqsQueue[] {
    return [...this.queues.values()]
  }

  knowsAccessKey(accessKeyId: string): boolean {
    return this.all().some((q) => q.accessKeyId === accessKeyId)
  }

  send(queue: SqsQueue, body: string, delayMs = 0): SqsMessage {
    const now = this.clock.now()
    const message: SqsMessage = { messageId: randomUUID(), body, md5OfBody: md5Hex(body), sentAt: now, visibleAt: now + delayMs, receiveCount: 0 }
    queue.messages.push(message)
    queue.stats.sent += 1
    this.wakeAt(queue, message.visibleAt)
    return message
  }

  /** Up to `max` visible messages, oldest first; each becomes invisible for `visibilityMs` under a new receipt handle. */
  receive(queue: SqsQueue, max: number, visibilityMs: number): SqsMessage[] {
    const now = this.clock.now()
    const out: SqsMessage[] = []
    for (const message of queue.messages) {
      if (out.length >= max) break
      if (message.visibleAt > now) continue
      message.receiveCount += 1
      message.firstReceivedAt ??= now
      message.visibleAt = now + visibilityMs
      message.receiptHandle = randomBytes(48).toString("base64url")
      queue.handles.set(message.receiptHandle, message.messageId)
      queue.stats.received += 1
      this.wakeAt(queue, message.visibleAt)
      out.push(message)
    }
    return out
  }

  /**
   * Delete by receipt handle. As on SQS, a handle this queue never issued is an error, while a handle of a
   * message already deleted, or an older handle of a message received again since, succeeds without deleting.
   */
  delete(queue: SqsQueue, receiptHandle: string): "deleted" | "ignored" | "invalid" {
    const found = this.byHandle(queue, receiptHandle)
    if (typeof found === "string") return found === "invalid" ? "invalid" : "ignored"
    queue.messages = queue.messages.filter((m) => m !== found)
    queue.stats.deleted += 1
    return "deleted"
  }

  /** Change an in-flight message's remaining invisibility (0 = visible now). Only the latest handle works. */
  changeVisibility(queue: SqsQueue, receiptHandle: string, visibilityMs: number): HandleProblem | "notInFlight" | undefined {
    const found = this.byHandle(queue, receiptHandle)
    if (typeof found === "string") return found
    const now = this.clock.now()
    if (found.visibleAt <= now) return "notInFlight"
    found.visibleAt = now + visibilityMs
    this.wakeAt(queue, found.visibleAt)
    return undefined
  }

  /** Wait until a message may have become visible, the simulated `deadline` passes or `abort` is called. */
  waitForMessages(queue: SqsQueue, deadline: number): { done: Promise<void>; abort: () => void } {
    let finish: () => void = () => undefined
    const done = new Promise<void>((resolve) => {
      const set = this.waiters.get(queue.arn) ?? new Set()
      this.waiters.set(queue.arn, set)
      const timer = this.clock.schedule(deadline - this.clock.now(), () => finish())
      finish = () => {
        set.delete(finish)
        this.clock.cancel(timer)
        resolve()
      }
      set.add(finish)
    })
    return { done, abort: () => finish() }
  }

  state(queue: SqsQueue): SqsQueueState {
    const now = this.clock.now()
    let visible = 0
    let inFlight = 0
    let delayed = 0
    for (const m of queue.messages) {
      if (m.visibleAt <= now) visible += 1
      else if (m.receiveCount > 0) inFlight += 1
      else delayed += 1
    }
    return { visible, inFlight, delayed, ...queue.stats }
  }

  messages(queue: SqsQueue): SqsMessageView[] {
    const now = this.clock.now()
    return queue.messages.map((m) => ({
      messageId: m.messageId,
      body: m.body,
      state: m.visibleAt <= now ? "visible" : m.receiveCount > 0 ? "inFlight" : "delayed",
      receiveCount: m.receiveCount,
      sentTimestamp: toAmazonIso(m.sentAt),
      visibleAt: new Date(m.visibleAt).toISOString(),
    }))
  }

  /** Forget every queue and release every waiting long poll (it answers with no messages). */
  reset(): void {
    this.queues.clear()
    for (const set of [...this.waiters.values()]) for (const finish of [...set]) finish()
    this.waiters.clear()
  }

  private byHandle(queue: SqsQueue, receiptHandle: string): SqsMessage | HandleProblem {
    const messageId = queue.handles.get(receiptHandle)
    if (messageId === undefined) return "invalid"
    const message = queue.messages.find((m) => m.messageId === messageId)
    if (!message) return "gone"
    return message.receiptHandle === receiptHandle ? message : "stale"
  }

  /** Wake the queue's long polls now, or when simulated time reaches `at`. */
  private wakeAt(queue: SqsQueue, at: number): void {
    const wake = () => {
      for (const finish of [...(this.waiters.get(queue.arn) ?? [])]) finish()
    }
    const delay = at - this.clock.now()
    if (delay <= 0) wake()
    else this.clock.schedule(delay, wake)
  }
}
