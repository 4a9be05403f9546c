import type { OpenCollection } from '@opencollection/types'
import type { Item } from '@opencollection/types/collection/item'
import { importCurl, looksLikeCurl, type CurlOptions } from './curl'
import { importHar } from './har'
import { importInsomnia, isInsomnia } from './insomnia'
import { importOpenApi, isOpenApi } from './openapi'
import { importPostman, isPostman } from './postman'
import { decodeText, isRecord, parseJson, parseYaml } from './text'
import { ImportError, type ImportResult } from './types'

/**
 * One entry for every import: detect the format from the content (never from the file name
 * alone) and hand it to its importer. Each importer is a pure function: text → OpenCollection.
 */

export const KNOWN_FORMATS =
  'cURL commands, Postman collections v2.0/v2.1, Insomnia v4 exports, OpenAPI 3 (JSON or YAML), HAR 1.2, OpenCollection YAML'

export { ImportError, type ImportResult } from './types'

function isHar(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc.log) && Array.isArray(doc.log.entries)
}

function isOpenCollection(doc: unknown): doc is OpenCollection {
  return isRecord(doc) && typeof doc.opencollection === 'string'
}

/**
 * A bundled OpenCollection document as it comes (unknown keys kept), but only well-formed items:
 * an entry that is not an object, or `items` that is not a list, is dropped and reported.
 */
function openCollection(doc: OpenCollection): ImportResult {
  const warnings: string[] = []
  const clean = (items: unknown, where: string): Item[] => {
    if (items === undefined) return []
    if (!Array.isArray(items)) {
      warnings.push(`${where}: items is not a list; dropped`)
      return []
    }
    return items.flatMap((item, i): Item[] => {
      if (!isRecord(item)) {
        warnings.push(`${where} item ${i + 1} is not an object; dropped`)
        return []
      }
      if (item.items === undefined) return [item as Item]
      const name =
        isRecord(item.info) && typeof item.info.name === 'string' ? item.info.name : `item ${i + 1}`
      return [{ ...item, items: clean(item.items, `folder ${name}`) } as Item]
    })
  }
  const collection: OpenCollection = { ...doc }
  if (doc.items !== undefined) collection.items = clean(doc.items, 'the collection')
  return { format: 'opencollection', collection, warnings }
}

/** Import `text` (named `name` in messages). Throws ImportError with one line. */
export function importText(text: string, name: string, options: CurlOptions = {}): ImportResult {
  if (looksLikeCurl(text)) return importCurl(text, options)
  const trimmed = text.trimStart()
  if (trimmed === '') throw new ImportError(`${name} is empty; nothing to import`)
  const doc = /^[[{]/.test(trimmed) ? parseJson(trimmed, name) : parseYaml(text, name)
  if (isPostman(doc)) return importPostman(doc)
  if (isInsomnia(doc)) return importInsomnia(doc)
  if (isOpenApi(doc)) return importOpenApi(doc)
  if (isHar(doc)) return importHar(doc, name)
  if (isOpenCollection(doc)) return openCollection(doc)
  throw new ImportError(`${name} is not a format Sockeye imports; it reads ${KNOWN_FORMATS}`)
}

/** Bytes from a file or a dialog: size and UTF-8 checked before anything is parsed. */
export function importBytes(bytes: Uint8Array, name: string, options: CurlOptions = {}): ImportResult {
  return importText(decodeText(bytes, name), name, options)
}
