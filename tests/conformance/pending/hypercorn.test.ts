import { conformance } from '../harness/suite'
import { startHypercorn } from '../servers/hypercorn'

conformance('hypercorn', startHypercorn, ['close', 'close-post'])
