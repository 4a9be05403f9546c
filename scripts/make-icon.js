#!/usr/bin/env node
// Draws resources/icon.png (512×512): a salmon rounded square with two linked rings, the
// "two requests, one connection" idea. Pure Node (zlib for the PNG stream), so the icon can be
// rebuilt anywhere: `node scripts/make-icon.js`.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { deflateSync } from 'node:zlib'

const SIZE = 512
const SALMON = [250, 128, 114]
const DEEP = [214, 88, 76] // the gap drawn around the ring that passes over the other
const RING = [255, 248, 242]

// Signed distances (negative inside); coverage from distance gives one-pixel anti-aliasing.
const roundedBox = (x, y, half, radius) => {
  const qx = Math.abs(x) - half + radius
  const qy = Math.abs(y) - half + radius
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}
const ring = (x, y, cx, cy, r, width) => Math.abs(Math.hypot(x - cx, y - cy) - r) - width / 2
const coverage = (d) => Math.min(1, Math.max(0, 0.5 - d))
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t)

const C = SIZE / 2
const A = { cx: C - 56, cy: C, r: 100 }
const B = { cx: C + 56, cy: C, r: 100 }
const W = 30
const GAP = 8

function pixel(px, py) {
  const x = px + 0.5
  const y = py + 0.5
  const shape = coverage(roundedBox(x - C, y - C, 232, 104))
  if (shape === 0) return [0, 0, 0, 0]
  let color = SALMON
  const ringA = (w) => coverage(ring(x, y, A.cx, A.cy, A.r, w))
  const ringB = (w) => coverage(ring(x, y, B.cx, B.cy, B.r, w))
  color = mix(color, RING, ringA(W))
  color = mix(color, RING, ringB(W))
  // The links interlock: B passes over A at the top crossing, A over B at the bottom one.
  const top = y < C && Math.abs(x - C) < 70
  const bottom = y >= C && Math.abs(x - C) < 70
  if (top) {
    color = mix(color, DEEP, ringA(W) * ringB(W + 2 * GAP))
    color = mix(color, RING, ringB(W))
  }
  if (bottom) {
    color = mix(color, DEEP, ringB(W) * ringA(W + 2 * GAP))
    color = mix(color, RING, ringA(W))
  }
  return [...color.map(Math.round), Math.round(255 * shape)]
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1))
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1) // each row starts with filter type 0 (None)
  for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4)
}
const header = Buffer.alloc(13)
header.writeUInt32BE(SIZE, 0)
header.writeUInt32BE(SIZE, 4)
header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, deflate, no filter set, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
])
const target = resolve(import.meta.dirname, '../resources/icon.png')
writeFileSync(target, png)
console.log(`wrote ${target} (${png.length} bytes)`)
