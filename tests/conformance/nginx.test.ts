import { conformance } from './harness/suite'
import { startNginx } from './servers/nginx'

conformance('nginx', startNginx, [
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
  'gzip',
  'seed',
  'har-connect',
  'curl',
  'tls-limit-post',
  'tls-limit-burst',
  'tls-resume',
])
