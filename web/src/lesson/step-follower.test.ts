import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StepStatus, StepStatusKind } from '../../../shared/protocol.ts';
import { StepFollower } from './step-follower.ts';

/** Statuses from letters: p pending, c checking, f failing, P passed. */
function statuses(letters: string): StepStatus[] {
  const kinds: Record<string, StepStatusKind> = { p: 'pending', c: 'checking', f: 'failing', P: 'passed' };
  return [...letters].map((l) => ({ status: kinds[l]! }));
}

test('opens on the first step and moves on as each step turns green', () => {
  const follower = new StepFollower(3);
  assert.equal(follower.shown, 0);
  assert.equal(follower.setStatuses(statuses('cpp')), false, 'checking is no reason to move');
  assert.equal(follower.setStatuses(statuses('fpp')), false);
  assert.equal(follower.setStatuses(statuses('Ppp')), true);
  assert.equal(follower.shown, 1);
  assert.equal(follower.setStatuses(statuses('PPp')), true);
  assert.equal(follower.shown, 2);
  assert.equal(follower.complete, false);
  assert.equal(follower.setStatuses(statuses('PPP')), false, 'the last step stays shown once it passes');
  assert.equal(follower.shown, 2);
  assert.equal(follower.complete, true);
});

test('jumps to the first step not done when several pass at once', () => {
  const follower = new StepFollower(4);
  assert.equal(follower.setStatuses(statuses('PPpp')), true);
  assert.equal(follower.shown, 2);
  assert.equal(follower.current, 2);
});

test('a learner reading another step is left there; picking their own step follows again', () => {
  const follower = new StepFollower(4);
  follower.pick(3); // reading ahead
  assert.equal(follower.setStatuses(statuses('Pppp')), false);
  assert.equal(follower.shown, 3, 'not pulled back to step 2');
  follower.pick(0); // reading back
  assert.equal(follower.setStatuses(statuses('PPpp')), false);
  assert.equal(follower.shown, 0);
  follower.pick(2); // the step they are on
  assert.equal(follower.setStatuses(statuses('PPPp')), true);
  assert.equal(follower.shown, 3);
});

test('showing a step (a lab reloaded in dev mode) leaves following as it was', () => {
  const follower = new StepFollower(3);
  follower.show(2);
  assert.equal(follower.setStatuses(statuses('Ppp')), true, 'still follows: back to the learner’s step');
  assert.equal(follower.shown, 1);
});

test('a step that stops passing takes the follower back to it', () => {
  const follower = new StepFollower(3);
  follower.setStatuses(statuses('PPp'));
  assert.equal(follower.setStatuses(statuses('fPp')), true);
  assert.equal(follower.shown, 0);
});

test('indexes out of range are clamped, also when the lab loses steps', () => {
  const follower = new StepFollower(3);
  follower.show(9);
  assert.equal(follower.shown, 2);
  follower.show(-1);
  assert.equal(follower.shown, 0);
  follower.show(2);
  follower.setStepCount(2);
  assert.equal(follower.shown, 1);
  assert.deepEqual(follower.status(5), { status: 'pending' });
  assert.equal(new StepFollower(0).complete, false, 'a lab without steps is never complete');
});
