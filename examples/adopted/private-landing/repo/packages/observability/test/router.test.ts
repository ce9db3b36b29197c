/**
 * @file router.test.ts
 * Unit tests for /ops sub-router endpoints.
 *
 * @license Apache-2.0
 */

import type { Env } from "@private-landing/types";
import { Hono } from "hono";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { OpsVariables } from "../src/require-agent-key";

const mockExecute = vi.fn();
const mockEnsureSchema = vi.fn();
const mockGetClientIp = vi.hoisted(() => vi.fn((_ctx: unknown) => "192.0.2.1"));

vi.mock("@private-landing/infrastructure", () => ({
	createDbClient: vi.fn(() => ({ execute: mockExecute })),
}));

vi.mock("@private-landing/core", () => {
	// biome-ignore lint/suspicious/noExplicitAny: test mock
	type Ctx = any;
	return {
		timingSafeEqual: vi.fn(),
		defaultGetClientIp: mockGetClientIp,
		// Mock rate limiter that mirrors the real fixed-window algorithm but
		// uses mockGetClientIp instead of getConnInfo (unavailable in tests)
		createRateLimiter: (
			deps: { createCacheClient?: (env: unknown) => unknown } | null,
		) => {
			if (!deps) {
				return () => async (_ctx: Ctx, next: () => Promise<void>) => next();
			}
			const { createCacheClient } = deps;
			return (config: {
				windowSeconds: number;
				max: number;
				prefix: string;
				onLimited?: (ctx: Ctx) => void;
			}) =>
				async (ctx: Ctx, next: () => Promise<void>) => {
					try {
						const cache = createCacheClient?.(ctx.env) as {
							incr: (k: string) => Promise<number>;
							expire: (k: string, s: number) => Promise<boolean>;
						};
						const ip = mockGetClientIp(ctx);
						const key = `${config.prefix}:${ip}`;
						const count = await cache.incr(key);
						if (count === 1) await cache.expire(key, config.windowSeconds);
						if (count > config.max) {
							config.onLimited?.(ctx);
							ctx.res = ctx.json(
								{ error: "Too many requests", code: "RATE_LIMIT" },
								429,
								{ "Retry-After": String(config.windowSeconds) },
							);
							return;
						}
					} catch {
						// fail open
					}
					await next();
				};
		},
	};
});

const mockProcessEvent = vi.fn().mockResolvedValue(undefined);

vi.mock("../src/schema", () => ({
	ensureSchema: (...args: unknown[]) => mockEnsureSchema(...args),
}));

vi.mock("../src/process-event", async (importOriginal) => {
	const original =
		await importOriginal<typeof import("../src/process-event")>();
	return {
		...original,
		processEvent: (...args: unknown[]) => mockProcessEvent(...args),
	};
});

import { timingSafeEqual } from "@private-landing/core";
import { createOpsRouter } from "../src/router";

type AppEnv = {
	Bindings: Env & { AGENT_PROVISIONING_SECRET?: string };
	Variables: OpsVariables;
};

const baseEnv: AppEnv["Bindings"] = {
	AUTH_DB_URL: "libsql://test.turso.io",
	AUTH_DB_TOKEN: "test-token",
	JWT_ACCESS_SECRET: "test",
	JWT_REFRESH_SECRET: "test",
	AGENT_PROVISIONING_SECRET: "test-secret",
} as AppEnv["Bindings"];

/** Agent credential row returned by requireAgentKey's DB lookup. */
const AGENT_ROW = { id: 1, name: "test-agent", trust_level: "write" };

function buildApp(routerDeps: Parameters<typeof createOpsRouter>[0] = {}) {
	const router = createOpsRouter(routerDeps);
	const app = new Hono<AppEnv>();
	// Provide mock executionCtx so waitUntil-based event emission works in tests
	app.use("*", async (ctx, next) => {
		Object.defineProperty(ctx, "executionCtx", {
			get: () => ({
				waitUntil: () => {},
				passThroughOnException: () => {},
			}),
		});
		await next();
	});
	app.route("/ops", router);
	return app;
}

/**
 * Helper: configure mockExecute to first return an agent credential row
 * (for requireAgentKey middleware), then chain additional responses.
 */
function withAgentAuth(...subsequentResults: unknown[]) {
	let chain = mockExecute.mockResolvedValueOnce({ rows: [AGENT_ROW] });
	for (const result of subsequentResults) {
		chain = chain.mockResolvedValueOnce(result);
	}
}

