export * from './errors.js';
export * from './roles.js';
export * from './validation.js';
export * from './reference.js';
export * from './auth.js';
