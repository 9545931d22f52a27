import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** What the pages of a test threw (uncaught errors in their scripts): a test fails on any. */
export class PageErrors {
  private readonly seen: string[] = [];

  /** Records what `page` throws, prefixed with `who` when several pages are watched. */
  watch(page: Page, who?: string): Page {
    page.on('pageerror', (err) => this.seen.push(who ? `${who}: ${err.message}` : err.message));
    return page;
  }

  assertNone(what = 'a page threw'): void {
    assert.deepEqual(this.seen, [], what);
  }
}
