import { conformance } from '../harness/suite'
import { startGunicorn } from '../servers/gunicorn'
import { startHypercorn } from '../servers/hypercorn'

conformance('gunicorn', startGunicorn, ['close-text'])
conformance('hypercorn', startHypercorn, ['close-text'])
