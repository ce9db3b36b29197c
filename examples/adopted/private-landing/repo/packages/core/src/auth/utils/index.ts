/**
 * @file index.ts
 * Exports authentication utilities.
 *
 * @license Apache-2.0
 */

export * from "./cookie";
export * from "./crypto";
export * from "./get-client-ip";
