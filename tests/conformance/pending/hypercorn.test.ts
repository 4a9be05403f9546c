import { conformance } from '../harness/suite'
import { startHypercorn } from '../servers/hypercorn'

// Intermittent against the merged engine (a FIN racing the next write, and the last FIN arriving
// after the report): see /work/notes/conformance.md, E.
conformance('hypercorn', startHypercorn, ['close', 'close-post', 'close-text'])