describe("ops surface cloaking (ADR-008)", () => {
	it("returns 404 for all /ops routes when provisioning secret is absent", async () => {
		const app = buildApp();
		const envNoSecret = { ...baseEnv, AGENT_PROVISIONING_SECRET: undefined };

		const endpoints = [
			["/ops/agents", "GET"],
			["/ops/agents", "POST"],
			["/ops/events", "GET"],
			["/ops/sessions", "GET"],
		] as const;

		for (const [path, method] of endpoints) {
			const res = await app.request(
				path,
				{ method, headers: { Authorization: "Bearer valid-key" } },
				envNoSecret,
			);
			expect(res.status, `${method} ${path}`).toBe(404);
		}
	});
});

describe("POST /ops/agents", () => {
	beforeEach(() => {
		mockExecute.mockReset();
		mockEnsureSchema.mockReset();
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockReset();
	});

	it("returns 401 when x-provisioning-secret is missing", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(false);
		const app = buildApp();
		const res = await app.request(
			"/ops/agents",
			{
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ name: "agent" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(401);
	});

	it("returns 400 for invalid body", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(true);
		const app = buildApp();
		const res = await app.request(
			"/ops/agents",
			{
				method: "POST",
				headers: {
					"Content-Type": "application/json",
					"x-provisioning-secret": "test-secret",
				},
				body: JSON.stringify({}),
			},
			baseEnv,
		);
		expect(res.status).toBe(400);
	});

	it("returns apiKey for valid provisioning request", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(true);
		mockExecute.mockResolvedValue({ rows: [], rowsAffected: 1 });
		const app = buildApp();
		const res = await app.request(
			"/ops/agents",
			{
				method: "POST",
				headers: {
					"Content-Type": "application/json",
					"x-provisioning-secret": "test-secret",
				},
				body: JSON.stringify({ name: "new-agent", trustLevel: "read" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.name).toBe("new-agent");
		expect(body.apiKey).toMatch(/^[0-9a-f]{64}$/);
	});
});

describe("GET /ops/agents", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns agent list for authenticated agent", async () => {
		withAgentAuth({
			rows: [
				{
					id: 1,
					name: "agent-a",
					trust_level: "read",
					created_at: "2026-01-01",
					revoked_at: null,
				},
			],
		});
		const app = buildApp();
		const res = await app.request(
			"/ops/agents",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.agents).toHaveLength(1);
		expect((body.agents as Record<string, unknown>[])[0].name).toBe("agent-a");
	});

	it("returns 401 without auth", async () => {
		const app = buildApp();
		const res = await app.request("/ops/agents", {}, baseEnv);
		expect(res.status).toBe(401);
	});
});

describe("GET /ops/events", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns events for authenticated agent", async () => {
		withAgentAuth({
			rows: [
				{
					id: 1,
					type: "login.success",
					ip_address: "1.2.3.4",
					created_at: "2026-01-01",
				},
			],
		});
		const app = buildApp();
		const res = await app.request(
			"/ops/events",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.events).toHaveLength(1);
	});

	it("returns 401 without auth", async () => {
		const app = buildApp();
		const res = await app.request("/ops/events", {}, baseEnv);
		expect(res.status).toBe(401);
	});
});

describe("POST /ops/sessions/revoke", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns 403 for read-only agent", async () => {
		mockExecute.mockResolvedValueOnce({
			rows: [{ id: 1, name: "reader", trust_level: "read" }],
		});
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "all" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(403);
	});

	it("returns 400 when scope is user but id is missing", async () => {
		withAgentAuth();
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "user" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(400);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("VALIDATION_ERROR");
	});

	it("revokes all sessions for scope all", async () => {
		withAgentAuth({ rowsAffected: 3 });
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "all" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.success).toBe(true);
		expect(body.revoked).toBe(3);
	});
});

