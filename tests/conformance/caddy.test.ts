import { conformance } from './harness/suite'
import { startCaddy } from './servers/caddy'

conformance('caddy', startCaddy, [
  'keep-alive',
  'idle',
  'pool-1',
  'pool-2',
  'pool-6',
  'pipelining',
  'fresh',
  'h2-streams',
  'nghttp',
  'fresh-h2',
  'tls-strict',
  'gzip',
  'seed',
  'curl-plain',
  'har-connect',
])
