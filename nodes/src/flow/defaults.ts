// Defaults of the flow document that the engine also needs at run time, kept free of schemas so
// that the workflow sandbox can load them (see nodes/src/runtime.ts).

/** Said when a node fails for good and has no `error` edge, unless the flow says otherwise. */
export const DEFAULT_FALLBACK_MESSAGE = 'Sorry, something went wrong on our side. Let me get a person to help you.';