describe("POST /ops/sessions/revoke — cache invalidation", () => {
	/** In-memory cache store for testing. */
	function createMockCache() {
		const store = new Map<string, string>();
		const sets = new Map<string, Set<string>>();
		return {
			store,
			sets,
			client: {
				get: vi.fn(async (key: string) => store.get(key) ?? null),
				set: vi.fn(async (key: string, val: string) => {
					store.set(key, val);
				}),
				del: vi.fn(async (...keys: string[]) => {
					let removed = 0;
					for (const k of keys) {
						if (store.delete(k)) removed++;
						if (sets.delete(k)) removed++;
					}
					return removed;
				}),
				incr: vi.fn(async () => 1),
				expire: vi.fn(async () => true),
				sadd: vi.fn(async (key: string, ...members: string[]) => {
					const existing = sets.get(key);
					const s = existing ?? new Set<string>();
					if (!existing) sets.set(key, s);
					let added = 0;
					for (const m of members) {
						if (!s.has(m)) {
							s.add(m);
							added++;
						}
					}
					return added;
				}),
				srem: vi.fn(async (key: string, ...members: string[]) => {
					const s = sets.get(key);
					if (!s) return 0;
					let removed = 0;
					for (const m of members) {
						if (s.delete(m)) removed++;
					}
					return removed;
				}),
				scard: vi.fn(async (key: string) => sets.get(key)?.size ?? 0),
				smembers: vi.fn(async (key: string) => [...(sets.get(key) ?? [])]),
			},
		};
	}

	function buildAppWithCache(
		cache: ReturnType<typeof createMockCache>["client"],
	) {
		const router = createOpsRouter({
			createCacheClient: () => cache,
		});
		const app = new Hono<AppEnv>();
		app.route("/ops", router);
		return app;
	}

	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("scope=all invalidates all session and user_sessions keys", async () => {
		const mock = createMockCache();
		// Seed cache: 2 users, each with 1 session
		mock.sets.set("user_sessions:1", new Set(["s1"]));
		mock.sets.set("user_sessions:2", new Set(["s2"]));
		mock.store.set("session:s1", JSON.stringify({ userId: 1 }));
		mock.store.set("session:s2", JSON.stringify({ userId: 2 }));

		// Mock chain: agent auth → SELECT DISTINCT user_id → UPDATE
		withAgentAuth(
			{ rows: [{ user_id: 1 }, { user_id: 2 }] },
			{ rowsAffected: 2 },
		);
		const app = buildAppWithCache(mock.client);
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "all" }),
			},
			baseEnv,
		);

		expect(res.status).toBe(200);
		expect(mock.store.has("session:s1")).toBe(false);
		expect(mock.store.has("session:s2")).toBe(false);
		expect(mock.sets.has("user_sessions:1")).toBe(false);
		expect(mock.sets.has("user_sessions:2")).toBe(false);
	});

	it("scope=user invalidates that user's sessions", async () => {
		const mock = createMockCache();
		mock.sets.set("user_sessions:1", new Set(["s1", "s1b"]));
		mock.store.set("session:s1", JSON.stringify({ userId: 1 }));
		mock.store.set("session:s1b", JSON.stringify({ userId: 1 }));

		withAgentAuth({ rowsAffected: 2 });
		const app = buildAppWithCache(mock.client);
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "user", id: 1 }),
			},
			baseEnv,
		);

		expect(res.status).toBe(200);
		expect(mock.store.has("session:s1")).toBe(false);
		expect(mock.store.has("session:s1b")).toBe(false);
		expect(mock.sets.has("user_sessions:1")).toBe(false);
	});

	it("scope=session invalidates single session and removes from user_sessions", async () => {
		const mock = createMockCache();
		mock.sets.set("user_sessions:1", new Set(["s1"]));
		mock.store.set("session:s1", JSON.stringify({ userId: 1 }));

		withAgentAuth({ rowsAffected: 1 });
		const app = buildAppWithCache(mock.client);
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "session", id: "s1" }),
			},
			baseEnv,
		);

		expect(res.status).toBe(200);
		expect(mock.store.has("session:s1")).toBe(false);
		expect(mock.sets.get("user_sessions:1")?.has("s1")).toBe(false);
	});

	it("scope=session keeps other sessions in user_sessions set", async () => {
		const mock = createMockCache();
		mock.sets.set("user_sessions:1", new Set(["s1", "s2"]));
		mock.store.set("session:s1", JSON.stringify({ userId: 1 }));
		mock.store.set("session:s2", JSON.stringify({ userId: 1 }));

		withAgentAuth({ rowsAffected: 1 });
		const app = buildAppWithCache(mock.client);
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "session", id: "s1" }),
			},
			baseEnv,
		);

		expect(res.status).toBe(200);
		expect(mock.store.has("session:s1")).toBe(false);
		// Other session remains
		expect(mock.sets.get("user_sessions:1")?.has("s2")).toBe(true);
	});

	it("scope=all continues when pre-UPDATE user_id query rejects", async () => {
		const mock = createMockCache();

		// agent auth → SELECT DISTINCT rejects → UPDATE succeeds
		mockExecute
			.mockResolvedValueOnce({ rows: [AGENT_ROW] })
			.mockRejectedValueOnce(new Error("DB hiccup"))
			.mockResolvedValueOnce({ rowsAffected: 2 });

		const app = buildAppWithCache(mock.client);
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "all" }),
			},
			baseEnv,
		);

		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.success).toBe(true);
		expect(body.revoked).toBe(2);
		// Cache cleanup should not have run (affectedUserIds is empty)
		expect(mock.client.smembers).not.toHaveBeenCalled();
	});

	it("returns 200 and logs error when cache cleanup throws", async () => {
		const mock = createMockCache();
		mock.client.smembers.mockRejectedValueOnce(new Error("cache down"));

		withAgentAuth({ rowsAffected: 1 });
		const app = buildAppWithCache(mock.client);
		const consoleSpy = vi.spyOn(console, "error").mockImplementation(() => {});

		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "user", id: 1 }),
			},
			baseEnv,
		);

		expect(res.status).toBe(200);
		expect(consoleSpy).toHaveBeenCalledWith(
			"[obs] cache cleanup error:",
			expect.any(Error),
		);
		consoleSpy.mockRestore();
	});
});

