/**
 * What a fenced code block's info string says. ```` ```bash node1 ```` runs in node1 when
 * clicked; a shell block without a host, and any other block, is copy-only.
 */
export interface CodeBlockInfo {
  lang: string;
  /** Set for a block that runs in this host when clicked. */
  host: string | undefined;
  /** Words after the host, which the format does not define. */
  extra: string[];
}

/** Languages whose blocks can be typed into a terminal. */
const SHELL_LANGS: ReadonlySet<string> = new Set(['bash', 'sh', 'shell']);

/** The info string of the fence that declares a step's checks. */
export const CHECK_FENCE = 'check';

export function parseCodeBlockInfo(info: string): CodeBlockInfo {
  const [lang = '', host, ...extra] = info.trim().split(/\s+/).filter(Boolean);
  if (!SHELL_LANGS.has(lang)) return { lang, host: undefined, extra: [] };
  return { lang, host, extra };
}
