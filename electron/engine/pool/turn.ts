let turn = 0
let ticking = false

/**
 * A number that changes once the event loop has passed its check phase (setImmediate): equal
 * values mean "still the same turn", in which a peer's FIN read with the last bytes of a response
 * may not have been processed yet.
 */
export function currentTurn(): number {
  if (!ticking) {
    ticking = true
    setImmediate(() => {
      turn++
      ticking = false
    })
  }
  return turn
}
