import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { catalogOrder } from './course.ts';
import { inlineLab, inlineStep, labFolder, lineOf, parseInline, problems } from '../test-support/inline-lab.ts';
import { formatLabError } from './lab.ts';
import { loadLabCatalog } from './load.ts';

const STEP = inlineStep({ title: 'Pull', check: '- kind: image-present\n  image: hello-world', solution: 'docker pull hello-world' });
const lab = (id: string, fm: Record<string, string> = {}) => inlineLab(STEP, { id, ...fm });

test('a lab declares its track, its place in it, what it builds on, and whether it is listed', () => {
  const { lab: parsed } = parseInline(lab('inline', { track: 'registry', order: '2', requires: '[basics]', listed: 'false' }));
  assert.deepEqual([parsed!.track, parsed!.order, parsed!.requires, parsed!.listed], ['registry', 2, ['basics'], false]);
  const { lab: plain } = parseInline(lab('inline'));
  assert.deepEqual([plain!.track, plain!.order, plain!.requires, plain!.listed], [undefined, undefined, [], true]);
  const source = lab('inline', { track: 'registry', order: '0', requires: '[Basics]' });
  assert.deepEqual(problems(parseInline(source)), [
    `${lineOf(source, 'order:')}: front matter: "order": Too small: expected number to be >0`,
    `${lineOf(source, 'requires:')}: front matter: "requires.0": use lower-case letters, digits and dashes (the folder name)`,
  ]);
  const alone = lab('inline', { order: '3' });
  assert.deepEqual(problems(parseInline(alone)), [`${lineOf(alone, 'order:')}: front matter: "order": track and order go together: the order is the place in the track`]);
});

test('lint checks prerequisites, circles and places across the labs', async () => {
  const files = {
    'basics/lab.md': lab('basics', { track: 'registry', order: '1' }),
    'tls/lab.md': lab('tls', { track: 'registry', order: '2', requires: '[basics, basic]' }),
    'auth/lab.md': lab('auth', { track: 'registry', order: '2', requires: '[basics]' }),
    'early/lab.md': lab('early', { track: 'registry', order: '3', requires: '[late]' }),
    'late/lab.md': lab('late', { track: 'registry', order: '4', requires: '[early]' }),
    'sample/lab.md': lab('sample', { listed: 'false' }),
    'uses-sample/lab.md': lab('uses-sample', { requires: '[sample]' }),
  };
  await using labs = await labFolder(files);
  const catalog = await loadLabCatalog(labs.dir);
  const at = (id: string, key: string) => `${join(labs.dir, id, 'lab.md')}:${lineOf(files[`${id}/lab.md` as keyof typeof files], `${key}:`)}`;
  assert.deepEqual(catalog.errors.map(formatLabError), [
    `${at('early', 'requires')}: front matter: "requires": "late" comes at place 4 of track registry, not before this lab's 3: a lab builds on earlier ones`,
    `${at('early', 'requires')}: front matter: "requires": early → late → early is a circle: a lab cannot build on itself`,
    `${at('late', 'requires')}: front matter: "requires": late → early → late is a circle: a lab cannot build on itself`,
    `${at('tls', 'order')}: front matter: "order": auth has place 2 of track registry already: give each lab of a track its own place`,
    `${at('tls', 'requires')}: front matter: "requires": there is no lab "basic" (did you mean "basics"?)`,
    `${at('uses-sample', 'requires')}: front matter: "requires": "sample" is not listed in the catalog (listed: false), so learners cannot find it`,
  ]);
  assert.deepEqual(catalog.labs.map((l) => l.id), ['auth', 'basics', 'sample'], 'labs with problems are left out');
});

test("the learner's catalog: tracks in teaching order, then the other labs; hidden labs left out", () => {
  const labs = [
    { id: 'a-untracked', track: undefined, order: undefined, listed: true },
    { id: 'z-second', track: 'registry', order: 2, listed: true },
    { id: 'sample', track: undefined, order: undefined, listed: false },
    { id: 'y-first', track: 'registry', order: 1, listed: true },
    { id: 'b-swarm', track: 'swarm', order: 1, listed: true },
  ];
  assert.deepEqual(catalogOrder(labs).map((l) => l.id), ['y-first', 'z-second', 'b-swarm', 'a-untracked']);
});
