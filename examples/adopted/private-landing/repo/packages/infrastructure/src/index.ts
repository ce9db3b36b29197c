/**
 * @file index.ts
 * Main entry point for infrastructure functionality.
 *
 * @license Apache-2.0
 */

export {
	type CacheClient,
	type CacheClientFactory,
	createMemoryCacheClient,
	createValkeyClient,
} from "./cache";
export { createDbClient, type DbClientFactory, type SqliteClient } from "./db";
export { type ServeStaticOptions, serveStatic } from "./middleware";
