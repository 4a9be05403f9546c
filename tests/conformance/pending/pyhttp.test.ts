import { conformance } from '../harness/suite'
import { startPyHttp } from '../servers/pyhttp'

conformance('http.server', startPyHttp, ['http10'])
