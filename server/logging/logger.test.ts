import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chooseLogFormat } from './log-format.ts';
import { formatLine } from './pretty.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const READABLE = /^\d\d:\d\d:\d\d\.\d{3} INFO +labs loaded labs=\[.*"sample-registry".*\] dir=labs$/m;

describe('the log format', () => {
  test('auto: readable at a terminal, JSON anywhere else; an explicit setting wins', () => {
    assert.equal(chooseLogFormat('auto', true), 'pretty');
    assert.equal(chooseLogFormat('auto', false), 'json');
    assert.equal(chooseLogFormat('json', true), 'json');
    assert.equal(chooseLogFormat('pretty', false), 'pretty');
  });

  test('a readable line: time, level, message, fields, the stack below', () => {
    const time = new Date(2026, 0, 2, 3, 4, 5, 67).getTime();
    const json = JSON.stringify({
      level: 50,
      time,
      service: 'drydock',
      host: 'node1',
      note: 'two words',
      err: { message: 'boom', stack: 'Error: boom\n    at x' },
      msg: 'it broke',
    });
    assert.equal(formatLine(json, false), '03:04:05.067 ERROR it broke host=node1 note="two words"\n    Error: boom\n        at x\n');
    assert.match(formatLine(json, true), /\x1b\[31mERROR\x1b\[0m/);
    assert.equal(formatLine('not json', false), 'not json', 'a line that is not pino JSON passes as it is');
  });
});

/**
 * The real server's start-up under a pseudo-terminal (`script`) and through a pipe. With no
 * engine to reach, it logs that the labs are loaded and then fails: one info line, one fatal.
 */
async function serverLog(env: Record<string, string>, terminal: boolean): Promise<string> {
  const server = `${ROOT}node_modules/.bin/tsx server/main.ts`;
  const [file, args] = terminal ? ['script', ['-qfec', server, '/dev/null']] : ['sh', ['-c', server]];
  const { stdout } = await promisify(execFile)(file, args, {
    cwd: ROOT,
    timeout: 60_000,
    env: { ...process.env, DRYDOCK_LOG_LEVEL: 'info', DRYDOCK_DOCKER_HOST: 'tcp://127.0.0.1:1', ...env },
  }).catch((err: { stdout: string; code: number }) => {
    assert.equal(err.code, 1, 'the server stops: no engine answers');
    return err;
  });
  return stdout.replace(/\r\n/g, '\n');
}

describe("the server's log", () => {
  test('at a terminal: readable, coloured lines with level and message', async () => {
    const out = await serverLog({}, true);
    assert.match(out, /\x1b\[32mINFO/, 'coloured');
    const plain = out.replace(ANSI, '');
    assert.match(plain, READABLE);
    assert.match(plain, /^\d\d:\d\d:\d\d\.\d{3} FATAL no Docker engine answers at tcp:\/\/127\.0\.0\.1:1/m);
    assert.doesNotMatch(plain, /"level":/);
  });

  test('at a terminal with DRYDOCK_LOG_FORMAT=json: JSON lines', async () => {
    const out = await serverLog({ DRYDOCK_LOG_FORMAT: 'json' }, true);
    assert.match(out, /^\{"level":30,.*"msg":"labs loaded"\}$/m);
  });

  test('through a pipe: JSON lines; with DRYDOCK_LOG_FORMAT=pretty readable ones, uncoloured', async () => {
    assert.match(await serverLog({}, false), /^\{"level":60,.*"msg":"no Docker engine answers/m);
    const pretty = await serverLog({ DRYDOCK_LOG_FORMAT: 'pretty' }, false);
    assert.match(pretty, READABLE);
    assert.doesNotMatch(pretty, ANSI);
  });

  test('an invalid configuration is still reported in the chosen format', async () => {
    const out = await serverLog({ DRYDOCK_LOG_FORMAT: 'pretty', DRYDOCK_HOST_DISK_MIB: '4096' }, false);
    assert.match(out, /^\d\d:\d\d:\d\d\.\d{3} FATAL invalid configuration:\n {2}DRYDOCK_HOST_DISK_MIB: must be smaller/m);
  });
});
