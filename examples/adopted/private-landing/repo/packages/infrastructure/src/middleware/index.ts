/**
 * @file index.ts
 * Exports infrastructure middleware components.
 *
 * @license Apache-2.0
 */

export * from "./serve-static";
