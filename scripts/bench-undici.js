// The baseline for the whole-process CLI benchmark: a bare undici Pool script doing what
// `sockeye -n N URL` does (N sequential keep-alive GETs, each body read in full), and no more.
// Usage: node scripts/bench-undici.js URL N
import { Pool } from 'undici'

const [url, count] = process.argv.slice(2)
const target = new URL(url)
const pool = new Pool(target.origin, { connections: 6 })
const path = target.pathname + target.search
let ok = 0
for (let i = 0; i < Number(count); i++) {
  const { statusCode, body } = await pool.request({ path, method: 'GET' })
  await body.arrayBuffer()
  if (statusCode === 200) ok++
}
await pool.close()
process.stdout.write(`${count} requests, ${ok} ok\n`)
