import type { Variable, SecretVariable } from '@opencollection/types/common/variables'

/**
 * `{{name}}` substitution: plain lookup in a Map, never evaluation. `{{constructor}}` is not an
 * Object prototype property here, `{{process.env.HOME}}` is just a name nobody defined, and
 * `{{constructor.constructor('…')()}}` is not even a name: all stay as they are, as text, and are
 * reported as unresolved so the composer can mark them.
 *
 * Resolution order, highest first (Bruno's precedence, without scripts and globals):
 *   request variables (`runtime.variables`) > folder variables (innermost folder first)
 *   > environment variables (secret values from `.sockeye/secrets.json`) > collection variables.
 */

export interface VariableLayer {
  /** e.g. `request`, `folder users`, `environment local`, `collection`. */
  source: string
  values: ReadonlyMap<string, string>
}

/** Layers from highest to lowest precedence. */
export type VariableScope = readonly VariableLayer[]

export interface Substituted {
  text: string
  /** Each `{{…}}` left as text (inner text, trimmed), in order of first appearance. */
  unresolved: string[]
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g
const NAME = /^[A-Za-z0-9_$][A-Za-z0-9_.$-]*$/
/** A value may use other variables; deeper (or cyclic) references stay as text. */
const MAX_DEPTH = 8
/** A substituted string never grows past this (a value referencing itself 10 times, 8 deep…). */
const MAX_LENGTH = 16 * 1024 * 1024

/** The variables a list defines (enabled ones; a secret takes its value from `secrets`). */
export function layerOf(
  source: string,
  variables: readonly (Variable | SecretVariable)[] | undefined,
  secrets?: Readonly<Record<string, string>>,
): VariableLayer {
  const values = new Map<string, string>()
  for (const v of variables ?? []) {
    if (!v || typeof v.name !== 'string' || !v.name || v.disabled) continue
    if ('secret' in v && v.secret) {
      const secret = secrets && Object.hasOwn(secrets, v.name) ? secrets[v.name] : undefined
      if (typeof secret === 'string') values.set(v.name, secret)
      continue
    }
    const value = valueOf((v as Variable).value)
    if (value !== null) values.set(v.name, value)
  }
  return { source, values }
}

function valueOf(value: Variable['value']): string | null {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const chosen = value.find((v) => v?.selected) ?? value[0]
    return chosen ? valueOf(chosen.value) : null
  }
  if (typeof value === 'object' && typeof value.data === 'string') return value.data
  return null
}

/** Look `name` up, highest layer first. */
export function lookup(scope: VariableScope, name: string): { value: string; source: string } | null {
  for (const layer of scope) {
    const value = layer.values.get(name)
    if (value !== undefined) return { value, source: layer.source }
  }
  return null
}

/** Replace every `{{name}}` found in `scope`; the rest stays as text and is reported. */
export function substitute(text: string, scope: VariableScope): Substituted {
  const unresolved: string[] = []
  const out = expand(text, scope, 0, new Set(), unresolved)
  return { text: out, unresolved }
}

function expand(
  text: string,
  scope: VariableScope,
  depth: number,
  active: Set<string>,
  unresolved: string[],
): string {
  if (!text.includes('{{')) return text
  let length = 0
  return text.replace(TEMPLATE, (whole, inner: string) => {
    const name = inner.trim()
    const found = NAME.test(name) && !active.has(name) && depth < MAX_DEPTH ? lookup(scope, name) : null
    if (!found) {
      if (!unresolved.includes(name)) unresolved.push(name)
      return whole
    }
    active.add(name)
    const value = expand(found.value, scope, depth + 1, active, unresolved)
    active.delete(name)
    length += value.length
    if (length > MAX_LENGTH)
      throw new RangeError(`variable {{${name}}} expands past ${MAX_LENGTH} characters`)
    return value
  })
}

/** Every `{{…}}` in `text` with how it resolves: the composer shows values and marks the rest. */
export function describeTemplates(
  text: string,
  scope: VariableScope,
): Array<{ name: string; value: string | null; source: string | null }> {
  const out: Array<{ name: string; value: string | null; source: string | null }> = []
  for (const match of text.matchAll(TEMPLATE)) {
    const name = (match[1] ?? '').trim()
    if (out.some((o) => o.name === name)) continue
    const found = NAME.test(name) ? lookup(scope, name) : null
    out.push({
      name,
      value: found ? substitute(found.value, scope).text : null,
      source: found?.source ?? null,
    })
  }
  return out
}
