import { conformance } from '../harness/suite'
import { startNghttpx } from '../servers/nghttpx'

conformance('nghttpx', startNghttpx, ['tls-limit', 'fresh-h2'])
