import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { configSchema, envName } from './config.ts';

const CONFIG_SOURCE = fileURLToPath(new URL('./config.ts', import.meta.url));

export interface SettingDoc {
  key: string;
  variable: string;
  defaultValue: string;
  description: string;
}

/**
 * The configuration reference, read from the schema itself: each setting's variable and default
 * come from the running schema, its meaning from the doc comment above it in config.ts. So the
 * page cannot drift from the code; a test compares the committed page with this output.
 */
export async function describeSettings(): Promise<SettingDoc[]> {
  const comments = await settingComments();
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  return Object.keys(configSchema.shape).map((key) => ({
    key,
    variable: envName(key),
    defaultValue: formatDefault(defaults[key]),
    description: comments.get(key) ?? '',
  }));
}

export async function renderConfigurationPage(): Promise<string> {
  const rows = (await describeSettings()).map(
    (s) => `| \`${s.variable}\` | ${s.defaultValue} | ${s.description.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
  );
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from server/config/config.ts by `npm run docs:config`; edit the comments there. -->',
    '',
    'Every setting is an environment variable, read once at start and checked: a bad value stops',
    'the server with a message naming the variable. Defaults suit one machine with a few dozen',
    'learners; see the operator guide for sizing.',
    '',
    '| variable | default | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function formatDefault(value: unknown): string {
  if (value === '' || (Array.isArray(value) && value.length === 0)) return '(empty)';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

/** Doc comments of the properties of `configSchema`'s object literal, by property name. */
async function settingComments(): Promise<Map<string, string>> {
  const text = await readFile(CONFIG_SOURCE, 'utf8');
  const source = ts.createSourceFile(CONFIG_SOURCE, text, ts.ScriptTarget.Latest, true);
  const comments = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
      const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
      const comment = docs
        .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
        .join(' ')
        .trim();
      if (comment) comments.set(node.name.text, comment.replace(/\s+/g, ' '));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return comments;
}
