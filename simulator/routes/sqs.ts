/**
 * An SQS-compatible endpoint (AWS JSON 1.0 protocol, as `@aws-sdk/client-sqs` v3 speaks it): any POST whose
 * `x-amz-target` starts with `AmazonSQS.`. Bodies and errors are shaped like SQS's: errors are HTTP 400 (403 for
 * credentials, 500 for InternalError) with `{"__type":"com.amazonaws.sqs#…","message"}` and the
 * `x-amzn-query-error` header the SDK reads the error code from.
 *
 * Credentials: only the access key id of the SigV4 `Authorization` header is checked (the signature is not
 * verified); a queue answers only to the key pair it was created with.
 */
import type { IncomingHttpHeaders } from "node:http"
import type { SimContext } from "../context"
import { queueUrlOf, type SqsMessage, type SqsQueue } from "../domain/sqs"
import type { HandlerResult } from "../http"
import { isPlainObject } from "../http"

const CONTENT_TYPE = "application/x-amz-json-1.0"
const MAX_WAIT_SECONDS = 20
const MAX_VISIBILITY_SECONDS = 43_200
const MAX_DELAY_SECONDS = 900
const SYSTEM_ATTRIBUTES = ["ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp", "SentTimestamp"] as const

/** An SQS error: `queryCode` goes in x-amzn-query-error, `type` in `__type`. */
class SqsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly queryCode: string,
    message: string,
  ) {
    super(message)
  }
}

const nonExistentQueue = () =>
  new SqsError(400, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
const invalidParameter = (message: string) => new SqsError(400, "com.amazonaws.sqs#InvalidParameterValue", "InvalidParameterValue", message)
const invalidHandle = (handle: string) =>
  new SqsError(400, "com.amazonaws.sqs#ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`)
const notInFlight = () =>
  new SqsError(400, "com.amazonaws.sqs#MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "Message does not exist or is not available for visibility timeout change.")

export interface SqsCall {
  headers: IncomingHttpHeaders
  body: Buffer
  /** True once the client has gone away (a long poll then stops without taking messages). */
  clientGone: () => boolean
  /** Resolves when the client goes away. */
  clientClosed: Promise<void>
}

export async function handleSqs(ctx: SimContext, call: SqsCall): Promise<HandlerResult> {
  const target = String(call.headers["x-amz-target"] ?? "")
  const action = target.slice("AmazonSQS.".length)
  const operation = `sqs.${action}`
  ctx.counters.recordCall(operation)
  let result: HandlerResult
  try {
    const input = parseInput(call.body)
    const accessKeyId = accessKeyOf(call.headers)
    const handler = ACTIONS[action]
    if (!handler) throw new SqsError(400, "com.amazon.coral.service#UnknownOperationException", "UnknownOperationException", `Unknown operation ${action}.`)
    result = { status: 200, body: await handler({ ctx, input, accessKeyId, call }), contentType: CONTENT_TYPE }
  } catch (error) {
    if (!(error instanceof SqsError)) throw error
    result = {
      status: error.status,
      body: { __type: error.type, message: error.message },
      contentType: CONTENT_TYPE,
      headers: { "x-amzn-query-error": `${error.queryCode};${error.status >= 500 ? "Receiver" : "Sender"}` },
    }
  }
  ctx.counters.recordOutcome(operation, result.status)
  return result
}

interface ActionRequest {
  ctx: SimContext
  input: Record<string, unknown>
  accessKeyId: string
  call: SqsCall
}

type Action = (req: ActionRequest) => Promise<Record<string, unknown>> | Record<string, unknown>

const ACTIONS: Record<string, Action> = {
  ReceiveMessage: receiveMessage,
  DeleteMessage: ({ ctx, input, accessKeyId }) => {
    const queue = queueOf(ctx, input, accessKeyId)
    const handle = requiredString(input, "ReceiptHandle")
    if (ctx.sqs.delete(queue, handle) === "invalid") throw invalidHandle(handle)
    return {}
  },
  DeleteMessageBatch: ({ ctx, input, accessKeyId }) => {
    const queue = queueOf(ctx, input, accessKeyId)
    return batch(input, (entry) => {
      const handle = requiredString(entry, "ReceiptHandle")
      if (ctx.sqs.delete(queue, handle) === "invalid") throw invalidHandle(handle)
    })
  },
  ChangeMessageVisibility: ({ ctx, input, accessKeyId }) => {
    const queue = queueOf(ctx, input, accessKeyId)
    changeVisibility(ctx, queue, input)
    return {}
  },
  ChangeMessageVisibilityBatch: ({ ctx, input, accessKeyId }) => {
    const queue = queueOf(ctx, input, accessKeyId)
    return batch(input, (entry) => changeVisibility(ctx, queue, entry))
  },
  GetQueueAttributes: ({ ctx, input, accessKeyId }) => {
    const queue = queueOf(ctx, input, accessKeyId)
    const names = stringList(input, "AttributeNames") ?? []
    const state = ctx.sqs.state(queue)
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(state.visible),
      ApproximateNumberOfMessagesNotVisible: String(state.inFlight),
      ApproximateNumberOfMessagesDelayed: String(state.delayed),
      VisibilityTimeout: String(queue.visibilityTimeoutMs / 1000),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      ...(queue.fifo ? { FifoQueue: "true" } : {}),
    }
    const unknown = names.filter((n) => n !== "All" && !(n in all) && n !== "FifoQueue")
    if (unknown.length > 0) throw new SqsError(400, "com.amazonaws.sqs#InvalidAttributeName", "InvalidAttributeName", `Unknown Attribute ${unknown[0]}.`)
    const attributes = names.includes("All") ? all : Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]]))
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}
  },
  GetQueueUrl: ({ ctx, input, accessKeyId }) => {
    const name = requiredString(input, "QueueName")
    const owner = optionalString(input, "QueueOwnerAWSAccountId")
    const queue = ctx.sqs.all().find((q) => q.name === name && q.accessKeyId === accessKeyId && (owner === undefined || q.awsAccountId === owner))
    if (!queue) throw nonExistentQueue()
    return { QueueUrl: queueUrlOf(ctx.origin(), queue) }
  },
  SendMessage: ({ ctx, input, accessKeyId }) => {
    const queue = queueOf(ctx, input, accessKeyId)
    const body = requiredString(input, "MessageBody")
    if (input.MessageAttributes !== undefined || input.MessageSystemAttributes !== undefined) {
      throw invalidParameter("The simulator does not take message attributes.")
    }
    const delaySeconds = integerIn(input, "DelaySeconds", 0, MAX_DELAY_SECONDS) ?? 0
    const message = ctx.sqs.send(queue, body, delaySeconds * 1000)
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody }
  },
}

