import type { StepResult } from '../../sdk/step.js';

export const startStep = (): StepResult => ({ then: { go: 'next' } });
