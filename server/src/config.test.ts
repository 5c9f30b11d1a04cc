import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('reads the worker cache size as a number and leaves it unset by default', () => {
    expect(loadConfig({ BATON_WORKFLOW_CACHE_SIZE: '250' }).BATON_WORKFLOW_CACHE_SIZE).toBe(250);
    expect(loadConfig({}).BATON_WORKFLOW_CACHE_SIZE).toBeUndefined();
  });

  it('refuses a bad value, naming the variable', () => {
    expect(() => loadConfig({ BATON_WORKFLOW_CACHE_SIZE: 'lots' })).toThrow(/BATON_WORKFLOW_CACHE_SIZE/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ BATON_API_TOKEN: 'short' })).toThrow(/BATON_API_TOKEN: must be at least 16 characters/);
  });
});
