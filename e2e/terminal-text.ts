/** Test support for the e2e tests: what a lab host's terminal shows, read from the DOM renderer's rows. */
import type { Page } from 'playwright-core';

export function terminalText(page: Page, host: string): Promise<string> {
  return page
    .locator(`.host-terminal[data-host="${host}"] .xterm-rows`)
    .innerText()
    .then((t) => t.replace(/\u00a0/g, ' '));
}

export async function waitForTerminal(page: Page, host: string, pattern: RegExp, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await terminalText(page, host);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${host}'s terminal never showed ${pattern}; it shows:\n${text}`);
    await page.waitForTimeout(100);
  }
}
