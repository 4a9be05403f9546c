import { conformance } from '../harness/suite'
import { startApache } from '../servers/apache'

conformance('apache', startApache, ['fresh-h2'])
