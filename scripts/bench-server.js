// The benchmark's loopback server, run in its own process so the clients being measured do not
// share a core's event loop with it (the machine has two cores). Prints `{"port":N}` once listening.
import http from 'node:http'

const body = Buffer.from(JSON.stringify({ ok: true, message: 'hello from the sockeye bench server' }))
const server = http.createServer((req, res) => {
  req.resume()
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
})
// Longer than any run, so no measurement meets a server-side idle close.
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
