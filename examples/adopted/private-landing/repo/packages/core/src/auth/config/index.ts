/**
 * @file index.ts
 * Exports authentication system configuration.
 *
 * @license Apache-2.0
 */

export * from "./session-config";
export * from "./token-config";
