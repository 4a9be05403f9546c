import type { HttpRequest, HttpRequestBody } from '@opencollection/types/requests/http'
import type * as v from 'valibot'
import type { CallOutput, CallParsed, RequestSpec, SendFilesSchema } from '../contract'
import { sockeyeError } from '../engine/errors'
import {
  encodeBody,
  locate,
  readCollection,
  readSecrets,
  scopeFor,
  withBodyType,
} from '../workspace/collection'
import { checkFiles, readRequestFiles } from '../workspace/collection/files'
import { substitute } from '../workspace/variables'
import type { Workspace } from './workspace'

/**
 * A collection request's files for the composer, read here and never in the renderer, by the
 * same reader `sockeye run` uses (workspace/collection/files.ts): the same folder, symlink,
 * FIFO/device and size checks, the same multipart encoding, so a request opened from a collection
 * sends what `sockeye run` sends for it.
 */

type SendFiles = v.InferOutput<typeof SendFilesSchema>

const refuse = (message: string) => sockeyeError('INVALID_OPTION', 'input', message)

export function createFiles(workspace: Pick<Workspace, 'root'>) {
  return {
    handlers: {
      async checkFiles({
        dir,
        path,
        environment,
        files,
      }: CallParsed<'checkFiles'>): Promise<CallOutput<'checkFiles'>> {
        const root = workspace.root(dir)
        const loaded = await readCollection(root)
        const secrets = await readSecrets(root).catch(() => ({}))
        const found = path === null ? null : locate(loaded.items, path)
        const request = found?.node.kind === 'request' ? (found.node.item as HttpRequest) : null
        const scope = scopeFor(loaded, found?.folders ?? [], request, environment, secrets)
        return { files: await checkFiles(root, files, { resolve: (text) => substitute(text, scope) }) }
      },
    },

    /** `request` with the body built from `files` (its texts already substituted), as `sockeye run` builds it. */
    async body(request: RequestSpec, files: SendFiles): Promise<RequestSpec> {
      const root = workspace.root(files.dir)
      const body: HttpRequestBody =
        files.body.type === 'file'
          ? {
              type: 'file',
              data: [{ filePath: files.body.filePath, contentType: files.body.contentType, selected: true }],
            }
          : { type: 'multipart-form', data: files.body.data }
      const read = await readRequestFiles(root, { info: { type: 'http' }, http: { body } } as HttpRequest)
      if (!read.ok) throw refuse(`${read.message}; nothing was sent`)
      const notes: string[] = []
      const encoded = encodeBody(body, (text) => String(text ?? ''), notes, read.files)
      if (!encoded) throw refuse(`${notes[0] ?? 'the body could not be built'}; nothing was sent`)
      return {
        ...request,
        headers: withBodyType(request.headers, encoded),
        body: encoded.data,
        bodyEncoding: encoded.encoding,
      }
    },
  }
}
