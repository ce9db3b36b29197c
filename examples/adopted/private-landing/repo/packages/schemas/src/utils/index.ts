/**
 * @file index.ts
 * Exports schema validation utilities.
 *
 * @license Apache-2.0
 */

export * from "./zod";
