import { conformance } from './harness/suite'
import { startApache } from './servers/apache'

conformance('apache', startApache, [
  'keep-alive',
  'limit',
  'limit-pool',
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
  'br',
  'seed',
  'har-connect',
  'curl',
  'hint',
])