describe("GET /ops/sessions", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns sessions for authenticated agent", async () => {
		withAgentAuth({
			rows: [
				{
					id: "s1",
					user_id: 1,
					ip_address: "1.2.3.4",
					user_agent: "Test",
					created_at: "2026-01-01",
					expires_at: "2026-02-01",
				},
			],
		});
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.sessions).toHaveLength(1);
		expect(body.count).toBe(1);
	});

	it("passes user_id filter to SQL", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions?user_id=42",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const lastCall = mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		expect(lastCall[0].args).toContain(42);
	});

	it("respects active=false query parameter", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions?active=false",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const lastCall = mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		expect(lastCall[0].sql).not.toContain("expires_at > datetime");
	});

	it("returns 500 on database error", async () => {
		withAgentAuth();
		mockExecute.mockRejectedValueOnce(new Error("DB unavailable"));
		const consoleSpy = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(500);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("INTERNAL_ERROR");
		consoleSpy.mockRestore();
	});

	it("returns 401 without auth", async () => {
		const app = buildApp();
		const res = await app.request("/ops/sessions", {}, baseEnv);
		expect(res.status).toBe(401);
	});
});

describe("GET /ops/events — actor_id filter", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("passes user_id filter to SQL query", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const res = await app.request(
			"/ops/events?user_id=7",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const lastCall = mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		expect(lastCall[0].args).toContain(7);
	});

	it("passes ip filter to SQL query", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const res = await app.request(
			"/ops/events?ip=10.0.0.1",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const lastCall = mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		expect(lastCall[0].args).toContain("10.0.0.1");
	});

	it("passes type filter to SQL query", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const res = await app.request(
			"/ops/events?type=login.failure",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const lastCall = mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		expect(lastCall[0].args).toContain("login.failure");
	});

	it("passes actor_id filter to SQL query", async () => {
		withAgentAuth({
			rows: [
				{
					id: 1,
					type: "login.success",
					actor_id: "app:test",
					created_at: "2026-01-01",
				},
			],
		});
		const app = buildApp();
		const res = await app.request(
			"/ops/events?actor_id=app:test",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.events).toHaveLength(1);
		// Verify actor_id was passed as a SQL arg
		const lastExecuteCall =
			mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		expect(lastExecuteCall[0].args).toContain("app:test");
	});
});

describe("GET /ops/events — since param", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("uses provided since param when valid ISO date", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const since = "2026-02-01T00:00:00Z";
		const res = await app.request(
			`/ops/events?since=${encodeURIComponent(since)}`,
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const lastCall = mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		expect(lastCall[0].args[0]).toBe(since);
	});

	it("falls back to 24h default when since param is invalid", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const res = await app.request(
			"/ops/events?since=not-a-date",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const lastCall = mockExecute.mock.calls[mockExecute.mock.calls.length - 1];
		// Should be an ISO date string ~24h ago, not "not-a-date"
		expect(lastCall[0].args[0]).not.toBe("not-a-date");
		expect(lastCall[0].args[0]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	});
});

