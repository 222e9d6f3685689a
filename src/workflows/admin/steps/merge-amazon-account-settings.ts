import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"

export const mergeAmazonAccountSettingsStepId = "amazon-merge-account-settings"

export interface MergeAmazonAccountSettingsStepInput {
  account_id: string
  /**
   * Top-level settings keys to set; a key given as null is removed (back to its default). Keys not given
   * keep their stored value, including the ones other features write (fba_location_ids).
   */
  settings?: Record<string, unknown> | null
}

type MergeUndo = { account_id: string; undo: { set: Record<string, unknown>; unset: string[] } }

/**
 * Merges a settings patch into an account's settings in one statement and validates the result with
 * AccountSettingsSchema (invalid → 400, nothing written). Undone by restoring the touched keys.
 *
 * @example
 * mergeAmazonAccountSettingsStep({ account_id: "amzacc_…", settings: { rules: { buffer: 2 }, sales_channel_id: null } })
 */
export const mergeAmazonAccountSettingsStep = createStep(
  mergeAmazonAccountSettingsStepId,
  async (input: MergeAmazonAccountSettingsStepInput, { container }) => {
    const patch = input.settings ?? {}
    const keys = Object.keys(patch)
    if (!keys.length) {
      return new StepResponse<{ changed: boolean }, MergeUndo | null>({ changed: false }, null)
    }
    const set: Record<string, unknown> = {}
    const unset: string[] = []
    for (const key of keys) {
      if (patch[key] === null || patch[key] === undefined) {
        unset.push(key)
      } else {
        set[key] = patch[key]
      }
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    const { before } = await amazon.mergeAccountSettings(input.account_id, { set, unset })
    const undo = { set: {} as Record<string, unknown>, unset: [] as string[] }
    for (const key of keys) {
      if (key in before) {
        undo.set[key] = before[key]
      } else {
        undo.unset.push(key)
      }
    }
    return new StepResponse<{ changed: boolean }, MergeUndo | null>({ changed: true }, { account_id: input.account_id, undo })
  },
  async (data, { container }) => {
    if (!data) {
      return
    }
    const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
    await amazon.mergeAccountSettings(data.account_id, data.undo)
  }
)
