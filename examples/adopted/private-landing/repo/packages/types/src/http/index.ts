/**
 * @file index.ts
 * Barrel file exporting all HTTP-related types.
 *
 * @license Apache-2.0
 */

export * from "./context";
export * from "./cookies";
