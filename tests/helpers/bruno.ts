/** Shapes Bruno's own writer (@usebruno/filestore) takes, for tests that use it as the oracle. */

/** Bruno's YAML format option. */
export const yml = { format: 'yml' as const }

/** A Bruno http-request item with empty defaults; `request` overrides method, url, body, auth… */
export function brunoRequest(name: string, seq: number, request: Record<string, unknown>) {
  return {
    uid: `u${seq}`,
    type: 'http-request',
    name,
    seq,
    request: {
      method: 'GET',
      url: '',
      headers: [],
      params: [],
      body: { mode: 'none' },
      auth: { mode: 'none' },
      vars: { req: [], res: [] },
      assertions: [],
      script: {},
      ...request,
    },
    settings: {},
  } as never
}
