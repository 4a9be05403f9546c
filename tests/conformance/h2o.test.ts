import { conformance } from './harness/suite'
import { startH2o } from './servers/h2o'

conformance('h2o', startH2o, [
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
  'br',
  'seed',
  'curl-plain',
])
