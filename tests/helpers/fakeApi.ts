/** One call a store made of the host: its name and input. */
export interface ApiCall {
  name: string
  input: Record<string, unknown>
}

/** Answers by call name; a call with none fails the test ("unexpected call …"). */
export type Answers = Record<string, (input: Record<string, unknown>) => unknown>

/**
 * A stand-in for the renderer's API in store tests (give it to setApi): every call is handed to
 * `record`, then answered by `answers`. It imports nothing of the renderer, so the node project
 * typechecks it too.
 */
export function fakeApi(answers: Answers, record: (call: ApiCall) => void): object {
  return new Proxy(
    {},
    {
      get: (_, name: string) => async (input: Record<string, unknown>) => {
        record({ name, input })
        const answer = answers[name]
        if (!answer) throw new Error(`unexpected call ${name}`)
        return answer(input)
      },
    },
  )
}
