/**
 * @file index.ts
 * Barrel file exporting all authentication-related schemas.
 *
 * @license Apache-2.0
 */

export * from "./credentials";
export * from "./password";
