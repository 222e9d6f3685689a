import { endpointOrigin, endpointRefusal, type EndpointPolicyConfig } from "../amazon/endpoints"

/**
 * The merchant's SQS queue, as Amazon notifications need it (FACTS.md §9): a standard queue (Amazon delivers
 * nothing to FIFO queues), named by its URL, from which its ARN (what the Notifications API's destination
 * takes) and the endpoint the AWS SDK talks to follow.
 *
 * Amazon's own SQS hosts are always allowed. Any other host (the local simulator, an SQS-compatible proxy)
 * only when the store's configuration allows its origin, exactly like an SP-API endpoint override: the
 * admin cannot send the AWS key anywhere the store's owner did not allow.
 */
export interface SqsQueue {
  url: string
  arn: string
  region: string
  awsAccountId: string
  name: string
  /** The endpoint the SDK is given: undefined on Amazon's hosts (the SDK knows them from the region). */
  endpoint?: string
}

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/
/** https://sqs.<region>.amazonaws.com/<account>/<name>, and the legacy https://<region>.queue.amazonaws.com/… */
const AWS_HOST = /^(?:sqs\.([a-z0-9-]+)\.amazonaws\.com|([a-z0-9-]+)\.queue\.amazonaws\.com)$/
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/

export function isAwsRegion(region: string): boolean {
  return AWS_REGION.test(region)
}

/** The queue named by `url`, or why it cannot be used (a sentence for a 400). */
export function parseSqsQueueUrl(url: string, region: string, policy: EndpointPolicyConfig): SqsQueue | { refusal: string } {
  if (!isAwsRegion(region)) {
    return { refusal: `"${region}" is not an AWS region (for example eu-west-1)` }
  }
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { refusal: "the queue URL is not a URL (SQS console → the queue → URL)" }
  }
  const parts = u.pathname.split("/").filter(Boolean)
  if (parts.length !== 2 || !/^\d{12}$/.test(parts[0]) || !QUEUE_NAME.test(parts[1])) {
    return { refusal: "the queue URL must look like https://sqs.<region>.amazonaws.com/<12-digit account>/<queue name>" }
  }
  const [awsAccountId, name] = parts
  if (name.endsWith(".fifo")) {
    return { refusal: "Amazon delivers notifications only to standard queues, not to FIFO queues: create a standard queue" }
  }
  const host = AWS_HOST.exec(u.hostname.toLowerCase())
  let endpoint: string | undefined
  if (host && u.protocol === "https:") {
    const hostRegion = host[1] ?? host[2]
    if (hostRegion !== region) {
      return { refusal: `the queue is in ${hostRegion}, not in ${region}` }
    }
  } else {
    const refusal = endpointRefusal(url, policy)
    if (refusal) {
      return { refusal: `the queue URL ${refusal}` }
    }
    endpoint = endpointOrigin(url) ?? undefined
  }
  return { url: `${u.origin}/${awsAccountId}/${name}`, arn: `arn:aws:sqs:${region}:${awsAccountId}:${name}`, region, awsAccountId, name, endpoint }
}
