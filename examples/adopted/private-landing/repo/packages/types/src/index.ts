/**
 * @file index.ts
 * Main entry point for authentication system types.
 * Exports all type definitions organized by domain.
 *
 * @license Apache-2.0
 */

export * from "./auth";
export * from "./env";
export * from "./http";
