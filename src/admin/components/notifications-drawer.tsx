import { Button, Drawer, Input, Label, Text, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useSetupAmazonNotifications } from "../hooks/api/amazon-notifications"
import { errorMessage } from "../lib/format"
import type { AdminAmazonNotificationSetup } from "../../types/http"

/**
 * Set up (or move) an account's Amazon notifications: the SQS queue and the AWS key that reads it. The secret
 * is write-only: it is sent once, stored encrypted, never shown again. Saving checks the key against the queue
 * and makes the destination and subscriptions at Amazon, so an error here names what to fix.
 */
export const NotificationsDrawer = ({
  accountId,
  open,
  onOpenChange,
  current,
}: {
  accountId: string
  open: boolean
  onOpenChange: (open: boolean) => void
  current: AdminAmazonNotificationSetup | null
}) => {
  const [queueUrl, setQueueUrl] = useState("")
  const [region, setRegion] = useState("eu-west-1")
  const [keyId, setKeyId] = useState("")
  const [secret, setSecret] = useState("")
  const [eventBridge, setEventBridge] = useState("")
  const setup = useSetupAmazonNotifications(accountId)

  useEffect(() => {
    if (!open) return
    const live = current && current.status !== "removed" ? current : null
    setQueueUrl(live?.queue_url ?? "")
    setRegion(live?.aws_region ?? "eu-west-1")
    setKeyId("")
    setSecret("")
    setEventBridge(live?.eventbridge_account_id ?? "")
  }, [open, current])

  const submit = async () => {
    try {
      await setup.mutateAsync({
        queue_url: queueUrl.trim(),
        aws_region: region.trim(),
        aws_access_key_id: keyId.trim(),
        aws_secret_access_key: secret,
        eventbridge_account_id: eventBridge.trim() || null,
      })
      toast.success("Notifications are on", { description: "New orders and cancellations now arrive within seconds; polling goes on as the safety net." })
      onOpenChange(false)
    } catch (e) {
      toast.error("Could not set up notifications", { description: errorMessage(e) })
    }
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content aria-describedby={undefined}>
        <Drawer.Header>
          <Drawer.Title>Amazon notifications</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          <details className="txt-compact-small text-ui-fg-subtle rounded-md border px-3 py-2" data-testid="notifications-guide">
            <summary className="cursor-pointer text-ui-fg-base">How to get a queue and a key</summary>
            <ol className="mt-2 flex list-decimal flex-col gap-y-1 pl-4">
              <li>In the AWS console (SQS), create a <strong>standard</strong> queue (not FIFO) in the region of your choice.</li>
              <li>
                In its access policy, allow Amazon's notification service to send to it: principal{" "}
                <code>arn:aws:iam::437568002678:root</code>, actions <code>sqs:SendMessage</code> and <code>sqs:GetQueueAttributes</code>.
              </li>
              <li>
                Create an IAM user for this store with <code>sqs:ReceiveMessage</code>, <code>sqs:DeleteMessage</code>,{" "}
                <code>sqs:ChangeMessageVisibility</code> and <code>sqs:GetQueueAttributes</code> on that queue only, and an access key for it.
              </li>
              <li>Paste the queue URL, its region and the access key here. Amazon charges nothing; SQS costs cents a month at this volume.</li>
            </ol>
            <p className="mt-2">The README's "Amazon notifications" section has the details, including EventBridge.</p>
          </details>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="notes-queue-url">SQS queue URL</Label>
            <Input id="notes-queue-url" value={queueUrl} onChange={(e) => setQueueUrl(e.target.value)} placeholder="https://sqs.eu-west-1.amazonaws.com/123456789012/amazon-notifications" />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="notes-region">AWS region of the queue</Label>
            <Input id="notes-region" value={region} onChange={(e) => setRegion(e.target.value)} placeholder="eu-west-1" />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="notes-key-id">AWS access key ID</Label>
            <Input
              id="notes-key-id"
              value={keyId}
              onChange={(e) => setKeyId(e.target.value)}
              placeholder={current?.has_aws_secret ? `${current.aws_access_key_id_hint} – enter it again to save` : "AKIA…"}
              autoComplete="off"
            />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="notes-secret">AWS secret access key</Label>
            <Input id="notes-secret" type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} />
            <Text size="xsmall" className="text-ui-fg-subtle">
              Stored encrypted and never shown again. Saving reads the queue with this key first, then sets up Amazon's side.
            </Text>
          </div>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="notes-eventbridge">EventBridge AWS account (optional)</Label>
            <Input id="notes-eventbridge" value={eventBridge} onChange={(e) => setEventBridge(e.target.value)} placeholder="123456789012" />
            <Text size="xsmall" className="text-ui-fg-subtle">
              Amazon sends "quantity changed on a listing" only through EventBridge. With an AWS account here the plugin subscribes to it;
              add a rule on that account's partner event bus that forwards to the same queue.
            </Text>
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button variant="secondary" size="small">
              Cancel
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={setup.isPending} disabled={!queueUrl.trim() || !keyId.trim() || !secret}>
            Save and turn on
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
