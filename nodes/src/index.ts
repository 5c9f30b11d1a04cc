// The isomorphic entry: safe in the browser and inside the Temporal workflow sandbox.
// Nothing here may import Node built-ins or anything but zod.
export type { Json, JsonObject } from './json.js';
export { isJsonObject } from './json.js';

export { defineNode, nodeKey } from './sdk/define-node.js';
export { activityOnlyResultSchema, activityOnlyStep, defineActivityNode } from './sdk/define-activity-node.js';
export type { ActivityNodeDeclaration, ActivityOnlyInput, ActivityOnlyResult } from './sdk/define-activity-node.js';
export type { ActivitySpec, AnyNodeDefinition, NodeCategory, NodeDefinition } from './sdk/define-node.js';
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
export { portSpecSchema, resolvePorts } from './sdk/ports.js';
export type { PortDeclaration, PortSpec, PortsFromConfig } from './sdk/ports.js';
export { ui } from './sdk/ui.js';
export { SECRET_NAME, secretRef } from './sdk/secret-ref.js';
export type { UiHints } from './sdk/ui.js';
export { createRegistry, NodeRegistryError } from './sdk/registry.js';
export type { NodeRegistry } from './sdk/registry.js';
export { nodeTypeManifest, nodeTypeManifestSchema, registryManifest } from './sdk/manifest.js';
export type { NodeTypeManifest } from './sdk/manifest.js';
export { renderTemplate, templateVariables } from './sdk/templates.js';
export { getVariable, setVariable, isVariablePath, VARIABLE_PATH } from './sdk/variables.js';
export { EMAIL_PATTERN, findEmail, isEmail } from './sdk/email.js';
export { issueMessage, issuePath } from './sdk/zod-issues.js';
export { NodeError } from './sdk/activity.js';
export type {
  ActivityContext,
  HttpClient,
  HttpRequest,
  HttpResponse,
  LlmClient,
  LlmMessage,
  LlmRequest,
  LlmResponse,
  LlmTool,
} from './sdk/activity.js';

export {
  DEFAULT_FALLBACK_MESSAGE,
  FLOW_SCHEMA_VERSION,
  emptyFlow,
  flowDocumentSchema,
  flowEdgeSchema,
  flowNodeSchema,
  flowSettingsSchema,
} from './flow/flow-document.js';
export type { FlowDocument, FlowDocumentInput, FlowEdge, FlowNode, FlowSettings } from './flow/flow-document.js';
export { validateFlow } from './flow/validate-flow.js';
export { compileFlow, DEFAULT_ACTIVITY_ATTEMPTS } from './flow/compile-flow.js';
export type { NodeRunner, RuntimeActivity, RuntimeFlow, RuntimeNode } from './flow/runtime-flow.js';
export { availableUpgrades, upgradeFlow } from './flow/upgrade-flow.js';
export { pinFlow } from './flow/pin-flow.js';
export type { NodeUpgrade } from './flow/upgrade-flow.js';
export { FLOW_ISSUE_CODES, flowIssueSchema, hasErrors } from './flow/issues.js';
export type { FlowIssue, FlowIssueCode } from './flow/issues.js';

export * from './service-hours/index.js';
export * from './builtin/index.js';
export { builtinSteps } from './builtin/steps.js';
