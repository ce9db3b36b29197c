/**
 * @file index.ts
 * Main entry point for validation schemas.
 * Exports all schema definitions organized by domain.
 *
 * @license Apache-2.0
 */

export * from "./auth";
export * from "./utils";
