/**
 * @file index.ts
 * Barrel file exporting all authentication-related types.
 *
 * @license Apache-2.0
 */

export * from "./authentication";
export * from "./database";
export * from "./errors";
export * from "./session";
export * from "./token";
