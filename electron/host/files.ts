import type { HttpRequest } from '@opencollection/types/requests/http'
import type { CallOutput, CallParsed, RequestSpec, SendFiles } from '../contract'
import { fileBody } from '../contract/fileBody'
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

    /**
     * `request` with the body built from `files` (its texts already substituted), as `sockeye run`
     * builds it (`send`, and `copyCurl` of a request sent so). A refusal ends with `outcome`.
     */
    async body(request: RequestSpec, files: SendFiles, outcome = 'nothing was sent'): Promise<RequestSpec> {
      const root = workspace.root(files.dir)
      const body = fileBody(files.body)
      const read = await readRequestFiles(root, { info: { type: 'http' }, http: { body } } as HttpRequest)
      if (!read.ok) throw refuse(`${read.message}; ${outcome}`)
      const notes: string[] = []
      const encoded = encodeBody(body, (text) => String(text ?? ''), notes, read.files)
      if (!encoded) throw refuse(`${notes[0] ?? 'the body could not be built'}; ${outcome}`)
      return {
        ...request,
        headers: withBodyType(request.headers, encoded),
        body: encoded.data,
        bodyEncoding: encoded.encoding,
      }
    },
  }
}
