import { conformance } from '../harness/suite'
import { startGunicorn } from '../servers/gunicorn'

conformance('gunicorn', startGunicorn, ['close'])
