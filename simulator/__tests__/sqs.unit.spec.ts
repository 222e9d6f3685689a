/**
 * The SQS-compatible endpoint, driven by the real @aws-sdk/client-sqs v3: long polling, visibility timeout and
 * redelivery, receipt handles, batches, attributes, MD5 checks, credentials, errors and the sqs-error fault.
 */
import { createHash } from "node:crypto"
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs"
import { startSimulator, type SimulatorHandle } from "../index"
import type { SqsQueueCredentials } from "../control"

describe("SQS-compatible endpoint", () => {
  let sim: SimulatorHandle
  let queue: SqsQueueCredentials
  let sqs: SQSClient

  const client = (credentials: { accessKeyId: string; secretAccessKey: string }, maxAttempts = 3) =>
    new SQSClient({ region: "eu-west-1", endpoint: sim.url, credentials, maxAttempts })

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(() => sim.close())

  beforeEach(() => {
    sim.control.reset()
    queue = sim.control.createSqsQueue({ name: "stock-events" })
    sqs = client(queue)
  })
  afterEach(() => sqs.destroy())

  const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: body }))
  const receive = (extra: Partial<{ WaitTimeSeconds: number; VisibilityTimeout: number; MaxNumberOfMessages: number }> = {}) =>
    sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], ...extra }))

  it("creates queues with SQS-style URL, ARN and a generated key pair", () => {
    expect(queue.queueUrl).toBe(`${sim.url}/123456789012/stock-events`)
    expect(queue.queueArn).toBe("arn:aws:sqs:eu-west-1:123456789012:stock-events")
    expect(queue.accessKeyId).toMatch(/^AKIA[0-9A-F]{16}$/)
    expect(queue.secretAccessKey.length).toBeGreaterThan(20)
    expect(() => sim.control.createSqsQueue({ name: "stock-events" })).toThrow(/already exists/)
    expect(() => sim.control.createSqsQueue({ name: "bad name" })).toThrow(/queue names/)
  })

  it("sends and receives with the body's MD5, attributes and one receipt handle per receive", async () => {
    const sent = await send('{"hello":"wörld"}')
    expect(sent.MD5OfMessageBody).toBe(createHash("md5").update('{"hello":"wörld"}').digest("hex"))
    const { Messages } = await receive()
    expect(Messages).toHaveLength(1)
    const [message] = Messages ?? []
    expect(message.MessageId).toBe(sent.MessageId)
    expect(message.Body).toBe('{"hello":"wörld"}')
    expect(message.MD5OfBody).toBe(sent.MD5OfMessageBody)
    expect(message.Attributes?.ApproximateReceiveCount).toBe("1")
    expect(Number(message.Attributes?.SentTimestamp)).toBeGreaterThan(0)
    expect(message.Attributes?.ApproximateFirstReceiveTimestamp).toBeDefined()
    expect(sim.control.sqsQueueState("stock-events")).toEqual({ visible: 0, inFlight: 1, delayed: 0, sent: 1, received: 1, deleted: 0 })
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: message.ReceiptHandle }))
    expect(sim.control.sqsQueueState(queue.queueUrl)).toMatchObject({ visible: 0, inFlight: 0, deleted: 1 })
  })

  it("answers an empty long poll after WaitTimeSeconds and wakes a waiting one as soon as a message arrives", async () => {
    const started = Date.now()
    expect((await receive({ WaitTimeSeconds: 1 })).Messages).toBeUndefined()
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)

    const polling = receive({ WaitTimeSeconds: 20 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    const arrived = Date.now()
    await send("late")
    const { Messages } = await polling
    expect(Messages?.[0].Body).toBe("late")
    expect(Date.now() - arrived).toBeLessThan(1_000)
  })

  it("hides a received message for the visibility timeout (simulated time), then redelivers it with a new handle", async () => {
    await send("m1")
    const first = (await receive({ VisibilityTimeout: 30 })).Messages?.[0]
    expect((await receive()).Messages).toBeUndefined()
    sim.control.advanceClock(30_000)
    const second = (await receive()).Messages?.[0]
    expect(second?.MessageId).toBe(first?.MessageId)
    expect(second?.Attributes?.ApproximateReceiveCount).toBe("2")
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle)
    // the stale handle is ignored (SQS: "the request succeeds, but the message might not be deleted")
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: first?.ReceiptHandle }))
    expect(sim.control.sqsQueueState("stock-events")).toMatchObject({ inFlight: 1, deleted: 0 })
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: second?.ReceiptHandle }))
    expect(sim.control.sqsQueueState("stock-events")).toMatchObject({ inFlight: 0, deleted: 1 })
    // deleting again with a handle of a deleted message also succeeds
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: second?.ReceiptHandle }))
  })

  it("a long poll wakes when an in-flight message's visibility timeout ends", async () => {
    await send("m1")
    await receive({ VisibilityTimeout: 5 })
    const polling = receive({ WaitTimeSeconds: 20 })
    await new Promise((resolve) => setTimeout(resolve, 50))
    sim.control.advanceClock(5_000)
    expect((await polling).Messages?.[0].Attributes?.ApproximateReceiveCount).toBe("2")
  })

  it("changes visibility and deletes in batches, reporting bad handles per entry", async () => {
    await send("a")
    await send("b")
    const messages = (await receive({ VisibilityTimeout: 60 })).Messages ?? []
    expect(messages).toHaveLength(2)
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: messages[0].ReceiptHandle, VisibilityTimeout: 0 }))
    expect(sim.control.sqsQueueState("stock-events")).toMatchObject({ visible: 1, inFlight: 1 })
    const again = (await receive()).Messages ?? []
    const result = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.queueUrl,
        Entries: [
          { Id: "a", ReceiptHandle: again[0].ReceiptHandle },
          { Id: "b", ReceiptHandle: messages[1].ReceiptHandle },
          { Id: "c", ReceiptHandle: "not-a-handle" },
        ],
      }),
    )
    expect(result.Successful?.map((e) => e.Id).sort()).toEqual(["a", "b"])
    expect(result.Failed).toEqual([expect.objectContaining({ Id: "c", Code: "ReceiptHandleIsInvalid", SenderFault: true })])
    expect(sim.control.sqsQueueState("stock-events")).toMatchObject({ visible: 0, inFlight: 0, deleted: 2 })
  })

  it("reports queue attributes and resolves queue URLs", async () => {
    await send("a")
    await send("b")
    await receive({ MaxNumberOfMessages: 1 })
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.queueUrl, AttributeNames: ["QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "VisibilityTimeout"] }),
    )
    expect(Attributes).toEqual({ QueueArn: queue.queueArn, ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "1", VisibilityTimeout: "30" })
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: "stock-events" }))).QueueUrl).toBe(queue.queueUrl)
  })

  it("answers SQS errors the SDK understands", async () => {
    await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: `${sim.url}/123456789012/missing` }))).rejects.toMatchObject({ name: "QueueDoesNotExist" })
    await expect(sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: "nope" }))).rejects.toMatchObject({ name: "ReceiptHandleIsInvalid" })
    await expect(receive({ MaxNumberOfMessages: 11 })).rejects.toMatchObject({ name: "InvalidParameterValue", $metadata: { httpStatusCode: 400 } })
    await expect(receive({ WaitTimeSeconds: 21 })).rejects.toMatchObject({ name: "InvalidParameterValue" })

    const stranger = client({ accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" })
    await expect(stranger.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl }))).rejects.toMatchObject({
      name: "InvalidClientTokenId",
      $metadata: { httpStatusCode: 403 },
    })
    stranger.destroy()
    const other = sim.control.createSqsQueue({ name: "other" })
    const otherClient = client(other)
    await expect(otherClient.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl }))).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } })
    otherClient.destroy()
  })

  it("sqs-error: ReceiveMessage answers 500 InternalError (the SDK retries it by itself)", async () => {
    await send("x")
    sim.control.injectFault({ type: "sqs-error", count: 1 })
    const once = client(queue, 1)
    await expect(once.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl }))).rejects.toMatchObject({ name: "InternalError", $metadata: { httpStatusCode: 500 } })
    once.destroy()
    sim.control.injectFault({ type: "sqs-error", count: 1 })
    expect((await receive()).Messages?.[0].Body).toBe("x")
  })

  it("takes FIFO queue names and exposes messages to tests", async () => {
    const fifo = sim.control.createSqsQueue({ name: "events.fifo", awsAccountId: "210987654321", region: "us-east-1", accessKeyId: "AKIAFIXED", secretAccessKey: "s" })
    expect(fifo).toEqual({ queueUrl: `${sim.url}/210987654321/events.fifo`, queueArn: "arn:aws:sqs:us-east-1:210987654321:events.fifo", accessKeyId: "AKIAFIXED", secretAccessKey: "s" })
    await send("visible")
    expect(sim.control.listSqsMessages("stock-events")).toEqual([expect.objectContaining({ body: "visible", state: "visible", receiveCount: 0 })])
  })

  it("reset releases waiting long polls and forgets the queues", async () => {
    const polling = receive({ WaitTimeSeconds: 20 })
    await new Promise((resolve) => setTimeout(resolve, 50))
    sim.control.reset()
    expect((await polling).Messages).toBeUndefined()
    expect(() => sim.control.sqsQueueState("stock-events")).toThrow(/no SQS queue/)
  })
})
