// What a desk is made of: its declaration, its settings fields, its HTTP. See docs/desks.md.
export * from './define-desk.js';
export * from './desk.js';
export * from './desk-fields.js';
export * from './desk-http.js';
export * from './seen-signatures.js';
