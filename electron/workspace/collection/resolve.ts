import type { HttpRequest } from '@opencollection/types/requests/http'
import { describeTemplates, substitute } from '../variables'
import type { HeaderList } from '../../contract'
import { locate, prepareRequest, scopeFor } from './request'
import type { Secrets } from './secrets'
import type { FolderNode, LoadedCollection } from './types'

/** How one `{{name}}` resolves for a draft: its value (null when secret or undefined) and its layer. */
export interface VariableInfo {
  name: string
  /** The value as it would be sent; null when the variable is secret or nothing defines it. */
  value: string | null
  /** `environment local`, `folder users`, `collection`, `request`; null when unresolved. */
  source: string | null
  secret: boolean
}

export interface ResolvedTexts {
  /** Each input text with every defined `{{name}}` replaced (plain lookup, never evaluation). */
  texts: string[]
  /** Names left as `{{name}}` text, in order of first appearance. */
  unresolved: string[]
  /** Every name the texts use, once each. */
  variables: VariableInfo[]
  /**
   * What the request inherits from its folders and the collection (headers; the nearest auth when
   * the file says `auth: inherit`), resolved: sent unless the draft sets the same header itself.
   */
  inherited: HeaderList
}

/**
 * The composer's draft keeps `{{templates}}`; it is resolved here, on Send and for hover, with the
 * scope of the request it came from (`path`: its folders and its own runtime variables) or, for a
 * draft from nowhere (`path` null), the environment and the collection only. Texts are resolved
 * one by one, before any encoding (Basic auth's base64, form encoding), so the renderer encodes
 * the resolved values with the same code it uses for any draft.
 */
export function resolveTexts(
  loaded: LoadedCollection,
  path: string | null,
  environment: string | null,
  secrets: Secrets,
  texts: readonly string[],
): ResolvedTexts {
  let folders: FolderNode[] = []
  let request: HttpRequest | null = null
  let inherited: HeaderList = []
  if (path !== null) {
    const found = locate(loaded.items, path)
    if (found) {
      folders = found.folders
      if (found.node.kind === 'request') {
        request = found.node.item as HttpRequest
        // The file's own request emptied: what prepareRequest adds to it is what is inherited.
        const bare = { ...request, http: { method: 'GET', url: '', auth: request.http?.auth } }
        inherited = prepareRequest(loaded, { ...found.node, item: bare }, { environment, secrets }).spec
          .headers
      }
    }
  }
  // A folder chosen for a new request (Save to collection) resolves with that folder's variables.
  const scope = scopeFor(loaded, folders, request, environment, secrets)
  const secretNames = secretNamesOf(loaded, environment)
  const unresolved: string[] = []
  const variables: VariableInfo[] = []
  const out = texts.map((text) => {
    const done = substitute(text, scope)
    for (const name of done.unresolved) if (!unresolved.includes(name)) unresolved.push(name)
    for (const d of describeTemplates(text, scope)) {
      if (variables.some((x) => x.name === d.name)) continue
      const secret = d.source === `environment ${environment}` && secretNames.has(d.name)
      variables.push({ name: d.name, value: secret ? null : d.value, source: d.source, secret })
    }
    return done.text
  })
  return { texts: out, unresolved, variables, inherited }
}

function secretNamesOf(loaded: LoadedCollection, environment: string | null): Set<string> {
  const env = loaded.environments.find((e) => e.environment.name === environment)
  const names = new Set<string>()
  for (const x of env?.environment.variables ?? []) {
    if (x && 'secret' in x && x.secret === true && typeof x.name === 'string') names.add(x.name)
  }
  return names
}
