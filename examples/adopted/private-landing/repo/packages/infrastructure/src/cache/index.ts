/**
 * @file index.ts
 * Exports cache client types and implementations.
 *
 * @license Apache-2.0
 */

export * from "./memory-client";
export * from "./types";
export * from "./valkey-client";
