// The entry for the Temporal workflow sandbox: what the engine needs to run a compiled flow and
// nothing else. Free of zod and of every schema: the sandbox evaluates each module again for every
// conversation it keeps in memory, so a schema library here costs memory per conversation (see
// docs/benchmarks.md). Configs are parsed when a flow is compiled (`compileFlow`), activity inputs
// and results by the activities' wrapper. ESLint refuses value imports of zod and of the
// schema-carrying modules from here, from `*.step.ts` and from the engine's interpreter and workflows.
export type { Json, JsonObject } from './json.js';
export { isJsonObject } from './json.js';
export type {
  BotMessage,
  HandoffOutcome,
  HandoffRequest,
  HandoffTexts,
  HistoryEntry,
  NodeStep,
  StepContext,
  StepResult,
  StepThen,
  UserTurn,
} from './sdk/step.js';
export { DEFAULT_HANDOFF_TEXTS } from './sdk/step.js';
export { nodeKey } from './sdk/define-node.js';
export { activityOnlyStep } from './sdk/activity-only-step.js';
export type { ActivityOnlyInput, ActivityOnlyResult } from './sdk/activity-only-step.js';
export { getVariable, setVariable } from './sdk/variables.js';
export { renderTemplate } from './sdk/templates.js';
export { findEmail, isEmail } from './sdk/email.js';
export { DEFAULT_FALLBACK_MESSAGE } from './flow/defaults.js';
export type { NodeRunner, RuntimeActivity, RuntimeFlow, RuntimeNode } from './flow/runtime-flow.js';
export type { FlowSettings } from './flow/flow-document.js';
export { builtinSteps } from './builtin/steps.js';
export { lastRounds } from './builtin/llm-reply/llm-reply.step.js';
