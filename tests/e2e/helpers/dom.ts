/**
 * The few DOM shapes that in-page test functions use. The tests' tsconfig is the Node one (no DOM
 * lib), and a function passed to `page.evaluate` is serialized, so it may only *type* against
 * these (erased imports), never call anything imported.
 */
export interface PageElement {
  getAttribute(name: string): string | null
  textContent: string | null
  outerHTML: string
  labels?: { length: number } | null
}

export interface PageGlobals {
  document: {
    body: PageElement
    querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>
  }
  getComputedStyle(el: unknown): { backgroundColor: string; outlineStyle: string }
}
