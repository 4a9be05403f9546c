import type { CliStream } from './run'

/** Bytes gathered before a write is forced, whatever the turn. */
const HIGH_WATER = 64 * 1024

/**
 * Request lines gathered within one event-loop turn and written together. stdout on a pipe or a
 * file is written synchronously, one syscall per `write`: 2,000 lines were 2,000 syscalls. A turn
 * later is not visible on a terminal. `flush()` before anything goes to another stream (stderr),
 * so lines never appear out of order.
 */
export class LineBuffer {
  private text = ''
  private scheduled = false

  constructor(private readonly out: CliStream) {}

  push(line: string): void {
    this.text += `${line}\n`
    if (this.text.length >= HIGH_WATER) this.flush()
    else if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
  }

  flush(): void {
    this.scheduled = false
    if (this.text === '') return
    const text = this.text
    this.text = ''
    this.out.write(text)
  }
}
