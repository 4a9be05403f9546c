/**
 * What the collection e2e tests share: a loopback server that keeps every request it answers, and
 * a collection on disk whose `local` environment points `baseName` at it and keeps `key` secret.
 */
import type { IncomingMessage } from 'node:http'
import type { Page } from 'playwright-core'
import type { Item } from '@opencollection/types/collection/item'
import { writeCollection } from '../../../electron/workspace/collection'
import { echo, startHttpServer, type TestServer } from '../../helpers/servers'

/** An echo server on 127.0.0.1 with `seen`: the requests it answered, in order. */
export async function recordingServer(): Promise<TestServer & { seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = []
  const server = await startHttpServer((req, res) => {
    seen.push(req)
    echo(req, res)
  })
  return Object.assign(server, { seen })
}

/** Write collection `name` with `items` and an environment `local` {baseName: url, key: secret}. */
export async function writeLocalCollection(
  dir: string,
  name: string,
  items: unknown[],
  env: { baseName: string; url: string; key: string },
): Promise<void> {
  await writeCollection(
    dir,
    {
      info: { name },
      items: items as Item[],
      config: {
        environments: [
          {
            name: 'local',
            variables: [
              { name: env.baseName, value: env.url },
              { secret: true, name: 'key' },
            ],
          },
        ],
      },
    },
    { secrets: { local: { key: env.key } } },
  )
}

/** Open collection folder `dir` from the sidebar, choose `environment`, and open request `name` in the composer. */
export async function openRequest(page: Page, dir: string, environment: string, name: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Collections' }).click()
  await page.getByLabel('Collection folder').fill(dir)
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  await page.getByLabel('Environment').selectOption(environment)
  await page.getByRole('tree', { name: 'Requests' }).getByRole('button', { name }).click()
}
