import { conformance } from './harness/suite'
import { startHaproxy } from './servers/haproxy'

conformance('haproxy', startHaproxy, [
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
  'seed',
  'curl-plain',
])
