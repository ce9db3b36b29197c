/**
 * @file index.ts
 * Exports authentication middleware components.
 *
 * @license Apache-2.0
 */

export * from "./rate-limit";
export * from "./require-auth";
export * from "./security";
