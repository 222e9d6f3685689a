import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { describeAwsError } from "../../../lib/aws/sqs-reader"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const verifyNotificationQueueStepId = "amazon-verify-notification-queue"

/**
 * Reads the queue's ARN with the AWS key the merchant entered (GetQueueAttributes), before anything is set up
 * at Amazon: a wrong key, region or URL is a 400 that says which, instead of a destination nobody can read.
 * Read-only, nothing to undo.
 */
export const verifyNotificationQueueStep = createStep(
  verifyNotificationQueueStepId,
  async (input: { setup_id: string; queue_arn: string }, { container }) => {
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const { reader } = await amazon.openNotificationQueue(input.setup_id)
    try {
      const arn = await reader.queueArn()
      if (arn && arn !== input.queue_arn) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `The queue URL names ${input.queue_arn} but SQS answered for ${arn}; check the URL and region`)
      }
      return new StepResponse({ queue_arn: arn || input.queue_arn })
    } catch (e) {
      if (e instanceof MedusaError) throw e
      const { message } = describeAwsError(e)
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `The queue could not be read with this AWS key: ${message}`)
    } finally {
      reader.close()
    }
  }
)