describe("GET /ops/events — DB error", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns 500 on database error", async () => {
		withAgentAuth();
		mockExecute.mockRejectedValueOnce(new Error("DB unavailable"));
		const consoleSpy = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = buildApp();
		const res = await app.request(
			"/ops/events",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(500);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("INTERNAL_ERROR");
		consoleSpy.mockRestore();
	});
});

describe("GET /ops/events/stats", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns stats for authenticated agent", async () => {
		withAgentAuth({
			rows: [
				{ type: "login.success", count: 10 },
				{ type: "login.failure", count: 3 },
			],
		});
		const app = buildApp();
		const res = await app.request(
			"/ops/events/stats",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect((body.stats as Record<string, unknown>)["login.success"]).toBe(10);
		expect((body.stats as Record<string, unknown>)["login.failure"]).toBe(3);
		expect(body.since).toBeDefined();
	});

	it("uses provided since param when valid", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const since = "2026-02-15T12:00:00Z";
		const res = await app.request(
			`/ops/events/stats?since=${encodeURIComponent(since)}`,
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.since).toBe(since);
	});

	it("falls back to 24h default when since param is invalid", async () => {
		withAgentAuth({ rows: [] });
		const app = buildApp();
		const res = await app.request(
			"/ops/events/stats?since=garbage",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.since).not.toBe("garbage");
		expect(body.since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
	});

	it("returns 401 without auth", async () => {
		const app = buildApp();
		const res = await app.request("/ops/events/stats", {}, baseEnv);
		expect(res.status).toBe(401);
	});

	it("returns 500 on database error", async () => {
		withAgentAuth();
		mockExecute.mockRejectedValueOnce(new Error("DB unavailable"));
		const consoleSpy = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = buildApp();
		const res = await app.request(
			"/ops/events/stats",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(500);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("INTERNAL_ERROR");
		consoleSpy.mockRestore();
	});
});

describe("POST /ops/agents — error paths", () => {
	beforeEach(() => {
		mockExecute.mockReset();
		mockEnsureSchema.mockReset();
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockReset();
	});

	it("returns 409 when agent name already exists", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(true);
		mockExecute.mockRejectedValue(new Error("UNIQUE constraint failed"));
		const consoleSpy = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = buildApp();
		const res = await app.request(
			"/ops/agents",
			{
				method: "POST",
				headers: {
					"Content-Type": "application/json",
					"x-provisioning-secret": "test-secret",
				},
				body: JSON.stringify({ name: "existing-agent" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(409);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("AGENT_EXISTS");
		consoleSpy.mockRestore();
	});
});

describe("DELETE /ops/agents/:name — error paths", () => {
	beforeEach(() => {
		mockExecute.mockReset();
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockReset();
	});

	it("returns 404 when agent not found", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(true);
		mockExecute.mockResolvedValue({ rowsAffected: 0 });
		const app = buildApp();
		const res = await app.request(
			"/ops/agents/nonexistent",
			{
				method: "DELETE",
				headers: { "x-provisioning-secret": "test-secret" },
			},
			baseEnv,
		);
		expect(res.status).toBe(404);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("NOT_FOUND");
	});

	it("returns 401 with wrong provisioning secret", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(false);
		const app = buildApp();
		const res = await app.request(
			"/ops/agents/test-agent",
			{
				method: "DELETE",
				headers: { "x-provisioning-secret": "wrong-secret" },
			},
			baseEnv,
		);
		expect(res.status).toBe(401);
	});
});

describe("GET /ops/agents — error paths", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns 500 on database error", async () => {
		withAgentAuth();
		mockExecute.mockRejectedValueOnce(new Error("DB unavailable"));
		const consoleSpy = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = buildApp();
		const res = await app.request(
			"/ops/agents",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(500);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("INTERNAL_ERROR");
		consoleSpy.mockRestore();
	});
});

describe("POST /ops/sessions/revoke — validation", () => {
	beforeEach(() => {
		mockExecute.mockReset();
	});

	it("returns 400 for invalid body schema", async () => {
		withAgentAuth();
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "invalid-scope" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(400);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.error).toBe("Invalid body");
	});

	it("returns 500 when revocation SQL fails", async () => {
		withAgentAuth();
		mockExecute.mockRejectedValueOnce(new Error("SQL write failed"));
		const consoleSpy = vi.spyOn(console, "error").mockImplementation(() => {});
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "all" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(500);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.code).toBe("REVOCATION_ERROR");
		consoleSpy.mockRestore();
	});
});

