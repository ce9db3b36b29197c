/**
 * @file index.ts
 * Exports authentication service implementations.
 *
 * @license Apache-2.0
 */

export * from "./account-service";
export * from "./cached-session-service";
export * from "./mirrored-session-service";
export * from "./password-service";
export * from "./session-service";
export * from "./token-service";
