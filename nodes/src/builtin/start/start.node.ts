import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { startStep } from './start.step.js';

export const startNode = defineNode({
  type: 'start',
  version: 1,
  title: 'Start',
  description: 'Where every conversation begins.',
  category: 'flow',
  icon: 'play',
  entry: true,
  config: z.object({}),
  ports: ['next'],
  step: startStep,
});
