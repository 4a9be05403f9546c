import * as v from 'valibot'
import { RANGES } from './limits'

const Id = v.pipe(v.number(), v.integer(), v.minValue(RANGES.requestId[0]), v.maxValue(RANGES.requestId[1]))

/**
 * Cancel calls (the UI's Stop button). A cancelled request fails with error code CANCELLED and
 * the phase it was in; `send` answers the batch's `runId` for `cancelRun`.
 */
export const cancelSchemas = {
  /** Cancel one request (queued or in flight). `cancelled` is false when it had already ended. */
  cancel: v.strictObject({ requestId: Id }),
  /** Cancel every request of one `send` batch that has not ended; answers how many. */
  cancelRun: v.strictObject({ runId: Id }),
} as const

export interface CancelOutputs {
  cancel: { cancelled: boolean }
  cancelRun: { cancelled: number }
}
