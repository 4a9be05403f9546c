/**
 * What the collection-files e2e tests share: a loopback server that keeps each request's
 * Content-Type and body bytes, a collection "Uploads" with a multipart request (a text part, two
 * file parts, one path through a request variable) and a file body, and the page's clipboard.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startHttpServer } from '../../helpers/servers'
import { writeLocalCollection } from './collection'

export interface SeenBody {
  type: string
  body: Buffer
}

/** A loopback server keeping each request's Content-Type and body bytes (`seen`, in order). */
export async function bodyServer() {
  const seen: SeenBody[] = []
  const server = await startHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ type: String(req.headers['content-type']), body: Buffer.concat(chunks) })
      res.end('ok')
    })
  })
  return Object.assign(server, { seen })
}

/** Not UTF-8, with NUL, CR LF and dashes: the bytes must arrive unchanged. */
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x2d, 0x2d])

/** The multipart boundary a Content-Type (or a curl command holding one) names. */
export const boundaryOf = (text: string) => /boundary=(.+?)(?:'|$)/m.exec(text)?.[1] ?? 'none'
/** The body with its own boundary renamed: each body the host builds draws a new one. */
export const named = (s: SeenBody) => s.body.toString('latin1').split(boundaryOf(s.type)).join('BOUNDARY')

/**
 * Write the "Uploads" collection into `dir` (files/pic.png = PNG, files/notes.txt = 2,048 × "x"):
 * Upload.yml (POST {{baseUrl}}/upload: `title` = "hello {{key}}", `picture` = files/{{pic}}
 * image/png with `pic` a request variable, `notes` = files/notes.txt) and Blob.yml (PUT
 * {{baseUrl}}/blob, files/pic.png as application/x-blob); `local` sets baseUrl to `url`, key k-1.
 */
export async function writeUploads(dir: string, url: string): Promise<void> {
  mkdirSync(join(dir, 'files'))
  writeFileSync(join(dir, 'files', 'pic.png'), PNG)
  writeFileSync(join(dir, 'files', 'notes.txt'), 'x'.repeat(2048))
  await writeLocalCollection(
    dir,
    'Uploads',
    [
      {
        info: { name: 'Upload', type: 'http' },
        http: {
          method: 'POST',
          url: '{{baseUrl}}/upload',
          body: {
            type: 'multipart-form',
            data: [
              { name: 'title', type: 'text', value: 'hello {{key}}' },
              { name: 'picture', type: 'file', value: ['files/{{pic}}'], contentType: 'image/png' },
              { name: 'notes', type: 'file', value: ['files/notes.txt'] },
            ],
          },
        },
        runtime: { variables: [{ name: 'pic', value: 'pic.png' }] },
      },
      {
        info: { name: 'Blob', type: 'http' },
        http: {
          method: 'PUT',
          url: '{{baseUrl}}/blob',
          body: {
            type: 'file',
            data: [{ filePath: 'files/pic.png', contentType: 'application/x-blob', selected: true }],
          },
        },
      },
    ],
    { baseName: 'baseUrl', url, key: 'k-1' },
  )
}

/** The page's clipboard (typed here: the node project has no DOM lib). */
type Clip = { navigator: { clipboard: { readText(): Promise<string>; writeText(t: string): Promise<void> } } }
export const clipboard = (page: Page): Promise<string> =>
  page.evaluate(() => (globalThis as unknown as Clip).navigator.clipboard.readText())
export const clearClipboard = (page: Page): Promise<void> =>
  page.evaluate(() => (globalThis as unknown as Clip).navigator.clipboard.writeText(''))
