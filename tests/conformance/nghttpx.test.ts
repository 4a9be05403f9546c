import { conformance } from './harness/suite'
import { startNghttpx } from './servers/nghttpx'

conformance('nghttpx', startNghttpx, [
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
  'tls-limit',
  'fresh-h2',
  'tls-strict',
  'seed',
  'curl',
  'tls-limit-post',
  'tls-limit-burst',
])
