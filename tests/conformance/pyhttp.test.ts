import { conformance } from './harness/suite'
import { startPyHttp } from './servers/pyhttp'

conformance('http.server', startPyHttp, [
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
  'fresh-h2',
  'tls-strict',
  'http10',
  'seed',
  'curl',
])