async function receiveMessage({ ctx, input, accessKeyId, call }: ActionRequest): Promise<Record<string, unknown>> {
  const queue = queueOf(ctx, input, accessKeyId)
  const max = integerIn(input, "MaxNumberOfMessages", 1, 10) ?? 1
  const waitSeconds = integerIn(input, "WaitTimeSeconds", 0, MAX_WAIT_SECONDS) ?? 0
  const visibilitySeconds = integerIn(input, "VisibilityTimeout", 0, MAX_VISIBILITY_SECONDS)
  const wanted = new Set([...(stringList(input, "MessageSystemAttributeNames") ?? []), ...(stringList(input, "AttributeNames") ?? [])])
  if (ctx.faults.take("sqs-error")) {
    throw new SqsError(500, "com.amazonaws.sqs#InternalError", "InternalError", "We encountered an internal error. Please try again.")
  }
  const visibilityMs = visibilitySeconds === undefined ? queue.visibilityTimeoutMs : visibilitySeconds * 1000
  const deadline = ctx.clock.now() + waitSeconds * 1000
  let messages = ctx.sqs.receive(queue, max, visibilityMs)
  while (messages.length === 0 && ctx.clock.now() < deadline && !call.clientGone() && ctx.sqs.byArn(queue.arn) === queue) {
    const wait = ctx.sqs.waitForMessages(queue, deadline)
    void call.clientClosed.then(wait.abort)
    await wait.done
    if (!call.clientGone()) messages = ctx.sqs.receive(queue, max, visibilityMs)
  }
  if (messages.length === 0) return {}
  return { Messages: messages.map((m) => renderMessage(m, wanted)) }
}

