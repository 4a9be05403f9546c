import { conformance } from '../harness/suite'
import { startNginx } from '../servers/nginx'

conformance('nginx', startNginx, ['tls-limit-burst'])
