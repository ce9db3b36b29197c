/**
 * @file index.ts
 * Main entry point for core authentication system package.
 *
 * @license Apache-2.0
 */

export * from "./auth";