describe("GET /ops/ws origin validation", () => {
	beforeEach(() => {
		mockExecute.mockReset();
		mockProcessEvent.mockReset().mockResolvedValue(undefined);
	});

	it("passes through when no Origin header is sent", async () => {
		withAgentAuth();
		const app = buildApp();
		const res = await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		// Without a real WebSocket upgrader the request won't be 101,
		// but it should NOT be 403 — origin middleware passed.
		expect(res.status).not.toBe(403);
	});

	it("returns 403 when Origin is sent but WS_ALLOWED_ORIGINS is empty", async () => {
		const app = buildApp();
		const res = await app.request(
			"/ops/ws",
			{
				headers: {
					Authorization: "Bearer valid-key",
					Origin: "http://evil.com",
				},
			},
			baseEnv,
		);
		expect(res.status).toBe(403);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.error).toBe("Forbidden");
	});

	it("passes through when Origin matches WS_ALLOWED_ORIGINS", async () => {
		withAgentAuth();
		const app = buildApp();
		const res = await app.request(
			"/ops/ws",
			{
				headers: {
					Authorization: "Bearer valid-key",
					Origin: "http://localhost:3000",
				},
			},
			{ ...baseEnv, WS_ALLOWED_ORIGINS: "http://localhost:3000" },
		);
		expect(res.status).not.toBe(403);
	});

	it("returns 403 when Origin does not match WS_ALLOWED_ORIGINS", async () => {
		const app = buildApp();
		const res = await app.request(
			"/ops/ws",
			{
				headers: {
					Authorization: "Bearer valid-key",
					Origin: "http://evil.com",
				},
			},
			{ ...baseEnv, WS_ALLOWED_ORIGINS: "http://localhost:3000" },
		);
		expect(res.status).toBe(403);
	});

	it("emits ws.connect_failure event on origin rejection", async () => {
		const app = buildApp();
		await app.request(
			"/ops/ws",
			{
				headers: {
					Authorization: "Bearer valid-key",
					Origin: "http://evil.com",
				},
			},
			baseEnv,
		);
		await vi.waitFor(() => {
			expect(mockProcessEvent).toHaveBeenCalledWith(
				expect.objectContaining({
					type: "ws.connect_failure",
					actorId: "app:private-landing",
					detail: { reason: "origin_rejected", origin: "http://evil.com" },
				}),
				expect.anything(),
			);
		});
	});
});

describe("GET /ops/ws rate limiting", () => {
	/** Promises captured by mock waitUntil — await to flush onLimited events. */
	let waitUntilPromises: Promise<unknown>[];

	/** Build an app with mock executionCtx so onLimited's waitUntil works. */
	function buildCachedApp(mockCache: ReturnType<typeof createMockCache>) {
		waitUntilPromises = [];
		const router = createOpsRouter({
			createCacheClient: () => mockCache.client,
		});
		const app = new Hono<AppEnv>();
		// Provide mock executionCtx.waitUntil for onLimited event emission
		app.use("*", async (ctx, next) => {
			Object.defineProperty(ctx, "executionCtx", {
				get: () => ({
					waitUntil: (p: Promise<unknown>) => {
						waitUntilPromises.push(p);
					},
					passThroughOnException: () => {},
				}),
			});
			await next();
		});
		app.route("/ops", router);
		return app;
	}

	function createMockCache() {
		const store = new Map<string, string>();
		const counters = new Map<string, number>();
		const sets = new Map<string, Set<string>>();
		return {
			store,
			counters,
			sets,
			client: {
				get: vi.fn(async (key: string) => store.get(key) ?? null),
				set: vi.fn(async (key: string, val: string) => {
					store.set(key, val);
				}),
				del: vi.fn(async (...keys: string[]) => {
					let removed = 0;
					for (const k of keys) {
						if (store.delete(k)) removed++;
						if (counters.delete(k)) removed++;
						if (sets.delete(k)) removed++;
					}
					return removed;
				}),
				incr: vi.fn(async (key: string) => {
					const val = (counters.get(key) ?? 0) + 1;
					counters.set(key, val);
					return val;
				}),
				expire: vi.fn(async () => true),
				sadd: vi.fn(async () => 0),
				srem: vi.fn(async () => 0),
				scard: vi.fn(async () => 0),
				smembers: vi.fn(async () => []),
			},
		};
	}

	beforeEach(() => {
		mockExecute.mockReset();
		mockProcessEvent.mockReset().mockResolvedValue(undefined);
	});

	it("degrades to no-op when cache is absent (default buildApp)", async () => {
		withAgentAuth();
		const app = buildApp();
		const res = await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		// No cache → rate limiter is no-op → request passes through
		expect(res.status).not.toBe(429);
	});

	it("returns 429 when connection rate exceeds limit", async () => {
		const mock = createMockCache();
		const app = buildCachedApp(mock);

		// Exhaust the 10-request limit
		for (let i = 0; i < 10; i++) {
			withAgentAuth();
			await app.request(
				"/ops/ws",
				{ headers: { Authorization: "Bearer valid-key" } },
				baseEnv,
			);
		}

		// 11th request should be rate limited
		const res = await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(429);
		expect(res.headers.get("Retry-After")).toBe("60");
	});

	it("emits rate_limit.reject on ws upgrade rate limit", async () => {
		const mock = createMockCache();
		// Pre-seed counter past limit
		mock.counters.set("rl:ws:connect:192.0.2.1", 10);
		const app = buildCachedApp(mock);

		await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);

		// Flush waitUntil promises from onLimited callback
		await Promise.all(waitUntilPromises);

		expect(mockProcessEvent).toHaveBeenCalledWith(
			expect.objectContaining({
				type: "rate_limit.reject",
				actorId: "app:private-landing",
				detail: { path: "/ops/ws", limit: "ws:connect" },
			}),
			expect.anything(),
		);
	});

	it("rate limiter runs before origin validation", async () => {
		const mock = createMockCache();
		mock.counters.set("rl:ws:connect:192.0.2.1", 10);
		const app = buildCachedApp(mock);

		// Send with Origin header — should get 429 (rate limit) not 403 (origin)
		const res = await app.request(
			"/ops/ws",
			{
				headers: {
					Authorization: "Bearer valid-key",
					Origin: "http://evil.com",
				},
			},
			baseEnv,
		);
		expect(res.status).toBe(429);
	});
});

