import path from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const list = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const optional = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** Every setting Baton reads from the environment, checked once at start. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BATON_HOST: z.string().default('127.0.0.1'),
  BATON_DATA_DIR: z.string().default('./data'),
  BATON_PUBLIC_URL: optional,
  TEMPORAL_ADDRESS: optional,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_CLI_PATH: optional,
  BATON_TASK_QUEUE: z.string().default('baton-conversations'),
  /** Conversations a worker keeps in memory between messages (Temporal's sticky cache); unset: derived from the worker's memory. */
  BATON_WORKFLOW_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).optional(),
  /** The memory a worker may use, MiB, from which its cache size is derived; unset: the container's limit or the heap limit. */
  BATON_WORKER_MEMORY_MB: z.coerce.number().int().min(64).max(1_048_576).optional(),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  OPENAI_MODEL: optional,
  BATON_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  BATON_OWNER_EMAIL: optional,
  BATON_OWNER_PASSWORD: optional,
  BATON_SECRET_KEY: optional,
  BATON_HTTP_ALLOW_PRIVATE: flag,
  BATON_HTTP_ALLOWED_HOSTS: list,
});

export type Config = z.output<typeof configSchema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.BATON_DATA_DIR) };
}
