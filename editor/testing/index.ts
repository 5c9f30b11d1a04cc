// The editor's test kit (`@baton/editor/testing`).
export * from './fake-browser.js';
export * from './test-manifest.js';
