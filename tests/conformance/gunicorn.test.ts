import { conformance } from './harness/suite'
import { startGunicorn } from './servers/gunicorn'

conformance('gunicorn', startGunicorn, [
  'keep-alive',
  'idle',
  'pool-1',
  'pool-2',
  'pool-6',
  'fresh',
  'deflate',
  'seed',
  'curl-plain',
  'close-post',
  'close',
  'close-text',
])
