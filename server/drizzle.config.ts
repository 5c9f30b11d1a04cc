import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes SQL migrations into migrations/ from this schema.
// Never edit a migration once it has been applied anywhere; add a new one.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: '../migrations',
});
