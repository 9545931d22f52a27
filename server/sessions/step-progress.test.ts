import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StepStatus } from '../../shared/protocol.ts';
import { StepProgress, type StepResult } from './step-progress.ts';

/** A verifier whose answers the test releases one at a time. */
function controlledVerifier() {
  const calls: { index: number; answer: (r: StepResult) => void }[] = [];
  const verify = (index: number) => new Promise<StepResult>((answer) => calls.push({ index, answer }));
  return { calls, verify };
}

const settle = () => new Promise((r) => setImmediate(r));
const unexpected = (what: unknown) => assert.fail(`unexpected call: ${String(what)}`);

test('checks the current step, folds a burst of requests into one more run, and moves on when it passes', async () => {
  const { calls, verify } = controlledVerifier();
  const changes: (readonly StepStatus[])[] = [];
  const progress = new StepProgress({ stepCount: 2, verify, onChange: (s) => changes.push(s), onError: unexpected });
  progress.check('command');
  progress.check('command');
  progress.check('command');
  assert.equal(calls.length, 1);
  calls[0]!.answer({ passed: false, message: 'no registry on 5000' });
  await settle();
  assert.equal(calls.length, 2, 'the requests during the first run became one more');
  assert.deepEqual(progress.view[0], { status: 'failing', message: 'no registry on 5000' });
  calls[1]!.answer({ passed: true, message: '' });
  await settle();
  assert.equal(progress.current, 1);
  assert.equal(changes.length, 2);
  progress.check('command');
  calls[2]!.answer({ passed: true, message: '' });
  await settle();
  assert.equal(calls[2]!.index, 1);
  assert.equal(progress.current, 2);
  progress.check('command');
  assert.equal(calls.length, 3, 'a complete lab is not checked again');
});

test('a manual check shows the step as checking', async () => {
  const { calls, verify } = controlledVerifier();
  const progress = new StepProgress({ stepCount: 1, verify, onChange: () => {}, onError: unexpected });
  progress.check('manual');
  assert.equal(progress.view[0]!.status, 'checking');
  calls[0]!.answer({ passed: false, message: '' });
  await settle();
  assert.deepEqual(progress.view[0], { status: 'failing', message: 'not done yet' });
});

test('a result that arrives after a reset is dropped', async () => {
  const { calls, verify } = controlledVerifier();
  const progress = new StepProgress({ stepCount: 1, verify, onChange: () => {}, onError: unexpected });
  progress.check('command');
  progress.reset();
  calls[0]!.answer({ passed: true, message: '' });
  await settle();
  assert.equal(progress.view[0]!.status, 'pending');
});

test('a verifier that throws gives a failing step and a logged error, not a crash', async () => {
  const errors: unknown[] = [];
  const progress = new StepProgress({
    stepCount: 1,
    verify: () => Promise.reject(new Error('engine gone')),
    onChange: () => {},
    onError: (e) => errors.push(e),
  });
  progress.check('command');
  await settle();
  assert.equal(progress.view[0]!.status, 'failing');
  assert.equal(errors.length, 1);
});

test('a timer can turn a step green but never shows one the learner has not tried as failing', async () => {
  const { calls, verify } = controlledVerifier();
  const progress = new StepProgress({ stepCount: 2, verify, onChange: () => {}, onError: unexpected });
  progress.check('timer');
  calls[0]!.answer({ passed: false, message: 'no registry' });
  await settle();
  assert.equal(progress.view[0]!.status, 'pending');
  progress.check('command');
  calls[1]!.answer({ passed: true, message: '' });
  await settle();
  progress.check('timer');
  calls[2]!.answer({ passed: false, message: 'not pushed' });
  await settle();
  assert.equal(progress.view[1]!.status, 'pending', 'the next step is not failing before the learner starts it');
  progress.check('timer');
  calls[3]!.answer({ passed: true, message: '' });
  await settle();
  assert.equal(progress.view[1]!.status, 'passed');
});

test('without a verifier nothing is checked', () => {
  const progress = new StepProgress({ stepCount: 1, verify: undefined, onChange: unexpected, onError: unexpected });
  progress.check('manual');
  assert.equal(progress.view[0]!.status, 'pending');
});

test('says of each result whether the learner asked for it (a command, Check) or a timer did, after the statuses', async () => {
  const { calls, verify } = controlledVerifier();
  const results: string[] = [];
  const progress = new StepProgress({
    stepCount: 1,
    verify,
    onChange: () => results.push('statuses'),
    onError: unexpected,
    onResult: (index, result, byLearner) => results.push(`${index} ${result.message} ${byLearner ? 'learner' : 'timer'}`),
  });
  progress.check('timer');
  calls[0]!.answer({ passed: false, message: 'a' });
  await settle();
  progress.check('manual');
  calls[1]!.answer({ passed: false, message: 'b' });
  await settle();
  progress.check('timer');
  progress.check('command');
  calls[2]!.answer({ passed: false, message: 'c' });
  await settle();
  calls[3]!.answer({ passed: false, message: 'd' });
  await settle();
  // The timer's check during a learner's one folds into the next run, which the learner asked for.
  assert.deepEqual(results, ['0 a timer', 'statuses', 'statuses', '0 b learner', 'statuses', '0 c timer', 'statuses', '0 d learner']);
});
