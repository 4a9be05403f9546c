import { conformance } from '../harness/suite'
import { startCaddy } from '../servers/caddy'

conformance('caddy', startCaddy, ['fresh-h2'])
