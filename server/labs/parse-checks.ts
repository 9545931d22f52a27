import { isMap, isSeq } from 'yaml';
import { findCheckKind, CHECK_KIND_NAMES } from '../../checks/kinds/index.ts';
import { describeIssues } from './issues.ts';
import type { CheckSpec } from './lab.ts';
import { didYouMean } from './nearest.ts';
import type { Problems } from './problems.ts';
import { YamlBlock } from './yaml-block.ts';

/** The front matter's hosts, or undefined when they are invalid (then host references are not checked). */
export type DeclaredHosts = readonly string[] | undefined;

/**
 * Reads one ```` ```check ```` block: a YAML list, one mapping per check, with `kind`, an
 * optional `host` (required when the lab has several), and the kind's parameters:
 *
 *     - kind: registry-has-repo
 *       registry: 127.0.0.1:5000
 *       repository: hello-world
 */
export function parseCheckBlock(text: string, firstLine: number, hosts: DeclaredHosts, problems: Problems): CheckSpec[] {
  const yaml = new YamlBlock(text, firstLine);
  for (const e of yaml.syntaxErrors) problems.add(e.line, `check block: ${e.message}`);
  if (yaml.syntaxErrors.length) return [];
  if (!isSeq(yaml.root) || yaml.root.items.length === 0) {
    problems.add(firstLine, 'a check block is a YAML list: each check starts with `- kind: ...`');
    return [];
  }
  const specs: CheckSpec[] = [];
  for (const item of yaml.root.items) {
    const line = yaml.lineOfNode(item);
    if (!isMap(item)) {
      problems.add(line, 'each check is a mapping that starts with `kind:`, e.g. `- kind: registry-answers`');
      continue;
    }
    const { kind: kindName, host: hostName, ...raw } = item.toJSON() as Record<string, unknown>;
    if (typeof kindName !== 'string') {
      problems.add(line, `a check needs a kind, one of: ${CHECK_KIND_NAMES.join(', ')}`);
      continue;
    }
    const kind = findCheckKind(kindName);
    if (!kind) {
      problems.add(yaml.lineOfKey(item, 'kind'), `unknown check kind "${kindName}"${didYouMean(kindName, CHECK_KIND_NAMES)}`);
      continue;
    }
    const host = checkHost(hostName, hosts);
    if (typeof host !== 'string') {
      problems.add(yaml.lineOfKey(item, 'host'), `${kindName}: ${host.problem}`);
    }
    const parsed = kind.params.safeParse(raw);
    if (!parsed.success) {
      for (const issue of describeIssues(parsed.error, raw, kind.params, kindName, 'parameter')) {
        problems.add(yaml.lineOfKey(item, issue.key), issue.message);
      }
      continue;
    }
    if (typeof host !== 'string') continue;
    const params = parsed.data as Record<string, unknown>;
    specs.push({ kind: kindName, host, params, title: kind.describe(params), line });
  }
  return specs;
}

/** The host a check looks at: the one named, or the lab's only host. */
function checkHost(name: unknown, hosts: DeclaredHosts): string | { problem: string } {
  if (!hosts) return String(name ?? '');
  if (name === undefined) {
    if (hosts.length === 1) return hosts[0]!;
    return { problem: `say which host to check with \`host:\` (one of ${hosts.join(', ')})` };
  }
  if (typeof name === 'string' && hosts.includes(name)) return name;
  return { problem: `host "${String(name)}" is not declared in the front matter (hosts: ${hosts.join(', ')})${didYouMean(String(name), hosts)}` };
}
