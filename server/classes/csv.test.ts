import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, csvText } from './csv.ts';

test('quotes cells with quotes, commas and line breaks', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('Ada, Countess'), '"Ada, Countess"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(
    csvText([
      ['a', 1],
      ['b,c', 2],
    ]),
    'a,1\r\n"b,c",2\r\n',
  );
});

test('neutralises cells a spreadsheet would run as a formula', () => {
  for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
    const cell = csvCell(evil);
    assert.match(cell, /^"?'/, `${JSON.stringify(evil)} became ${cell}`);
  }
  assert.equal(csvCell('=1+1'), "'=1+1");
  assert.equal(csvCell('=a,b'), `"'=a,b"`);
  // Numbers are the CSV's own (minutes), never a learner's text.
  assert.equal(csvCell(-1), '-1');
});