function renderMessage(message: SqsMessage, wanted: Set<string>): Record<string, unknown> {
  const values: Record<(typeof SYSTEM_ATTRIBUTES)[number], string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    SentTimestamp: String(message.sentAt),
  }
  const attributes = Object.fromEntries(SYSTEM_ATTRIBUTES.filter((name) => wanted.has("All") || wanted.has(name)).map((name) => [name, values[name]]))
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
  }
}

function changeVisibility(ctx: SimContext, queue: SqsQueue, input: Record<string, unknown>): void {
  const handle = requiredString(input, "ReceiptHandle")
  const seconds = integerIn(input, "VisibilityTimeout", 0, MAX_VISIBILITY_SECONDS)
  if (seconds === undefined) throw invalidParameter("The request must contain the parameter VisibilityTimeout.")
  const problem = ctx.sqs.changeVisibility(queue, handle, seconds * 1000)
  if (problem === "invalid") throw invalidHandle(handle)
  if (problem !== undefined) throw notInFlight()
}

/** Run `each` per `Entries` item; per-entry SQS errors land in Failed, as SQS batches report them. */
function batch(input: Record<string, unknown>, each: (entry: Record<string, unknown>) => void): Record<string, unknown> {
  const entries = input.Entries
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SqsError(400, "com.amazonaws.sqs#EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one entry in the request.")
  }
  if (entries.length > 10) {
    throw new SqsError(400, "com.amazonaws.sqs#TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10.")
  }
  const ids = entries.map((e: unknown) => (isPlainObject(e) && typeof e.Id === "string" ? e.Id : ""))
  if (ids.some((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id))) {
    throw new SqsError(400, "com.amazonaws.sqs#InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
  }
  if (new Set(ids).size !== ids.length) {
    throw new SqsError(400, "com.amazonaws.sqs#BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.")
  }
  const successful: { Id: string }[] = []
  const failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = []
  entries.forEach((entry: Record<string, unknown>, index) => {
    try {
      each(entry)
      successful.push({ Id: ids[index] })
    } catch (error) {
      if (!(error instanceof SqsError)) throw error
      failed.push({ Id: ids[index], SenderFault: true, Code: error.queryCode.replace("AWS.SimpleQueueService.", ""), Message: error.message })
    }
  })
  return { ...(successful.length ? { Successful: successful } : {}), ...(failed.length ? { Failed: failed } : {}) }
}

// ------------------------------------------------------------------ input

function parseInput(body: Buffer): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.length === 0 ? "{}" : body.toString("utf8"))
  } catch {
    throw new SqsError(400, "com.amazon.coral.service#SerializationException", "SerializationException", "The request body is not valid JSON.")
  }
  if (!isPlainObject(parsed)) throw new SqsError(400, "com.amazon.coral.service#SerializationException", "SerializationException", "The request body must be a JSON object.")
  return parsed
}

/** The access key id of a SigV4 `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/sqs/aws4_request, …` header. */
function accessKeyOf(headers: IncomingHttpHeaders): string {
  const match = /Credential=([^/,\s]+)\//.exec(String(headers.authorization ?? ""))
  if (!match) throw new SqsError(403, "com.amazon.coral.service#MissingAuthenticationTokenException", "MissingAuthenticationToken", "Request is missing Authentication Token")
  return match[1]
}

function queueOf(ctx: SimContext, input: Record<string, unknown>, accessKeyId: string): SqsQueue {
  const url = requiredString(input, "QueueUrl")
  if (!ctx.sqs.knowsAccessKey(accessKeyId)) {
    throw new SqsError(403, "com.amazon.coral.service#InvalidClientTokenId", "InvalidClientTokenId", "The security token included in the request is invalid.")
  }
  const queue = ctx.sqs.find(url)
  if (!queue) throw nonExistentQueue()
  if (queue.accessKeyId !== accessKeyId) {
    throw new SqsError(403, "com.amazon.coral.service#AccessDeniedException", "AccessDenied", `Access to the resource ${url} is denied.`)
  }
  return queue
}


function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name]
  if (typeof value !== "string" || value === "") throw invalidParameter(`The request must contain the parameter ${name}.`)
  return value
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  return typeof input[name] === "string" ? input[name] : undefined
}

function stringList(input: Record<string, unknown>, name: string): string[] | undefined {
  const value = input[name]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw invalidParameter(`${name} must be a list of strings.`)
  return value as string[]
}

function integerIn(input: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = input[name]
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalidParameter(`Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`)
  }
  return value as number
}
