import { conformance } from '../harness/suite'
import { startH2o } from '../servers/h2o'

conformance('h2o', startH2o, ['fresh-h2'])