describe("GET /ops/ws adaptive PoW", () => {
	beforeEach(() => {
		mockExecute.mockReset();
		mockEnsureSchema.mockReset();
		mockProcessEvent.mockReset().mockResolvedValue(undefined);
	});

	it("passes through when ws.connect_failure count is below threshold", async () => {
		// computeChallenge query returns low failure count
		mockExecute.mockResolvedValueOnce({ rows: [{ count: 1 }] });
		// requireAgentKey lookup
		withAgentAuth();

		const app = buildApp();
		const res = await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		// Should pass adaptive challenge → hit requireAgentKey → proceed
		expect(res.status).not.toBe(403);
	});

	it("returns 403 with challenge when ws.connect_failure count exceeds threshold", async () => {
		// computeChallenge query returns high failure count
		mockExecute.mockResolvedValueOnce({ rows: [{ count: 5 }] });

		const app = buildApp();
		const res = await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(403);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.error).toBe("Challenge required");
		expect(body.challenge).toMatchObject({
			type: "pow",
			difficulty: expect.any(Number),
			nonce: expect.any(String),
		});
	});

	it("accepts valid PoW solution via query params", async () => {
		// computeChallenge query returns failures above threshold
		mockExecute.mockResolvedValueOnce({ rows: [{ count: 5 }] });

		const app = buildApp();

		// First request to get the challenge nonce
		const challengeRes = await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		const { challenge } = (await challengeRes.json()) as {
			challenge: { nonce: string; difficulty: number };
		};

		// Solve the PoW
		const prefix = "0".repeat(challenge.difficulty);
		let solution = 0;
		while (true) {
			const hash = Array.from(
				new Uint8Array(
					await crypto.subtle.digest(
						"SHA-256",
						new TextEncoder().encode(challenge.nonce + String(solution)),
					),
				),
			)
				.map((b) => b.toString(16).padStart(2, "0"))
				.join("");
			if (hash.startsWith(prefix)) break;
			solution++;
		}

		// Second request with solution in query params
		mockExecute.mockResolvedValueOnce({ rows: [{ count: 5 }] });
		withAgentAuth();

		const res = await app.request(
			`/ops/ws?challengeNonce=${challenge.nonce}&challengeSolution=${solution}`,
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		// Should pass adaptive challenge → proceed past it
		expect(res.status).not.toBe(403);
	});

	it("rejects forged nonce", async () => {
		// computeChallenge query returns failures above threshold
		mockExecute.mockResolvedValueOnce({ rows: [{ count: 5 }] });

		const app = buildApp();
		const res = await app.request(
			"/ops/ws?challengeNonce=fakecnonce&challengeSolution=wrong",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(403);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.error).toBe("Invalid or expired nonce");
	});

	it("rejects invalid PoW solution with valid nonce", async () => {
		// Get a real signed nonce
		mockExecute.mockResolvedValueOnce({ rows: [{ count: 5 }] });

		const app = buildApp();
		const challengeRes = await app.request(
			"/ops/ws",
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		const { challenge } = (await challengeRes.json()) as {
			challenge: { nonce: string; difficulty: number };
		};

		// Submit the real nonce with a wrong solution
		mockExecute.mockResolvedValueOnce({ rows: [{ count: 5 }] });
		const res = await app.request(
			`/ops/ws?challengeNonce=${challenge.nonce}&challengeSolution=wrong`,
			{ headers: { Authorization: "Bearer valid-key" } },
			baseEnv,
		);
		expect(res.status).toBe(403);
		const body = (await res.json()) as Record<string, unknown>;
		expect(body.error).toBe("Invalid solution");
	});
});

describe("ops route event emission", () => {
	beforeEach(() => {
		mockExecute.mockReset();
		mockEnsureSchema.mockReset();
		mockProcessEvent.mockReset().mockResolvedValue(undefined);
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockReset();
	});

	it("POST /ops/sessions/revoke emits session.ops_revoke", async () => {
		withAgentAuth({ rowsAffected: 1 });
		const app = buildApp();
		const res = await app.request(
			"/ops/sessions/revoke",
			{
				method: "POST",
				headers: {
					Authorization: "Bearer valid-key",
					"Content-Type": "application/json",
				},
				body: JSON.stringify({ scope: "all" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(200);
		await vi.waitFor(() => {
			expect(mockProcessEvent).toHaveBeenCalledWith(
				expect.objectContaining({
					type: "session.ops_revoke",
					actorId: "agent:test-agent",
					detail: { scope: "all", revoked: 1 },
				}),
				expect.anything(),
			);
		});
	});

	it("POST /ops/agents emits agent.provisioned", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(true);
		mockExecute.mockResolvedValue({ rows: [], rowsAffected: 1 });
		const app = buildApp();
		const res = await app.request(
			"/ops/agents",
			{
				method: "POST",
				headers: {
					"Content-Type": "application/json",
					"x-provisioning-secret": "test-secret",
				},
				body: JSON.stringify({ name: "new-agent" }),
			},
			baseEnv,
		);
		expect(res.status).toBe(200);
		await vi.waitFor(() => {
			expect(mockProcessEvent).toHaveBeenCalledWith(
				expect.objectContaining({
					type: "agent.provisioned",
					actorId: "app:private-landing",
					detail: { name: "new-agent", trustLevel: "read" },
				}),
				expect.anything(),
			);
		});
	});

	it("emits event with ip 'unknown' when getClientIp throws", async () => {
		const router = createOpsRouter({
			getClientIp: () => {
				throw new Error("getConnInfo unavailable");
			},
		});
		const app = new Hono<AppEnv>();
		app.route("/ops", router);

		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(true);
		mockExecute.mockResolvedValue({ rowsAffected: 1 });

		const res = await app.request(
			"/ops/agents/test-agent",
			{
				method: "DELETE",
				headers: { "x-provisioning-secret": "test-secret" },
			},
			baseEnv,
		);

		expect(res.status).toBe(200);
		expect(mockProcessEvent).toHaveBeenCalledWith(
			expect.objectContaining({ ipAddress: "unknown" }),
			expect.anything(),
		);
	});

	it("DELETE /ops/agents/:name emits agent.revoked", async () => {
		(timingSafeEqual as ReturnType<typeof vi.fn>).mockResolvedValue(true);
		mockExecute.mockResolvedValue({ rowsAffected: 1 });
		const app = buildApp();
		const res = await app.request(
			"/ops/agents/test-agent",
			{
				method: "DELETE",
				headers: { "x-provisioning-secret": "test-secret" },
			},
			baseEnv,
		);
		expect(res.status).toBe(200);
		await vi.waitFor(() => {
			expect(mockProcessEvent).toHaveBeenCalledWith(
				expect.objectContaining({
					type: "agent.revoked",
					actorId: "app:private-landing",
					detail: { name: "test-agent" },
				}),
				expect.anything(),
			);
		});
	});
});
