import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs"
import type { SqsQueue } from "./sqs-queue"

/**
 * Reads the merchant's notification queue with the AWS SDK (`@aws-sdk/client-sqs`): long polling, batch
 * deletes, visibility changes. A thin wrapper so the consumer deals in plain messages and the tests can put
 * anything with the same four methods in its place.
 */
export interface SqsMessage {
  messageId: string
  receiptHandle: string
  body: string
  /** Deliveries so far, this one included (ApproximateReceiveCount). */
  receiveCount: number
}

export interface QueueReader {
  receive(options: { max: number; waitSeconds: number; visibilitySeconds: number; signal?: AbortSignal }): Promise<SqsMessage[]>
  /** Deletes received messages; returns the receipt handles SQS refused (to be received again later). */
  delete(receiptHandles: string[]): Promise<string[]>
  /** Makes messages visible again after `seconds` (0: at once), e.g. when they could not be recorded. */
  release(receiptHandles: string[], seconds: number): Promise<void>
  /** The queue's ARN as SQS reports it: proves the key can read the queue before anything is set up at Amazon. */
  queueArn(): Promise<string>
  close(): void
}

export interface AwsKey {
  accessKeyId: string
  secretAccessKey: string
}

export class SqsQueueReader implements QueueReader {
  private readonly client: SQSClient

  constructor(
    private readonly queue: SqsQueue,
    key: AwsKey,
    options: { requestTimeoutMs?: number } = {}
  ) {
    this.client = new SQSClient({
      region: queue.region,
      endpoint: queue.endpoint,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      // the SDK retries throttling and 5xx itself; the consumer's loop backs off on what is left
      maxAttempts: 3,
      requestHandler: options.requestTimeoutMs ? { requestTimeout: options.requestTimeoutMs } : undefined,
    })
  }

  async receive(options: { max: number; waitSeconds: number; visibilitySeconds: number; signal?: AbortSignal }): Promise<SqsMessage[]> {
    const res = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queue.url,
        MaxNumberOfMessages: Math.min(10, Math.max(1, options.max)),
        WaitTimeSeconds: Math.min(20, Math.max(0, options.waitSeconds)),
        VisibilityTimeout: options.visibilitySeconds,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
      { abortSignal: options.signal }
    )
    return (res.Messages ?? [])
      .filter((m) => m.ReceiptHandle && m.MessageId)
      .map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? "",
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1) || 1,
      }))
  }

  async delete(receiptHandles: string[]): Promise<string[]> {
    const failed: string[] = []
    for (let i = 0; i < receiptHandles.length; i += 10) {
      const part = receiptHandles.slice(i, i + 10)
      const res = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queue.url,
          Entries: part.map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle })),
        })
      )
      for (const f of res.Failed ?? []) {
        const handle = part[Number(f.Id)]
        if (handle) failed.push(handle)
      }
    }
    return failed
  }

  async release(receiptHandles: string[], seconds: number): Promise<void> {
    for (let i = 0; i < receiptHandles.length; i += 10) {
      const part = receiptHandles.slice(i, i + 10)
      await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queue.url,
          Entries: part.map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle, VisibilityTimeout: seconds })),
        })
      )
    }
  }

  async queueArn(): Promise<string> {
    const res = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: this.queue.url, AttributeNames: ["QueueArn"] }))
    return res.Attributes?.QueueArn ?? ""
  }

  close(): void {
    this.client.destroy()
  }
}

/** AWS's error name and a sentence for the admin: what the SDK threw, without request ids or credentials. */
export function describeAwsError(e: unknown): { code: string; message: string } {
  const err = e as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } }
  const code = String(err?.Code ?? err?.name ?? "AWS_ERROR")
  const status = err?.$metadata?.httpStatusCode
  const hint =
    /InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|AccessDenied/i.test(code)
      ? " Check the AWS access key: it must belong to an IAM user allowed to read and delete messages of this queue."
      : /NonExistentQueue|QueueDoesNotExist/i.test(code)
        ? " Check the queue URL and region: SQS does not know this queue."
        : ""
  return { code, message: `${code}${status ? ` (HTTP ${status})` : ""}: ${String(err?.message ?? e).slice(0, 300)}.${hint}` }
}
