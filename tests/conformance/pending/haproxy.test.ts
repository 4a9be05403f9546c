import { conformance } from '../harness/suite'
import { startHaproxy } from '../servers/haproxy'

conformance('haproxy', startHaproxy, ['fresh-h2'])
