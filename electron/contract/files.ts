import * as v from 'valibot'
import { LIMITS } from './limits'
import { WORKSPACE_LIMITS as L } from './workspace'

/**
 * The files a collection request sends (multipart file parts, a file body): read by the host from
 * the collection folder, never by the renderer, with the checks `sockeye run` makes
 * (workspace/collection/files.ts). `checkFiles` tells the composer each file's size or why it
 * would be refused; `send` with `files` has the host read them and build the body. Spread into
 * `callSchemas` / `CallOutputs` in calls.ts; `SendFilesSchema` is `send`'s optional `files`.
 */

/** Files of one request: a form's parts, or one file body. */
export const FILE_LIMITS = Object.freeze({ parts: 200, contentTypeChars: 256 })

const Text = (max: number) => v.pipe(v.string(), v.maxLength(max))
const Dir = v.pipe(Text(L.pathChars), v.minLength(1, 'give a folder'))
const Path = Text(L.pathChars)

/** A list of at most `max` items, counted before any item is looked at. */
const Few = <T extends v.GenericSchema>(item: T, max: number, what: string) =>
  v.pipe(
    v.custom<unknown>(
      (x) => Array.isArray(x) && x.length <= max,
      (issue) => (Array.isArray(issue.input) ? `at most ${max} ${what}` : `${what} must be a list`),
    ),
    v.array(item),
  )

const Part = v.strictObject({
  name: Text(LIMITS.headerNameChars),
  type: v.picklist(['text', 'file']),
  /** The text, or the file's path relative to the collection folder. */
  value: Text(LIMITS.bodyChars),
  contentType: v.optional(Text(FILE_LIMITS.contentTypeChars)),
  disabled: v.optional(v.boolean()),
})

/** Its texts together stay within one body (checked before valibot walks the parts). */
const Parts = v.pipe(
  v.custom<unknown>((x) => {
    if (!Array.isArray(x) || x.length > FILE_LIMITS.parts) return true
    let n = 0
    for (const p of x as Array<{ value?: unknown }>)
      if ((n += typeof p?.value === 'string' ? p.value.length : 0) > LIMITS.bodyChars) return false
    return true
  }, `the form's texts are longer than ${LIMITS.bodyChars} characters`),
  Few(Part, FILE_LIMITS.parts, 'form parts'),
)

/**
 * `send`'s `files`: the body, as an OpenCollection body of the request file (its `{{variables}}`
 * already substituted), built by the host from the collection `dir`'s files as `sockeye run`
 * builds it. The request's own `body` is then ignored.
 */
export const SendFilesSchema = v.strictObject({
  dir: Dir,
  body: v.variant('type', [
    v.strictObject({ type: v.literal('multipart-form'), data: Parts }),
    v.strictObject({
      type: v.literal('file'),
      filePath: Path,
      contentType: Text(FILE_LIMITS.contentTypeChars),
    }),
  ]),
})

/** `send`'s (and `copyCurl`'s) `files`, as validated. */
export type SendFiles = v.InferOutput<typeof SendFilesSchema>

export const fileCallSchemas = {
  /**
   * Each file path (as written, `{{variables}}` kept) of a request: substituted with
   * `environment` and the scope of request `path` (null: a draft from nowhere), then its size or
   * the one-line reason the host would refuse to send it. No content is read.
   */
  checkFiles: v.strictObject({
    dir: Dir,
    path: v.nullable(Path),
    environment: v.nullable(v.pipe(Text(L.nameChars), v.minLength(1, 'name is empty'))),
    files: Few(Path, FILE_LIMITS.parts, 'files'),
  }),
} as const

/** One file of a request as the host found it. */
export interface FileCheck {
  /** The path as given. */
  written: string
  /** With its variables substituted (relative to the collection folder). */
  path: string
  /** Bytes on disk; null when it cannot be sent. */
  size: number | null
  /** Why it cannot be sent, one line; null when it can. */
  problem: string | null
}

export interface FileCallOutputs {
  checkFiles: { files: FileCheck[] }
}
