import { conformance } from './harness/suite'
import { startHypercorn } from './servers/hypercorn'

conformance('hypercorn', startHypercorn, [
  'h2-streams',
  'nghttp',
  'fresh-h2',
  'tls-strict',
  'close',
  'close-post',
  'close-text',
])
