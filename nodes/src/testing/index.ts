// The node testing kit (`@baton/nodes/testing`): run a node's step or its activity half in a
// plain unit test, without Temporal. Isomorphic: no Node built-ins.
export { fakeHttp, fakeLlm, runActivity, runStep, TEST_NOW } from './run-step.js';
export type { RunActivityOptions, RunStepOptions, StepOutcome, StepPhase } from './run-step.js';
