import type { CliStream } from './run'

/** Bytes gathered before a write is forced, whatever the time. */
const HIGH_WATER = 64 * 1024

/** How long a line may wait for company: one frame of a 60 Hz terminal, too short to notice. */
const DELAY_MS = 16

/**
 * Request lines gathered for up to 16 ms and written together. stdout on a pipe or a file is
 * written synchronously, one syscall per `write`: 2,000 sequential requests were 2,000 syscalls
 * (each in its own event-loop turn, so batching per turn saved nothing). `flush()` before anything
 * goes to another stream (stderr), so lines never appear out of order, and at the end.
 */
export class LineBuffer {
  private text = ''
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly out: CliStream) {}

  push(line: string): void {
    this.text += `${line}\n`
    if (this.text.length >= HIGH_WATER) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), DELAY_MS)
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.text === '') return
    const text = this.text
    this.text = ''
    this.out.write(text)
  }
}
